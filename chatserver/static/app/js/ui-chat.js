// The conversation pane: one open conversation at full height beside the list (the others
// stay open, a click in the list away; on a phone one at a time with a back button).
import { $, clear } from "../../shared/dom.js";
import { errorText } from "./i18n.js";
import { emit, on, state } from "./store.js";
import { everyNewDay } from "./chat-dates.js";
import { ChatWindow } from "./chat-window.js";
import { listTyping } from "./ui-conversations.js";

const windows = new Map(); // user id -> ChatWindow
let recentlyActive = []; // user ids, the last one shown last: closing one shows the one before
let socket = () => null;
// A phone shows one conversation at a time, full screen, with a back button to the list.
const phone = window.matchMedia("(max-width: 760px)");

const pane = {
  socket: () => socket(),
  closed(win, wasActive) {
    if (!wasActive) return;
    const previous = recentlyActive.filter((id) => windows.has(id)).pop();
    activate(previous && !phone.matches ? previous : null);
  },
  removed(win) {
    windows.delete(win.userId);
    recentlyActive = recentlyActive.filter((id) => id !== win.userId);
  },
};

/** Show one conversation in the pane (null: none; the hint is shown instead). */
function activate(userId) {
  state.active = userId;
  if (userId !== null) recentlyActive = [...recentlyActive.filter((id) => id !== userId), userId];
  for (const win of windows.values()) win.node.hidden = win.userId !== userId;
  emit("active");
  windows.get(userId)?.shown();
}

export function openChat(userId, { focus = true, show = true } = {}) {
  // Another screen (SMS) held the main area: the conversation takes it back.
  if (show && location.hash.startsWith("#/")) location.hash = "";
  let win = windows.get(userId);
  if (!win) {
    if (phone.matches) for (const other of [...windows.values()]) other.remove();
    win = new ChatWindow(userId, pane);
    windows.set(userId, win);
    win.node.hidden = true;
    win.open().catch((err) => {
      win.error.textContent = errorText(err);
    });
  }
  const from = document.activeElement?.closest?.("#side-panel [data-testid]");
  if (from) win.opener = from.dataset.testid;
  if (show) activate(userId);
  if (focus) win.input.focus();
  return win;
}

/** The open window of a conversation, if any. */
export function windowFor(conversationId) {
  for (const win of windows.values()) if (win.convId === conversationId) return win;
  return null;
}

export function isWatching(conversationId) {
  const win = windowFor(conversationId);
  return Boolean(win && win.active) && document.visibilityState === "visible";
}

export function chatMessage(data) {
  const msg = data.message;
  const otherId = msg.sender_id === state.me.id ? null : msg.sender_id;
  const win = windowFor(msg.conversation_id) || (otherId ? windows.get(otherId) : null);
  if (!win || win.convId !== msg.conversation_id) return;
  win.receive(msg);
  if (otherId) win.markRead();
}

/** The other party's markers moved (chat.read or chat.delivered). */
export function chatMarkers(conversationId, delivered, read) {
  windowFor(conversationId)?.setTheirs(delivered, read);
}

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

export function initChat(getSocket) {
  socket = getSocket;
  on("open-chat", openChat);
  on("status", () => windows.forEach((w) => w.applyStatus()));
  on("presence", () => windows.forEach((w) => w.applyPresence()));
  on("lang", () => windows.forEach((w) => w.applyLang()));
  everyNewDay(() => windows.forEach((w) => w.decorate())); // "Today" becomes "Yesterday" at midnight
  document.addEventListener("visibilitychange", () => windows.forEach((w) => w.markRead()));
}
