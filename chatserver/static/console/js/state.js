// @ts-check
// The console's state in one place, and a tiny emitter so each view redraws what it shows.
import { createEmitter } from "../../shared/emitter.js";
import { lang } from "./i18n.js";

export const { on, emit } = createEmitter();

/**
 * A visitor as a conversation names them.
 * @typedef {object} Visitor
 * @property {string} [name]
 * @property {string} [email]
 * @property {string} [phone]
 * @property {Record<string, string>} [alias] a friendly name per language, when they gave none
 * @property {Record<string, string>} [suggested] the visitor's own values where an operator entered others
 * @property {string} [browser]
 * @property {string} [ip]
 * @property {string} [language]
 * @property {string} [url]
 * @property {string} [referrer]
 * @property {string} [user_agent]
 */
/**
 * A live-chat conversation (the server's, merged with later updates).
 * @typedef {object} LiveConversation
 * @property {number} id
 * @property {string} [state] "queued", "active", "resolved", ...
 * @property {string} [created_at]
 * @property {{id: number, name: string} | null} [operator]
 * @property {Visitor} [visitor]
 * @property {{id?: number, name: string} | null} [site]
 * @property {string} [first_message]
 * @property {number[]} [label_ids]
 * @property {{score: number, comment?: string} | null} [rating] the visitor's rating of the chat
 * @property {LiveMessage} [last_message]
 * @property {string} [resolved_at]
 */
/**
 * A message or a note (kind "note") of a live chat.
 * @typedef {object} LiveMessage
 * @property {number} [id]
 * @property {number} conversation_id
 * @property {string} [sender] "visitor", "operator", "system"
 * @property {string} [sender_name]
 * @property {string} [author_name] a note's
 * @property {string} body
 * @property {string} [kind] "text", "file", "note"
 * @property {{file?: import("../../shared/files.js").FileMeta}} [meta]
 * @property {string} [created_at]
 * @property {string} [client_msg_id]
 */
/**
 * A site the widget runs on, with its settings.
 * @typedef {object} Site
 * @property {number} id
 * @property {string} name
 * @property {string[]} origins
 * @property {{nl?: string, en?: string}} [greeting]
 * @property {{colour?: string, position?: string, launcher?: {nl?: string, en?: string}, language?: string}} [look] the widget's
 * @property {string} [snippet] the script tag to put on the site
 * @property {{fields?: Record<string, string>}} [prechat] the pre-chat form: field -> "optional" or "required"
 * @property {{url: string, seconds: number, message: {nl?: string, en?: string}}[]} [proactive]
 * @property {Hours} [hours] business hours, none when always open
 */
/**
 * A site's business hours.
 * @typedef {object} Hours
 * @property {string} [zone]
 * @property {Record<string, string[][]>} [weekly] day ("mon") -> [from, to] ranges
 * @property {string[]} [holidays] dates
 * @property {{nl?: string, en?: string}} [away] the text shown when closed
 */
/**
 * A canned response.
 * @typedef {{id: number, scope: "organisation" | "personal", shortcut: string, text: string}} Canned
 */
/**
 * @typedef {object} ConsoleState
 * @property {{id: number, name: string, username?: string, role?: string} | null} me
 * @property {boolean} online own availability
 * @property {Map<number, LiveConversation>} conversations incoming, active, and whatever was opened
 * @property {Map<number, Map<string | number, LiveMessage>>} messages conversation id -> message id or "c:"+client_msg_id -> message
 * @property {Map<number, number>} unread conversation id -> count seen while not looking at it
 * @property {number[]} tabs conversation ids open as tabs, in order
 * @property {number | null} current conversation id shown in the chat window
 * @property {string} view
 * @property {{id: number, name: string, online: boolean, ratings?: number, avg_rating?: number}[]} operators
 * @property {Record<string, any> | null} overview the overview's figures
 * @property {Site[]} sites
 * @property {Canned[]} canned the organisation's and my own canned responses
 * @property {{id: number, name: string, colour: string}[]} labels the organisation's labels
 * @property {number | null} labelFilter the label id the lists are filtered by, or null
 */
/** @type {ConsoleState} */
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

/**
 * A conversation's messages (and notes, keyed "n:..."), by id or "c:"+client_msg_id.
 * @param {number} id
 * @returns {Map<string | number, LiveMessage>}
 */
export function messagesOf(id) {
  let messages = state.messages.get(id);
  if (!messages) state.messages.set(id, (messages = new Map()));
  return messages;
}

/**
 * @param {LiveConversation | null | undefined} conv
 * @returns {LiveConversation | null} the conversation as kept, with what it says now
 */
export function upsert(conv) {
  if (!conv || conv.id === undefined) return null;
  const old = state.conversations.get(conv.id);
  const merged = old ? { ...old, ...conv, visitor: { ...(old.visitor || {}), ...(conv.visitor || {}) } } : conv;
  state.conversations.set(conv.id, merged);
  return merged;
}

/** @param {string} kind */
export function byState(kind) {
  return [...state.conversations.values()]
    .filter((c) => c.state === kind)
    .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)));
}

/** The name the visitor gave or an operator entered; else their friendly alias
 * (colour + animal) in the console's language. */
/**
 * @param {LiveConversation | null | undefined} conv
 * @param {string} [fallback]
 */
export function visitorName(conv, fallback) {
  const v = (conv && conv.visitor) || {};
  return v.name || (v.alias && (v.alias[lang()] || v.alias.en)) || fallback;
}

/** @param {LiveConversation | null | undefined} conv */
export function isMine(conv) {
  return !!(conv && conv.operator && state.me && conv.operator.id === state.me.id);
}
