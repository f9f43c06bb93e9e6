// SMS groups (SM-11, seed 000 §4.1): create, open, add members (a custom name and number,
// colleagues, candidates), remove members, rename ("Save group"), delete after a yes/no.
import { announce, clear, el } from "./dom.js";
import { smsError, st } from "./sms-i18n.js";
import { picker } from "./sms-picker.js";
import { confirmDialog, go, smsDelete, smsGet, smsPatch, smsPost } from "./sms-util.js";

let view = null;

function renderList() {
  const ul = clear(view.nodes.list);
  view.nodes.none.hidden = view.groups.length > 0;
  for (const g of view.groups) {
    ul.append(el("li", { dataset: { testid: "sms-group", id: String(g.id) } },
      el("a", {
        href: `#/sms/groups/${g.id}`,
        "aria-current": view.group && view.group.id === g.id ? "true" : null,
        dataset: { testid: "sms-group-link" },
      }, g.name),
      el("span", { class: "muted" }, ` ${g.member_count === 1 ? st("memberOne") : st("memberCount", { count: g.member_count ?? 0 })}`)));
  }
}

async function loadGroups() {
  const mine = view;
  let groups = [];
  try {
    groups = (await smsGet("/api/sms/groups")).items || [];
  } catch (err) {
    if (view === mine) view.nodes.error.textContent = smsError(err);
  }
  if (view !== mine) return; // the user went elsewhere meanwhile
  view.groups = groups;
  renderList();
}

async function create(ev) {
  ev.preventDefault();
  const n = view.nodes;
  const name = n.newName.value.trim();
  n.error.textContent = "";
  if (!name) {
    n.newName.focus();
    return;
  }
  try {
    const g = await smsPost("/api/sms/groups", { name });
    n.newName.value = "";
    announce(st("groupCreated", { name: g.name }));
    go(`groups/${g.id}`); // the new (empty) group opens at once, as the seed says
  } catch (err) {
    n.error.textContent = smsError(err);
  }
}

function summaryOf(g) {
  const i = view.groups.findIndex((x) => x.id === g.id);
  const item = { id: g.id, name: g.name, member_count: (g.members || []).length };
  if (i >= 0) view.groups[i] = { ...view.groups[i], ...item };
}

function setGroup(g) {
  if (!view || !view.nodes.members) return; // the user left the group meanwhile
  view.group = g;
  if (view.nodes.groupHeading) view.nodes.groupHeading.textContent = g.name;
  summaryOf(g);
  renderList();
  renderMembers();
}

function renderMembers() {
  const g = view.group;
  const box = clear(view.nodes.members);
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
      el("td", {}, m.number || "\u2014"),
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

async function addMembers(members) {
  const g = await smsPost(`/api/sms/groups/${view.group.id}/members`, { members });
  setGroup(g);
}

async function removeMember(m) {
  view.nodes.error.textContent = "";
  try {
    setGroup(await smsDelete(`/api/sms/groups/${view.group.id}/members/${m.id}`));
  } catch (err) {
    if (view) view.nodes.error.textContent = smsError(err);
  }
}

async function rename(ev) {
  ev.preventDefault();
  const n = view.nodes;
  n.error.textContent = "";
  n.status.textContent = "";
  try {
    const g = await smsPatch(`/api/sms/groups/${view.group.id}`, { name: n.rename.value.trim() });
    if (!view || view.nodes !== n) return;
    setGroup({ ...view.group, ...g });
    n.status.textContent = st("saved");
  } catch (err) {
    if (view && view.nodes === n) n.error.textContent = smsError(err);
  }
}

async function removeGroup() {
  const g = view.group;
  if (!(await confirmDialog(st("confirmDeleteGroup", { name: g.name })))) return;
  try {
    await smsDelete(`/api/sms/groups/${g.id}`);
  } catch (err) {
    if (view) view.nodes.error.textContent = smsError(err);
    return;
  }
  announce(st("deleted"));
  go("groups");
}

function customForm() {
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
      await addMembers([{ name: name.value.trim(), number: number.value.trim() }]);
      name.value = "";
      number.value = "";
      name.focus();
    } catch (err) {
      error.textContent = smsError(err);
    }
  });
  return form;
}

async function openGroup(container, id) {
  const n = view.nodes;
  let g;
  try {
    g = await smsGet(`/api/sms/groups/${encodeURIComponent(id)}`);
  } catch (err) {
    n.error.textContent = smsError(err);
    return;
  }
  if (!view || view.nodes !== n) return;
  n.rename = el("input", { type: "text", id: "sms-group-rename", value: g.name, maxlength: "100", dataset: { testid: "sms-group-name" } });
  n.members = el("div", {});
  n.status = el("p", { class: "muted", role: "status", dataset: { testid: "sms-group-status" } });
  const renameForm = el("form", { class: "row" },
    el("span", { class: "field" }, el("label", { for: "sms-group-rename" }, st("groupName")), n.rename),
    el("button", { type: "submit", class: "primary", dataset: { testid: "sms-group-save" } }, st("saveGroup")),
    el("button", { type: "button", class: "danger-button", dataset: { testid: "sms-group-delete" }, onclick: removeGroup }, st("deleteGroup")));
  renameForm.addEventListener("submit", rename);
  const pick = picker({
    kinds: ["user", "person"],
    withMode: false,
    allowNumbers: false,
    testid: "sms-member-picker",
    onAdd: (item) => addMembers([item.type === "user" ? { user_id: item.id } : { person_id: item.id }]),
  });
  n.groupHeading = el("h3", { id: "sms-group-heading" }, g.name);
  container.append(
    n.groupHeading,
    renameForm, n.status,
    el("h4", {}, st("members")), n.members,
    el("section", { class: "sms-add-members", "aria-labelledby": "sms-add-members-heading" },
      el("h4", { id: "sms-add-members-heading" }, st("addMembers")),
      el("h5", {}, st("customRecipient")), customForm(),
      el("h5", {}, `${st("colleagues")} / ${st("candidates")}`), pick),
  );
  setGroup(g);
}

export async function render(container, route) {
  leave();
  view = { groups: [], group: null, nodes: {} };
  const n = view.nodes;
  n.list = el("ul", { class: "plain sms-group-list", dataset: { testid: "sms-groups" } });
  n.none = el("p", { class: "muted" }, st("noGroups"));
  n.error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-groups-error" } });
  n.newName = el("input", { type: "text", id: "sms-new-group", maxlength: "100", dataset: { testid: "sms-new-group-name" } });
  const newForm = el("form", { class: "row", dataset: { testid: "sms-new-group" } },
    el("span", { class: "field" }, el("label", { for: "sms-new-group" }, st("newGroup")), n.newName),
    el("button", { type: "submit", dataset: { testid: "sms-new-group-add" } }, st("add")));
  newForm.addEventListener("submit", create);
  const main = el("div", { class: "sms-group-main" });
  container.append(
    el("h2", {}, st("groups")),
    n.error,
    el("div", { class: "sms-list-layout" },
      el("aside", { class: "sms-filter-panel" }, newForm, n.list, n.none),
      main),
  );
  const mine = view;
  await loadGroups();
  if (view !== mine) return;
  if (route.id) await openGroup(main, route.id);
  else main.append(el("p", { class: "muted" }, st("chooseGroup")));
}

export function leave() {
  view = null;
}
