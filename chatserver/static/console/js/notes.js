// @ts-check
// Private notes: the reply box's "Private note" mode, and notes in the conversation's
// timeline, set apart from messages. Notes go to operators only, never to the visitor.
import { post } from "../../shared/api.js";
import { $, el } from "../../shared/dom.js";
import { t, time } from "./i18n.js";
import { messagesOf, state } from "./state.js";

let mode = "reply"; // or "note": the operator's choice
let notesOnly = false; // the chat shown is resolved: notes whatever the choice

export const noteMode = () => notesOnly || mode === "note";

/** @typedef {import("./state.js").LiveMessage} Note a message of kind "note" */

/**
 * Keep a note among the conversation's messages, under its own key ("n:" + id).
 * @param {Note} n
 */
export function storeNote(n) {
  const store = messagesOf(n.conversation_id);
  if (n.client_msg_id) store.delete(`n:c:${n.client_msg_id}`);
  const key = n.id !== undefined && n.id !== null ? `n:${n.id}` : `n:c:${n.client_msg_id}`;
  store.set(key, { ...n, kind: "note" });
}

/** @param {import("./state.js").LiveMessage} n */
export function noteItem(n) {
  const pending = n.id === undefined || n.id === null;
  return el(
    "div",
    { class: `msg note${pending ? " pending" : ""}`, dataset: { testid: "note" } },
    el("span", { class: "who" }, `${t("privateNote")} · ${n.author_name || ""} `, el("time", {}, time(n.created_at))),
    el("p", { class: "body", dataset: { testid: "note-body" } }, n.body),
  );
}

/**
 * Post a note; shown at once, confirmed (or taken back) by the answer.
 * @param {number} id the conversation's
 * @param {string} body
 * @param {string} clientMsgId
 * @param {(err: unknown) => void} onDone null when stored
 */
export function sendNote(id, body, clientMsgId, onDone) {
  const pendingNote = { conversation_id: id, client_msg_id: clientMsgId, body, author_name: state.me?.name };
  storeNote(pendingNote);
  post(`/api/livechat/conversations/${id}/notes`, { body, client_msg_id: clientMsgId }).then(
    (data) => {
      if (data.note) storeNote(data.note);
      onDone(null);
    },
    (err) => {
      messagesOf(id).delete(`n:c:${clientMsgId}`);
      onDone(err);
    },
  );
}

/**
 * The mode buttons; a resolved chat takes notes only.
 * @param {boolean} resolved
 */
export function renderNoteMode(resolved) {
  notesOnly = resolved;
  const shown = noteMode() ? "note" : "reply";
  $("mode-reply").hidden = resolved;
  for (const [id, m] of [["mode-reply", "reply"], ["mode-note", "note"]]) {
    $(id).setAttribute("aria-pressed", String(shown === m));
  }
  $("composer").dataset.mode = shown;
  $("composer-input").placeholder = t(shown === "note" ? "notePlaceholder" : "replyPlaceholder");
  $("composer-send").textContent = t(shown === "note" ? "addNote" : "send");
}

/** @param {() => void} onChange */
export function initNoteMode(onChange) {
  for (const [id, m] of [["mode-reply", "reply"], ["mode-note", "note"]]) {
    $(id).addEventListener("click", () => {
      mode = m;
      onChange();
      $("composer-input").focus();
    });
  }
}
