// @ts-check
// The chat window: tabs of open chats, messages, typing, reply, assign/take over/resolve,
// and the visitor panel ("Search"/"Zoeken") with editable name, e-mail, phone.
import { get, post, put } from "../../shared/api.js";
import { $, announce, clear, el, linked, toast } from "../../shared/dom.js";
import { errorText, t, time } from "./i18n.js";
import { renderEarlier } from "./earlier.js";
import { fileBody, initFiles, isFileMessage } from "./files.js";
import { renderChatLabels } from "./labels.js";
import { renderPrivacy } from "./privacy.js";
import { initNoteMode, noteItem, noteMode, renderNoteMode, sendNote, storeNote } from "./notes.js";
import { emit, isMine, messagesOf, state, upsert, visitorName } from "./state.js";

/** @typedef {import("./state.js").LiveConversation} LiveConversation */
/** @typedef {import("./state.js").LiveMessage} LiveMessage */

/** @type {import("../../shared/socket.js").Socket | null} */
let socket = null;

/** @param {import("../../shared/socket.js").Socket | null} s */
export function useSocket(s) {
  socket = s;
}

const uid = () => (crypto.randomUUID ? crypto.randomUUID() : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`);

/**
 * Add messages to a conversation's store; dedupe by id and by client_msg_id.
 * @param {LiveMessage} m
 */
export function storeMessage(m) {
  const store = messagesOf(m.conversation_id);
  if (m.client_msg_id) store.delete(`c:${m.client_msg_id}`);
  store.set(m.id !== undefined && m.id !== null ? m.id : `c:${m.client_msg_id}`, m);
}

/** @param {number} id */
export async function openChat(id) {
  if (!state.tabs.includes(id)) state.tabs.push(id);
  state.current = id;
  state.unread.delete(id);
  emit("view", "chat");
  const before = state.conversations.get(id);
  try {
    const conv = await get(`/api/livechat/conversations/${id}`);
    // Merged, not replaced: a message event that came while this was on its way stays.
    for (const m of conv.messages || []) storeMessage(m);
    for (const n of conv.notes || []) storeNote(n);
    delete conv.messages;
    delete conv.notes;
    // An event or an action (assign, resolve) that changed it while this was on its way
    // is newer than this answer: keep it (upsert makes a new object for every change).
    if (state.conversations.get(id) === before) upsert(conv);
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
  if (state.current === id) renderChat();
  emit("lists");
}

/** @param {number} id */
export function closeTab(id) {
  state.tabs = state.tabs.filter((x) => x !== id);
  if (state.current === id) {
    state.current = state.tabs.at(-1) ?? null;
    if (state.current === null) emit("view", "active");
  }
  renderChat();
  emit("lists");
}

export function renderTabs() {
  const tabs = clear($("chat-tabs"));
  const nav = clear($("nav-chats"));
  for (const id of state.tabs) {
    const conv = state.conversations.get(id);
    const name = visitorName(conv, t("visitor"));
    const unread = state.unread.get(id) || 0;
    const selected = id === state.current;
    tabs.append(
      el(
        "div",
        { class: `tab${selected ? " selected" : ""}`, dataset: { testid: `tab-${id}` } },
        el("button", {
          type: "button", class: "tab-open", "aria-current": selected ? "true" : "false", dataset: { testid: `tab-open-${id}` },
          onclick: () => openChat(id), title: name,
        }, el("span", { class: "name" }, name), unread ? el("span", { class: "count" }, String(unread)) : null),
        el("button", {
          type: "button", class: "tab-close", "aria-label": t("closeTab", { name }), dataset: { testid: `tab-close-${id}` },
          onclick: () => closeTab(id),
        }, "×"),
      ),
    );
    nav.append(
      el("li", {}, el("button", { type: "button", class: selected && state.view === "chat" ? "current" : "", title: name, onclick: () => openChat(id) },
        el("span", { class: "name" }, name), unread ? el("span", { class: "count" }, String(unread)) : null)),
    );
  }
}

export function renderChat() {
  renderTabs();
  const conv = state.current === null ? undefined : state.conversations.get(state.current);
  if (!conv) return;
  const name = visitorName(conv, t("visitor"));
  $("chat-title").textContent = name;
  const chatState = $("chat-state");
  chatState.textContent = t(`st_${conv.state}`);
  chatState.dataset.state = conv.state;
  $("chat-operator").textContent = conv.operator
    ? t("operator", { name: isMine(conv) ? `${conv.operator.name} (${t("you")})` : conv.operator.name })
    : t("unassigned");
  // The visitor's rating (CSAT) of the chat, with their comment.
  const rating = $("chat-rating");
  rating.hidden = !conv.rating;
  if (conv.rating) {
    rating.textContent = t("ratingOf", { score: conv.rating.score }) + (conv.rating.comment ? ` · “${conv.rating.comment}”` : "");
  }
  $("view-chat").dataset.conversation = String(conv.id);
  $("view-chat").dataset.state = conv.state;

  const resolved = conv.state === "resolved";
  $("assign-me").hidden = conv.state !== "incoming";
  $("take-over").hidden = conv.state !== "active" || isMine(conv);
  $("resolve").hidden = resolved;
  $("assign-colleague").hidden = resolved;
  const select = $("assign-to");
  select.hidden = resolved;
  const chosen = select.value;
  clear(select).append(
    el("option", { value: "" }, t("chooseColleague")),
    ...state.operators
      .filter((o) => !state.me || o.id !== state.me.id)
      .map((o) => el("option", { value: String(o.id) }, `${o.name} (${o.online ? t("online") : t("offline")})`)),
  );
  select.value = chosen;
  // A resolved chat is read-only for the visitor; operators can still leave notes.
  renderNoteMode(resolved);
  $("readonly-note").hidden = !resolved;
  renderChatLabels(conv);
  renderPrivacy();
  renderEarlier(conv);
  renderMessages(conv);
  renderVisitor(conv);
}

/** @param {LiveConversation} conv the one shown */
function renderMessages(conv) {
  const list = clear($("messages"));
  // Messages and notes by time (ids are two sequences); what is on its way comes last.
  const at = (/** @type {LiveMessage} */ m) => (m.id === undefined || m.id === null ? Infinity : Date.parse(m.created_at || ""));
  const items = [...messagesOf(conv.id).values()].sort((a, b) => at(a) - at(b) || (a.id ?? 0) - (b.id ?? 0));
  for (const m of items) {
    if (m.kind === "note") {
      list.append(noteItem(m));
      continue;
    }
    list.append(
      el(
        "div",
        { class: `msg ${m.sender}${m.id === undefined || m.id === null ? " pending" : ""}`, dataset: { testid: "message", sender: m.sender } },
        // The visitor's lines carry their name now (or alias, in the console's language).
        el("span", { class: "who" }, m.sender === "visitor" ? visitorName(conv, m.sender_name || t("visitor")) : m.sender_name || "", " ", el("time", {}, time(m.created_at))),
        isFileMessage(m) ? fileBody(m) : el("p", { class: "body", dataset: { testid: "message-body" } }, linked(m.body)),
      ),
    );
  }
  list.scrollTop = list.scrollHeight;
}

/** @param {LiveConversation} conv */
function renderVisitor(conv) {
  const v = conv.visitor || {};
  const form = $("visitor-form");
  if (form.dataset.conversation !== String(conv.id)) {
    // Fill the fields when another chat is shown, not while the operator types.
    form.dataset.conversation = String(conv.id);
    $("v-name").value = v.name || "";
    $("v-email").value = v.email || "";
    $("v-phone").value = v.phone || "";
    $("visitor-saved").textContent = "";
  }
  // The visitor's own values where an operator entered others (a left message): shown
  // beside the field, taken over with one click (then saved with Save).
  for (const field of ["name", "email", "phone"]) {
    const hint = $(`v-${field}-suggestion`);
    const value = (v.suggested || {})[field];
    hint.hidden = !value;
    if (!value) {
      clear(hint);
      continue;
    }
    clear(hint).append(
      el("span", {}, t("visitorGave", { value })),
      " ",
      el("button", {
        type: "button", class: "link", "aria-label": t("useSuggestionFor", { value }),
        dataset: { testid: `visitor-${field}-use` }, onclick: () => {
          $(`v-${field}`).value = value;
          $(`v-${field}`).focus();
        },
      }, t("useSuggestion")),
    );
  }
  /** @type {[string, string | undefined, boolean?][]} */
  const rows = [
    ["website", conv.site ? `${conv.site.name} (ID #${conv.site.id})` : ""],
    ["browser", v.browser],
    ["ip", v.ip],
    ["visitorLanguage", v.language],
    ["url", v.url, true],
    ["referrer", v.referrer, true],
    ["userAgent", v.user_agent],
  ];
  const dl = clear($("visitor-details"));
  for (const [key, value, link] of rows) {
    const text = value || t("none");
    let dd;
    if (link && value && /^https?:\/\//i.test(value)) {
      // Only http(s) becomes a link; the text is the visitor's, set as text.
      dd = el("dd", { dataset: { testid: `visitor-${key}` } }, el("a", { href: value, target: "_blank", rel: "noopener noreferrer" }, value));
    } else {
      dd = el("dd", { dataset: { testid: `visitor-${key}` } }, text);
    }
    dl.append(el("dt", {}, t(key)), dd);
  }
}

