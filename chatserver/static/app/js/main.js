// @ts-check
// Wiring: login, the initial load over REST, the socket, and what each event changes.
import { get, logout, session, sessionHeaders, whenUnauthorized } from "../../shared/api.js";
import { $, announce, toast } from "../../shared/dom.js";
import { applyStatic, errorText, onLangChange, setLang, t } from "./i18n.js";
import { dismiss, notify } from "../../shared/notify.js";
import { forgetUser, openIds } from "./persist.js";
import { Socket } from "../../shared/socket.js";
import { badgeCount, emit, myId, nameOf, on, setStatusOf, state } from "./store.js";
import { initAdd } from "./ui-add.js";
import { chatMarkers, chatMessage, chatTyping, closeAll, initChat, isWatching, openChat, refreshAll } from "./ui-chat.js";
import "./chat-i18n.js";
import { messageText } from "./chat-kinds.js";
import { initDelivery, received } from "./chat-ticks.js";
import { initContacts } from "./ui-contacts.js";
import { initConversations, listTyping } from "./ui-conversations.js";
import { focusStart, initListKeys } from "./ui-focus.js";
import { showLogin } from "./ui-login.js";
import { initPrefs, loadPrefs, settingChanged } from "./ui-prefs.js";
import { initRequests } from "./ui-requests.js";
import { initSms, smsEvent, smsResync, smsSettingChanged, smsStart, smsStop } from "./sms.js";
import { initRecords, recordsStart, recordsStop } from "./records.js";
import { initStatus } from "./ui-status.js";
import { videoHandlers } from "./ui-video.js";

/** @typedef {import("../../shared/socket.js").EventFrame} EventFrame */
/** @typedef {import("./store.js").Person} Person */
/** @typedef {import("./store.js").ContactRequest} ContactRequest */

/** @type {Socket | null} */
let socket = null;
let loaded = false;
/** @type {EventFrame[]} */
let queued = []; // events that arrived while the initial REST load was running

// --- loading state over REST ---------------------------------------------------------

async function loadContacts() {
  const data = await get("/api/contacts");
  state.contacts = new Map(/** @type {Person[]} */ (data.contacts).map((c) => [c.id, c]));
  emit("contacts");
}

async function loadRecent() {
  state.recent = (await get("/api/contacts/recent")).recent;
  emit("recent");
}

async function loadRequests() {
  const data = await get("/api/contact-requests");
  state.incoming = new Map(/** @type {ContactRequest[]} */ (data.incoming).map((r) => [r.id, r]));
  state.outgoing = new Map(/** @type {ContactRequest[]} */ (data.outgoing).map((r) => [r.id, r]));
  emit("requests");
}

async function loadConversations() {
  const data = await get("/api/conversations");
  state.conversations = new Map(
    /** @type {Record<string, any>[]} the server's conversations */ (data.conversations).map((c) => [c.id, {
      id: c.id, withId: c.with ? c.with.id : null, unread: c.unread, last: c.last_message,
      theirRead: c.their_read_message_id, theirDelivered: c.their_delivered_message_id,
    }]),
  );
  // What waited for us while we were away has reached us now: the senders see it delivered.
  for (const conv of state.conversations.values()) {
    if (conv.unread > 0 && conv.last && conv.last.id && conv.last.sender_id !== myId()) received(conv.id, conv.last.id);
  }
  emit("unread");
}

/**
 * The other party's markers in a conversation moved: its ticks and the list follow.
 * @param {number} conversationId
 * @param {{delivered?: number, read?: number}} markers
 */
function theirMarkers(conversationId, { delivered = 0, read = 0 }) {
  const conv = state.conversations.get(conversationId);
  if (conv) {
    conv.theirRead = Math.max(conv.theirRead || 0, read);
    conv.theirDelivered = Math.max(conv.theirDelivered || 0, delivered, conv.theirRead);
    emit("ticks");
  }
  chatMarkers(conversationId, delivered, read);
}

async function loadAll() {
  const me = await get("/api/me");
  state.me = me.user;
  state.status = me.user.status;
  state.settings = { ...me.settings };
  await Promise.all([loadContacts(), loadRecent(), loadRequests(), loadConversations()]);
  emit("status");
}

// --- events --------------------------------------------------------------------------

/**
 * @param {number} conversationId
 * @param {number | null} withId
 * @param {number} unread
 */
function conversationUnread(conversationId, withId, unread) {
  const conv = state.conversations.get(conversationId) || { id: conversationId, withId, unread: 0 };
  conv.unread = unread;
  state.conversations.set(conversationId, conv);
  emit("unread");
}

/**
 * @param {number} userId
 * @param {number} conversationId
 */
function touchRecent(userId, conversationId) {
  const known = state.recent.find((r) => r.id === userId);
  const contact = state.contacts.get(userId);
  const entry = known || { id: userId, name: contact ? contact.name : nameOf(userId), status: contact?.status, conversation_id: conversationId };
  state.recent = [entry, ...state.recent.filter((r) => r.id !== userId)];
  emit("recent");
}

