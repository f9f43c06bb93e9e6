// @ts-check
// One conversation of the pane (ui-chat.js shows one at a time): its head with the person,
// history with "load older", day separators, sender names where they help, live messages,
// ticks on one's own, the send box, typing, read markers.
import { get, post } from "../../shared/api.js";
import { $, announce, el } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";
import { dismiss } from "../../shared/notify.js";
import { draftFor, forgetOpen, rememberOpen, saveDraft } from "./persist.js";
import { emit, myId, nameOf, state, statusOf } from "./store.js";
import { timeText } from "./chat-dates.js";
import { decorateList, messageItem } from "./chat-messages.js";
import { messageText, relabelNotes } from "./chat-kinds.js";
import { TypingSender } from "./chat-typing.js";
import { avatar } from "./ui-avatar.js";
import { isExternal } from "./ui-conversations.js";
import { setDot } from "./ui-presence.js";
import { callButton } from "./ui-video.js";
import { attachFiles } from "./chat-files.js";

const PAGE = 30;
const TYPING_SHOW = 5000; // hide someone's "typing" when not refreshed within this

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

/**
 * @param {number} userId
 * @returns {import("./store.js").Person | {id: number, name?: undefined, function?: undefined, tenant?: undefined, tenant_id?: undefined}}
 */
function personOf(userId) {
  return state.contacts.get(userId) || state.recent.find((r) => r.id === userId) || { id: userId };
}

/** @typedef {import("./store.js").ChatMessage & {subject?: string}} ChatMessage */
/**
 * What the pane (ui-chat.js) gives its windows.
 * @typedef {object} Pane
 * @property {import("./store.js").GetSocket} socket the live socket, or null
 * @property {(win: ChatWindow, wasActive: boolean) => void} closed
 * @property {(win: ChatWindow) => void} removed
 */

export class ChatWindow {
  /**
   * @param {number} userId whom it is with
   * @param {Pane} pane
   */
  constructor(userId, pane) {
    this.userId = userId;
    this.pane = pane;
    /** @type {number | null} */
    this.convId = null;
    /** @type {Map<number, HTMLElement>} */
    this.byId = new Map(); // message id -> li
    /** @type {Map<string, HTMLElement>} */
    this.byClient = new Map(); // client_msg_id -> li (own messages, before and after the ack)
    /** @type {number | null} */
    this.nextBefore = null;
    this.loading = false;
    this.theirRead = 0;
    this.theirDelivered = 0;
    this.typingOut = new TypingSender(() => pane.socket(), userId);
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.typingTimer = undefined;
    /** @type {string | null} the testid of the list row it was opened from, to go back to */
    this.opener = null;
    // The window's elements.
    const id = this.userId;
    const headId = `chat-title-${id}`;
    const face = avatar(id, this.name, statusOf(id), `chat-presence-${id}`);
    this.dot = /** @type {HTMLElement} */ (face.querySelector(".dot")); // avatar() draws one
    this.title = el("h2", { id: headId, text: this.name });
    this.sub = el("p", { class: "chat-sub", dataset: { testid: `chat-sub-${id}` }, text: this.subText() });
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
      { class: `chat-window${isExternal(personOf(id)) ? " show-names" : ""}`, "aria-labelledby": headId, dataset: { testid: `chat-window-${id}` } },
      el("header", { class: "chat-head" }, this.backBtn, face, el("div", { class: "chat-title" }, this.title, this.sub),
        callButton(id, this.name), this.closeBtn),
      this.scroller, this.typingLine, this.offlineNote, this.error, this.form,
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
    this.input.value = draftFor(myId(), id);
    this.input.addEventListener("input", () => {
      saveDraft(myId(), this.userId, this.input.value);
      this.typingOut.typed(this.input.value);
    });
    this.node.addEventListener("keydown", (ev) => {
      if (ev.key === "Escape") this.close();
    });
    this.scroller.addEventListener("scroll", () => {
      if (this.scroller.scrollTop < 24 && this.nextBefore && !this.loading) this.loadOlder();
    });
    this.files = attachFiles(this);
    this.applyStatus();
  }

