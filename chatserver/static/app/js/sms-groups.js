// @ts-check
// SMS groups (SM-11, seed 000 §4.1): create, open, add members (a custom name and number,
// colleagues, candidates), remove members, rename ("Save group"), delete after a yes/no.
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import {
  confirmDelete, fetchItems, fetchOne, namedScreen, newNameForm, renameForm, renderNamedList, saveName,
} from "./sms-named.js";
import { picker } from "./sms-picker.js";
import { go, smsDelete, smsPost } from "./sms-util.js";

/** @typedef {import("./sms-state.js").SmsRoute} SmsRoute */
/**
 * A group in the side list.
 * @typedef {{id: number, name: string, member_count?: number}} GroupItem
 */
/**
 * A member: a colleague ("user"), a person ("person") or a custom name and number.
 * @typedef {{id: number, name?: string | null, number?: string | null, kind?: string}} GroupMember
 */
/**
 * One group as the server answers it (GET, PATCH, adding or removing members).
 * @typedef {{id: number, name: string, members?: GroupMember[]}} Group
 */
/**
 * The open group's elements, made once it has loaded.
 * @typedef {{members: HTMLElement, status: HTMLElement, groupHeading: HTMLElement}} OpenNodes
 */
/**
 * The open screen: the side list, and the group opened in it (if any).
 * @typedef {{groups: GroupItem[], group: Group | null,
 *   nodes: {list: HTMLElement, none: HTMLElement, error: HTMLElement}, open: OpenNodes | null}} GroupsView
 */

/** @type {GroupsView | null} */
let view = null;

/** @param {GroupsView} view */
function renderList(view) {
  view.nodes.none.hidden = view.groups.length > 0;
  renderNamedList(view.nodes.list, view.groups, {
    route: "groups",
    currentId: view.group ? view.group.id : null,
    testid: "sms-group",
    count: (g) => (g.member_count === 1 ? st("memberOne") : st("memberCount", { count: g.member_count ?? 0 })),
  });
}

/** @param {GroupsView} mine */
async function loadGroups(mine) {
  const groups = await fetchItems("/api/sms/groups", mine.nodes.error);
  if (view !== mine) return; // the user went elsewhere meanwhile
  mine.groups = /** @type {GroupItem[]} */ (groups);
  renderList(mine);
}

/** @param {string} name */
async function create(name) {
  const g = /** @type {Group} */ (await smsPost("/api/sms/groups", { name }));
  announce(st("groupCreated", { name: g.name }));
  go(`groups/${g.id}`); // the new (empty) group opens at once, as the seed says
}

/**
 * @param {GroupsView} view
 * @param {Group} g
 */
function summaryOf(view, g) {
  const i = view.groups.findIndex((x) => x.id === g.id);
  const item = { id: g.id, name: g.name, member_count: (g.members || []).length };
  if (i >= 0) view.groups[i] = { ...view.groups[i], ...item };
}

/** @param {unknown} answer the server's Group */
function setGroup(answer) {
  if (!view || !view.open) return; // the user left the group meanwhile
  const g = /** @type {Group} */ (answer);
  view.group = g;
  view.open.groupHeading.textContent = g.name;
  summaryOf(view, g);
  renderList(view);
  renderMembers(view.open.members, g);
}

/**
 * @param {HTMLElement} node
 * @param {Group} g
 */
function renderMembers(node, g) {
  const box = clear(node);
  const members = g.members || [];
  if (!members.length) {
    box.append(el("p", { class: "muted", dataset: { testid: "sms-members-none" } }, st("noMembers")));
    return;
  }
  const table = el("table", { class: "sms-table", dataset: { testid: "sms-members" } },
    el("caption", { class: "sr-only" }, st("members")),
    el("thead", {}, el("tr", {}, [st("name"), st("number"), st("memberKind")].map((h) => el("th", { scope: "col" }, h)),
      el("th", { scope: "col" }, el("span", { class: "sr-only" }, st("actions"))))));
  const body = el("tbody");
  for (const m of members) {
    const kind = m.kind === "user" ? st("kind_user") : m.kind === "person" ? st("kind_person") : st("customRecipient");
    body.append(el("tr", { dataset: { testid: "sms-member", id: String(m.id) } },
      el("th", { scope: "row" }, m.name || "\u2014"),
      // A colleague or person without a mobile is skipped on send: said here, before that.
      el("td", { dataset: { testid: "sms-member-phone" } }, m.number || el("span", { class: "muted" }, st("noMobile"))),
      el("td", {}, kind),
      el("td", {}, el("button", {
        type: "button",
        class: "icon-button",
        "aria-label": st("removeMember", { name: m.name || m.number || "" }),
        dataset: { testid: "sms-member-remove" },
        onclick: () => removeMember(m),
      }, el("span", { "aria-hidden": "true" }, "\u00d7")))));
  }
  table.append(body);
  box.append(table);
}

