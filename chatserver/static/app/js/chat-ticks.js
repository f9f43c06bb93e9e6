// @ts-check
// Sent / delivered / read on one's own messages, and telling the server what reached us.
//
// The other party's markers (GET /api/conversations, a history page, chat.delivered and
// chat.read events) decide a message's state: read at or below their read marker,
// delivered at or below their delivered marker, sent once stored, sending before the ack.
import { el } from "../../shared/dom.js";
import { t } from "./i18n.js";

/** @typedef {"pending" | "sent" | "delivered" | "read"} TickState */

const GLYPH = { pending: "🕓", sent: "✓", delivered: "✓✓", read: "✓✓" };

/**
 * @param {number | undefined} messageId none: not acked yet
 * @param {number | undefined} theirDelivered
 * @param {number | undefined} theirRead
 * @returns {TickState}
 */
export function tickState(messageId, theirDelivered, theirRead) {
  if (!messageId) return "pending";
  if (messageId <= (theirRead || 0)) return "read";
  if (messageId <= (theirDelivered || 0)) return "delivered";
  return "sent";
}

/** @param {TickState} state */
export function ticks(state) {
  const node = el("span", { class: "ticks", dataset: { testid: "ticks" } });
  setTicks(node, state);
  return node;
}

/**
 * @param {HTMLElement} node
 * @param {TickState} state
 */
export function setTicks(node, state) {
  if (node.dataset.state === state && node.dataset.lang === t("tick_sent")) return;
  node.dataset.state = state;
  node.dataset.lang = t("tick_sent");
  node.replaceChildren(el("span", { "aria-hidden": "true", text: GLYPH[state] }),
    el("span", { class: "sr-only", text: t(`tick_${state}`) }));
  node.title = t(`tick_${state}`);
}

// Messages that reached this tab, acknowledged per conversation after a short pause: a
// burst of replayed events costs one chat.delivered per conversation, not one per message.
/** @type {Map<number, number>} */
const waiting = new Map(); // conversation id -> newest message id received
/** @type {ReturnType<typeof setTimeout> | null} */
let timer = null;
const RETRY = 3000;
/** @type {import("./store.js").GetSocket} */
let socketOf = () => null;

/** @param {import("./store.js").GetSocket} getSocket */
export function initDelivery(getSocket) {
  socketOf = getSocket;
}

/**
 * @param {number} conversationId
 * @param {number} messageId
 */
export function received(conversationId, messageId) {
  if (messageId <= (waiting.get(conversationId) || 0)) return;
  waiting.set(conversationId, messageId);
  if (!timer) timer = setTimeout(flushDelivered, 250);
}

function flushDelivered() {
  timer = null;
  const ws = socketOf();
  if (!ws) return; // signed out; the next login acknowledges what is unread (main.js)
  for (const [conversationId, messageId] of waiting) {
    ws.request("chat.delivered", { conversation_id: conversationId, message_id: messageId }).catch((err) => {
      // Not connected at that moment: said again shortly (the socket reconnects by itself).
      if (err && err.code === "disconnected") setTimeout(() => received(conversationId, messageId), RETRY);
    });
  }
  waiting.clear();
}