/** @type {Record<string, (data: Record<string, any>, frame: EventFrame) => void>} an event's data as the server sent it */
const handlers = {
  ...videoHandlers,
  "chat.message"(data, frame) {
    /** @type {import("./store.js").ChatMessage & {id: number, conversation_id: number, sender_id: number}} */
    const msg = data.message;
    const mine = msg.sender_id === myId();
    const otherId = msg.sender_id; // the other party's, where it is not mine
    const known = state.conversations.get(msg.conversation_id);
    if (known && (!known.last || (known.last.id || 0) <= msg.id)) known.last = msg;
    if (!mine) {
      conversationUnread(msg.conversation_id, otherId, data.unread);
      touchRecent(otherId, msg.conversation_id);
    } else {
      // Sent from this tab or another device of ours: the other person goes to the top of Recent.
      const conv = state.conversations.get(msg.conversation_id);
      if (conv && conv.withId) touchRecent(conv.withId, msg.conversation_id);
      else loadConversations().then(loadRecent).catch(() => {});
    }
    chatMessage({ message: msg });
    const conv = state.conversations.get(msg.conversation_id);
    if (conv && !conv.last) conv.last = msg;
    // It reached this tab: delivered (a conversation looked at is read instead, which says as much).
    if (!mine && !isWatching(msg.conversation_id)) received(msg.conversation_id, msg.id);
    if (!mine) listTyping(otherId, false);
    else emit("ticks");
    if (!mine && !isWatching(msg.conversation_id)) {
      notify(data.notify, t("newMessageFrom", { name: data.from }), messageText(msg), {
        replay: frame.replay,
        tag: `conv-${msg.conversation_id}`,
        onClick: () => openChat(otherId),
      });
    }
  },
  "chat.read"(data) {
    if (data.user_id === myId()) {
      const conv = state.conversations.get(data.conversation_id);
      if (conv) {
        conv.unread = data.unread;
        emit("unread");
      }
    } else {
      theirMarkers(data.conversation_id, { read: data.message_id });
    }
  },
  "chat.delivered"(data) {
    if (data.user_id !== myId()) theirMarkers(data.conversation_id, { delivered: data.message_id });
  },
  "chat.typing"(data) {
    chatTyping({ user_id: data.user_id, typing: data.typing });
  },
  "presence.changed"(data, frame) {
    setStatusOf(data.user_id, data.status);
    emit("presence");
    notify(data.notify, t("notifyStatus", { name: data.name, status: t(`status_${data.status}`) }), "", {
      replay: frame.replay,
      tag: `presence-${data.user_id}`,
    });
  },
  "presence.self"(data) {
    state.status = data.status;
    emit("status");
  },
  "contact.request"(data, frame) {
    if (data.status !== "pending") return;
    if (data.to.id === myId()) {
      state.incoming.set(data.id, /** @type {ContactRequest} */ (data));
      emit("requests-new", data);
      notify(data.notify, t("notifyRequest", { name: data.from.name }), "", {
        replay: frame.replay,
        tag: `request-${data.id}`,
        onClick: () => $("requests-heading").focus(),
      });
    } else {
      state.outgoing.set(data.id, /** @type {ContactRequest} */ (data));
    }
    emit("requests");
  },
  "contact.accepted"(data, frame) {
    dismiss(`request-${data.id}`);
    state.incoming.delete(data.id);
    state.outgoing.delete(data.id);
    emit("requests");
    loadContacts().catch(() => {});
    if (data.from.id === myId()) {
      const text = t("notifyApproved", { name: data.to.name });
      announce(text);
      notify(data.notify, text, "", { replay: frame.replay, tag: `accepted-${data.id}` });
    }
  },
  "contact.declined"(data) {
    dismiss(`request-${data.id}`);
    state.incoming.delete(data.id);
    emit("requests");
  },
  "contact.removed"() {
    loadContacts().catch(() => {});
  },
  "settings.changed"(data) {
    settingChanged({ name: data.name, value: data.value });
    smsSettingChanged(data);
  },
  "sms.message"(data) {
    smsEvent("sms.message", data);
  },
  "sms.recipient"(data) {
    smsEvent("sms.recipient", data);
  },
};

/** @param {EventFrame} frame */
function onEvent(frame) {
  if (!loaded) {
    queued.push(frame);
    return;
  }
  const handler = handlers[frame.type];
  if (handler) handler(frame.data || {}, frame);
}

/** @param {string} conn the socket's state */
function showConnection(conn) {
  const line = $("conn-state");
  line.dataset.state = conn;
  line.textContent = t(`conn_${conn}`);
}

/** @param {import("../../shared/socket.js").HelloAck & {status?: string}} ack */
async function onHello(ack) {
  state.status = ack.status || state.status;
  emit("status");
  if (ack.resync && loaded) {
    // The server could not replay what we missed: reload everything.
    loaded = false;
    try {
      await loadAll();
      refreshAll();
      smsResync();
    } finally {
      loaded = true;
      flushQueued();
    }
  }
}

function flushQueued() {
  const pending = queued;
  queued = [];
  for (const frame of pending) onEvent(frame);
}

// --- start and stop ------------------------------------------------------------------

/**
 * @param {import("./store.js").Me} user
 * @param {{fromLogin?: boolean}} [options]
 */
