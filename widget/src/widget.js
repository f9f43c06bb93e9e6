// @ts-check
/*! chatserver live-chat widget. Plain JavaScript, no dependency, one file.
 * Embed: <script async src="https://HOST/widget.js" data-site="ID"></script>
 * (/widget.js is a loader that adds this file from /widget/<hash of content>.js.)
 * Renders in a Shadow DOM; everything people write is set with textContent, never as HTML.
 */
// The source: tools/build-widget.mjs bundles it with the shared modules it imports into
// widget/widget.js (committed; the server serves that file).
import { el, linked } from "../../chatserver/static/shared/dom.js";
import { translator } from "../../chatserver/static/shared/i18n.js";
import { Socket } from "../../chatserver/static/shared/socket.js";

/** @typedef {import("../../chatserver/static/shared/socket.js").EventFrame} EventFrame */
/** @typedef {import("../../chatserver/static/shared/dom.js").Children} Children */
/** @typedef {Record<string, any>} Json what the server sent (a conversation, a message, hours, a look) */
/**
 * The widget's state on this page.
 * @typedef {object} State
 * @property {string | null} token the visitor's token (localStorage, shared by the site's tabs)
 * @property {boolean} open the panel is open (sessionStorage: kept while navigating)
 * @property {number} online operators online
 * @property {Json | null} conv the visitor's conversation
 * @property {number} unread
 * @property {boolean} ready the socket said hello
 * @property {boolean} loaded the history came
 * @property {boolean} left a message was left
 * @property {boolean} unavailable refused on this page
 * @property {boolean} busy the visit was refused with 429: trying again
 * @property {boolean} started a visit succeeded on this page
 * @property {boolean} [closed] the visitor closed the panel (no proactive message then)
 * @property {boolean} [isPre] the pre-chat form shows
 * @property {any} [pre] the site's pre-chat form (its fields), if it has one
 * @property {any} [hours] business hours: open, opens_at, away
 * @property {ReturnType<typeof setTimeout>} [opensTimer]
 * @property {string} [lt] the launcher's text (the site's look)
 */
/** @typedef {Error & {status?: number, retry?: number}} RestError */
/** @typedef {{k: string, p?: Record<string, unknown>}} Label a text by key, kept to relabel */

