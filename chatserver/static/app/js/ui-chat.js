// Chat windows: history with "load older", live messages, send box, typing, read markers.
import { get, post } from "./api.js";
import { $, announce, clear, el } from "./dom.js";
import { errorText, lang, t } from "./i18n.js";
import { dismiss } from "./notify.js";
import { draftFor, forgetOpen, rememberOpen, saveDraft } from "./persist.js";
import { emit, nameOf, on, state, statusOf } from "./store.js";
import { presenceDot, setDot } from "./ui-presence.js";
import { callButton } from "./ui-video.js";

const PAGE = 30;
const TYPING_SEND_EVERY = 3000; // refresh "typing" this often while the user types
const TYPING_IDLE = 4000; // stop saying "typing" after this long without a key
const TYPING_SHOW = 5000; // hide someone's "typing" when not refreshed within this

const windows = new Map(); // user id -> ChatWindow
let socket = () => null;
// A phone shows one conversation at a time, full screen, with a back button to the list.
const phone = window.matchMedia("(max-width: 760px)");

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

function timeText(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString(lang(), { hour: "2-digit", minute: "2-digit" });
}

class ChatWindow {
  constructor(userId) {
    this.userId = userId;
    this.convId = null;
    this.byId = new Map(); // message id -> li
    this.byClient = new Map(); // client_msg_id -> li (own messages, before and after the ack)
    this.nextBefore = null;
    this.loading = false;
    this.otherRead = 0;
    this.typingSentAt = 0;
    this.build();
  }

  get name() {
    return nameOf(this.userId);
  }

