// @ts-check
// The contact list with presence and unread counts (the conversations are ui-conversations.js).
import { $, el, redraw } from "../../shared/dom.js";
import { t } from "./i18n.js";
import { emit, on, state, unreadWith } from "./store.js";
import { avatar } from "./ui-avatar.js";
import { focusPending } from "./ui-focus.js";

/**
 * @param {import("./store.js").Person} person
 * @param {string} prefix of the row's testids
 */
function personRow(person, prefix) {
  const unread = unreadWith(person.id);
  const label = [person.name];
  if (unread) label.push(t("unreadCount", { count: unread }));
  return el(
    "li",
    {},
    el(
      "button",
      {
        type: "button",
        class: "person",
        dataset: { testid: `${prefix}-${person.id}`, userId: String(person.id) },
        "aria-current": state.active === person.id ? "true" : null,
        "aria-label": `${label.join(", ")}, ${t(`status_${person.status || "offline"}`)}`,
        onclick: () => emit("open-chat", person.id),
      },
      avatar(person.id, person.name, person.status, `${prefix}-presence-${person.id}`, { size: "small" }),
      el(
        "span",
        { class: "person-text" },
        el("span", { class: "person-name", text: person.name }),
        person.function || person.tenant
          ? el("span", { class: "person-sub", text: [person.function, person.external ? person.tenant : ""].filter(Boolean).join(" · ") })
          : null,
      ),
      unread ? el("span", { class: "count", dataset: { testid: `${prefix}-unread-${person.id}` }, text: String(unread) }) : null,
    ),
  );
}

export function renderContacts() {
  redraw($("contact-list"), fillContacts);
}

/** @param {HTMLElement} list */
function fillContacts(list) {
  const people = [...state.contacts.values()].sort((a, b) => a.name.localeCompare(b.name));
  for (const person of people) list.append(personRow(person, "contact"));
  $("contacts-empty").hidden = people.length > 0;
  focusPending();
}

export function initContacts() {
  for (const topic of ["contacts", "presence", "unread", "lang", "active"]) on(topic, renderContacts);
}
