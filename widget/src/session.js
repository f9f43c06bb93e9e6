// @ts-check
// The visitor's session: the visit (with the saved token; busy and refused visits tried
// again), then the socket and its events, the history, a new session when the token is
// refused, proactive messages, and the console's preview.
import { Socket } from "../../chatserver/static/shared/socket.js";
import { rest } from "./connection.js";
import { setLook } from "./look.js";
import { addMessage, showSeen, showTyping } from "./messages.js";
import { render, setOpen, showStatus } from "./panel.js";

/** @typedef {import("./context.js").Widget} Widget */
/** @typedef {import("./context.js").Json} Json */
/** @typedef {import("./context.js").RestError} RestError */
/** @typedef {import("../../chatserver/static/shared/socket.js").EventFrame} EventFrame */

let attempt = 0;
let restarts = 0;
let busyTries = 0;

/** Visit with the saved token, then open the socket. @param {Widget} w */
export async function start(w) {
  const { S, v } = w;
  try {
    const data = await rest(w, "POST", "/api/livechat/visit", {
      site_id: w.page.site,
      token: S.token || undefined,
      url: location.href,
      referrer: document.referrer,
      language: navigator.languages ? navigator.languages.join(",") : navigator.language,
    });
    if (data.token !== S.token) {
      S.token = data.token;
      w.store("localStorage", "token", S.token);
    }
    apply(w, data);
    if (!S.started) proactive(w, data.proactive || []);
    S.unavailable = S.busy = false;
    busyTries = 0;
    S.started = true;
    v.host.removeAttribute("data-refused");
    render(w);
    connect(w);
  } catch (err) {
    const e = /** @type {RestError} */ (err);
    const status = e.status || 0;
    if (status === 429) {
      // Busy (many new visitors from this address), not refused: wait and try again,
      // longer each time, at least as long as the server asks.
      S.busy = true;
      render(w);
      const base = Math.min(60000, 2000 * 2 ** busyTries++);
      setTimeout(() => start(w), Math.max((e.retry || 0) * 1000, base / 2 + Math.random() * (base / 2)));
      return;
    }
    S.busy = false;
    // Refused (403 origin, 404 site), or a refusal the browser hides behind CORS. Never
    // started on this page: show nothing at all (no launcher, no greeting) rather than
    // a chat that cannot be used; a session that worked before says so in its panel.
    S.unavailable = true;
    if (!S.started) v.host.setAttribute("data-refused", "");
    render(w);
    // The server may only be down: try again now and then; a refusal stays a refusal.
    if (!(status >= 400 && status < 500)) setTimeout(() => start(w), Math.min(60000, 2000 * 2 ** attempt++));
  }
}

// What a visit answers (or the console's preview sends): the conversation, who is online,
// the hours, greeting, pre-chat form, and the site's look and language.
/**
 * @param {Widget} w
 * @param {Json} data
 */
function apply(w, data) {
  const { S } = w;
  setLook(w, data.look || {});
  S.conv = data.conversation || null;
  S.online = data.operators_online || 0;
  S.hours = data.hours;
  clearTimeout(S.opensTimer);
  // Open again at opens_at: back to the live chat without a reload (timers cap at ~24 days).
  const wait = data.hours && data.hours.opens_at && Date.parse(data.hours.opens_at) - Date.now();
  if (wait > 0 && wait < 2e9) S.opensTimer = setTimeout(() => { S.hours.open = true; render(w); }, wait);
  if (data.greeting) w.v.greeting.textContent = data.greeting;
  S.pre = data.prechat;
}

