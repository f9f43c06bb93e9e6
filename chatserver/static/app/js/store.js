// @ts-check
// The app's state in one place, and a tiny event emitter so each view redraws what it shows.
import { createEmitter } from "../../shared/emitter.js";

export const { on, emit } = createEmitter();

/**
 * The signed-in user (GET /api/me's user).
 * @typedef {{id: number, name: string, username?: string, tenant_id?: number, status?: string, role?: string}} Me
 */
/**
 * A person in a list: a contact, or someone recently chatted with.
 * @typedef {object} Person
 * @property {number} id
 * @property {string} name
 * @property {string} [status]
 * @property {string} [function]
 * @property {string} [tenant]
 * @property {boolean} [external]
 * @property {number} [tenant_id]
 * @property {number} [conversation_id]
 * @property {number} [unread]
 * @property {string} [last_message_at]
 */
/**
 * A contact request, incoming or outgoing.
 * @typedef {{id: number, status?: string, from: Person, to: Person}} ContactRequest
 */
/**
 * A conversation as the app keeps it: with whom, unread count, the last message, and how
 * far the other party has read and received.
 * @typedef {object} Conversation
 * @property {number} id
 * @property {number | null} withId
 * @property {number} unread
 * @property {ChatMessage | null} [last] the last message
 * @property {number} [theirRead]
 * @property {number} [theirDelivered]
 */
/** @typedef {() => import("../../shared/socket.js").Socket | null} GetSocket the live socket, or null */
/**
 * A chat message (the server's), or one's own before its ack (no id yet).
 * @typedef {object} ChatMessage
 * @property {number} [id]
 * @property {number} [conversation_id]
 * @property {number} [sender_id]
 * @property {string} [sender_name]
 * @property {string} body
 * @property {string} [kind] "text", or "call" (a call's note) or "file" (a sent file)
 * @property {{missed?: boolean, seconds?: number, file?: import("../../shared/files.js").FileMeta}} [meta]
 * @property {string} [client_msg_id]
 * @property {string} [created_at]
 */
/**
 * @typedef {object} AppState
 * @property {Me | null} me
 * @property {string} status own chosen status
 * @property {Map<number, Person>} contacts user id -> contact
 * @property {Person[]} recent
 * @property {Map<number, ContactRequest>} incoming request id -> request
 * @property {Map<number, ContactRequest>} outgoing request id -> request
 * @property {Map<number, Conversation>} conversations conversation id -> conversation
 * @property {number | null} active the user id whose conversation the pane shows
 * @property {Record<string, unknown>} settings effective user settings (notify.* among them)
 * @property {{name: string, label: Record<string, string>}[]} catalogue setting descriptions, with their labels per language
 */

/** @type {AppState} */
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

/**
 * The signed-in user's id: the screens that ask are shown signed in only.
 * @returns {number}
 */
export function myId() {
  if (!state.me) throw new Error("not signed in");
  return state.me.id;
}

/**
 * Someone's display name, from whatever list knows them.
 * @param {number} userId
 */
export function nameOf(userId) {
  const c = state.contacts.get(userId) || state.recent.find((r) => r.id === userId);
  return c ? c.name : `#${userId}`;
}

/** @param {number} userId */
export function statusOf(userId) {
  const c = state.contacts.get(userId) || state.recent.find((r) => r.id === userId);
  return c ? c.status || "offline" : "offline";
}

/**
 * @param {number} userId
 * @returns {Conversation | null}
 */
export function conversationWith(userId) {
  for (const conv of state.conversations.values()) if (conv.withId === userId) return conv;
  return null;
}

/** @param {number} userId */
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

/**
 * @param {number} userId
 * @param {string} status
 */
export function setStatusOf(userId, status) {
  const c = state.contacts.get(userId);
  if (c) c.status = status;
  for (const r of state.recent) if (r.id === userId) r.status = status;
}
