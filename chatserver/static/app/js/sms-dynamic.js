// Dynamic groups (SM-14, seed 002): rules over the directory, all of which a person must
// meet, checked again whenever a message is sent. Create and edit the rules, delete, and
// see who matches now. The server validates the rules; its answer is shown at the rule.
import { get } from "../../shared/api.js";
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import { confirmDelete, fetchItems, namedScreen, renderNamedList } from "./sms-named.js";
import { picker } from "./sms-picker.js";
import { go, link, smsGet, smsPatch, smsPost } from "./sms-util.js";

const TEXT_FIELDS = ["function", "name", "email", "kind", "mobile"];
// An id field names one directory item: chosen with the picker, compared by equality only.
const ID_FIELDS = { organisation_id: "organisation", folder_id: "folder", group_id: "group" };
const COLLECTIONS = { organisation_id: "organisations", folder_id: "folders", group_id: "groups" };
const FIELDS = [...TEXT_FIELDS, ...Object.keys(ID_FIELDS)];

let view = null;

const isIdField = (field) => field in ID_FIELDS;
const newRule = () => ({ field: "function", op: "contains", value: "", label: "" });

function renderList() {
  view.nodes.none.hidden = view.items.length > 0;
  renderNamedList(view.nodes.list, view.items, {
    route: "dynamic",
    currentId: view.group ? view.group.id : null,
    testid: "sms-dynamic",
    count: (d) => ((d.rules || []).length === 1 ? st("ruleOne") : st("ruleCount", { count: (d.rules || []).length })),
  });
}

async function loadList() {
  const mine = view;
  const items = await fetchItems("/api/sms/dynamic-groups", view.nodes.error);
  if (view !== mine) return; // the user went elsewhere meanwhile
  view.items = items;
  renderList();
}

// --- the rule editor --------------------------------------------------------------------

function option(value, text, selected) {
  return el("option", { value, selected }, text);
}

/** The value of an id rule: what is chosen, and a picker restricted to that kind. */
function idValue(rule, base) {
  const chosen = el("p", { id: `${base}-chosen`, class: "muted", role: "status", dataset: { testid: "sms-rule-chosen" } },
    rule.value ? st("ruleChosen", { name: rule.label || `#${rule.value}` }) : st("ruleNothingChosen"));
  const pick = picker({
    kinds: [ID_FIELDS[rule.field]],
    withMode: false,
    allowNumbers: false,
    testid: "sms-rule-picker",
    onAdd: (item) => {
      rule.value = item.id;
      rule.label = item.name;
      chosen.textContent = st("ruleChosen", { name: item.name });
    },
  });
  return [chosen, pick];
}

function textValue(rule, base) {
  const input = el("input", {
    type: "text", id: `${base}-value`, value: rule.value, maxlength: "200",
    "aria-describedby": `${base}-error`, dataset: { testid: "sms-rule-value" },
  });
  input.addEventListener("input", () => {
    rule.value = input.value;
  });
  return el("span", { class: "field" }, el("label", { for: input.id }, st("ruleValue")), input);
}

function ruleRow(rule, i) {
  const base = `sms-rule-${i}`;
  const fieldSelect = el("select", { id: `${base}-field`, dataset: { testid: "sms-rule-field" } },
    FIELDS.map((f) => option(f, st(`field_${f}`), f === rule.field)));
  const ops = isIdField(rule.field) ? ["equals"] : ["equals", "contains"];
  const opSelect = el("select", { id: `${base}-op`, dataset: { testid: "sms-rule-op" } },
    ops.map((o) => option(o, st(`op_${o}`), o === rule.op)));
  fieldSelect.addEventListener("change", () => {
    const wasId = isIdField(rule.field);
    rule.field = fieldSelect.value;
    if (isIdField(rule.field)) rule.op = "equals";
    // A text cannot become an organisation (nor the other way round): start that value anew.
    if (wasId !== isIdField(rule.field)) Object.assign(rule, { value: isIdField(rule.field) ? null : "", label: "" });
    renderRules();
    view.nodes.rules.querySelector(`#${base}-field`).focus();
  });
  opSelect.addEventListener("change", () => {
    rule.op = opSelect.value;
  });
  const remove = view.rules.length > 1
    ? el("button", {
      type: "button", class: "icon-button", "aria-label": st("removeRule", { n: i + 1 }),
      dataset: { testid: "sms-rule-remove" },
      onclick: () => {
        view.rules.splice(i, 1);
        renderRules();
      },
    }, el("span", { "aria-hidden": "true" }, "\u00d7"))
    : null;
  return el("li", { dataset: { testid: "sms-rule", index: String(i) } },
    el("fieldset", {},
      el("legend", {}, st("ruleN", { n: i + 1 })),
      el("div", { class: "sms-picker-row" },
        el("span", { class: "field" }, el("label", { for: fieldSelect.id }, st("ruleField")), fieldSelect),
        el("span", { class: "field" }, el("label", { for: opSelect.id }, st("ruleOp")), opSelect),
        isIdField(rule.field) ? null : textValue(rule, base),
        remove),
      isIdField(rule.field) ? idValue(rule, base) : null,
      el("p", { id: `${base}-error`, class: "error", dataset: { testid: "sms-rule-error" } })));
}

