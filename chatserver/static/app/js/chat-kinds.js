// @ts-check
// Messages the server writes with a kind other than text (a video call's note, VC-1): the
// server knows no user's language, so it sends the kind and its data (meta) and the app
// says it in its own; ``body`` is the English fallback for clients that do not know the kind.
import { el } from "../../shared/dom.js";
import { fileView } from "../../shared/files.js";
import { lang, t } from "./i18n.js";
import "./chat-i18n.js"; // callMissed, callLasted, fileMessage, imageAlt, downloadFile

/** @typedef {import("./store.js").ChatMessage} ChatMessage */

/** @param {ChatMessage} msg */
export function isCall(msg) {
  return msg.kind === "call" && msg.meta && typeof msg.meta === "object";
}

/**
 * @param {boolean} missed
 * @param {number | string | undefined} seconds
 */
function callText(missed, seconds) {
  if (missed) return t("callMissed");
  const s = Math.max(0, Math.floor(Number(seconds) || 0));
  return t("callLasted", { length: `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}` });
}

/**
 * A sent file's message (docs/files.md): meta.file describes it, body is its name.
 * @param {ChatMessage} msg
 */
export function isFile(msg) {
  return msg.kind === "file" && msg.meta && typeof msg.meta.file === "object" && msg.meta.file !== null;
}

/**
 * A message's text in the user's language: a call note from its data, a file by its name, other messages their body.
 * @param {ChatMessage} msg
 */
export function messageText(msg) {
  const meta = msg.meta || {};
  if (isFile(msg) && meta.file) return t("fileMessage", { name: meta.file.name });
  return isCall(msg) ? callText(Boolean(meta.missed), meta.seconds) : msg.body;
}

const SVG = "http://www.w3.org/2000/svg";

/** A video camera drawn in SVG, hidden from screen readers (they hear the text or the button's
 *  name): an emoji needs a colour-emoji font, and without one the call button showed an
 *  empty box. ``className``: "call-icon" beside a call note's text. */
export function cameraIcon(className = "call-icon") {
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({ class: className, "aria-hidden": "true", focusable: "false",
    viewBox: "0 0 24 24", width: "18", height: "18" })) svg.setAttribute(k, v);
  for (const d of ["M3 6h10a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H3a2 2 0 0 1-2-2V8a2 2 0 0 1 2-2z", "M15 10.5l7-4.5v12l-7-4.5z"]) {
    const path = document.createElementNS(SVG, "path");
    for (const [k, v] of Object.entries({ d, fill: "none", stroke: "currentColor", "stroke-width": "2", "stroke-linejoin": "round" })) {
      path.setAttribute(k, v);
    }
    svg.append(path);
  }
  return svg;
}

/** A call note's icon (beside the text, hidden from screen readers, which hear the text). */
export function callIcon() {
  return cameraIcon("call-icon");
}

/**
 * The body paragraph of a message in the pane: a call note with its icon, or the text.
 * @param {ChatMessage} msg
 */
export function messageBody(msg) {
  const meta = msg.meta || {};
  if (isFile(msg) && meta.file) {
    return el("div", { class: "body file-body", dataset: { testid: "message-body", kind: "file" } }, fileView(meta.file, { t, lang: lang() }));
  }
  if (!isCall(msg)) return el("p", { class: "body", dataset: { testid: "message-body" }, text: msg.body });
  const missed = Boolean(meta.missed);
  return el("p", { class: `body call-note${missed ? " missed" : ""}`,
    dataset: { testid: "message-body", kind: "call", missed: String(missed), seconds: String(meta.seconds || 0) } },
    callIcon(),
    el("span", { class: "call-text", text: callText(missed, meta.seconds) }));
}

/**
 * Say the call notes under ``root`` again in the language just chosen.
 * @param {ParentNode} root
 */
export function relabelNotes(root) {
  for (const p of /** @type {NodeListOf<HTMLElement>} */ (root.querySelectorAll(".call-note"))) {
    /** @type {HTMLElement} */ (p.querySelector(".call-text")).textContent = callText(p.dataset.missed === "true", p.dataset.seconds);
  }
}
