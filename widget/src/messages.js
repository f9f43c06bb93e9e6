// @ts-check
// The conversation in the panel: messages (text with links, or a sent file) in the order of
// their ids, "Seen" under the visitor's last line, and who is typing.
import { linked } from "../../chatserver/static/shared/dom.js";
import { rest } from "./connection.js";
import { setUnread } from "./panel.js";

/** @typedef {import("./context.js").Widget} Widget */
/** @typedef {import("./context.js").Json} Json */

// Links in what people write: http(s) and mailto only, made with DOM nodes (shared dom.js).
/** @param {Element} n @param {string} s */
const linkify = (n, s) => n.replaceChildren(...linked(s));

/** "Seen" under the visitor's last line once an operator read it (livechat.read). @param {Widget} w */
export function showSeen({ S, t, v }) {
  const last = [.../** @type {NodeListOf<HTMLElement>} */ (v.log.querySelectorAll("li[data-id]"))].pop();
  v.seen.textContent = t("seen");
  if (last && last.dataset.sender === "visitor" && S.conv && S.conv.seen) last.append(v.seen);
  else v.seen.remove();
}

let typingTimer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
/**
 * @param {Widget} w
 * @param {boolean} on
 * @param {string} [name]
 */
export function showTyping(w, on, name) {
  const { S, t } = w;
  clearTimeout(typingTimer);
  w.v.typing.textContent = on ? t("typing", { name: name || (S.conv && S.conv.operator && S.conv.operator.name) || t("someone") }) : "";
  if (on) typingTimer = setTimeout(() => showTyping(w, false), 8000);
}

/**
 * @param {Widget} w
 * @param {Json | undefined} m a message (or the visitor's own before its ack: no id yet)
 * @param {{pending?: boolean}} [options]
 */
export function addMessage(w, m, { pending = false } = {}) {
  const { S, t, h, v, shown } = w;
  if (!m) return;
  const key = m.id != null ? String(m.id) : `c:${m.client_msg_id}`;
  let li = shown.get(key) || (m.client_msg_id && shown.get(`c:${m.client_msg_id}`));
  const fresh = !li;
  if (!li) {
    li = h("li", { "data-testid": "lc-message" }, h("span", { class: "who" }), h("p", { class: "body", "data-testid": "lc-message-body" }), h("time", { class: "at", "data-testid": "lc-message-time" }));
    // Keep the order of ids: a replay or history fills in before later messages.
    const after = m.id != null && [.../** @type {HTMLCollectionOf<HTMLElement>} */ (v.log.children)].find((x) => x.dataset.id && Number(x.dataset.id) > m.id);
    v.log.insertBefore(li, after || null);
  }
  li.className = `${m.sender || "visitor"}${pending ? " pending" : ""}`;
  li.setAttribute("data-sender", m.sender || "visitor");
  if (m.id != null) li.dataset.id = m.id;
  const [who, body, at] = /** @type {[HTMLElement, HTMLElement, HTMLTimeElement]} */ ([...li.children]);
  who.textContent = m.sender === "visitor" ? t("you") : m.sender_name || "";
  const f = m.kind === "file" && m.meta && m.meta.file;
  if (!f) linkify(body, m.body);
  else if (!body.dataset.file) fileView(w, body, f);
  if (m.created_at) {
    at.dateTime = m.created_at;
    at.textContent = new Date(m.created_at).toLocaleTimeString(w.page.lang, { hour: "2-digit", minute: "2-digit" });
  }
  if (fresh && S.loaded && m.sender === "visitor" && S.conv) S.conv.seen = false; // a new line is unread
  if (m.client_msg_id) shown.set(`c:${m.client_msg_id}`, li);
  if (m.id != null) shown.set(String(m.id), li);
  v.trBar.hidden = false;
  if (fresh && !pending && m.sender !== "visitor" && (!S.open || document.hidden) && S.loaded) setUnread(w, S.unread + 1);
  showSeen(w);
  v.log.scrollTop = v.log.scrollHeight;
}

// A sent file (docs/files.md): an image as its thumbnail, another file as a download link
// with its name and size; the links are the server's signed ones, made for this visitor.
/**
 * @param {Widget} w
 * @param {HTMLElement} body
 * @param {Json} f the message's meta.file: id, name, size, image, width
 */
function fileView(w, body, f) {
  const { t, h } = w;
  const origin = w.page.origin;
  body.dataset.file = f.id;
  const kb = f.size / 1024;
  const size = kb < 1 ? `${f.size} B` : kb < 1024 ? `${Math.round(kb)} KB` : `${(kb / 1024).toFixed(1)} MB`;
  const a = h("a", { target: "_blank", rel: "noopener", "data-testid": "lc-file" });
  const img = f.image ? h("img", { alt: t("image", { n: f.name }), "data-testid": "lc-file-thumb", width: Math.min(240, f.width || 240) }) : null;
  if (img) a.append(img);
  else {
    a.className = "file";
    a.setAttribute("download", f.name);
    a.setAttribute("aria-label", t("download", { n: f.name, s: size }));
    a.append(h("span", { text: f.name }), h("small", { text: size }));
  }
  body.replaceChildren(a);
  // The file names its conversation in the transaction that stored its message: it is
  // there to be asked for as soon as the message is.
  rest(w, "GET", `/api/files/${f.id}`).then((d) => {
    a.href = origin + d.url;
    if (img) img.src = origin + d.thumb_url;
  }, () => {});
}