function renderRules() {
  clear(view.nodes.rules).append(...view.rules.map(ruleRow));
}

/** The server's answer next to what it is about: the rule it names, else the form. */
function showError(err) {
  const n = view.nodes;
  const index = err.details && Number.isInteger(err.details.index) ? err.details.index : null;
  const row = index === null ? null : n.rules.querySelector(`li[data-index="${index}"]`);
  n.formError.textContent = smsError(err);
  if (!row) return;
  row.querySelector("[data-testid='sms-rule-error']").textContent = smsError(err);
  const value = row.querySelector("[data-testid='sms-rule-value']");
  if (value) value.setAttribute("aria-invalid", "true");
}

async function save(ev) {
  ev.preventDefault();
  const n = view.nodes;
  const mine = view;
  n.formError.textContent = "";
  n.status.textContent = "";
  for (const p of n.rules.querySelectorAll("[data-testid='sms-rule-error']")) p.textContent = "";
  for (const v of n.rules.querySelectorAll("[aria-invalid]")) v.removeAttribute("aria-invalid");
  const body = { name: n.name.value.trim(), rules: view.rules.map(({ field, op, value }) => ({ field, op, value })) };
  let saved;
  try {
    saved = view.group
      ? await smsPatch(`/api/sms/dynamic-groups/${view.group.id}`, body)
      : await smsPost("/api/sms/dynamic-groups", body);
  } catch (err) {
    if (view === mine) showError(err);
    return;
  }
  if (view !== mine) return;
  if (!view.group) {
    announce(st("dynamicCreated", { name: saved.name }));
    go(`dynamic/${saved.id}`);
    return;
  }
  view.group = saved;
  n.heading.textContent = saved.name;
  const i = view.items.findIndex((d) => d.id === saved.id);
  if (i >= 0) view.items[i] = saved;
  renderList();
  n.status.textContent = st("saved");
  await loadMembers();
}

function remove() {
  const g = view.group;
  return confirmDelete({
    question: st("confirmDeleteDynamic", { name: g.name }), path: `/api/sms/dynamic-groups/${g.id}`, route: "dynamic",
    errorNode: view.nodes.formError,
  });
}

// --- who matches now ----------------------------------------------------------------------