  build() {
    const id = this.userId;
    const headId = `chat-title-${id}`;
    this.dot = presenceDot(statusOf(id), `chat-presence-${id}`);
    this.title = el("h3", { id: headId, text: this.name });
    this.backBtn = el("button", { type: "button", class: "icon-button chat-back", dataset: { testid: `chat-back-${id}` }, onclick: () => this.close() },
      el("span", { "aria-hidden": "true", text: "←" }), el("span", { class: "sr-only", text: t("backToContacts") }));
    this.closeBtn = el("button", { type: "button", class: "icon-button", dataset: { testid: `chat-close-${id}` }, onclick: () => this.close() },
      el("span", { "aria-hidden": "true", text: "×" }), el("span", { class: "sr-only", text: t("closeChat", { name: this.name }) }));
    this.older = el("button", { type: "button", class: "load-older", hidden: true, dataset: { testid: "load-older" }, text: t("loadOlder"), onclick: () => this.loadOlder() });
    // The log is a box around the list: an <ol role="log"> is no list, and its items no items.
    this.list = el("ol", { class: "messages plain", dataset: { testid: "messages" } });
    this.log = el("div", { role: "log", "aria-labelledby": headId }, this.list);
    this.empty = el("p", { class: "muted empty", text: t("noMessages") });
    this.scroller = el("div", { class: "scroller", tabindex: "0", "aria-label": t("chatWith", { name: this.name }) }, this.older, this.empty, this.log);
    this.typingLine = el("p", { class: "typing", "aria-live": "polite", dataset: { testid: "typing" } });
    this.offlineNote = el("p", { class: "notice", dataset: { testid: "offline-note" }, text: t("offlineExplanation") });
    this.input = el("textarea", { id: `chat-input-${id}`, rows: "2", maxlength: "10000", dataset: { testid: "message-input" } });
    this.label = el("label", { for: `chat-input-${id}`, class: "sr-only", text: t("messageTo", { name: this.name }) });
    this.sendBtn = el("button", { type: "submit", dataset: { testid: "send" }, text: t("send") });
    this.error = el("p", { class: "error", role: "alert", dataset: { testid: "send-error" } });
    this.form = el("form", { class: "send-box" }, this.label, this.input, this.sendBtn);
    this.node = el(
      "section",
      { class: "chat-window", "aria-labelledby": headId, dataset: { testid: `chat-window-${id}` } },
      el("header", { class: "chat-head" }, this.backBtn, this.dot, this.title, callButton(id, this.name), this.closeBtn),
      this.scroller,
      this.typingLine,
      this.offlineNote,
      this.error,
      this.form,
    );
    this.form.addEventListener("submit", (ev) => {
      ev.preventDefault();
      this.send();
    });
    this.input.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        this.send();
      }
    });
    this.input.value = draftFor(state.me.id, id);
    this.input.addEventListener("input", () => {
      saveDraft(state.me.id, this.userId, this.input.value);
      this.typed();
    });
    this.node.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") this.close();
    });
    this.scroller.addEventListener("scroll", () => {
      if (this.scroller.scrollTop < 24 && this.nextBefore && !this.loading) this.loadOlder();
    });
    this.applyStatus();
  }

  async open({ focus = true } = {}) {
    $("chat-dock").append(this.node);
    rememberOpen(state.me.id, this.userId);
    if (focus) this.input.focus();
    const conv = await post("/api/conversations", { user_id: this.userId });
    this.convId = conv.id;
    dismiss(`conv-${conv.id}`); // its notice is no longer news
    if (!state.conversations.has(conv.id)) {
      state.conversations.set(conv.id, { id: conv.id, withId: this.userId, unread: 0 });
    }
    await this.fetch(null);
    this.scrollToEnd();
    this.markRead();
  }

  async fetch(before) {
    this.loading = true;
    try {
      const params = new URLSearchParams({ limit: String(PAGE) });
      if (before) params.set("before", String(before));
      const page = await get(`/api/conversations/${this.convId}/messages?${params}`);
      for (const msg of page.messages) this.add(msg);
      this.nextBefore = page.next_before;
      this.older.hidden = !this.nextBefore;
      const marker = page.read_markers?.[String(this.userId)];
      if (marker) this.setOtherRead(marker);
    } finally {
      this.loading = false;
    }
  }

  async loadOlder() {
    if (!this.nextBefore || this.loading) return;
    // Keep what the reader is looking at in place while older messages go in above it.
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    await this.fetch(this.nextBefore);
    this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
  }

  /** Put a message in its place (by id); a message already shown is left alone. */
  add(msg) {
    if (this.byId.has(msg.id)) return false;
    let li = msg.client_msg_id ? this.byClient.get(msg.client_msg_id) : null;
    if (li) {
      li.classList.remove("pending");
    } else {
      li = this.render(msg);
    }
    li.dataset.messageId = String(msg.id);
    this.byId.set(msg.id, li);
    if (msg.sender_id === state.me.id && msg.client_msg_id) this.byClient.set(msg.client_msg_id, li);
    // Insert before the first shown message with a larger id (history can come after live ones).
    let next = null;
    for (const other of this.list.children) {
      const otherId = Number(other.dataset.messageId);
      if (otherId && otherId > msg.id && other !== li) {
        next = other;
        break;
      }
    }
    if (li.parentNode !== this.list || next) this.list.insertBefore(li, next);
    this.empty.hidden = true;
    this.updateReadMarker();
    return true;
  }

  render(msg) {
    const mine = msg.sender_id === state.me.id;
    const who = mine ? t("you") : this.name;
    return el(
      "li",
      { class: `message ${mine ? "mine" : "theirs"}`, dataset: { testid: "message", sender: mine ? "me" : "them" } },
      el("span", { class: "sr-only", text: `${who}: ` }),
      msg.subject ? el("p", { class: "subject", dataset: { testid: "message-subject" }, text: t("subject", { subject: msg.subject }) }) : null,
      el("p", { class: "body", dataset: { testid: "message-body" }, text: msg.body }),
      el("time", { datetime: msg.created_at || "", text: msg.created_at ? timeText(msg.created_at) : "" }),
    );
  }

  /** A message that arrived live (or was replayed). */
  receive(msg) {
    const nearEnd = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 80;
    if (!this.add(msg)) return;
    if (msg.sender_id !== state.me.id) {
      this.showTyping(false);
      announce(`${this.name}: ${msg.body}`);
    }
    if (nearEnd || msg.sender_id === state.me.id) this.scrollToEnd();
  }

  async send() {
    const body = this.input.value.trim();
    if (!body || state.status === "offline") return;
    const ws = socket();
    if (!ws) return;
    const clientId = newClientId();
    const li = this.render({ sender_id: state.me.id, body, subject: "", created_at: "" });
    li.classList.add("pending");
    this.byClient.set(clientId, li);
    this.list.append(li);
    this.empty.hidden = true;
    this.scrollToEnd();
    this.input.value = "";
    saveDraft(state.me.id, this.userId, "");
    this.error.textContent = "";
    this.stopTyping();
    try {
      const ack = await ws.request("chat.send", { to: this.userId, body, client_msg_id: clientId }, { retry: true });
      this.add(ack.message);
      const time = li.querySelector("time");
      time.dateTime = ack.message.created_at;
      time.textContent = timeText(ack.message.created_at);
      emit("sent", { userId: this.userId, message: ack.message });
    } catch (err) {
      li.classList.remove("pending");
      li.classList.add("failed");
      this.byClient.delete(clientId);
      this.error.textContent = t("sendFailed", { message: errorText(err) });
      if (!li.dataset.messageId) {
        this.input.value ||= body;
        saveDraft(state.me.id, this.userId, this.input.value);
      }
    }
  }

  typed() {
    const ws = socket();
    if (!ws || state.status === "offline") return;
    const now = Date.now();
    if (!this.input.value.trim()) {
      this.stopTyping();
      return;
    }
    if (now - this.typingSentAt > TYPING_SEND_EVERY) {
      this.typingSentAt = now;
      ws.request("chat.typing", { to: this.userId, typing: true }).catch(() => {});
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopTyping(), TYPING_IDLE);
  }

  stopTyping() {
    clearTimeout(this.idleTimer);
    if (!this.typingSentAt) return;
    this.typingSentAt = 0;
    socket()?.request("chat.typing", { to: this.userId, typing: false }).catch(() => {});
  }

  showTyping(isTyping) {
    clearTimeout(this.typingTimer);
    this.typingLine.textContent = isTyping ? t("isTyping", { name: this.name }) : "";
    if (isTyping) this.typingTimer = setTimeout(() => this.showTyping(false), TYPING_SHOW);
  }

  setOtherRead(messageId) {
    const nearEnd = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 80;
    this.otherRead = Math.max(this.otherRead, messageId);
    this.updateReadMarker();
    if (nearEnd) this.scrollToEnd();
  }

  /** "Read" under the newest own message the other person has read. */
  updateReadMarker() {
    for (const old of this.list.querySelectorAll(".read-marker")) old.remove();
    let target = null;
    for (const li of this.list.children) {
      const id = Number(li.dataset.messageId);
      if (li.classList.contains("mine") && id && id <= this.otherRead) target = li;
    }
    if (target) target.append(el("span", { class: "read-marker", dataset: { testid: "read-marker" }, text: `✓✓ ${t("read")}` }));
  }

  /** Tell the server the newest message is read, when there is something unread and we are looked at. */
  markRead() {
    const conv = state.conversations.get(this.convId);
    if (!conv || conv.unread <= 0 || document.visibilityState !== "visible") return;
    const ids = [...this.byId.keys()];
    if (!ids.length) return;
    const newest = Math.max(...ids);
    socket()
      ?.request("chat.read", { conversation_id: this.convId, message_id: newest })
      .then((ack) => {
        conv.unread = ack.unread;
        emit("unread");
      })
      .catch(() => {});
  }

  applyStatus() {
    const offline = state.status === "offline";
    this.input.disabled = offline;
    this.sendBtn.disabled = offline;
    this.offlineNote.hidden = !offline;
  }

  applyPresence() {
    setDot(this.dot, statusOf(this.userId));
  }

  applyLang() {
    this.title.textContent = this.name;
    this.closeBtn.lastChild.textContent = t("closeChat", { name: this.name });
    this.backBtn.lastChild.textContent = t("backToContacts");
    this.older.textContent = t("loadOlder");
    this.empty.textContent = t("noMessages");
    this.offlineNote.textContent = t("offlineExplanation");
    this.label.textContent = t("messageTo", { name: this.name });
    this.sendBtn.textContent = t("send");
    this.scroller.setAttribute("aria-label", t("chatWith", { name: this.name }));
    this.applyPresence();
    this.updateReadMarker();
  }

  scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** Closed by the user: it stays closed after a reload (its draft is kept). */
  close() {
    this.remove();
    forgetOpen(state.me.id, this.userId);
    document.querySelector(`[data-testid="contact-${this.userId}"]`)?.focus();
  }

  /** Off the screen without forgetting it was open (logout, expiry). */
  remove() {
    this.stopTyping();
    clearTimeout(this.typingTimer);
    this.node.remove();
    windows.delete(this.userId);
  }
}