/**
 * @param {number} groupId
 * @param {Record<string, string | number | undefined>[]} members what the server takes: {name, number}, {user_id} or {person_id}
 */
async function addMembers(groupId, members) {
  setGroup(await smsPost(`/api/sms/groups/${groupId}/members`, { members }));
}

/** @param {GroupMember} m */
async function removeMember(m) {
  if (!view || !view.group) return;
  view.nodes.error.textContent = "";
  try {
    setGroup(await smsDelete(`/api/sms/groups/${view.group.id}/members/${m.id}`));
  } catch (err) {
    if (view) view.nodes.error.textContent = smsError(err);
  }
}

/** @param {string} name */
function rename(name) {
  if (!view || !view.group || !view.open) return;
  const n = view.nodes;
  return saveName(`/api/sms/groups/${view.group.id}`, name, {
    errorNode: n.error,
    statusNode: view.open.status,
    apply: (g) => {
      if (view && view.nodes === n) setGroup({ ...view.group, .../** @type {Group} */ (g) });
    },
  });
}

function removeGroup() {
  if (!view || !view.group) return;
  const g = view.group;
  return confirmDelete({
    question: st("confirmDeleteGroup", { name: g.name }), path: `/api/sms/groups/${g.id}`, route: "groups", errorNode: view.nodes.error,
  });
}

/** @param {number} groupId */
function customForm(groupId) {
  const name = el("input", { type: "text", id: "sms-member-name", dataset: { testid: "sms-member-name" } });
  const number = el("input", { type: "tel", id: "sms-member-number", dataset: { testid: "sms-member-number" } });
  const error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-member-error" } });
  const form = el("form", { class: "row", dataset: { testid: "sms-member-custom" } },
    el("span", { class: "field" }, el("label", { for: "sms-member-name" }, st("name")), name),
    el("span", { class: "field" }, el("label", { for: "sms-member-number" }, st("number")), number),
    el("button", { type: "submit", dataset: { testid: "sms-member-add" } }, st("add")), error);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    try {
      await addMembers(groupId, [{ name: name.value.trim(), number: number.value.trim() }]);
      name.value = "";
      number.value = "";
      name.focus();
    } catch (err) {
      error.textContent = smsError(err);
    }
  });
  return form;
}

/**
 * @param {GroupsView} mine
 * @param {HTMLElement} container
 * @param {string} id
 */
async function openGroup(mine, container, id) {
  const answer = await fetchOne(`/api/sms/groups/${encodeURIComponent(id)}`, mine.nodes.error);
  if (!answer || view !== mine) return;
  const g = /** @type {Group} */ (answer);
  const n = {
    members: el("div", {}),
    status: el("p", { class: "muted", role: "status", dataset: { testid: "sms-group-status" } }),
    groupHeading: el("h3", { id: "sms-group-heading" }, g.name),
  };
  mine.open = n;
  const { form: renameBox } = renameForm({
    id: "sms-group-rename", label: st("groupName"), value: g.name, saveLabel: st("saveGroup"),
    deleteLabel: st("deleteGroup"), testid: "sms-group", onSave: rename, onDelete: removeGroup,
  });
  const pick = picker({
    kinds: ["user", "person"],
    withMode: false,
    allowNumbers: false,
    testid: "sms-member-picker",
    onAdd: (item) => addMembers(g.id, [item.type === "user" ? { user_id: item.id } : { person_id: item.id }]),
  });
  container.append(
    n.groupHeading,
    renameBox, n.status,
    el("h4", {}, st("members")), n.members,
    el("section", { class: "sms-add-members", "aria-labelledby": "sms-add-members-heading" },
      el("h4", { id: "sms-add-members-heading" }, st("addMembers")),
      el("h5", {}, st("customRecipient")), customForm(g.id),
      el("h5", {}, `${st("colleagues")} / ${st("candidates")}`), pick),
  );
  setGroup(g);
}

/**
 * @param {HTMLElement} container
 * @param {SmsRoute} route
 */
export async function render(container, route) {
  leave();
  const n = {
    list: el("ul", { class: "plain sms-group-list", dataset: { testid: "sms-groups" } }),
    none: el("p", { class: "muted" }, st("noGroups")),
    error: el("p", { class: "error", role: "alert", dataset: { testid: "sms-groups-error" } }),
  };
  /** @type {GroupsView} */
  const mine = { groups: [], group: null, nodes: n, open: null };
  view = mine;
  const newForm = newNameForm({
    id: "sms-new-group", label: st("newGroup"), addLabel: st("add"), testid: "sms-new-group", errorNode: n.error, onName: create,
  });
  await namedScreen(container, {
    title: st("groups"), errorNode: n.error, aside: [newForm, n.list, n.none], loadList: () => loadGroups(mine),
    id: route.id, open: (main, id) => openGroup(mine, main, id), choose: st("chooseGroup"), current: () => view === mine,
  });
}

export function leave() {
  view = null;
}
