// SMS subscriptions (opt-in lists, SM-15, seed 002): a message for a subscription reaches
// only the people subscribed to it. Create, rename, delete (refused while waiting messages
// are for it), see who joined and who opted out when, subscribe people, opt them out.
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import {
  confirmDelete, fetchItems, fetchOne, namedScreen, newNameForm, renameForm, renderNamedList, saveName,
} from "./sms-named.js";
import { picker } from "./sms-picker.js";
import { go, smsPost, when } from "./sms-util.js";

let view = null;

function renderList() {
  view.nodes.none.hidden = view.items.length > 0;
  renderNamedList(view.nodes.list, view.items, {
    route: "subscriptions",
    currentId: view.sub ? view.sub.id : null,
    testid: "sms-subscription",
    count: (x) => st("subscriberCount", { count: x.member_count ?? 0 }),
  });
}

async function loadList() {
  const mine = view;
  const items = await fetchItems("/api/sms/subscriptions", view.nodes.error);
  if (view !== mine) return; // the user went elsewhere meanwhile
  view.items = items;
  renderList();
}

async function create(name) {
  const sub = await smsPost("/api/sms/subscriptions", { name });
  announce(st("subscriptionCreated", { name: sub.name }));
  go(`subscriptions/${sub.id}`);
}

/** A fresh answer of the server: the heading, the side list's count and the members. */
function setSub(sub) {
  if (!view || !view.nodes.members) return; // the user left the subscription meanwhile
  view.sub = sub;
  view.nodes.heading.textContent = sub.name;
  const i = view.items.findIndex((x) => x.id === sub.id);
  if (i >= 0) view.items[i] = { ...view.items[i], name: sub.name, member_count: sub.member_count };
  renderList();
  renderMembers();
}

function memberButton(m) {
  const out = !m.opted_out_at;
  return el("button", {
    type: "button",
    "aria-label": st(out ? "optOutNamed" : "rejoinNamed", { name: m.name }),
    dataset: { testid: out ? "sms-subscriber-opt-out" : "sms-subscriber-rejoin" },
    onclick: () => change(out ? "opt-out" : "join", m.person_id),
  }, st(out ? "optOut" : "rejoin"));
}

function renderMembers() {
  const box = clear(view.nodes.members);
  const members = view.sub.members || [];
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

/** Join or opt out one person; the answer is the whole subscription again. */
async function change(action, personId) {
  const n = view.nodes;
  n.error.textContent = "";
  try {
    setSub(await smsPost(`/api/sms/subscriptions/${view.sub.id}/${action}`, { person_ids: [personId] }));
  } catch (err) {
    if (view && view.nodes === n) n.error.textContent = smsError(err);
  }
}

function rename(name) {
  const n = view.nodes;
  return saveName(`/api/sms/subscriptions/${view.sub.id}`, name, {
    errorNode: n.error,
    statusNode: n.status,
    apply: (sub) => {
      if (view && view.nodes === n) setSub(sub);
    },
  });
}

function remove() {
  const sub = view.sub;
  return confirmDelete({
    question: st("confirmDeleteSubscription", { name: sub.name }),
    path: `/api/sms/subscriptions/${sub.id}`,
    route: "subscriptions",
    errorNode: view.nodes.error,
    // Waiting messages are for its subscribers: say what to do, not only what went wrong.
    explain: (err) => (err.code === "in_use"
      ? st("subscriptionInUse", { name: sub.name, count: err.details.messages ?? "" })
      : smsError(err)),
  });
}

async function openSub(container, id) {
  const n = view.nodes;
  const sub = await fetchOne(`/api/sms/subscriptions/${encodeURIComponent(id)}`, n.error);
  if (!sub || !view || view.nodes !== n) return;
  n.members = el("div", {});
  n.status = el("p", { class: "muted", role: "status", dataset: { testid: "sms-subscription-status" } });
  n.heading = el("h3", {}, sub.name);
  const { form } = renameForm({
    id: "sms-subscription-rename", label: st("name"), value: sub.name, saveLabel: st("saveSubscription"),
    deleteLabel: st("deleteSubscription"), testid: "sms-subscription", onSave: rename, onDelete: remove,
  });
  const pick = picker({
    kinds: ["person"],
    withMode: false,
    allowNumbers: false,
    testid: "sms-subscriber-picker",
    onAdd: async (item) => setSub(await smsPost(`/api/sms/subscriptions/${view.sub.id}/join`, { person_ids: [item.id] })),
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

export async function render(container, route) {
  leave();
  view = { items: [], sub: null, nodes: {} };
  const n = view.nodes;
  n.list = el("ul", { class: "plain sms-group-list", dataset: { testid: "sms-subscriptions" } });
  n.none = el("p", { class: "muted" }, st("noSubscriptions"));
  n.error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-subscriptions-error" } });
  const newForm = newNameForm({
    id: "sms-new-subscription", label: st("newSubscription"), addLabel: st("add"), testid: "sms-new-subscription",
    errorNode: n.error, onName: create,
  });
  const mine = view;
  await namedScreen(container, {
    title: st("subscriptions"), errorNode: n.error, aside: [newForm, n.list, n.none], loadList,
    id: route.id, open: openSub, choose: st("chooseSubscription"), current: () => view === mine,
  });
}

export function leave() {
  view = null;
}
