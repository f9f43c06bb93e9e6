// @ts-check
// What the widget's modules share on this page: where it is embedded, its state, its texts
// and elements, the messages shown and the socket. One widget per page (widget.js makes
// sure), so one of these.

/** @typedef {import("../../chatserver/static/shared/socket.js").Socket} Socket */
/** @typedef {Record<string, any>} Json what the server sent (a conversation, a message, hours, a look) */
/** @typedef {Error & {status?: number, retry?: number}} RestError */
/**
 * The widget's state on this page.
 * @typedef {object} State
 * @property {string | null} token the visitor's token (localStorage, shared by the site's tabs)
 * @property {boolean} open the panel is open (sessionStorage: kept while navigating)
 * @property {number} online operators online
 * @property {Json | null} conv the visitor's conversation
 * @property {number} unread
 * @property {boolean} ready the socket said hello
 * @property {boolean} loaded the history came
 * @property {boolean} left a message was left
 * @property {boolean} unavailable refused on this page
 * @property {boolean} busy the visit was refused with 429: trying again
 * @property {boolean} started a visit succeeded on this page
 * @property {number} score the stars picked in the rating form (0: none yet)
 * @property {boolean} [closed] the visitor closed the panel (no proactive message then)
 * @property {boolean} [isPre] the pre-chat form shows
 * @property {any} [pre] the site's pre-chat form (its fields), if it has one
 * @property {any} [hours] business hours: open, opens_at, away
 * @property {ReturnType<typeof setTimeout>} [opensTimer]
 * @property {string} [lt] the launcher's text (the site's look)
 */
/**
 * @typedef {object} Widget
 * @property {import("./page.js").Page} page
 * @property {import("./page.js").Store} store
 * @property {State} S
 * @property {import("./labels.js").Labels["t"]} t
 * @property {import("./labels.js").Labels["h"]} h
 * @property {() => void} relabel
 * @property {import("./view.js").View} v
 * @property {Map<string, HTMLElement>} shown message id or "c:"+client_msg_id -> its li
 * @property {Socket | null} sock
 */

/**
 * @param {import("./page.js").Store} store
 * @returns {State}
 */
export function newState(store) {
  return {
    token: store("localStorage", "token"),
    open: !!store("sessionStorage", "open"),
    online: 0,
    conv: null,
    unread: 0,
    ready: false,
    loaded: false,
    left: false,
    unavailable: false,
    busy: false,
    started: false, // a visit succeeded on this page
    score: 0,
  };
}

/** A fresh client_msg_id. */
export const uid = () => (crypto.randomUUID ? crypto.randomUUID() : Date.now().toString(36) + Math.random().toString(36).slice(2));