/**
 * A livechat.message event: store it, count it unread when not on screen.
 * @param {{message?: LiveMessage}} data
 */
export function messageEvent(data) {
  const m = data.message;
  if (!m) return;
  const known = m.id !== undefined && messagesOf(m.conversation_id).has(m.id);
  storeMessage(m);
  const conv = state.conversations.get(m.conversation_id);
  if (conv) conv.last_message = m;
  const looking = state.current === m.conversation_id && state.view === "chat" && document.visibilityState === "visible";
  if (!known && m.sender === "visitor" && !looking) state.unread.set(m.conversation_id, (state.unread.get(m.conversation_id) || 0) + 1);
  if (state.current === m.conversation_id) {
    if (m.sender === "visitor") showTyping(m.conversation_id, false);
    renderChat();
  }
  if (!known && m.sender === "visitor" && looking) announce(`${visitorName(conv, t("visitor"))}: ${m.body}`);
}

let typingTimer = 0;
/**
 * @param {number} conversationId
 * @param {boolean} typing
 * @param {string} [name] the visitor's, as they typed it
 */
export function showTyping(conversationId, typing, name) {
  if (conversationId !== state.current) return;
  clearTimeout(typingTimer);
  const conv = state.conversations.get(conversationId);
  $("typing").textContent = typing ? t("typing", { name: visitorName(conv, name || t("visitor")) }) : "";
  if (typing) typingTimer = setTimeout(() => showTyping(conversationId, false), 8000);
}

