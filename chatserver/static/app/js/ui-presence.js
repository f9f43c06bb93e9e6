// @ts-check
// A presence mark: green check for online, grey circle for offline, amber for away, red for dnd.
import { el } from "../../shared/dom.js";
import { t } from "./i18n.js";

export const STATUSES = ["online", "away", "dnd", "invisible", "offline"];

/**
 * @param {string | undefined} status
 * @param {string} [testid]
 */
export function presenceDot(status, testid) {
  const shown = status || "offline";
  return el("span", {
    class: `dot dot-${shown}`,
    role: "img",
    "aria-label": t(`status_${shown}`),
    title: t(`status_${shown}`),
    dataset: { status: shown, ...(testid ? { testid } : {}) },
  });
}

/**
 * @param {HTMLElement} node a presenceDot
 * @param {string | undefined} status
 */
export function setDot(node, status) {
  const shown = status || "offline";
  node.className = `dot dot-${shown}`;
  node.dataset.status = shown;
  node.setAttribute("aria-label", t(`status_${shown}`));
  node.title = t(`status_${shown}`);
}
