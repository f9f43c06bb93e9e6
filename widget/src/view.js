// @ts-check
// The widget's elements, built once in its Shadow DOM: the launcher, and the panel with the
// messages, the composer, the rating, the offline (or pre-chat) form and the transcript bar.
// Only elements here; what they do is in the modules that add their listeners.
import { CSS } from "./styles.js";

/** @typedef {import("./labels.js").Labels} Labels */
/** @typedef {[HTMLLabelElement, HTMLInputElement | HTMLTextAreaElement]} Field */

/** @param {Labels} l */
export function buildView({ t, T, h }) {
  const host = h("div", { id: "chatserver-livechat", "data-state": "loading" });
  const root = host.attachShadow({ mode: "open" });
  const icon = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", "M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H8l-5 4V5a2 2 0 0 1 1-2z");
  icon.append(path);

  const badge = h("span", { class: "badge", "data-testid": "lc-badge", hidden: true });
  const launcherText = h("span", { class: "lt", "data-testid": "lc-launcher-text", hidden: true });
  const launcher = h(
    "button",
    { class: "launcher", type: "button", "aria-expanded": "false", "aria-controls": "p", "aria-label": T("open"), "data-testid": "lc-launcher" },
    icon,
    launcherText,
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
  // "Seen" under the visitor's last line once an operator read it (livechat.read).
  const seen = h("p", { class: "seen", "data-testid": "lc-seen" });

  // Rating (CSAT) below the "closed" line of a resolved chat, until the visitor rated it.
  const stars = [1, 2, 3, 4, 5].map((n) =>
    h("button", { type: "button", class: "star", "aria-label": T("stars", { n }), "aria-pressed": "false", "data-testid": `lc-rate-${n}`, text: "★" }),
  );
  const rateText = h("textarea", { rows: 2, maxlength: 1000, placeholder: T("rateComment"), "aria-label": T("rateComment"), "data-testid": "lc-rate-comment" });
  const rateErr = h("p", { class: "err", role: "alert" });
  const rateSend = h("button", { class: "send", type: "submit", disabled: true, "data-testid": "lc-rate-send", text: T("rateSend") });
  const rateForm = h("form", { class: "rate", "data-testid": "lc-rate" },
    h("p", { class: "rq", text: t("rateQuestion") }), h("div", { class: "stars", role: "group", "aria-label": t("rateQuestion") }, stars), rateText, rateErr, rateSend);
  const rated = h("p", { class: "body", "data-testid": "lc-rated", text: T("rated") });
  const rateItem = h("li", { class: "system" }, rateForm, rated);

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
   * @param {import("./labels.js").Label} label
   * @param {"input" | "textarea"} [tag]
   * @param {Record<string, unknown>} [extra]
   * @returns {Field}
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
  /** @type {Record<string, Field>} */
  const asked = { name: [lName, fName], email: [lEmail, fEmail], phone: [lPhone, fPhone] };
  const notice = h("p", { class: "notice", role: "status", "data-testid": "lc-notice", hidden: true });

  // "Send me the transcript": once there are messages, to the address they give.
  const trEmail = h("input", { type: "email", id: "te", autocomplete: "email", maxlength: 254, "data-testid": "lc-transcript-email" });
  const trSend = h("button", { class: "send", type: "submit", "data-testid": "lc-transcript-send", text: T("send") });
  const trForm = h("form", { hidden: true, novalidate: true, "data-testid": "lc-transcript-form" }, h("label", { class: "sr", for: "te", text: T("email") }), trEmail, trSend);
  const trMsg = h("p", { class: "err", role: "status", "data-testid": "lc-transcript-status" });
  const trBtn = h("button", { class: "link", type: "button", "aria-expanded": "false", "data-testid": "lc-transcript", text: T("transcript") });
  const trBar = h("div", { class: "tr", hidden: true }, trBtn, trForm, trMsg);

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

  return {
    host, root, launcher, launcherText, badge, panel, opName, closeBtn, status, log, greeting, resolvedNote, typing, seen,
    stars, rateText, rateErr, rateSend, rateForm, rated, rateItem,
    input, sendErr, composer, picker,
    lBody, fName, fEmail, fPhone, fBody, leaveErr, leaveSend, leaveForm, asked, notice,
    trEmail, trSend, trForm, trMsg, trBtn, trBar,
  };
}

/** @typedef {ReturnType<typeof buildView>} View */