/** @param {() => Promise<LiveConversation | null | undefined>} fn an action: its answer is the conversation as it is now */
async function act(fn) {
  $("chat-error").textContent = "";
  try {
    const conv = await fn();
    if (conv && conv.id !== undefined) upsert(conv);
    renderChat();
    emit("lists");
    emit("changed");
  } catch (err) {
    $("chat-error").textContent = t("failed", { message: errorText(err) });
  }
}

let typingSent = 0;
let idleTimer = 0;
/** @param {boolean} typing */
function sendTyping(typing) {
  typingSent = typing ? Date.now() : 0;
  if (socket && state.current !== null) {
    socket.request("livechat.typing", { conversation_id: state.current, typing }).catch(() => {});
  }
}

export function initChat() {
  initNoteMode(renderChat);
  $("assign-me").addEventListener("click", () => act(() => post(`/api/livechat/conversations/${state.current}/assign`, {})));
  $("take-over").addEventListener("click", () => act(() => post(`/api/livechat/conversations/${state.current}/assign`, {})));
  $("assign-colleague").addEventListener("click", () => {
    const userId = Number($("assign-to").value);
    if (!userId) return $("assign-to").focus();
    act(() => post(`/api/livechat/conversations/${state.current}/assign`, { user_id: userId }));
  });
  const dialog = $("confirm-dialog");
  $("resolve").addEventListener("click", () => {
    dialog.returnValue = "";
    dialog.showModal();
  });
  dialog.addEventListener("close", () => {
    if (dialog.returnValue === "ok") act(() => post(`/api/livechat/conversations/${state.current}/resolve`, {}));
  });

  initFiles((message) => {
    storeMessage(message);
    if (state.current === message.conversation_id) renderChat();
  });
  const input = $("composer-input");
  $("composer").addEventListener("submit", (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    const body = input.value.trim();
    const id = state.current;
    if (!body || id === null) return;
    input.value = "";
    clearTimeout(idleTimer);
    if (typingSent) sendTyping(false);
    if (noteMode()) {
      sendNote(id, body, uid(), (err) => {
        if (err) {
          input.value = body;
          $("chat-error").textContent = t("failed", { message: errorText(err) });
        }
        if (state.current === id) renderChat();
      });
      renderChat();
      return;
    }
    const m = { conversation_id: id, client_msg_id: uid(), body, sender: "operator", sender_name: state.me?.name };
    storeMessage(m);
    renderChat();
    post(`/api/livechat/conversations/${id}/messages`, { body, client_msg_id: m.client_msg_id }).then(
      (data) => {
        if (data.message) storeMessage(data.message);
        if (state.current === id) renderChat();
      },
      (err) => {
        messagesOf(id).delete(`c:${m.client_msg_id}`);
        input.value = body;
        if (state.current === id) renderChat();
        $("chat-error").textContent = t("failed", { message: errorText(err) });
      },
    );
  });
  input.addEventListener("keydown", (/** @type {KeyboardEvent} */ ev) => {
    if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
      ev.preventDefault();
      $("composer").requestSubmit();
    }
  });
  input.addEventListener("input", () => {
    clearTimeout(idleTimer);
    // A note is for colleagues: the visitor does not see "typing" for it.
    if (noteMode()) return;
    if (!input.value) {
      if (typingSent) sendTyping(false);
      return;
    }
    if (Date.now() - typingSent > 3000) sendTyping(true);
    idleTimer = setTimeout(() => sendTyping(false), 4000);
  });

  $("visitor-form").addEventListener("submit", (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    act(async () => {
      const conv = await put(`/api/livechat/conversations/${state.current}/visitor`, {
        name: $("v-name").value.trim(),
        email: $("v-email").value.trim(),
        phone: $("v-phone").value.trim(),
      });
      $("visitor-saved").textContent = t("saved");
      return conv;
    });
  });
}
