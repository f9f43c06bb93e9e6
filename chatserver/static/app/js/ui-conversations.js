// @ts-check
// The list of conversations beside the pane (Teams' and Slack's chat list): the person with
// their presence, the last message and its time, the unread count, "typing…" while they type.
import { $, el, redraw } from "../../shared/dom.js";
import { t } from "./i18n.js";
import { everyNewDay, listTime } from "./chat-dates.js";
import { tickState, ticks } from "./chat-ticks.js";
import { callIcon, isCall, messageText } from "./chat-kinds.js";
import { conversationWith, emit, on, state, statusOf } from "./store.js";
import { avatar } from "./ui-avatar.js";

const TYPING_SHOW = 5000;
/** @typedef {import("./store.js").Person} Person */

/** @type {Map<number, ReturnType<typeof setTimeout>>} */
const typing = new Map(); // user id -> timer while they type

/**
 * Someone started or stopped typing to us: the list says so instead of the last message.
 * @param {number} userId
 * @param {boolean} isTyping
 */
export function listTyping(userId, isTyping) {
  clearTimeout(typing.get(userId));
  typing.delete(userId);
  if (isTyping) typing.set(userId, setTimeout(() => listTyping(userId, false), TYPING_SHOW));
  renderConversations();
}

/**
 * What the list knows of a person: the contact if they are one, else the Recent entry.
 * @param {number} userId
 * @returns {Person}
 */
function personOf(userId) {
  return state.contacts.get(userId) || state.recent.find((r) => r.id === userId) || { id: userId, name: `#${userId}` };
}

/** @param {{tenant_id?: number} | null | undefined} person someone of another organisation? */
export function isExternal(person) {
  return Boolean(person && state.me && person.tenant_id && person.tenant_id !== state.me.tenant_id);
}

/**
 * What the row says below the name: the last message (ticks on one's own), or "typing…".
 * @param {Person} person
 * @param {import("./store.js").Conversation | null} conv
 * @returns {{text: string, typing?: boolean, call?: boolean, tick?: import("./chat-ticks.js").TickState}}
 */
function preview(person, conv) {
  if (typing.has(person.id)) return { text: t("typingShort"), typing: true };
  const last = conv && conv.last;
  if (!last) return { text: t("noMessages") };
  const call = isCall(last);
  if (last.sender_id !== state.me?.id) return { text: messageText(last), call };
  const tick = tickState(last.id, conv.theirDelivered || 0, conv.theirRead || 0);
  return { text: t("youSaid", { text: messageText(last) }), tick, call };
}

/** @param {Person} person */
function row(person) {
  const conv = conversationWith(person.id);
  const unread = conv ? conv.unread : 0;
  const said = preview(person, conv);
  const status = statusOf(person.id);
  const when = conv && conv.last ? conv.last.created_at : person.last_message_at;
  const label = [person.name];
  if (isExternal(person) && person.tenant) label.push(person.tenant);
  label.push(t(`status_${status}`));
  if (unread) label.push(t("unreadCount", { count: unread }));
  label.push(said.tick ? `${said.text} (${t(`tick_${said.tick}`)})` : said.text);
  const id = person.id;
  return el("li", {},
    el("button", {
      type: "button", class: `conv-row${unread ? " unread" : ""}`, "aria-current": state.active === id ? "true" : null,
      "aria-label": label.join(", "), dataset: { testid: `recent-${id}`, userId: String(id) },
      onclick: () => emit("open-chat", id),
    },
    avatar(id, person.name, status, `recent-presence-${id}`),
    el("span", { class: "conv-text" },
      el("span", { class: "conv-top" },
        el("span", { class: "person-name", text: person.name }),
        el("span", { class: "conv-time", dataset: { testid: `recent-time-${id}` }, text: listTime(when) })),
      el("span", { class: "conv-bottom" },
        said.tick ? ticks(said.tick) : null,
        said.call ? callIcon() : null,
        el("span", { class: `conv-preview${said.typing ? " is-typing" : ""}${said.tick ? ` tick-${said.tick}` : ""}`,
          dataset: { testid: `recent-preview-${id}` }, text: said.text }),
        unread ? el("span", { class: "count", dataset: { testid: `recent-unread-${id}` }, text: String(unread) }) : null))));
}

export function renderConversations() {
  const people = state.recent.map((r) => personOf(r.id));
  // A conversation opened before its first message is in the list too, at the top.
  if (state.active && !people.some((p) => p.id === state.active)) people.unshift(personOf(state.active));
  redraw($("recent-list"), (list) => {
    for (const person of people) list.append(row(person));
  });
  $("recent-empty").hidden = people.length > 0;
}

export function initConversations() {
  for (const topic of ["recent", "contacts", "presence", "unread", "lang", "active", "ticks"]) on(topic, renderConversations);
  everyNewDay(renderConversations); // an hour of today becomes "Yesterday" at midnight
}
