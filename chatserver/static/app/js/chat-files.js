// @ts-check
// Files in a conversation of the pane (docs/files.md): an attach button beside Send, and a
// file pasted into the message box or dropped on the window, each sent as its own message.
// The server decides what may be sent; its refusal (too large, a type not allowed) is said
// under the box in the user's language.
import { el } from "../../shared/dom.js";
import { filesOf, sendFile } from "../../shared/files.js";
import { errorText, t } from "./i18n.js";
import "./chat-i18n.js"; // attachFile, sendingFile, fileRefused

/**
 * What of a ChatWindow (chat-window.js) its files use.
 * @typedef {object} FileWindow
 * @property {HTMLTextAreaElement} input the message box
 * @property {HTMLElement} node the window
 * @property {HTMLFormElement} form the send form
 * @property {HTMLElement} sendBtn
 * @property {HTMLElement} error the line under the box
 * @property {number} userId whom it is with
 * @property {number | null} convId
 * @property {(msg: import("./store.js").ChatMessage & {id: number}) => void} receive
 */

/**
 * Give a ChatWindow its attach button, paste and drop; ``win.receive`` shows what was sent.
 * @param {FileWindow} win
 */
export function attachFiles(win) {
  const picker = el("input", { type: "file", class: "sr-only", tabindex: "-1", "aria-hidden": "true", dataset: { testid: "file-input" } });
  const button = el("button", { type: "button", class: "icon-button attach", dataset: { testid: "attach" }, onclick: () => picker.click() },
    el("span", { "aria-hidden": "true", text: "📎" }), el("span", { class: "sr-only", text: t("attachFile") }));
  button.title = t("attachFile");
  picker.addEventListener("change", () => {
    const files = [...(picker.files || [])];
    picker.value = "";
    send(win, files);
  });
  win.input.addEventListener("paste", (/** @type {ClipboardEvent} */ ev) => {
    const files = filesOf(ev.clipboardData);
    if (!files.length) return;
    ev.preventDefault();
    send(win, files);
  });
  win.node.addEventListener("dragover", (/** @type {DragEvent} */ ev) => {
    if (ev.dataTransfer && [...ev.dataTransfer.types].includes("Files")) ev.preventDefault();
  });
  win.node.addEventListener("drop", (/** @type {DragEvent} */ ev) => {
    const files = filesOf(ev.dataTransfer);
    if (!files.length) return;
    ev.preventDefault();
    send(win, files);
  });
  win.form.insertBefore(button, win.sendBtn);
  win.form.append(picker);
  const label = /** @type {HTMLElement} */ (button.lastChild);
  return { relabel: () => { button.title = t("attachFile"); label.textContent = t("attachFile"); } };
}

/**
 * @param {FileWindow} win
 * @param {File[]} files
 */
async function send(win, files) {
  for (const file of files) {
    win.error.textContent = t("sendingFile", { name: file.name || "…" });
    try {
      const data = await sendFile("/api/chat/files", file, { to: String(win.userId) });
      win.error.textContent = "";
      win.convId ??= data.message.conversation_id;
      win.receive(data.message);
    } catch (err) {
      win.error.textContent = t("fileRefused", { name: file.name || "…", reason: errorText(err) });
    }
  }
}
