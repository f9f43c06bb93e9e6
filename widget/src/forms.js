// @ts-check
// The panel's forms other than the composer: the rating of a resolved chat, the offline
// (or pre-chat) form, and "Send me the transcript".
import { uid } from "./context.js";
import { request } from "./connection.js";
import { addMessage } from "./messages.js";
import { pick, render } from "./panel.js";

/** @typedef {import("./context.js").Widget} Widget */

/** @param {Widget} w */
export function rating(w) {
  const { S, t, v } = w;
  v.stars.forEach((b, i) => b.addEventListener("click", () => pick(w, i + 1)));
  v.rateForm.addEventListener("submit", (ev) => {
    ev.preventDefault();
    if (!S.score) return;
    v.rateSend.disabled = true;
    request(w, "livechat.rate", { score: S.score, comment: v.rateText.value.trim() || undefined }).then(
      (ack) => {
        S.conv = ack.conversation || S.conv;
        render(w);
      },
      (err) => {
        v.rateErr.textContent = t("failed", { m: err.message });
        v.rateSend.disabled = false;
      },
    );
  });
}

/** @param {Widget} w */
export function leaveForm(w) {
  const { S, t, v } = w;
  /** @type {string | null} */
  let leaveId = null; // kept until stored, so a resend after a lost ack is stored once
  v.leaveForm.addEventListener("submit", (e) => {
    e.preventDefault();
    leaveId = leaveId || uid();
    /** @type {Record<string, string>} */
    const data = { name: v.fName.value.trim(), email: v.fEmail.value.trim(), phone: v.fPhone.value.trim(), body: v.fBody.value.trim(), client_msg_id: leaveId };
    const pre = S.isPre;
    if (pre) for (const k of Object.keys(v.asked)) if (!S.pre.fields[k] || !data[k]) delete data[k];
    // The pre-chat form's fields are checked by the server (its refusal names the field).
    if (pre ? !data.body : !data.name || !/.@./.test(data.email) || !data.body) {
      v.leaveErr.textContent = pre ? t("need", { f: v.lBody.textContent }) : t("required");
      return;
    }
    v.leaveErr.textContent = "";
    request(w, pre ? "livechat.send" : "livechat.leave_message", data, true).then(
      (ack) => {
        leaveId = null;
        S.left = !pre;
        if (ack && ack.conversation) S.conv = ack.conversation;
        if (ack && ack.message) addMessage(w, ack.message);
        if (pre) v.fBody.value = "";
        render(w);
        (pre ? v.input : v.closeBtn).focus();
      },
      (err) => {
        const k = err.details && err.details.field, f = v.asked[k];
        v.leaveErr.textContent = f && err.code === "missing_field" ? t("need", { f: f[0].textContent }) : k === "email" ? t("badEmail") : t("failed", { m: err.message });
      },
    );
  });
}

// "Send me the transcript": to the address they give (the one they left prefilled); the
// server sends their own chat only, a few times an hour.
/** @param {Widget} w */
export function transcript(w) {
  const { S, t, v } = w;
  v.trBtn.addEventListener("click", () => {
    v.trForm.hidden = !v.trForm.hidden;
    v.trBtn.setAttribute("aria-expanded", String(!v.trForm.hidden));
    v.trMsg.textContent = "";
    if (!v.trForm.hidden) {
      v.trEmail.value = v.trEmail.value || (S.conv && S.conv.visitor && S.conv.visitor.email) || v.fEmail.value.trim();
      v.trEmail.focus();
    }
  });
  v.trForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const email = v.trEmail.value.trim();
    /** @param {string} text @param {boolean} [ok] */
    const say = (text, ok) => {
      v.trMsg.textContent = text;
      v.trMsg.style.color = ok ? "#1d2430" : "";
    };
    if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) return say(t("badEmail"));
    v.trSend.disabled = true;
    request(w, "livechat.transcript", { email }).then(
      (ack) => {
        v.trForm.hidden = true;
        v.trBtn.setAttribute("aria-expanded", "false");
        say(t("transcriptSent", { email: ack.to || email }), true);
      },
      (err) => say(err.code === "rate_limited" ? t("tooOften") : err.code === "invalid_value" ? t("badEmail") : t("failed", { m: err.message })),
    ).finally(() => (v.trSend.disabled = false));
  });
}
