// @ts-check
// Files in the console's chat (docs/files.md): an attach button in the reply box, a file
// pasted into it or dropped on the messages, each sent to the visitor as its own message;
// a file message shown as its thumbnail (an image) or a download link with name and size.
import { $, el } from "../../shared/dom.js";
import { fileView, filesOf, sendFile } from "../../shared/files.js";
import { FILE_STRINGS } from "../../shared/files-i18n.js";
import { errorText, extend, lang, t } from "./i18n.js";
import { state } from "./state.js";

extend(FILE_STRINGS);

/** @typedef {import("./state.js").LiveMessage} LiveMessage */

/**
 * The body of a file message in the list (``isFileMessage(m)``).
 * @param {LiveMessage & {meta: {file: import("../../shared/files.js").FileMeta}}} m
 */
export function fileBody(m) {
  return el("div", { class: "body file-body", dataset: { testid: "message-body", kind: "file" } }, fileView(m.meta.file, { t, lang: lang() }));
}

/**
 * @param {LiveMessage} m
 * @returns {m is LiveMessage & {meta: {file: import("../../shared/files.js").FileMeta}}}
 */
export function isFileMessage(m) {
  return m.kind === "file" && !!m.meta && typeof m.meta.file === "object" && m.meta.file !== null;
}

/**
 * Wire the reply box; ``sent(message)`` stores and shows what the server answered.
 * @param {(message: LiveMessage) => void} sent
 */
export function initFiles(sent) {
  const picker = el("input", { type: "file", class: "sr-only", tabindex: "-1", "aria-hidden": "true", dataset: { testid: "file-input" } });
  const label = el("span", { class: "sr-only", "data-i18n": "attachFile", text: t("attachFile") });
  const button = el("button", { type: "button", id: "attach", class: "attach", dataset: { testid: "attach" }, onclick: () => picker.click() },
    el("span", { "aria-hidden": "true", text: "📎" }), label);
  picker.addEventListener("change", () => {
    const files = [...(picker.files || [])];
    picker.value = "";
    send(files, sent);
  });
  const composer = $("composer");
  composer.insertBefore(button, $("composer-send"));
  composer.append(picker);
  $("composer-input").addEventListener("paste", (/** @type {ClipboardEvent} */ ev) => {
    const files = filesOf(ev.clipboardData);
    if (!files.length) return;
    ev.preventDefault();
    send(files, sent);
  });
  const list = $("messages");
  list.addEventListener("dragover", (/** @type {DragEvent} */ ev) => {
    if (ev.dataTransfer && [...ev.dataTransfer.types].includes("Files")) ev.preventDefault();
  });
  list.addEventListener("drop", (/** @type {DragEvent} */ ev) => {
    const files = filesOf(ev.dataTransfer);
    if (!files.length) return;
    ev.preventDefault();
    send(files, sent);
  });
}

/**
 * @param {File[]} files
 * @param {(message: LiveMessage) => void} sent
 */
async function send(files, sent) {
  const id = state.current;
  if (id === null) return;
  const error = $("chat-error");
  for (const file of files) {
    error.textContent = t("sendingFile", { name: file.name || "…" });
    try {
      const data = await sendFile(`/api/livechat/conversations/${id}/files`, file);
      error.textContent = "";
      sent(data.message);
    } catch (err) {
      error.textContent = t("fileRefused", { name: file.name || "…", reason: errorText(err) });
    }
  }
}