async function start(user, { fromLogin = false } = {}) {
  $("login-view").hidden = true;
  $("app-view").hidden = false;
  state.me = user;
  $("me-name").textContent = user.name;
  loaded = false;
  queued = [];
  const live = new Socket({
    headers: sessionHeaders,
    owner: user.id,
    onEvent,
    onState: showConnection,
    onHello,
    onFatal: () => signOut(false),
  });
  socket = live;
  live.start();
  try {
    await loadAll();
    $("me-name").textContent = state.me?.name;
  } catch (err) {
    toast(errorText(err));
  }
  loaded = true;
  flushQueued();
  reopenChats();
  // Just logged in: the keyboard starts in the list, at what is news (not on the page's body).
  if (fromLogin && !state.active) focusStart();
  loadPrefs().catch(() => {});
  smsStart().catch(() => {});
  recordsStart().catch(() => {});
}

/** The conversations open before a reload (or in another tab) open again, the last one in front. */
function reopenChats() {
  const known = (/** @type {number} */ id) => state.contacts.has(id) || state.recent.some((r) => r.id === id);
  for (const id of openIds(myId()).filter(known)) openChat(id, { focus: false });
}

async function signOut(callServer = true) {
  if (!socket && !session.user) return; // already signed out (several requests may fail at once)
  if (socket) socket.stop();
  socket = null;
  closeAll();
  smsStop();
  recordsStop();
  // Logging out (here or in another tab) forgets this user's drafts; an expired login keeps them.
  if (callServer && state.me) forgetUser(myId());
  if (callServer) await logout().catch(() => {});
  // Logged out by hand: the next login (maybe someone else's) starts at the list, not on
  // the screen this user left (an expired login keeps it, to come back to after logging in).
  if (callServer && location.hash.startsWith("#/")) location.hash = "";
  session.clear();
  state.conversations = new Map();
  updateBadge();
  loaded = false;
  showLogin(start);
}

// The favicon with a red dot while something is unread (data: URLs are allowed by the CSP).
const FAVICON = "/static/app/favicon.svg";
const FAVICON_UNREAD = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M5 4h22a3 3 0 0 1 3 3v13a3 3 0 0 1-3 3H13l-7 6v-6H5a3 3 0 0 1-3-3V7a3 3 0 0 1 3-3z" fill="#1f5fbf"/><circle cx="25" cy="8" r="7" fill="#b3261e" stroke="#fff" stroke-width="2"/></svg>',
)}`;

function updateBadge() {
  const badge = $("chat-badge");
  const count = badgeCount();
  // The tab shows it too, as other chat apps do: "(2) Chat" and a dot on the icon.
  document.title = count ? `(${count}) ${t("appName")}` : t("appName");
  const icon = $("favicon");
  const href = count ? FAVICON_UNREAD : FAVICON;
  if (icon && icon.getAttribute("href") !== href) icon.setAttribute("href", href);
  badge.hidden = count === 0;
  badge.textContent = String(count);
  const button = $("chat-toggle");
  button.setAttribute("aria-label", count ? `${t("chat")}: ${t("unreadBadge", { count })}` : t("chat"));
}

function boot() {
  applyStatic(document);
  for (const select of /** @type {NodeListOf<HTMLSelectElement>} */ (document.querySelectorAll("select.lang-select"))) {
    select.addEventListener("change", () => setLang(select.value));
  }
  onLangChange(() => emit("lang"));
  const getSocket = () => socket;
  initContacts();
  initConversations();
  initDelivery(getSocket);
  initListKeys();
  initAdd();
  initRequests();
  initChat(getSocket);
  initStatus(getSocket);
  initPrefs();
  initSms();
  initRecords();
  on("unread", updateBadge);
  on("lang", updateBadge);
  on("lang", () => showConnection($("conn-state").dataset.state || "online"));
  on("reload-contacts", () => {
    loadContacts().catch(() => {});
  });
  $("chat-toggle").addEventListener("click", () => {
    // A phone shows the SMS screen instead of the list: the chat icon leads back to the list.
    if (window.matchMedia("(max-width: 760px)").matches && (!$("sms-view").hidden || !$("records-view").hidden)) {
      location.hash = "";
      $("side-panel").hidden = false;
      $("chat-toggle").setAttribute("aria-expanded", "true");
      return;
    }
    const panel = $("side-panel");
    panel.hidden = !panel.hidden;
    $("chat-toggle").setAttribute("aria-expanded", String(!panel.hidden));
  });
  $("logout").addEventListener("click", () => signOut(true));
  whenUnauthorized(() => signOut(false));
  // Another tab logged out or in as someone (this tab was at the login form).
  session.watch((signedIn) => {
    if (!signedIn) signOut(false);
    else if (!socket) resume();
  });
  resume();
}

/** Start as whoever this browser's session cookie signs in (a new tab, a reload), else the login form. */
async function resume() {
  let user = null;
  try {
    user = await session.load();
  } catch (err) {
    toast(errorText(err));
  }
  if (socket) return; // started meanwhile (a login in this tab)
  if (user) start(user);
  else showLogin(start);
}

boot();
