// @ts-check
// Where keyboard focus goes when the screen changes under it (after login, after answering
// a request), and arrow keys through the rows of the side panel, as in a list box.
import { $ } from "../../shared/dom.js";

const WAIT = 5000; // a wish older than this is dropped: the user has moved on
/** @type {string[] | null} */
let wanted = null; // the data-testids to focus once one is drawn, first first
let wantedAt = 0;

/**
 * Focus an element as soon as it is on the screen (now, or after the next redraw).
 * @param {...(string | null)} testids the first that is drawn gets it
 */
export function focusWhenShown(...testids) {
  wanted = /** @type {string[]} */ (testids.filter(Boolean));
  wantedAt = Date.now();
  focusPending();
}

/** Views call this after drawing: a wanted element that exists now gets the focus. */
export function focusPending() {
  if (!wanted) return;
  if (Date.now() - wantedAt > WAIT) {
    wanted = null;
    return;
  }
  for (const testid of wanted) {
    const node = /** @type {HTMLElement | null} */ (document.querySelector(`[data-testid="${testid}"]`));
    if (node && !node.closest("[hidden]")) {
      wanted = null;
      node.focus();
      return;
    }
  }
}

/** After login: the conversation with something unread, else the newest, else a contact, else "add".
 * Not when the user has already taken the keyboard elsewhere while the lists loaded (the status
 * picker, say): moving it then would leave a half-chosen status applied by the blur. */
export function focusStart() {
  const at = document.activeElement;
  if (at && at !== document.body && !$("login-view").contains(at)) return;
  const panel = $("side-panel");
  const row = panel.querySelector(".conv-row.unread") || panel.querySelector(".conv-row") || panel.querySelector(".person");
  (row || $("add-open")).focus();
}

const ROWS = ".conv-row, .person";

/** @returns {HTMLElement[]} */
function visibleRows() {
  return [.../** @type {NodeListOf<HTMLElement>} */ ($("side-panel").querySelectorAll(ROWS))].filter((n) => n.offsetParent !== null);
}

/** Up and Down (Home, End) move between the conversations and contacts; Tab leaves the list. */
export function initListKeys() {
  $("side-panel").addEventListener("keydown", (/** @type {KeyboardEvent} */ ev) => {
    const row = /** @type {HTMLElement} */ (ev.target);
    if (!["ArrowDown", "ArrowUp", "Home", "End"].includes(ev.key) || !row.matches?.(ROWS)) return;
    const rows = visibleRows();
    const at = rows.indexOf(row);
    /** @type {Record<string, number>} */
    const moves = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: rows.length - 1 };
    const next = moves[ev.key];
    if (next < 0 || next >= rows.length) return;
    ev.preventDefault();
    rows[next].focus();
  });
}
