// @ts-check
// Showing the widget's state: the launcher's badge, the panel open or closed, and render(),
// which picks what the panel shows (the chat, the rating, the offline or pre-chat form, a
// notice) from the state. Nothing here talks to the server.

/** @typedef {import("./context.js").Widget} Widget */

/**
 * @param {Widget} w
 * @param {string} s
 */
const setState = (w, s) => w.v.host.setAttribute("data-state", s);

/**
 * @param {Widget} w
 * @param {string} text
 */
export const showStatus = (w, text) => {
  w.v.status.textContent = text || "";
  w.v.status.hidden = !text;
};

/**
 * @param {Widget} w
 * @param {number} n
 */
export function setUnread({ S, t, v }, n) {
  S.unread = n;
  v.badge.textContent = n > 99 ? "99+" : String(n);
  v.badge.hidden = n === 0;
  // The launcher's own text first, so what is seen is what a screen reader names.
  const open = S.lt ? `${S.lt}, ${t("open")}` : t("open");
  v.launcher.setAttribute("aria-label", n ? `${open} (${t("unread", { n })})` : open);
}

/**
 * @param {Widget} w
 * @param {boolean} open
 * @param {boolean} [focus]
 */
export function setOpen(w, open, focus = true) {
  const { S, v } = w;
  S.open = open;
  w.store("sessionStorage", "open", open ? 1 : null);
  v.panel.hidden = !open;
  v.launcher.setAttribute("aria-expanded", String(open));
  if (open) {
    setUnread(w, 0);
    v.log.scrollTop = v.log.scrollHeight;
    if (focus) (v.composer.hidden ? (v.leaveForm.hidden ? v.closeBtn : /** @type {HTMLElement} */ (v.leaveForm.querySelector("input:not([hidden]),textarea"))) : v.input).focus();
  } else if (focus) v.launcher.focus();
}

/**
 * The rating's stars: n picked (0: none).
 * @param {Widget} w
 * @param {number} n
 */
export function pick({ S, v }, n) {
  S.score = n;
  v.stars.forEach((b, i) => {
    b.classList.toggle("on", i < n);
    b.setAttribute("aria-pressed", String(i + 1 === n));
  });
  v.rateSend.disabled = !n;
}

/**
 * The offline form, or the site's pre-chat form (its fields, then the first question).
 * @param {Widget} w
 * @param {boolean} pre
 */
function preForm({ S, t, v }, pre) {
  const f = pre ? S.pre.fields : { name: "required", email: "required", phone: "optional" };
  for (const [k, [l, i]] of Object.entries(v.asked)) {
    l.hidden = i.hidden = !f[k];
    l.textContent = (k === "phone" ? t("tel") : t(k)) + (f[k] === "optional" ? t("opt") : "");
    i.toggleAttribute("required", f[k] === "required");
  }
  v.lBody.textContent = t(pre ? "question" : "message");
  v.leaveSend.textContent = t(pre ? "start" : "leave");
}

/** @param {Widget} w */
export function render(w) {
  const { S, t, v } = w;
  // Busy (trying again) or refused: the notice only, its state and text named alike.
  const halted = S.busy ? "busy" : S.unavailable ? "unavailable" : "";
  if (halted) {
    setState(w, halted);
    v.composer.hidden = v.leaveForm.hidden = v.trBar.hidden = true;
    v.notice.textContent = t(halted);
    v.notice.hidden = false;
    return;
  }
  // Only an active chat has someone on the other side; a resolved or queued one has not.
  const op = S.conv && S.conv.state === "active" && S.conv.operator;
  v.opName.textContent = op ? t("chattingWith", { name: op.name }) : "";
  v.opName.hidden = !op;
  // Closed by the operator: say so below the last message (gone when the visitor writes again).
  if (S.conv && S.conv.state === "resolved") {
    if (v.log.lastChild !== v.rateItem) {
      v.log.append(v.resolvedNote, v.rateItem);
      v.log.scrollTop = v.log.scrollHeight;
    }
    v.rateForm.hidden = !!S.conv.rating;
    v.rated.hidden = !S.conv.rating;
  } else {
    v.resolvedNote.remove();
    v.rateItem.remove();
    if (S.score) pick(w, 0);
    v.rateText.value = "";
  }
  // Outside business hours the away text and the form, even with operators online.
  const hrs = S.hours || {}, closed = hrs.open === false, idle = !(S.conv && S.conv.state === "active");
  const offline = idle && (S.online === 0 || closed);
  const pre = (S.isPre = !offline && !!S.pre && !S.conv);
  preForm(w, pre);
  v.composer.hidden = offline || pre;
  v.leaveForm.hidden = !(offline || pre) || S.left;
  v.notice.hidden = !offline && !pre;
  const at = hrs.opens_at && new Date(hrs.opens_at).toLocaleString(w.page.lang, { weekday: "long", hour: "2-digit", minute: "2-digit" });
  const away = closed ? [hrs.away || t("closed"), at ? t("opens", { at }) : ""].join(" ").trim() : t("offline");
  v.notice.textContent = offline ? (S.left ? t("thanks") : away) : pre ? t("pre") : "";
  v.trBar.hidden = !w.shown.size;
  setState(w, offline ? (closed ? "closed" : "offline") : "ready");
}
