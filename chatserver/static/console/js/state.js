// The console's state in one place, and a tiny emitter so each view redraws what it shows.
import { createEmitter } from "../../shared/emitter.js";
import { lang } from "./i18n.js";

export const { on, emit } = createEmitter();

export const state = {
  me: null, // {id, name, username, role, ...}
  online: false, // own availability
  conversations: new Map(), // id -> conversation (incoming, active, and whatever was opened)
  messages: new Map(), // conversation id -> Map(message id or "c:"+client_msg_id -> message)
  unread: new Map(), // conversation id -> count seen while not looking at it
  tabs: [], // conversation ids open as tabs, in order
  current: null, // conversation id shown in the chat window
  view: "overview",
  operators: [], // [{id, name, online}]
  overview: null,
  sites: [],
  canned: [], // the organisation's and my own canned responses
  labels: [], // the organisation's labels [{id, name, colour}]
  labelFilter: null, // the label id the lists are filtered by, or null
};

/** A conversation's messages (and notes, keyed "n:..."), by id or "c:"+client_msg_id. */
export function messagesOf(id) {
  if (!state.messages.has(id)) state.messages.set(id, new Map());
  return state.messages.get(id);
}

export function upsert(conv) {
  if (!conv || conv.id === undefined) return null;
  const old = state.conversations.get(conv.id);
  const merged = old ? { ...old, ...conv, visitor: { ...(old.visitor || {}), ...(conv.visitor || {}) } } : conv;
  state.conversations.set(conv.id, merged);
  return merged;
}

export function byState(kind) {
  return [...state.conversations.values()]
    .filter((c) => c.state === kind)
    .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
}

/** The name the visitor gave or an operator entered; else their friendly alias
 * (colour + animal) in the console's language. */
export function visitorName(conv, fallback) {
  const v = (conv && conv.visitor) || {};
  return v.name || (v.alias && (v.alias[lang()] || v.alias.en)) || fallback;
}

export function isMine(conv) {
  return !!(conv && conv.operator && state.me && conv.operator.id === state.me.id);
}
