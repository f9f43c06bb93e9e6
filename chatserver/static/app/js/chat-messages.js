// @ts-check
// One message of the pane, and what the list shows between and beside messages: day
// separators, the sender's name where a run of theirs starts, the ticks on one's own.
import { el } from "../../shared/dom.js";
import { t } from "./i18n.js";
import { dayKey, dayLabel, timeText } from "./chat-dates.js";
import { setTicks, tickState, ticks } from "./chat-ticks.js";
import { state } from "./store.js";
import { messageBody } from "./chat-kinds.js";

/**
 * @param {import("./store.js").ChatMessage & {subject?: string}} msg
 * @param {string} theirName
 * @param {number | undefined} theirDelivered the last of ours they received
 * @param {number | undefined} theirRead the last of ours they read
 */
export function messageItem(msg, theirName, theirDelivered, theirRead) {
  const mine = msg.sender_id === state.me?.id;
  return el(
    "li",
    { class: `message ${mine ? "mine" : "theirs"}`, dataset: { testid: "message", sender: mine ? "me" : "them", at: msg.created_at || "" } },
    // A screen reader hears who said it; the eye sees the name only where it helps (.show-names).
    el("span", { class: mine ? "sr-only" : "sender", dataset: { testid: "message-sender" }, text: mine ? `${t("you")}: ` : theirName }),
    msg.subject ? el("p", { class: "subject", dataset: { testid: "message-subject" }, text: t("subject", { subject: msg.subject }) }) : null,
    messageBody(msg),
    el("p", { class: "meta" }, el("time", { datetime: msg.created_at || "", text: timeText(msg.created_at) }),
      mine ? ticks(tickState(msg.id, theirDelivered, theirRead)) : null),
  );
}

/**
 * Day separators (Today, Yesterday, a date), where a run of one sender starts, and the ticks.
 * @param {HTMLElement} list
 * @param {number | undefined} theirDelivered
 * @param {number | undefined} theirRead
 */
export function decorateList(list, theirDelivered, theirRead) {
  for (const old of list.querySelectorAll(".day")) old.remove();
  /** @type {string | null} */
  let day = null;
  /** @type {string | null | undefined} */
  let sender = null;
  for (const li of /** @type {HTMLElement[]} */ ([...list.children])) {
    const key = dayKey(li.dataset.at);
    if (key !== day) {
      list.insertBefore(el("li", { class: "day", dataset: { testid: "day-separator" } },
        el("span", { text: dayLabel(li.dataset.at) })), li);
      day = key;
      sender = null;
    }
    li.classList.toggle("first-of-run", li.dataset.sender !== sender);
    sender = li.dataset.sender;
    const mark = /** @type {HTMLElement | null} */ (li.querySelector(".ticks"));
    if (mark && !li.classList.contains("failed")) {
      setTicks(mark, tickState(Number(li.dataset.messageId), theirDelivered, theirRead));
    }
  }
}