(() => {
  "use strict";
  const me = /** @type {HTMLScriptElement | null | undefined} */ (
    document.currentScript ||
    [.../** @type {NodeListOf<HTMLScriptElement>} */ (document.querySelectorAll("script[data-site]"))].find((s) => /\/widget(\/\w+)?\.js(\?|#|$)/.test(s.src)));
  const w = /** @type {Window & {__chatserverWidget?: boolean}} */ (window);
  if (!me || w.__chatserverWidget) return;
  w.__chatserverWidget = true;

  const SITE_RAW = me.getAttribute("data-site") || "";
  const SITE = /^\d+$/.test(SITE_RAW) ? Number(SITE_RAW) : SITE_RAW;
  const ORIGIN = new URL(me.src, location.href).origin;
  const KEY = `cslc:${ORIGIN}:${SITE_RAW}`;
  // The first of the browser's languages that we speak, else the site's default (the
  // visit's look.language, remembered for the next page), else English.
  const PREVIEW = me.hasAttribute("data-preview");
  const spoken = (navigator.languages || [navigator.language || ""]).map((l) => l.slice(0, 2).toLowerCase()).find((l) => l === "nl" || l === "en");
  let LANG = spoken || (() => { try { return localStorage.getItem(`${KEY}:lang`); } catch { return null; } })() || "en";

  const STRINGS = {
    en: {
      title: "Chat with us",
      open: "Open chat",
      close: "Close chat",
      greeting: "Hello! How can we help you?",
      chattingWith: "You are chatting with {name}",
      messages: "Messages",
      input: "Your message",
      placeholder: "Type your message…",
      send: "Send",
      typing: "{name} is typing…",
      someone: "Someone",
      you: "You",
      seen: "Seen",
      unread: "{n} unread messages",
      offline: "No one is available right now. Leave a message and we will get back to you.",
      closed: "We are closed right now. Leave a message and we will get back to you.",
      opens: "We are open again {at}.",
      name: "Name",
      email: "E-mail",
      phone: "Phone (optional)",
      message: "Message",
      leave: "Send message",
      thanks: "Thank you! Your message has been sent; we will get back to you.",
      required: "Please fill in your name, a valid e-mail address and a message.",
      unavailable: "Chat is not available on this page.",
      busy: "It is busy right now; connecting again in a moment…",
      resolved: "This chat has been closed. Write again if you have another question.",
      connecting: "Connecting…",
      reconnecting: "Connection lost, reconnecting…",
      failed: "Not sent: {m}",
      rateQuestion: "How would you rate this chat?",
      stars: "{n} of 5 stars",
      rateComment: "A comment (optional)",
      rateSend: "Send rating",
      rated: "Thank you for your rating!",
      transcript: "Send me the transcript",
      transcriptSent: "The transcript has been sent to {email}.",
      badEmail: "Please enter a valid e-mail address.",
      tooOften: "You asked for the transcript too often; please try again later.",
      pre: "Tell us who you are and ask your question; we will answer in this chat.",
      question: "Your question",
      start: "Start chat",
      tel: "Phone",
      opt: " (optional)",
      need: "Please fill in: {f}.",
      attach: "Attach a file",
      sending: "Sending {n}…",
      notSent: "{n} was not sent: {m}",
      tooBig: "the file is larger than {mb} MB.",
      badType: "files of this type cannot be sent (images, PDF, Office documents, text and zip can).",
      badImage: "the image cannot be used.",
      image: "Image: {n}",
      download: "Download {n} ({s})",
    },
    nl: {
      title: "Chat met ons",
      open: "Chat openen",
      close: "Chat sluiten",
      greeting: "Hallo! Waarmee kunnen we u helpen?",
      chattingWith: "U chat met {name}",
      messages: "Berichten",
      input: "Uw bericht",
      placeholder: "Typ uw bericht…",
      send: "Versturen",
      typing: "{name} is aan het typen…",
      someone: "Iemand",
      you: "U",
      seen: "Gezien",
      unread: "{n} ongelezen berichten",
      offline: "Er is op dit moment niemand beschikbaar. Laat een bericht achter, dan nemen we contact met u op.",
      closed: "We zijn nu gesloten. Laat een bericht achter, dan nemen we contact met u op.",
      opens: "We zijn weer open op {at}.",
      name: "Naam",
      email: "E-mailadres",
      phone: "Telefoonnummer (optioneel)",
      message: "Bericht",
      leave: "Bericht versturen",
      thanks: "Bedankt! Uw bericht is verstuurd; we nemen contact met u op.",
      required: "Vul uw naam, een geldig e-mailadres en een bericht in.",
      unavailable: "De chat is op deze pagina niet beschikbaar.",
      busy: "Het is nu erg druk; we verbinden zo opnieuw…",
      resolved: "Dit gesprek is afgesloten. Schrijf gerust opnieuw als u nog een vraag heeft.",
      connecting: "Verbinden…",
      reconnecting: "Verbinding verbroken, opnieuw verbinden…",
      failed: "Niet verstuurd: {m}",
      rateQuestion: "Hoe beoordeelt u dit gesprek?",
      stars: "{n} van 5 sterren",
      rateComment: "Een opmerking (optioneel)",
      rateSend: "Beoordeling versturen",
      rated: "Bedankt voor uw beoordeling!",
      transcript: "Stuur mij het gespreksverslag",
      transcriptSent: "Het gespreksverslag is verstuurd naar {email}.",
      badEmail: "Vul een geldig e-mailadres in.",
      tooOften: "U heeft het verslag te vaak opgevraagd; probeer het later opnieuw.",
      pre: "Vertel ons wie u bent en stel uw vraag; we antwoorden in deze chat.",
      question: "Uw vraag",
      start: "Chat starten",
      tel: "Telefoonnummer",
      opt: " (optioneel)",
      need: "Vul in: {f}.",
      attach: "Bestand bijvoegen",
      sending: "{n} wordt verzonden…",
      notSent: "{n} is niet verzonden: {m}",
      tooBig: "het bestand is groter dan {mb} MB.",
      badType: "dit soort bestand kan niet worden verzonden (afbeeldingen, PDF, Office-documenten, tekst en zip wel).",
      badImage: "de afbeelding kan niet worden gebruikt.",
      image: "Afbeelding: {n}",
      download: "{n} downloaden ({s})",
    },
  };
  const t = translator(STRINGS, () => LANG);
  // A label set once when the widget is built (by T, not t): kept, so a language that the
  // visit names later (the site's default) relabels it.
  /** @type {[HTMLElement, string, string, Record<string, unknown> | undefined][]} */
  const labels = [];
  /**
   * @param {string} k
   * @param {Record<string, unknown>} [p]
   * @returns {Label}
   */
  const T = (k, p) => ({ k, p });

  // --- storage: the token per site in localStorage (shared by tabs), the stream per tab ---
  /**
   * @param {"localStorage" | "sessionStorage"} area
   * @param {string} name
   * @param {unknown} [value] undefined: read; null: forget; else: write
   * @returns {any}
   */
  const store = (area, name, value) => {
    try {
      const s = window[area];
      if (value === undefined) return JSON.parse(s.getItem(`${KEY}:${name}`) || "null");
      if (value === null) s.removeItem(`${KEY}:${name}`);
      else s.setItem(`${KEY}:${name}`, JSON.stringify(value));
    } catch {
      return null; // storage blocked: the widget still works for this page
    }
    return null;
  };

  // --- DOM: the shared el() (strings become text nodes, never markup); a text made with
  // T() is filled in now and kept in labels, so the site's language can relabel it ---
  /**
   * @template {keyof HTMLElementTagNameMap} K
   * @param {K} tag
   * @param {Record<string, any>} [attrs]
   * @param {...Children} kids
   * @returns {HTMLElementTagNameMap[K]}
   */
  const h = (tag, attrs = {}, ...kids) => {
    /** @type {Record<string, any>} */
    const filled = {};
    for (const [k, v] of Object.entries(attrs)) filled[k] = v && v.k ? t(v.k, v.p) : v;
    const n = el(tag, filled, ...kids);
    for (const [k, v] of Object.entries(attrs)) if (v && v.k) labels.push([n, k, v.k, v.p]);
    return n;
  };

  // Links in what people write: http(s) and mailto only, made with DOM nodes (shared dom.js).
  /** @param {Element} n @param {string} s */
  const linkify = (n, s) => n.replaceChildren(...linked(s));

  const CSS = `
:host{all:initial;--c:#1f5fd1;--t:#fff}
*{box-sizing:border-box;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji";color:#1d2430}
[hidden]{display:none!important}
:host([data-state="loading"]) .launcher,:host([data-state="loading"]) .panel,:host([data-refused]) .launcher,:host([data-refused]) .panel{display:none!important}
.launcher{position:fixed;right:20px;bottom:20px;min-width:60px;height:60px;border-radius:30px;border:0;background:var(--c);color:var(--t);gap:8px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483647;display:flex;align-items:center;justify-content:center}
.launcher:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.launcher svg{width:28px;height:28px;fill:var(--t)}
.launcher span.lt{color:var(--t);font-weight:600;font-size:15px;padding-right:6px}
:host([data-text]) .launcher{padding:0 18px}
:host([data-pos="left"]) .launcher,:host([data-pos="left"]) .panel{right:auto;left:20px}
:host([data-pos="left"]) .badge{right:auto;left:-4px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d92d20;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.panel{position:fixed;right:20px;bottom:92px;width:360px;max-width:calc(100vw - 24px);height:520px;max-height:calc(100vh - 110px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;z-index:2147483647}
header{background:var(--c);padding:12px 14px;display:flex;align-items:center;gap:8px}
header *{color:var(--t)}
h2{margin:0;font-size:16px;font-weight:600;flex:1}
.op{font-size:12px;display:block}
.x{background:none;border:0;font-size:22px;line-height:1;cursor:pointer;padding:2px 6px;border-radius:4px}
.status{padding:4px 14px;font-size:12px;background:#fff4e5}
.log{flex:1;overflow-y:auto;margin:0;padding:12px;list-style:none;background:#f6f7f9}
.log li{margin:6px 0;display:flex;flex-direction:column;align-items:flex-start}
.log li.visitor{align-items:flex-end}
.who{font-size:11px;color:#5b6472;margin:0 4px 2px}
.body{margin:0;padding:8px 11px;border-radius:12px;background:#fff;border:1px solid #e2e5ea;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor .body{background:var(--c);border-color:var(--c);color:var(--t)}
.system .body{background:none;border:0;color:#5b6472;font-style:italic}
.pending .body{opacity:.6}
.greet .body{background:#e8f0fe;border-color:#e8f0fe}
.visitor .body a{color:var(--t)}
.at,.seen{font-size:11px;color:#5b6472;margin:2px 4px 0}
.typing{min-height:20px;padding:0 14px;font-size:12px;color:#5b6472;font-style:italic;background:#f6f7f9}
form{display:flex;gap:6px;padding:10px;border-top:1px solid #e2e5ea;background:#fff}
form.leave{flex-direction:column;overflow-y:auto}
label{font-size:12px;color:#5b6472}
input,textarea{width:100%;padding:8px;border:1px solid #c4cad3;border-radius:8px;background:#fff;resize:none}
textarea.msg{flex:1;height:40px}
button.send{background:var(--c);color:var(--t);border:0;border-radius:8px;padding:0 14px;cursor:pointer;font-weight:600}
form.leave button.send{padding:10px}
.notice{margin:0;padding:10px 14px;background:#fff4e5;border-top:1px solid #f3d9a4}
.err{color:#b42318;font-size:12px;min-height:0;margin:0}
@media (max-width:480px){.panel,:host([data-pos]) .panel{top:0;right:0;bottom:0;left:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}}
form.rate{flex-direction:column;align-items:center;width:100%;border:1px solid #e2e5ea;border-radius:12px}
.rq{margin:0;text-align:center}
.stars{display:flex;gap:2px}
.star{background:none;border:0;font-size:26px;line-height:1;cursor:pointer;color:#c4cad3;padding:2px}
.star.on{color:#f5a623}
form.rate .send{padding:8px 14px}
.send:disabled{opacity:.5;cursor:default}
.tr{padding:2px 10px;background:#fff;border-top:1px solid #e2e5ea}
.tr form{padding:4px 0;border:0}
.link{background:none;border:0;color:#1f5fd1;text-decoration:underline;cursor:pointer;padding:4px 0;font-size:12px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.clip{background:none;border:1px solid #c4cad3;border-radius:8px;cursor:pointer;font-size:18px;padding:0 8px}
.body img{display:block;max-width:100%;height:auto;border-radius:8px}
.file{display:inline-flex;gap:6px;color:inherit}
.visitor .file small{color:#fff}
small{font-size:11px;color:#5b6472;white-space:nowrap}
`;

  // --- build the widget ---
  const host = h("div", { id: "chatserver-livechat", "data-state": "loading" });
  const root = host.attachShadow({ mode: "open" });
  const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z");
  icon.append(path);

  const badge = h("span", { class: "badge", "data-testid": "lc-badge", hidden: true });
  const launcher = h(
    "button",
    { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "p", "aria-label": T("open"), "data-testid": "lc-launcher" },
    icon,
    h("span", { class: "lt", "data-testid": "lc-launcher-text", hidden: true }),
    badge,
  );
  const opName = h("span", { class: "op", "data-testid": "lc-operator", hidden: true });
  const closeBtn = h("button", { class: "x", type: "button", "aria-label": T("close"), "data-testid": "lc-close", text: "×" });
  const status = h("p", { class: "status", role: "status", "data-testid": "lc-status", hidden: true });
  // A list that announces what is added (aria-live), not role="log": that role would take
  // the list's meaning from its items (axe: listitem).
  const log = h("ol", { class: "log", "aria-live": "polite", "aria-label": T("messages"), "data-testid": "lc-messages" });
  const greeting = h("p", { class: "body", text: T("greeting") });
  const greet = h("li", { class: "greet operator", "data-testid": "lc-greeting" }, greeting);
  log.append(greet);
  const resolvedNote = h("li", { class: "system", "data-testid": "lc-resolved" }, h("p", { class: "body", text: T("resolved") }));
  const typing = h("div", { class: "typing", "aria-live": "polite", "data-testid": "lc-typing" });

  // Rating (CSAT) below the "closed" line of a resolved chat, until the visitor rated it.
  let score = 0;
  const stars = [1, 2, 3, 4, 5].map((n) =>
    h("button", { type: "button", class: "star", "aria-label": T("stars", { n }), "aria-pressed": "false", "data-testid": `lc-rate-${n}`, text: "★", onclick: () => pick(n) }),
  );
  const rateText = h("textarea", { rows: 2, maxlength: 1000, placeholder: T("rateComment"), "aria-label": T("rateComment"), "data-testid": "lc-rate-comment" });
  const rateErr = h("p", { class: "err", role: "alert" });
  const rateSend = h("button", { class: "send", type: "submit", disabled: true, "data-testid": "lc-rate-send", text: T("rateSend") });
  const rateForm = h("form", { class: "rate", "data-testid": "lc-rate" },
    h("p", { class: "rq", text: t("rateQuestion") }), h("div", { class: "stars", role: "group", "aria-label": t("rateQuestion") }, stars), rateText, rateErr, rateSend);
  const rated = h("p", { class: "body", "data-testid": "lc-rated", text: T("rated") });
  const rateItem = h("li", { class: "system" }, rateForm, rated);
  /** @param {number} n */
  function pick(n) {
    score = n;
    stars.forEach((b, i) => {
      b.classList.toggle("on", i < n);
      b.setAttribute("aria-pressed", String(i + 1 === n));
    });
    rateSend.disabled = !n;
  }
  rateForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!score) return;
    rateSend.disabled = true;
    request("livechat.rate", { score, comment: rateText.value.trim() || undefined }).then(
      (ack) => {
        S.conv = ack.conversation || S.conv;
        render();
      },
      (err) => {
        rateErr.textContent = t("failed", { m: err.message });
        rateSend.disabled = false;
      },
    );
  });

  const input = h("textarea", { class: "msg", id: "m", rows: 1, placeholder: T("placeholder"), maxlength: 4000, "data-testid": "lc-input" });
  const sendErr = h("p", { class: "err", role: "alert", "data-testid": "lc-error" });
  const composer = h(
    "form",
    { "data-testid": "lc-composer", hidden: true },
    h("label", { class: "sr", for: "m", text: T("input") }),
    input,
    h("button", { class: "clip", type: "button", title: T("attach"), "aria-label": T("attach"), "data-testid": "lc-attach", onclick: () => picker.click() }, "📎"),
    h("button", { class: "send", type: "submit", "data-testid": "lc-send", text: T("send") }),
  );
  const picker = h("input", { type: "file", class: "sr", tabindex: -1, "aria-hidden": "true", "data-testid": "lc-file-input" });
  composer.append(picker);

  /**
   * @param {string} id
   * @param {Label} label
   * @param {"input" | "textarea"} [tag]
   * @param {Record<string, unknown>} [extra]
   * @returns {[HTMLLabelElement, HTMLInputElement | HTMLTextAreaElement]}
   */
  const field = (id, label, tag = "input", extra = {}) => {
    const f = h(tag, { id, name: id, "data-testid": `lc-leave-${id}`, ...extra });
    return [h("label", { for: id, text: label }), f];
  };
  const [lName, fName] = field("name", T("name"), "input", { autocomplete: "name" });
  const [lEmail, fEmail] = field("email", T("email"), "input", { type: "email", autocomplete: "email" });
  const [lPhone, fPhone] = field("phone", T("phone"), "input", { type: "tel", autocomplete: "tel" });
  const [lBody, fBody] = field("body", T("message"), "textarea", { rows: 3, maxlength: 4000 });
  const leaveErr = h("p", { class: "err", role: "alert", "data-testid": "lc-leave-error" });
  const leaveSend = h("button", { class: "send", type: "submit", "data-testid": "lc-leave-send", text: T("leave") });
  const leaveForm = h(
    "form",
    { class: "leave", "data-testid": "lc-leave-form", hidden: true, novalidate: true },
    lName, fName, lEmail, fEmail, lPhone, fPhone, lBody, fBody, leaveErr, leaveSend,
  );
  // The site's pre-chat form is the same form: only the fields it asks, then the first question.
  /** @type {Record<string, [HTMLLabelElement, HTMLInputElement | HTMLTextAreaElement]>} */
  const asked = { name: [lName, fName], email: [lEmail, fEmail], phone: [lPhone, fPhone] };
  /** @param {boolean} pre */
  function preForm(pre) {
    const f = pre ? S.pre.fields : { name: "required", email: "required", phone: "optional" };
    for (const [k, [l, i]] of Object.entries(asked)) {
      l.hidden = i.hidden = !f[k];
      l.textContent = (k === "phone" ? t("tel") : t(k)) + (f[k] === "optional" ? t("opt") : "");
      i.toggleAttribute("required", f[k] === "required");
    }
    lBody.textContent = t(pre ? "question" : "message");
    leaveSend.textContent = t(pre ? "start" : "leave");
  }
  const notice = h("p", { class: "notice", role: "status", "data-testid": "lc-notice", hidden: true });

  // "Send me the transcript": once there are messages, to the address they give (the one
  // they left prefilled); the server sends their own chat only, a few times an hour.
  const trEmail = h("input", { type: "email", id: "te", autocomplete: "email", maxlength: 254, "data-testid": "lc-transcript-email" });
  const trSend = h("button", { class: "send", type: "submit", "data-testid": "lc-transcript-send", text: T("send") });
  const trForm = h("form", { hidden: true, novalidate: true, "data-testid": "lc-transcript-form" }, h("label", { class: "sr", for: "te", text: T("email") }), trEmail, trSend);
  const trMsg = h("p", { class: "err", role: "status", "data-testid": "lc-transcript-status" });
  const trBtn = h("button", { class: "link", type: "button", "aria-expanded": "false", "data-testid": "lc-transcript", text: T("transcript") });
  const trBar = h("div", { class: "tr", hidden: true }, trBtn, trForm, trMsg);
  trBtn.addEventListener("click", () => {
    trForm.hidden = !trForm.hidden;
    trBtn.setAttribute("aria-expanded", String(!trForm.hidden));
    trMsg.textContent = "";
    if (!trForm.hidden) {
      trEmail.value = trEmail.value || (S.conv && S.conv.visitor && S.conv.visitor.email) || fEmail.value.trim();
      trEmail.focus();
    }
  });
  trForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const email = trEmail.value.trim();
    /** @param {string} text @param {boolean} [ok] */
    const say = (text, ok) => {
      trMsg.textContent = text;
      trMsg.style.color = ok ? "#1d2430" : "";
    };
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return say(t("badEmail"));
    trSend.disabled = true;
    request("livechat.transcript", { email }).then(
      (ack) => {
        trForm.hidden = true;
        trBtn.setAttribute("aria-expanded", "false");
        say(t("transcriptSent", { email: ack.to || email }), true);
      },
      (err) => say(err.code === "rate_limited" ? t("tooOften") : err.code === "invalid_value" ? t("badEmail") : t("failed", { m: err.message })),
    ).finally(() => (trSend.disabled = false));
  });

  const panel = h(
    "div",
    { class: "panel", id: "p", role: "dialog", "aria-label": T("title"), "data-testid": "lc-panel", hidden: true },
    h("header", {}, h("div", { style: "flex:1" }, h("h2", { text: T("title") }), opName), closeBtn),
    status,
    log,
    typing,
    notice,
    sendErr,
    trBar,
    composer,
    leaveForm,
  );
  root.append(h("style", { text: CSS }), launcher, panel);

  // --- state ---
  /** @type {State} */
  const S = {
    token: store("localStorage", "token"),
    open: !!store("sessionStorage", "open"),
    online: 0,
    conv: null,
    unread: 0,
    ready: false,
    loaded: false,
    left: false,
    unavailable: false,
    busy: false,
    started: false, // a visit succeeded on this page
  };
  const shown = new Map(); // message id or "c:"+client_msg_id -> li

  /** @param {string} s */
  const setState = (s) => host.setAttribute("data-state", s);
  /** @param {string} text */
  const showStatus = (text) => {
    status.textContent = text || "";
    status.hidden = !text;
  };

  /** @param {number} n */
  function setUnread(n) {
    S.unread = n;
    badge.textContent = n > 99 ? "99+" : String(n);
    badge.hidden = n === 0;
    // The launcher's own text first, so what is seen is what a screen reader names.
    const open = S.lt ? `${S.lt}, ${t("open")}` : t("open");
    launcher.setAttribute("aria-label", n ? `${open} (${t("unread", { n })})` : open);
  }

  /**
   * @param {boolean} open
   * @param {boolean} [focus]
   */
  function setOpen(open, focus = true) {
    S.open = open;
    store("sessionStorage", "open", open ? 1 : null);
    panel.hidden = !open;
    launcher.setAttribute("aria-expanded", String(open));
    if (open) {
      setUnread(0);
      log.scrollTop = log.scrollHeight;
      if (focus) (composer.hidden ? (leaveForm.hidden ? closeBtn : /** @type {HTMLElement} */ (leaveForm.querySelector("input:not([hidden]),textarea"))) : input).focus();
    } else if (focus) launcher.focus();
  }

  function render() {
    if (S.busy) {
      setState("busy");
      composer.hidden = leaveForm.hidden = trBar.hidden = true;
      notice.textContent = t("busy");
      notice.hidden = false;
      return;
    }
    if (S.unavailable) {
      setState("unavailable");
      composer.hidden = leaveForm.hidden = trBar.hidden = true;
      notice.textContent = t("unavailable");
      notice.hidden = false;
      return;
    }
    // Only an active chat has someone on the other side; a resolved or queued one has not.
    const op = S.conv && S.conv.state === "active" && S.conv.operator;
    opName.textContent = op ? t("chattingWith", { name: op.name }) : "";
    opName.hidden = !op;
    // Closed by the operator: say so below the last message (gone when the visitor writes again).
    if (S.conv && S.conv.state === "resolved") {
      if (log.lastChild !== rateItem) {
        log.append(resolvedNote, rateItem);
        log.scrollTop = log.scrollHeight;
      }
      rateForm.hidden = !!S.conv.rating;
      rated.hidden = !S.conv.rating;
    } else {
      resolvedNote.remove();
      rateItem.remove();
      if (score) pick(0);
      rateText.value = "";
    }
    // Outside business hours the away text and the form, even with operators online.
    const hrs = S.hours || {}, closed = hrs.open === false, idle = !(S.conv && S.conv.state === "active");
    const offline = idle && (S.online === 0 || closed);
    const pre = (S.isPre = !offline && !!S.pre && !S.conv);
    preForm(pre);
    composer.hidden = offline || pre;
    leaveForm.hidden = !(offline || pre) || S.left;
    notice.hidden = !offline && !pre;
    const at = hrs.opens_at && new Date(hrs.opens_at).toLocaleString(LANG, { weekday: "long", hour: "2-digit", minute: "2-digit" });
    const away = closed ? [hrs.away || t("closed"), at ? t("opens", { at }) : ""].join(" ").trim() : t("offline");
    notice.textContent = offline ? (S.left ? t("thanks") : away) : pre ? t("pre") : "";
    trBar.hidden = !shown.size;
    setState(offline ? (closed ? "closed" : "offline") : "ready");
  }

  /**
   * @param {Json | undefined} m a message (or the visitor's own before its ack: no id yet)
   * @param {{pending?: boolean}} [options]
   */
  function addMessage(m, { pending = false } = {}) {
    if (!m) return;
    const key = m.id != null ? String(m.id) : `c:${m.client_msg_id}`;
    let li = shown.get(key) || (m.client_msg_id && shown.get(`c:${m.client_msg_id}`));
    const fresh = !li;
    if (!li) {
      li = h("li", { "data-testid": "lc-message" }, h("span", { class: "who" }), h("p", { class: "body", "data-testid": "lc-message-body" }), h("time", { class: "at", "data-testid": "lc-message-time" }));
      // Keep the order of ids: a replay or history fills in before later messages.
      const after = m.id != null && [.../** @type {HTMLCollectionOf<HTMLElement>} */ (log.children)].find((x) => x.dataset.id && Number(x.dataset.id) > m.id);
      log.insertBefore(li, after || null);
    }
    li.className = `${m.sender || "visitor"}${pending ? " pending" : ""}`;
    li.setAttribute("data-sender", m.sender || "visitor");
    if (m.id != null) li.dataset.id = m.id;
    const [who, body, at] = li.children;
    who.textContent = m.sender === "visitor" ? t("you") : m.sender_name || "";
    const f = m.kind === "file" && m.meta && m.meta.file;
    if (!f) linkify(body, m.body);
    else if (!body.dataset.file) fileView(body, f);
    if (m.created_at) {
      at.dateTime = m.created_at;
      at.textContent = new Date(m.created_at).toLocaleTimeString(LANG, { hour: "2-digit", minute: "2-digit" });
    }
    if (fresh && S.loaded && m.sender === "visitor" && S.conv) S.conv.seen = false; // a new line is unread
    if (m.client_msg_id) shown.set(`c:${m.client_msg_id}`, li);
    if (m.id != null) shown.set(String(m.id), li);
    trBar.hidden = false;
    if (fresh && !pending && m.sender !== "visitor" && (!S.open || document.hidden) && S.loaded) setUnread(S.unread + 1);
    showSeen();
    log.scrollTop = log.scrollHeight;
  }

  // A sent file (docs/files.md): an image as its thumbnail, another file as a download link
  // with its name and size; the links are the server's signed ones, made for this visitor.
  /**
   * @param {HTMLElement} body
   * @param {Json} f the message's meta.file: id, name, size, image, width
   */
  function fileView(body, f) {
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
    rest("GET", `/api/files/${f.id}`).then((d) => {
      a.href = ORIGIN + d.url;
      if (img) img.src = ORIGIN + d.thumb_url;
    }, () => {});
  }

  // Send a file the visitor chose, pasted or dropped: its bytes as the body.
  /** @param {File} file */
  async function sendFile(file) {
    const name = file.name || `image.${(file.type.split("/")[1] || "png").replace("jpeg", "jpg")}`;
    sendErr.textContent = t("sending", { n: name });
    const q = new URLSearchParams({ name, client_msg_id: uid() });
    try {
      const r = await fetch(`${ORIGIN}/api/livechat/visitor/files?${q}`, {
        method: "POST", body: file, credentials: "omit",
        headers: { Authorization: `Bearer ${S.token}`, "Content-Type": "application/octet-stream" },
      });
      const data = await r.json().catch(() => ({}));
      const e = data.error;
      if (e) {
        const c = e.code;
        const m = c === "file_too_large" ? t("tooBig", { mb: e.details.megabytes }) : /^file_(type|content)/.test(c) ? t("badType") : /^image_/.test(c) ? t("badImage") : e.message;
        throw new Error(m);
      }
      sendErr.textContent = "";
      if (data.conversation) S.conv = data.conversation;
      addMessage(data.message);
      render();
    } catch (err) {
      sendErr.textContent = t("notSent", { n: name, m: /** @type {Error} */ (err).message });
    }
  }
  /**
   * @param {FileList | File[] | null | undefined} list
   * @param {Event} [e]
   */
  const sendFiles = (list, e) => {
    if (!list || !list.length) return;
    e && e.preventDefault();
    for (const file of list) sendFile(file);
  };
  picker.addEventListener("change", () => {
    sendFiles([...(picker.files || [])]);
    picker.value = "";
  });
  input.addEventListener("paste", (e) => sendFiles(e.clipboardData && e.clipboardData.files, e));
  panel.addEventListener("dragover", (e) => e.preventDefault());
  panel.addEventListener("drop", (e) => sendFiles(e.dataTransfer && e.dataTransfer.files, e));

  // "Seen" under the visitor's last line once an operator read it (livechat.read).
  const seen = h("p", { class: "seen", "data-testid": "lc-seen" });
  function showSeen() {
    const last = [.../** @type {NodeListOf<HTMLElement>} */ (log.querySelectorAll("li[data-id]"))].pop();
    seen.textContent = t("seen");
    if (last && last.dataset.sender === "visitor" && S.conv && S.conv.seen) last.append(seen);
    else seen.remove();
  }

  // --- REST to the chat server (cross-origin) ---
  // The visit is a "simple" cross-origin request (text/plain body, no Authorization), so no
  // preflight stands between it and the server's Origin check; the server reads JSON anyway.
  /**
   * @param {string} method
   * @param {string} p
   * @param {Record<string, unknown>} [body]
   * @returns {Promise<Json>}
   */
  async function rest(method, p, body) {
    /** @type {Record<string, string>} */
    const headers = {};
    if (body) headers["Content-Type"] = "text/plain;charset=UTF-8";
    else if (S.token) headers.Authorization = `Bearer ${S.token}`;
    const r = await fetch(ORIGIN + p, { method, headers, body: body && JSON.stringify(body), credentials: "omit" });
    const data = await r.json().catch(() => ({}));
    if (!r.ok) {
      const retry = Number(r.headers.get("Retry-After")) || 0;
      throw Object.assign(new Error((data.error && data.error.message) || r.statusText), { status: r.status, retry });
    }
    return data;
  }

  async function loadHistory() {
    try {
      const data = await rest("GET", "/api/livechat/visitor/conversation");
      if (data.conversation) S.conv = data.conversation;
      for (const m of data.messages || []) addMessage(m);
      render();
      showSeen();
    } catch (err) {
      if (/** @type {RestError} */ (err).status === 401) return restart();
    } finally {
      S.loaded = true;
    }
  }

  // --- the WebSocket: the shared socket (a one-use ticket, hello with last seq/epoch, acks,
  // dedupe by seq, reconnect with backoff, ping), its position per tab under this site's key ---
  /** @type {Socket | null} */
  let sock = null;
  let retryTimer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined); // the visit's retries
  let attempt = 0;

  function connect() {
    if (!S.token || (sock && sock.token === S.token)) return;
    if (sock) sock.stop();
    sock = new Socket({
      token: S.token,
      owner: S.token,
      origin: ORIGIN,
      streamKey: `${KEY}:stream`,
      // 4001/4009 (or a 401 on the ticket): the token was refused, so a new visitor session;
      // 1008: this page is refused, later on.
      fatal: [4001, 4009, 1008],
      onEvent: receive,
      onState: (state) => {
        S.ready = state === "online";
        showStatus(state === "reconnecting" ? t("reconnecting") : "");
      },
      onHello: (ack) => {
        if (!S.loaded || ack.resync) loadHistory();
      },
      onFatal: (code) => {
        S.ready = false;
        sock = null;
        if (code !== 1008) return restart();
        S.unavailable = true;
        render();
      },
    });
    sock.start();
  }

  /**
   * @param {string} type
   * @param {Record<string, unknown>} [data]
   * @param {boolean} [retry] resent after a reconnect (idempotent requests only)
   * @returns {Promise<Json>}
   */
  const request = (type, data = {}, retry = false) =>
    sock ? sock.request(type, data, { retry }) : Promise.reject(new Error("not connected"));

  let typingTimer = /** @type {ReturnType<typeof setTimeout> | undefined} */ (undefined);
  /** @param {EventFrame} f */
  function receive(f) {
    const d = f.data || {};
    if (f.type === "livechat.message") {
      addMessage(d.message);
      if (d.message && d.message.sender === "operator") showTyping(false);
    } else if (f.type === "livechat.updated") {
      S.conv = d.conversation || S.conv;
      render();
      showSeen();
    } else if (f.type === "livechat.read") {
      if (S.conv) S.conv.seen = true;
      showSeen();
    } else if (f.type === "livechat.typing") {
      showTyping(d.typing, d.name);
    } else if (f.type === "livechat.operators") {
      S.online = d.operators_online || 0;
      render();
    }
  }

  /**
   * @param {boolean} on
   * @param {string} [name]
   */
  function showTyping(on, name) {
    clearTimeout(typingTimer);
    typing.textContent = on ? t("typing", { name: name || (S.conv && S.conv.operator && S.conv.operator.name) || t("someone") }) : "";
    if (on) typingTimer = setTimeout(() => showTyping(false), 8000);
  }

  // --- the session: visit with the saved token, then the socket ---
  let restarts = 0;
  let busyTries = 0;
  async function start() {
    try {
      const data = await rest("POST", "/api/livechat/visit", {
        site_id: SITE,
        token: S.token || undefined,
        url: location.href,
        referrer: document.referrer,
        language: navigator.languages ? navigator.languages.join(",") : navigator.language,
      });
      if (data.token !== S.token) {
        S.token = data.token;
        store("localStorage", "token", S.token);
      }
      apply(data);
      if (!S.started) proactive(data.proactive || []);
      S.unavailable = S.busy = false;
      busyTries = 0;
      S.started = true;
      host.removeAttribute("data-refused");
      render();
      connect();
    } catch (err) {
      const e = /** @type {RestError} */ (err);
      const status = e.status || 0;
      if (status === 429) {
        // Busy (many new visitors from this address), not refused: wait and try again,
        // longer each time, at least as long as the server asks.
        S.busy = true;
        render();
        const base = Math.min(60000, 2000 * 2 ** busyTries++);
        retryTimer = setTimeout(start, Math.max((e.retry || 0) * 1000, base / 2 + Math.random() * (base / 2)));
        return;
      }
      S.busy = false;
      // Refused (403 origin, 404 site), or a refusal the browser hides behind CORS. Never
      // started on this page: show nothing at all (no launcher, no greeting) rather than
      // a chat that cannot be used; a session that worked before says so in its panel.
      S.unavailable = true;
      if (!S.started) host.setAttribute("data-refused", "");
      render();
      // The server may only be down: try again now and then; a refusal stays a refusal.
      if (!(status >= 400 && status < 500)) retryTimer = setTimeout(start, Math.min(60000, 2000 * 2 ** attempt++));
    }
  }

  // What a visit answers (or the console's preview sends): the conversation, who is online,
  // the hours, greeting, pre-chat form, and the site's look and language.
  /** @param {Json} data */
  function apply(data) {
    setLook(data.look || {});
    S.conv = data.conversation || null;
    S.online = data.operators_online || 0;
    S.hours = data.hours;
    clearTimeout(S.opensTimer);
    // Open again at opens_at: back to the live chat without a reload (timers cap at ~24 days).
    const wait = data.hours && data.hours.opens_at && Date.parse(data.hours.opens_at) - Date.now();
    if (wait > 0 && wait < 2e9) S.opensTimer = setTimeout(() => { S.hours.open = true; render(); }, wait);
    if (data.greeting) greeting.textContent = data.greeting;
    S.pre = data.prechat;
  }

  // Text on the site's colour: black or white, whichever contrasts more (WCAG luminance);
  // the better of the two is always at least 4.58:1, so any colour stays readable.
  /** @param {string} hex */
  const luminance = (hex) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  /** @param {Json} look */
  function setLook(look) {
    const c = /^#[0-9a-f]{6}$/i.test(look.colour || "") ? look.colour : "#1f5fd1";
    const l = luminance(c);
    host.style.setProperty("--c", c);
    host.style.setProperty("--t", 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#fff" : "#000");
    host.setAttribute("data-pos", look.position === "left" ? "left" : "right");
    if ((look.language === "nl" || look.language === "en") && look.language !== LANG) {
      LANG = look.language;
      if (!spoken) try { localStorage.setItem(`${KEY}:lang`, LANG); } catch { /* blocked: asked again next page */ }
      for (const [n, k, key, p] of labels) k === "text" ? (n.textContent = t(key, p)) : n.setAttribute(k, t(key, p));
    }
    host.lang = LANG;
    S.lt = look.launcher || "";
    const lt = /** @type {HTMLElement} */ (launcher.querySelector(".lt"));
    lt.textContent = S.lt || "";
    lt.hidden = !S.lt;
    host.toggleAttribute("data-text", !!S.lt);
    setUnread(S.unread);
  }

  function restart() {
    // The token was refused (expired, revoked): start a new visitor session, once.
    if (restarts++ > 2) {
      S.unavailable = true;
      return render();
    }
    S.token = null;
    store("localStorage", "token", null);
    store("sessionStorage", "stream", null);
    const old = sock;
    sock = null;
    if (old) old.stop();
    start();
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
  /** @param {{url: string, seconds: number, message: string}[]} rules */
  function proactive(rules) {
    const r = rules.find((x) => glob(x.url, location.pathname));
    if (r) setTimeout(() => {
      if (S.conv || S.closed || shown.size || S.unavailable) return;
      log.append(h("li", { class: "greet operator", "data-testid": "lc-proactive" }, h("p", { class: "body", text: r.message })));
      setOpen(true, false);
    }, r.seconds * 1000);
  }

  const uid = () => (crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2));

  // --- events ---
  launcher.addEventListener("click", () => setOpen(!S.open));
  closeBtn.addEventListener("click", () => setOpen(!(S.closed = true)));
  root.addEventListener("keydown", (ev) => {
    const e = /** @type {KeyboardEvent} */ (ev);
    if (e.key === "Escape" && S.open) {
      e.stopPropagation();
      setOpen(!(S.closed = true));
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && S.open) setUnread(0);
  });

  let typingSent = 0;
  let idleTimer = 0;
  /** @param {boolean} on */
  const sendTyping = (on) => {
    typingSent = on ? Date.now() : 0;
    if (S.ready) request("livechat.typing", { typing: on }).catch(() => {});
  };
  input.addEventListener("input", () => {
    clearTimeout(idleTimer);
    if (!input.value) return typingSent && sendTyping(false);
    if (Date.now() - typingSent > 3000) sendTyping(true);
    idleTimer = setTimeout(() => sendTyping(false), 4000);
  });
  input.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      composer.requestSubmit();
    }
  });
  composer.addEventListener("submit", (e) => {
    e.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    input.value = "";
    sendErr.textContent = "";
    clearTimeout(idleTimer);
    if (typingSent) sendTyping(false);
    const m = { client_msg_id: uid(), body, sender: "visitor" };
    addMessage(m, { pending: true });
    request("livechat.send", { body, client_msg_id: m.client_msg_id }, true).then(
      (ack) => {
        if (ack.conversation) S.conv = ack.conversation;
        addMessage(ack.message || { ...m, id: undefined });
        shown.get(`c:${m.client_msg_id}`).classList.remove("pending");
        render();
        showSeen();
      },
      (err) => {
        if (err.code === "outside_hours") {
          // Closed since the page opened: the offline form, with what they typed in it.
          shown.get(`c:${m.client_msg_id}`).remove();
          shown.delete(`c:${m.client_msg_id}`);
          S.hours = { ...(err.details || {}), open: false };
          fBody.value = body;
          render();
          return;
        }
        sendErr.textContent = t("failed", { m: err.message });
      },
    );
  });
  /** @type {string | null} */
  let leaveId = null; // kept until stored, so a resend after a lost ack is stored once
  leaveForm.addEventListener("submit", (e) => {
    e.preventDefault();
    leaveId = leaveId || uid();
    /** @type {Record<string, string>} */
    const data = { name: fName.value.trim(), email: fEmail.value.trim(), phone: fPhone.value.trim(), body: fBody.value.trim(), client_msg_id: leaveId };
    const pre = S.isPre;
    if (pre) for (const k of Object.keys(asked)) if (!S.pre.fields[k] || !data[k]) delete data[k];
    // The pre-chat form's fields are checked by the server (its refusal names the field).
    if (pre ? !data.body : !data.name || !/.@./.test(data.email) || !data.body) {
      leaveErr.textContent = pre ? t("need", { f: lBody.textContent }) : t("required");
      return;
    }
    leaveErr.textContent = "";
    request(pre ? "livechat.send" : "livechat.leave_message", data, true).then(
      (ack) => {
        leaveId = null;
        S.left = !pre;
        if (ack && ack.conversation) S.conv = ack.conversation;
        if (ack && ack.message) addMessage(ack.message);
        if (pre) fBody.value = "";
        render();
        (pre ? input : closeBtn).focus();
      },
      (err) => {
        const k = err.details && err.details.field, f = asked[k];
        leaveErr.textContent = f && err.code === "missing_field" ? t("need", { f: f[0].textContent }) : k === "email" ? t("badEmail") : t("failed", { m: err.message });
      },
    );
  });

  const mount = () => {
    document.body.append(host);
    if (PREVIEW) return preview();
    setOpen(S.open, false);
    start();
  };
  // The console's preview (/console/preview, framed by the console): no visit, no socket;
  // the unsaved settings come from the console's page by postMessage, same origin only.
  function preview() {
    window.addEventListener("message", (e) => {
      if (e.source !== window.parent || e.origin !== location.origin || !e.data || !e.data.look) return;
      apply(e.data);
      S.started = true;
      render();
      setOpen(true, false);
    });
    window.parent.postMessage({ ready: true }, location.origin);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
