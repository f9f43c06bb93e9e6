// @ts-check
// The conversation pane: one open conversation at full height beside the list (the others
// stay open, a click in the list away; on a phone one at a time with a back button).
import { $, clear } from "../../shared/dom.js";
import { errorText } from "./i18n.js";
import { emit, on, state } from "./store.js";
import { everyNewDay } from "./chat-dates.js";
import { ChatWindow } from "./chat-window.js";
import { listTyping } from "./ui-conversations.js";

/** @type {Map<number, ChatWindow>} */
const windows = new Map(); // user id -> ChatWindow
/** @type {number[]} */
let recentlyActive = []; // user ids, the last one shown last: closing one shows the one before
/** @type {import("./store.js").GetSocket} */
let socket = () => null;
// A phone shows one conversation at a time, full screen, with a back button to the list.
const phone = window.matchMedia("(max-width: 760px)");

const pane = {
  socket: () => socket(),
  /**
   * @param {ChatWindow} win
   * @param {boolean} wasActive
   */
  closed(win, wasActive) {
    if (!wasActive) return;
    const previous = recentlyActive.filter((id) => windows.has(id)).pop();
    activate(previous && !phone.matches ? previous : null);
  },
  /** @param {ChatWindow} win */
  removed(win) {
    windows.delete(win.userId);
    recentlyActive = recentlyActive.filter((id) => id !== win.userId);
  },
};

/**
 * Show one conversation in the pane (null: none; the hint is shown instead).
 * @param {number | null} userId
 */
function activate(userId) {
  state.active = userId;
  if (userId !== null) recentlyActive = [...recentlyActive.filter((id) => id !== userId), userId];
  for (const win of windows.values()) win.node.hidden = win.userId !== userId;
  emit("active");
  if (userId !== null) windows.get(userId)?.shown();
}

/**
 * @param {number} userId
 * @param {{focus?: boolean, show?: boolean}} [options]
 */
export function openChat(userId, { focus = true, show = true } = {}) {
  // Another screen (SMS) held the main area: the conversation takes it back.
  if (show && location.hash.startsWith("#/")) location.hash = "";
  let win = windows.get(userId);
  if (!win) {
    if (phone.matches) for (const other of [...windows.values()]) other.remove();
    const opened = new ChatWindow(userId, pane);
    win = opened;
    windows.set(userId, opened);
    opened.node.hidden = true;
    opened.open().catch((err) => {
      opened.error.textContent = errorText(err);
    });
  }
  const from = /** @type {HTMLElement | null | undefined} */ (document.activeElement?.closest?.("#side-panel [data-testid]"));
  if (from) win.opener = from.dataset.testid || null;
  if (show) activate(userId);
  if (focus) win.input.focus();
  return win;
}

/**
 * The open window of a conversation, if any.
 * @param {number} conversationId
 */
export function windowFor(conversationId) {
  for (const win of windows.values()) if (win.convId === conversationId) return win;
  return null;
}

/** @param {number} conversationId */
export function isWatching(conversationId) {
  const win = windowFor(conversationId);
  return Boolean(win && win.active) && document.visibilityState === "visible";
}

/** @param {{message: import("./store.js").ChatMessage & {id: number, conversation_id: number}}} data a chat.message event's */
export function chatMessage(data) {
  const msg = data.message;
  const otherId = msg.sender_id === state.me?.id ? null : msg.sender_id;
  const win = windowFor(msg.conversation_id) || (otherId ? windows.get(otherId) : null);
  if (!win || win.convId !== msg.conversation_id) return;
  win.receive(msg);
  if (otherId) win.markRead();
}

/**
 * The other party's markers moved (chat.read or chat.delivered).
 * @param {number} conversationId
 * @param {number} delivered
 * @param {number} read
 */
export function chatMarkers(conversationId, delivered, read) {
  windowFor(conversationId)?.setTheirs(delivered, read);
}

/** @param {{user_id: number, typing?: boolean}} data a chat.typing event's */
export function chatTyping(data) {
  windows.get(data.user_id)?.showTyping(Boolean(data.typing));
  listTyping(data.user_id, Boolean(data.typing));
}

/** After a resync the server could not replay what we missed: fetch the newest page again. */
export function refreshAll() {
  for (const win of windows.values()) {
    if (win.convId) win.fetch(null).then(() => win.markRead()).catch(() => {});
  }
}

export function closeAll() {
  for (const win of [...windows.values()]) win.remove();
  clear($("chat-dock"));
  state.active = null;
}

/** @param {import("./store.js").GetSocket} getSocket */
export function initChat(getSocket) {
  socket = getSocket;
  on("open-chat", openChat);
  on("status", () => windows.forEach((w) => w.applyStatus()));
  on("presence", () => windows.forEach((w) => w.applyPresence()));
  on("lang", () => windows.forEach((w) => w.applyLang()));
  everyNewDay(() => windows.forEach((w) => w.decorate())); // "Today" becomes "Yesterday" at midnight
  document.addEventListener("visibilitychange", () => windows.forEach((w) => w.markRead()));
}