export function openChat(userId, { focus = true } = {}) {
  let win = windows.get(userId);
  if (win) {
    if (focus) win.input.focus();
    win.markRead();
    return win;
  }
  if (phone.matches) for (const other of [...windows.values()]) other.close();
  win = new ChatWindow(userId);
  windows.set(userId, win);
  win.open({ focus }).catch((err) => {
    win.error.textContent = errorText(err);
  });
  return win;
}

/** The open window of a conversation, if any. */
export function windowFor(conversationId) {
  for (const win of windows.values()) if (win.convId === conversationId) return win;
  return null;
}

export function isWatching(conversationId) {
  return Boolean(windowFor(conversationId)) && document.visibilityState === "visible";
}

export function chatMessage(data) {
  const msg = data.message;
  const otherId = msg.sender_id === state.me.id ? null : msg.sender_id;
  const win = windowFor(msg.conversation_id) || (otherId ? windows.get(otherId) : null);
  if (!win || win.convId !== msg.conversation_id) return;
  win.receive(msg);
  if (otherId) win.markRead();
}

export function chatRead(data) {
  const win = windowFor(data.conversation_id);
  if (win && data.user_id !== state.me.id) win.setOtherRead(data.message_id);
}

export function chatTyping(data) {
  windows.get(data.user_id)?.showTyping(Boolean(data.typing));
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
}

export function initChat(getSocket) {
  socket = getSocket;
  on("open-chat", openChat);
  on("status", () => windows.forEach((w) => w.applyStatus()));
  on("presence", () => windows.forEach((w) => w.applyPresence()));
  on("lang", () => windows.forEach((w) => w.applyLang()));
  document.addEventListener("visibilitychange", () => windows.forEach((w) => w.markRead()));
}