async function loadMembers() {
  const mine = view;
  const n = view.nodes;
  let data;
  try {
    data = await smsGet(`/api/sms/dynamic-groups/${view.group.id}/members`);
  } catch (err) {
    if (view === mine) n.total.textContent = smsError(err);
    return;
  }
  if (view !== mine) return;
  const items = data.items || [];
  n.total.textContent = data.total === 1 ? st("membersNowOne") : st("membersNowTotal", { count: data.total ?? items.length });
  const box = clear(n.members);
  if (!items.length) return;
  box.append(el("table", { class: "sms-table", dataset: { testid: "sms-dynamic-members" } },
    el("caption", { class: "sr-only" }, st("membersNow")),
    el("thead", {}, el("tr", {}, [st("name"), st("mobile")].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, items.map((p) => el("tr", { dataset: { testid: "sms-dynamic-member", id: String(p.id) } },
      el("th", { scope: "row" }, p.name), el("td", {}, p.mobile || "\u2014"))))));
}

/** The names of the organisations, folders and groups the rules point at (they hold ids). */
async function nameIdRules(rules) {
  await Promise.all(rules.filter((r) => isIdField(r.field)).map(async (r) => {
    try {
      r.label = (await get(`/api/${COLLECTIONS[r.field]}/${r.value}`)).name || "";
    } catch {
      r.label = ""; // deleted meanwhile: the id is shown
    }
  }));
}

async function openEditor(container, id) {
  const n = view.nodes;
  const mine = view;
  if (id !== "new") {
    try {
      view.group = await smsGet(`/api/sms/dynamic-groups/${encodeURIComponent(id)}`);
      view.rules = (view.group.rules || []).map((r) => ({ ...r, label: "" }));
      await nameIdRules(view.rules);
    } catch (err) {
      if (view === mine) n.error.textContent = smsError(err);
      return;
    }
    if (view !== mine) return;
    renderList();
  }
  if (!view.rules.length) view.rules = [newRule()];
  const g = view.group;
  n.heading = el("h3", {}, g ? g.name : st("newDynamic"));
  n.name = el("input", { type: "text", id: "sms-dynamic-name", value: g ? g.name : "", maxlength: "200", dataset: { testid: "sms-dynamic-name" } });
  n.rules = el("ol", { class: "plain sms-rules", dataset: { testid: "sms-rules" } });
  n.formError = el("p", { class: "error", role: "alert", dataset: { testid: "sms-dynamic-error" } });
  n.status = el("p", { class: "muted", role: "status", dataset: { testid: "sms-dynamic-status" } });
  const form = el("form", { novalidate: true, dataset: { testid: "sms-dynamic-form" } },
    el("span", { class: "field" }, el("label", { for: "sms-dynamic-name" }, st("name")), n.name),
    el("fieldset", { "aria-describedby": "sms-rules-hint" },
      el("legend", {}, st("rules")),
      el("p", { id: "sms-rules-hint", class: "muted" }, st("rulesHint")),
      n.rules,
      el("button", {
        type: "button", dataset: { testid: "sms-rule-add" },
        onclick: () => {
          view.rules.push(newRule());
          renderRules();
          view.nodes.rules.querySelector(`#sms-rule-${view.rules.length - 1}-field`).focus();
        },
      }, st("addRule"))),
    n.formError,
    el("div", { class: "row" },
      el("button", { type: "submit", class: "primary", dataset: { testid: "sms-dynamic-save" } }, st("saveDynamic")),
      g ? el("button", { type: "button", class: "danger-button", dataset: { testid: "sms-dynamic-delete" }, onclick: remove }, st("deleteDynamic")) : null),
    n.status);
  form.addEventListener("submit", save);
  container.append(n.heading, form);
  renderRules();
  if (!g) return;
  n.total = el("p", { role: "status", dataset: { testid: "sms-dynamic-total" } });
  n.members = el("div", {});
  container.append(el("section", { "aria-labelledby": "sms-members-now" },
    el("h4", { id: "sms-members-now" }, st("membersNow")),
    el("div", { class: "row" }, n.total,
      el("button", { type: "button", dataset: { testid: "sms-dynamic-refresh" }, onclick: loadMembers }, st("refresh"))),
    n.members));
  await loadMembers();
}

export async function render(container, route) {
  leave();
  view = { items: [], group: null, rules: [], nodes: {} };
  const n = view.nodes;
  n.list = el("ul", { class: "plain sms-group-list", dataset: { testid: "sms-dynamics" } });
  n.none = el("p", { class: "muted" }, st("noDynamic"));
  n.error = el("p", { class: "error", role: "alert", dataset: { testid: "sms-dynamics-error" } });
  const newLink = el("p", {},
    link("dynamic/new", st("newDynamic"), { class: "button-link primary", dataset: { testid: "sms-dynamic-new" } }));
  const mine = view;
  await namedScreen(container, {
    title: st("dynamicGroups"), errorNode: n.error, aside: [newLink, n.list, n.none], loadList,
    id: route.id, open: openEditor, choose: st("chooseDynamic"), current: () => view === mine,
  });
}

export function leave() {
  view = null;
}
