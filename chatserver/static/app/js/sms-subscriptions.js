// @ts-check
// SMS subscriptions (opt-in lists, SM-15, seed 002): a message for a subscription reaches
// only the people subscribed to it. Create, rename, delete (refused while waiting messages
// are for it), see who joined and who opted out when, subscribe people, opt them out.
import { announce, clear, el } from "../../shared/dom.js";
import { ApiError } from "../../shared/errors.js";
import { smsError, st } from "./sms-i18n.js";
import {
  confirmDelete, fetchItems, fetchOne, namedScreen, newNameForm, renameForm, renderNamedList, saveName,
} from "./sms-named.js";
import { picker } from "./sms-picker.js";
import { go, smsPost, when } from "./sms-util.js";

/** @typedef {import("./sms-state.js").SmsRoute} SmsRoute */

/**
 * A subscription in the side list.
 * @typedef {{id: number, name: string, member_count?: number}} SubscriptionItem
 */
/**
 * Someone subscribed (or opted out since).
 * @typedef {{person_id: number, name?: string | null, joined_at: string | null, opted_out_at: string | null}} Subscriber
 */
/**
 * One subscription as the server answers it (GET, PATCH, join, opt-out).
 * @typedef {{id: number, name: string, member_count?: number, members?: Subscriber[]}} Subscription
 */
/**
 * The open subscription's elements, made once it has loaded.
 * @typedef {{members: HTMLElement, status: HTMLElement, heading: HTMLElement}} OpenNodes
 */
/**
 * The open screen: the side list, and the subscription opened in it (if any).
 * @typedef {{items: SubscriptionItem[], sub: Subscription | null,
 *   nodes: {list: HTMLElement, none: HTMLElement, error: HTMLElement}, open: OpenNodes | null}} SubsView
 */

/** @type {SubsView | null} */
let view = null;

/** @param {SubsView} view */
function renderList(view) {
  view.nodes.none.hidden = view.items.length > 0;
  renderNamedList(view.nodes.list, view.items, {
    route: "subscriptions",
    currentId: view.sub ? view.sub.id : null,
    testid: "sms-subscription",
    count: (x) => st("subscriberCount", { count: x.member_count ?? 0 }),
  });
}

/** @param {SubsView} mine */
async function loadList(mine) {
  const items = await fetchItems("/api/sms/subscriptions", mine.nodes.error);
  if (view !== mine) return; // the user went elsewhere meanwhile
  mine.items = /** @type {SubscriptionItem[]} */ (items);
  renderList(mine);
}

/** @param {string} name */
async function create(name) {
  const sub = /** @type {Subscription} */ (await smsPost("/api/sms/subscriptions", { name }));
  announce(st("subscriptionCreated", { name: sub.name }));
  go(`subscriptions/${sub.id}`);
}

/**
 * A fresh answer of the server: the heading, the side list's count and the members.
 * @param {unknown} answer the server's Subscription
 */
function setSub(answer) {
  if (!view || !view.open) return; // the user left the subscription meanwhile
  const sub = /** @type {Subscription} */ (answer);
  view.sub = sub;
  view.open.heading.textContent = sub.name;
  const i = view.items.findIndex((x) => x.id === sub.id);
  if (i >= 0) view.items[i] = { ...view.items[i], name: sub.name, member_count: sub.member_count };
  renderList(view);
  renderMembers(view.open.members, sub);
}

/** @param {Subscriber} m */
function memberButton(m) {
  const out = !m.opted_out_at;
  return el("button", {
    type: "button",
    "aria-label": st(out ? "optOutNamed" : "rejoinNamed", { name: m.name }),
    dataset: { testid: out ? "sms-subscriber-opt-out" : "sms-subscriber-rejoin" },
    onclick: () => change(out ? "opt-out" : "join", m.person_id),
  }, st(out ? "optOut" : "rejoin"));
}

/**
 * @param {HTMLElement} node
 * @param {Subscription} sub
 */
function renderMembers(node, sub) {
  const box = clear(node);
  const members = sub.members || [];
  if (!members.length) {
    box.append(el("p", { class: "muted", dataset: { testid: "sms-subscribers-none" } }, st("noSubscribers")));
    return;
  }
  const heads = [st("name"), st("joinedAt"), st("optedOutAt")];
  box.append(el("table", { class: "sms-table", dataset: { testid: "sms-subscribers" } },
    el("caption", { class: "sr-only" }, st("subscribers")),
    el("thead", {}, el("tr", {}, heads.map((h) => el("th", { scope: "col" }, h)),
      el("th", { scope: "col" }, el("span", { class: "sr-only" }, st("actions"))))),
    el("tbody", {}, members.map((m) => el("tr", {
      dataset: { testid: "sms-subscriber", id: String(m.person_id), state: m.opted_out_at ? "opted_out" : "subscribed" },
    },
    el("th", { scope: "row" }, m.name || `#${m.person_id}`),
    el("td", { dataset: { testid: "sms-subscriber-joined" } }, when(m.joined_at)),
    el("td", { dataset: { testid: "sms-subscriber-opted-out" } }, when(m.opted_out_at)),
    el("td", {}, memberButton(m)))))));
}

