// The app's state in one place, and a tiny event emitter so each view redraws what it shows.
import { createEmitter } from "../../shared/emitter.js";

export const { on, emit } = createEmitter();

export const state = {
  me: null, // {id, name, username, tenant_id, ...}
  status: "online", // own chosen status
  contacts: new Map(), // user id -> {id, name, function, status, tenant, external}
  recent: [], // [{id, name, status, conversation_id, unread, last_message_at}]
  incoming: new Map(), // request id -> request
  outgoing: new Map(), // request id -> request
  conversations: new Map(), // conversation id -> {id, withId, unread, last, theirRead, theirDelivered}
  active: null, // the user id whose conversation the pane shows
  settings: {}, // effective user settings (notify.* among them)
  catalogue: [], // setting descriptions with labels
};

/** Someone's display name, from whatever list knows them. */
export function nameOf(userId) {
  const c = state.contacts.get(userId) || state.recent.find((r) => r.id === userId);
  return c ? c.name : `#${userId}`;
}

export function statusOf(userId) {
  const c = state.contacts.get(userId) || state.recent.find((r) => r.id === userId);
  return c ? c.status || "offline" : "offline";
}

export function conversationWith(userId) {
  for (const conv of state.conversations.values()) if (conv.withId === userId) return conv;
  return null;
}

export function unreadWith(userId) {
  const conv = conversationWith(userId);
  return conv ? conv.unread : 0;
}

/** The badge on the chat icon: how many conversations have unread messages. */
export function badgeCount() {
  let n = 0;
  for (const conv of state.conversations.values()) if (conv.unread > 0) n += 1;
  return n;
}

export function setStatusOf(userId, status) {
  const c = state.contacts.get(userId);
  if (c) c.status = status;
  for (const r of state.recent) if (r.id === userId) r.status = status;
}