  get name() {
    return nameOf(this.userId);
  }

  /** Under the name: the function, and for another organisation's person that organisation. */
  subText() {
    const p = personOf(this.userId);
    const parts = [p.function];
    if (isExternal(p) && p.tenant) parts.push(t("externalOf", { organisation: p.tenant }));
    return parts.filter(Boolean).join(" · ");
  }

  get active() {
    return state.active === this.userId;
  }

  async open() {
    $("chat-dock").append(this.node);
    rememberOpen(myId(), this.userId);
    const conv = await post("/api/conversations", { user_id: this.userId });
    this.convId = conv.id;
    const known = state.conversations.get(conv.id);
    if (!known) state.conversations.set(conv.id, { id: conv.id, withId: this.userId, unread: 0 });
    this.theirRead = Math.max(this.theirRead, known?.theirRead || 0);
    this.theirDelivered = Math.max(this.theirDelivered, known?.theirDelivered || 0);
    await this.fetch(null);
    this.scrollToEnd();
    if (this.active) this.shown();
  }

  /** Brought to the front: its notice is no longer news, and what it shows is read. */
  shown() {
    if (this.convId) dismiss(`conv-${this.convId}`);
    this.scrollToEnd();
    this.markRead();
  }

  /** @param {number | null} before the page before this message id; null: the newest */
  async fetch(before) {
    this.loading = true;
    try {
      const params = new URLSearchParams({ limit: String(PAGE) });
      if (before) params.set("before", String(before));
      const page = await get(`/api/conversations/${this.convId}/messages?${params}`);
      for (const msg of page.messages) this.add(msg, false);
      this.nextBefore = page.next_before;
      this.older.hidden = !this.nextBefore;
      const them = String(this.userId);
      this.setTheirs(page.delivered_markers?.[them] || 0, page.read_markers?.[them] || 0);
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

  /**
   * Put a message in its place (by id); a message already shown is left alone.
   * @param {ChatMessage & {id: number}} msg
   * @param {boolean} [decorate]
   */
  add(msg, decorate = true) {
    if (this.byId.has(msg.id)) return false;
    let li = msg.client_msg_id ? this.byClient.get(msg.client_msg_id) : null;
    if (li) {
      li.classList.remove("pending");
      li.dataset.at = msg.created_at;
    } else {
      li = this.render(msg);
    }
    li.dataset.messageId = String(msg.id);
    this.byId.set(msg.id, li);
    if (msg.sender_id === myId() && msg.client_msg_id) this.byClient.set(msg.client_msg_id, li);
    // Insert before the first shown message with a larger id (history can come after live ones).
    let next = null;
    for (const other of /** @type {HTMLCollectionOf<HTMLElement>} */ (this.list.children)) {
      const otherId = Number(other.dataset.messageId);
      if (otherId && otherId > msg.id && other !== li) {
        next = other;
        break;
      }
    }
    if (li.parentNode !== this.list || next) this.list.insertBefore(li, next);
    this.empty.hidden = true;
    if (decorate) this.decorate();
    return true;
  }

  /** @param {ChatMessage} msg */
  render(msg) {
    return messageItem(msg, this.name, this.theirDelivered, this.theirRead);
  }

  decorate() {
    decorateList(this.list, this.theirDelivered, this.theirRead);
  }

  /**
   * A message that arrived live (or was replayed).
   * @param {ChatMessage & {id: number}} msg
   */
  receive(msg) {
    const nearEnd = this.scroller.scrollHeight - this.scroller.scrollTop - this.scroller.clientHeight < 80;
    if (!this.add(msg)) return;
    if (msg.sender_id !== myId()) {
      this.showTyping(false);
      if (this.active) announce(`${this.name}: ${messageText(msg)}`);
    }
    if (nearEnd || msg.sender_id === myId()) this.scrollToEnd();
  }

  async send() {
    const body = this.input.value.trim();
    if (!body || state.status === "offline") return;
    const ws = this.pane.socket();
    if (!ws) return;
    const clientId = newClientId();
    const li = this.render({ sender_id: myId(), body, subject: "", created_at: "" });
    li.classList.add("pending");
    this.byClient.set(clientId, li);
    this.list.append(li);
    this.empty.hidden = true;
    this.decorate();
    this.scrollToEnd();
    this.input.value = "";
    saveDraft(myId(), this.userId, "");
    this.error.textContent = "";
    this.typingOut.stop();
    try {
      const ack = await ws.request("chat.send", { to: this.userId, body, client_msg_id: clientId }, { retry: true });
      this.add(ack.message);
      const time = li.querySelector("time");
      if (time) {
        time.dateTime = ack.message.created_at;
        time.textContent = timeText(ack.message.created_at);
      }
      emit("sent", { userId: this.userId, message: ack.message });
    } catch (err) {
      li.classList.remove("pending");
      li.classList.add("failed");
      li.querySelector(".ticks")?.remove();
      this.byClient.delete(clientId);
      this.error.textContent = t("sendFailed", { message: errorText(err) });
      if (!li.dataset.messageId) {
        this.input.value ||= body;
        saveDraft(myId(), this.userId, this.input.value);
      }
    }
  }

  /** @param {boolean} isTyping */
  showTyping(isTyping) {
    clearTimeout(this.typingTimer);
    this.typingLine.textContent = isTyping ? t("isTyping", { name: this.name }) : "";
    if (isTyping) this.typingTimer = setTimeout(() => this.showTyping(false), TYPING_SHOW);
  }

  /**
   * The other party's delivered and read markers moved: the ticks follow.
   * @param {number} delivered
   * @param {number} read
   */
  setTheirs(delivered, read) {
    this.theirRead = Math.max(this.theirRead, read);
    this.theirDelivered = Math.max(this.theirDelivered, delivered, this.theirRead);
    this.decorate();
  }

  /** Tell the server the newest message is read, when there is something unread and it is looked at. */
  markRead() {
    const conv = this.convId === null ? undefined : state.conversations.get(this.convId);
    if (!conv || conv.unread <= 0 || !this.active || document.visibilityState !== "visible") return;
    const ids = [...this.byId.keys()];
    if (!ids.length) return;
    this.pane.socket()
      ?.request("chat.read", { conversation_id: this.convId, message_id: Math.max(...ids) })
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
    this.sub.textContent = this.subText();
    /** @type {ChildNode} */ (this.closeBtn.lastChild).textContent = t("closeChat", { name: this.name });
    /** @type {ChildNode} */ (this.backBtn.lastChild).textContent = t("backToContacts");
    this.older.textContent = t("loadOlder");
    this.empty.textContent = t("noMessages");
    this.offlineNote.textContent = t("offlineExplanation");
    this.label.textContent = t("messageTo", { name: this.name });
    this.sendBtn.textContent = t("send");
    this.files.relabel();
    this.scroller.setAttribute("aria-label", t("chatWith", { name: this.name }));
    for (const who of this.list.querySelectorAll(".mine > .sr-only")) who.textContent = `${t("you")}: `;
    relabelNotes(this.list);
    this.applyPresence();
    this.decorate();
  }

  scrollToEnd() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** Closed by the user: it stays closed after a reload (its draft is kept); the one shown before comes back. */
  close() {
    const wasActive = this.active;
    this.remove();
    forgetOpen(myId(), this.userId);
    this.pane.closed(this, wasActive);
    // Back where the user came from (the list row they chose), else this person's row.
    const back = [this.opener, `recent-${this.userId}`, `contact-${this.userId}`].filter(Boolean)
      .map((testid) => /** @type {HTMLElement | null} */ (document.querySelector(`#side-panel [data-testid="${testid}"]`))).find(Boolean);
    back?.focus();
  }

  /** Off the screen without forgetting it was open (logout, expiry). */
  remove() {
    this.typingOut.stop();
    clearTimeout(this.typingTimer);
    this.node.remove();
    this.pane.removed(this);
  }
}
