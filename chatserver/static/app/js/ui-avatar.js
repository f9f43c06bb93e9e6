// @ts-check
// Initials avatars with the presence mark on their corner, as Teams and Slack show people.
import { el } from "../../shared/dom.js";
import { presenceDot } from "./ui-presence.js";

// app.css has the colours (.avatar-c0 ... .avatar-c7): the CSP allows no style attributes.
const COLOURS = 8;

/** @param {string | null | undefined} name */
export function initials(name) {
  const words = String(name || "?").replace(/[^\p{L}\p{N} ]/gu, " ").trim().split(/\s+/).filter(Boolean);
  if (!words.length) return "?";
  const first = words[0][0];
  const last = words.length > 1 ? words[words.length - 1][0] : "";
  return (first + last).toUpperCase();
}

/** The avatar of a person: their initials on a colour of their own, the presence mark on its corner. */
/**
 * @param {number} id
 * @param {string} name
 * @param {string | undefined} status
 * @param {string} [dotTestid]
 * @param {{size?: string}} [options]
 */
export function avatar(id, name, status, dotTestid, { size = "" } = {}) {
  const colour = Math.abs(Number(id) || 0) % COLOURS;
  return el("span", { class: `avatar ${size}`.trim() },
    el("span", { class: `initials avatar-c${colour}`, "aria-hidden": "true", text: initials(name) }),
    presenceDot(status, dotTestid));
}
