// @ts-check
// The composer: typing notices, sending a message (acked, or the offline form when the
// site closed meanwhile), and sending files chosen, pasted or dropped.
import { uid } from "./context.js";
import { request } from "./connection.js";
import { addMessage, showSeen } from "./messages.js";
import { render } from "./panel.js";

/** @typedef {import("./context.js").Widget} Widget */

/** @param {Widget} w */
export function composer(w) {
  const { S, t, v, shown } = w;
  const { input } = v;
  let typingSent = 0;
  let idleTimer = 0;
  /** @param {boolean} on */
  const sendTyping = (on) => {
    typingSent = on ? Date.now() : 0;
    if (S.ready) request(w, "livechat.typing", { typing: on }).catch(() => {});
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
      v.composer.requestSubmit();
    }
  });
  v.composer.addEventListener("submit", (e) => {
    e.preventDefault();
    const body = input.value.trim();
    if (!body) return;
    input.value = "";
    v.sendErr.textContent = "";
    clearTimeout(idleTimer);
    if (typingSent) sendTyping(false);
    const m = { client_msg_id: uid(), body, sender: "visitor" };
    addMessage(w, m, { pending: true });
    request(w, "livechat.send", { body, client_msg_id: m.client_msg_id }, true).then(
      (ack) => {
        if (ack.conversation) S.conv = ack.conversation;
        addMessage(w, ack.message || { ...m, id: undefined });
        shown.get(`c:${m.client_msg_id}`)?.classList.remove("pending");
        render(w);
        showSeen(w);
      },
      (err) => {
        if (err.code === "outside_hours") {
          // Closed since the page opened: the offline form, with what they typed in it.
          shown.get(`c:${m.client_msg_id}`)?.remove();
          shown.delete(`c:${m.client_msg_id}`);
          S.hours = { ...(err.details || {}), open: false };
          v.fBody.value = body;
          render(w);
          return;
        }
        v.sendErr.textContent = t("failed", { m: err.message });
      },
    );
  });

  /**
   * @param {FileList | File[] | null | undefined} list
   * @param {Event} [e]
   */
  const sendFiles = (list, e) => {
    if (!list || !list.length) return;
    e && e.preventDefault();
    for (const file of list) sendFile(w, file);
  };
  v.picker.addEventListener("change", () => {
    sendFiles([...(v.picker.files || [])]);
    v.picker.value = "";
  });
  input.addEventListener("paste", (e) => sendFiles(e.clipboardData && e.clipboardData.files, e));
  v.panel.addEventListener("dragover", (e) => e.preventDefault());
  v.panel.addEventListener("drop", (e) => sendFiles(e.dataTransfer && e.dataTransfer.files, e));
}

// A file the visitor chose, pasted or dropped: its bytes as the body.
/**
 * @param {Widget} w
 * @param {File} file
 */
async function sendFile(w, file) {
  const { S, t, v } = w;
  const name = file.name || `image.${(file.type.split("/")[1] || "png").replace("jpeg", "jpg")}`;
  v.sendErr.textContent = t("sending", { n: name });
  const q = new URLSearchParams({ name, client_msg_id: uid() });
  try {
    const r = await fetch(`${w.page.origin}/api/livechat/visitor/files?${q}`, {
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
    v.sendErr.textContent = "";
    if (data.conversation) S.conv = data.conversation;
    addMessage(w, data.message);
    render(w);
  } catch (err) {
    v.sendErr.textContent = t("notSent", { n: name, m: /** @type {Error} */ (err).message });
  }
}