// The shared socket (a one-use ticket, hello with last seq/epoch, acks, dedupe by seq,
// reconnect with backoff, ping), its position per tab under this site's key.
/** @param {Widget} w */
function connect(w) {
  const { S, t } = w;
  if (!S.token || (w.sock && w.sock.token === S.token)) return;
  if (w.sock) w.sock.stop();
  const sock = new Socket({
    token: S.token,
    owner: S.token,
    origin: w.page.origin,
    streamKey: `${w.page.key}:stream`,
    // 4001/4009 (or a 401 on the ticket): the token was refused, so a new visitor session;
    // 1008: this page is refused, later on.
    fatal: [4001, 4009, 1008],
    onEvent: (f) => receive(w, f),
    onState: (state) => {
      S.ready = state === "online";
      showStatus(w, state === "reconnecting" ? t("reconnecting") : "");
    },
    onHello: (ack) => {
      if (!S.loaded || ack.resync) loadHistory(w);
    },
    onFatal: (code) => {
      S.ready = false;
      w.sock = null;
      if (code !== 1008) return restart(w);
      S.unavailable = true;
      render(w);
    },
  });
  w.sock = sock;
  sock.start();
}

/**
 * @param {Widget} w
 * @param {EventFrame} f
 */
function receive(w, f) {
  const { S } = w;
  const d = f.data || {};
  if (f.type === "livechat.message") {
    addMessage(w, d.message);
    if (d.message && d.message.sender === "operator") showTyping(w, false);
  } else if (f.type === "livechat.updated") {
    S.conv = d.conversation || S.conv;
    render(w);
    showSeen(w);
  } else if (f.type === "livechat.read") {
    if (S.conv) S.conv.seen = true;
    showSeen(w);
  } else if (f.type === "livechat.typing") {
    showTyping(w, d.typing, d.name);
  } else if (f.type === "livechat.operators") {
    S.online = d.operators_online || 0;
    render(w);
  }
}

/** @param {Widget} w */
async function loadHistory(w) {
  const { S } = w;
  try {
    const data = await rest(w, "GET", "/api/livechat/visitor/conversation");
    if (data.conversation) S.conv = data.conversation;
    for (const m of data.messages || []) addMessage(w, m);
    render(w);
    showSeen(w);
  } catch (err) {
    if (/** @type {RestError} */ (err).status === 401) return restart(w);
  } finally {
    S.loaded = true;
  }
}

/** @param {Widget} w */
function restart(w) {
  const { S } = w;
  // The token was refused (expired, revoked): start a new visitor session, once.
  if (restarts++ > 2) {
    S.unavailable = true;
    return render(w);
  }
  S.token = null;
  w.store("localStorage", "token", null);
  w.store("sessionStorage", "stream", null);
  const old = w.sock;
  w.sock = null;
  if (old) old.stop();
  start(w);
}

// Proactive messages: once per page view, after the rule's seconds on a matching path, the
// widget opens with the message, unless the visitor chatted or closed it. Nothing is sent.
/** @param {string} p @param {string} s */
const glob = (p, s) => {
  // "*" is any run of characters; greedy with one backtrack point, so never exponential.
  let i = 0, j = 0, st = -1, m = 0;
  while (j < s.length) {
    if (p[i] === "*") (st = i++), (m = j);
    else if (i < p.length && p[i] === s[j]) i++, j++;
    else if (st >= 0) (i = st + 1), (j = ++m);
    else return false;
  }
  while (p[i] === "*") i++;
  return i === p.length;
};
/**
 * @param {Widget} w
 * @param {{url: string, seconds: number, message: string}[]} rules
 */
function proactive(w, rules) {
  const { S, h } = w;
  const r = rules.find((x) => glob(x.url, location.pathname));
  if (r) setTimeout(() => {
    if (S.conv || S.closed || w.shown.size || S.unavailable) return;
    w.v.log.append(h("li", { class: "greet operator", "data-testid": "lc-proactive" }, h("p", { class: "body", text: r.message })));
    setOpen(w, true, false);
  }, r.seconds * 1000);
}

// The console's preview (/console/preview, framed by the console): no visit, no socket;
// the unsaved settings come from the console's page by postMessage, same origin only.
/** @param {Widget} w */
export function preview(w) {
  window.addEventListener("message", (e) => {
    if (e.source !== window.parent || e.origin !== location.origin || !e.data || !e.data.look) return;
    apply(w, e.data);
    w.S.started = true;
    render(w);
    setOpen(w, true, false);
  });
  window.parent.postMessage({ ready: true }, location.origin);
}