/**
 * Join or opt out one person; the answer is the whole subscription again.
 * @param {"join" | "opt-out"} action
 * @param {number} personId
 */
async function change(action, personId) {
  if (!view || !view.sub) return;
  const n = view.nodes;
  n.error.textContent = "";
  try {
    setSub(await smsPost(`/api/sms/subscriptions/${view.sub.id}/${action}`, { person_ids: [personId] }));
  } catch (err) {
    if (view && view.nodes === n) n.error.textContent = smsError(err);
  }
}

/** @param {string} name */
function rename(name) {
  if (!view || !view.sub || !view.open) return;
  const n = view.nodes;
  return saveName(`/api/sms/subscriptions/${view.sub.id}`, name, {
    errorNode: n.error,
    statusNode: view.open.status,
    apply: (sub) => {
      if (view && view.nodes === n) setSub(sub);
    },
  });
}

function remove() {
  if (!view || !view.sub) return;
  const sub = view.sub;
  return confirmDelete({
    question: st("confirmDeleteSubscription", { name: sub.name }),
    path: `/api/sms/subscriptions/${sub.id}`,
    route: "subscriptions",
    errorNode: view.nodes.error,
    // Waiting messages are for its subscribers: say what to do, not only what went wrong.
    explain: (err) => (err instanceof ApiError && err.code === "in_use"
      ? st("subscriptionInUse", { name: sub.name, count: String(err.details.messages ?? "") })
      : smsError(err)),
  });
}

/**
 * @param {SubsView} mine
 * @param {HTMLElement} container
 * @param {string} id
 */
async function openSub(mine, container, id) {
  const answer = await fetchOne(`/api/sms/subscriptions/${encodeURIComponent(id)}`, mine.nodes.error);
  if (!answer || view !== mine) return;
  const sub = /** @type {Subscription} */ (answer);
  const n = {
    members: el("div", {}),
    status: el("p", { class: "muted", role: "status", dataset: { testid: "sms-subscription-status" } }),
    heading: el("h3", {}, sub.name),
  };
  mine.open = n;
  const { form } = renameForm({
    id: "sms-subscription-rename", label: st("name"), value: sub.name, saveLabel: st("saveSubscription"),
    deleteLabel: st("deleteSubscription"), testid: "sms-subscription", onSave: rename, onDelete: remove,
  });
  const pick = picker({
    kinds: ["person"],
    withMode: false,
    allowNumbers: false,
    testid: "sms-subscriber-picker",
    onAdd: async (item) => setSub(await smsPost(`/api/sms/subscriptions/${sub.id}/join`, { person_ids: [item.id] })),
  });
  container.append(
    n.heading, form, n.status,
    el("h4", {}, st("subscribers")), n.members,
    el("section", { "aria-labelledby": "sms-subscribe-heading" },
      el("h4", { id: "sms-subscribe-heading" }, st("subscribePeople")),
      el("p", { class: "muted" }, st("subscribeHint")), pick),
  );
  setSub(sub);
}

/**
 * @param {HTMLElement} container
 * @param {SmsRoute} route
 */
export async function render(container, route) {
  leave();
  const n = {
    list: el("ul", { class: "plain sms-group-list", dataset: { testid: "sms-subscriptions" } }),
    none: el("p", { class: "muted" }, st("noSubscriptions")),
    error: el("p", { class: "error", role: "alert", dataset: { testid: "sms-subscriptions-error" } }),
  };
  /** @type {SubsView} */
  const mine = { items: [], sub: null, nodes: n, open: null };
  view = mine;
  const newForm = newNameForm({
    id: "sms-new-subscription", label: st("newSubscription"), addLabel: st("add"), testid: "sms-new-subscription",
    errorNode: n.error, onName: create,
  });
  await namedScreen(container, {
    title: st("subscriptions"), errorNode: n.error, aside: [newForm, n.list, n.none], loadList: () => loadList(mine),
    id: route.id, open: (main, id) => openSub(mine, main, id), choose: st("chooseSubscription"), current: () => view === mine,
  });
}

export function leave() {
  view = null;
}
