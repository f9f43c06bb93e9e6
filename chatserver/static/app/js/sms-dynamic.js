// @ts-check
// Dynamic groups (SM-14, seed 002): rules over the directory, all of which a person must
// meet, checked again whenever a message is sent. Create and edit the rules, delete, and
// see who matches now. The server validates the rules; its answer is shown at the rule.
import { get } from "../../shared/api.js";
import { announce, clear, el } from "../../shared/dom.js";
import { ApiError } from "../../shared/errors.js";
import { smsError, st } from "./sms-i18n.js";
import { confirmDelete, fetchItems, namedScreen, renderNamedList } from "./sms-named.js";
import { picker } from "./sms-picker.js";
import { go, link, smsGet, smsPatch, smsPost } from "./sms-util.js";

/** @typedef {import("./sms-state.js").SmsRoute} SmsRoute */
/**
 * A rule as the server keeps it: a directory field, "equals" or "contains", and a text (or
 * the id of an organisation, folder or group).
 * @typedef {{field: string, op: string, value: string | number | null}} Rule
 */
/**
 * A rule in the editor: with the name of the item an id rule points at.
 * @typedef {Rule & {label: string}} EditedRule
 */
/**
 * A dynamic group as the server answers it (the list's items too).
 * @typedef {{id: number, name: string, rules?: Rule[]}} DynamicGroup
 */
/**
 * Someone who meets the rules now.
 * @typedef {{id: number, name: string, mobile?: string | null}} Match
 */
/**
 * The editor's elements, made once the group (or a new one) is open.
 * @typedef {{heading: HTMLElement, name: HTMLInputElement, rules: HTMLElement, formError: HTMLElement, status: HTMLElement}} EditorNodes
 */
/**
 * Who matches now: the count and the table's box (a saved group only).
 * @typedef {{total: HTMLElement, members: HTMLElement}} MatchNodes
 */
/**
 * The open screen: the side list, and the group in the editor (null for a new one).
 * @typedef {{items: DynamicGroup[], group: DynamicGroup | null, rules: EditedRule[],
 *   nodes: {list: HTMLElement, none: HTMLElement, error: HTMLElement}, matches: MatchNodes | null}} DynamicView
 */

const TEXT_FIELDS = ["function", "name", "email", "kind", "mobile"];
// An id field names one directory item: chosen with the picker, compared by equality only.
/** @type {Record<string, string>} */
const ID_FIELDS = { organisation_id: "organisation", folder_id: "folder", group_id: "group" };
/** @type {Record<string, string>} */
const COLLECTIONS = { organisation_id: "organisations", folder_id: "folders", group_id: "groups" };
const FIELDS = [...TEXT_FIELDS, ...Object.keys(ID_FIELDS)];

/** @type {DynamicView | null} */
let view = null;

const isIdField = (/** @type {string} */ field) => field in ID_FIELDS;
/** @returns {EditedRule} */
const newRule = () => ({ field: "function", op: "contains", value: "", label: "" });

/** @param {DynamicView} view */
function renderList(view) {
  view.nodes.none.hidden = view.items.length > 0;
  renderNamedList(view.nodes.list, view.items, {
    route: "dynamic",
    currentId: view.group ? view.group.id : null,
    testid: "sms-dynamic",
    count: (d) => ((d.rules || []).length === 1 ? st("ruleOne") : st("ruleCount", { count: (d.rules || []).length })),
  });
}

/** @param {DynamicView} mine */
async function loadList(mine) {
  const items = await fetchItems("/api/sms/dynamic-groups", mine.nodes.error);
  if (view !== mine) return; // the user went elsewhere meanwhile
  mine.items = /** @type {DynamicGroup[]} */ (items);
  renderList(mine);
}

// --- the rule editor --------------------------------------------------------------------

/**
 * @param {string} value
 * @param {string} text
 * @param {boolean} selected
 */
function option(value, text, selected) {
  return el("option", { value, selected }, text);
}

/**
 * The value of an id rule: what is chosen, and a picker restricted to that kind.
 * @param {EditedRule} rule
 * @param {string} base the rule's id prefix
 */
function idValue(rule, base) {
  const chosen = el("p", { id: `${base}-chosen`, class: "muted", role: "status", dataset: { testid: "sms-rule-chosen" } },
    rule.value ? st("ruleChosen", { name: rule.label || `#${rule.value}` }) : st("ruleNothingChosen"));
  const pick = picker({
    kinds: [ID_FIELDS[rule.field]],
    withMode: false,
    allowNumbers: false,
    testid: "sms-rule-picker",
    onAdd: (item) => {
      rule.value = item.id ?? null;
      rule.label = item.name ?? "";
      chosen.textContent = st("ruleChosen", { name: rule.label });
    },
  });
  return [chosen, pick];
}

/**
 * @param {EditedRule} rule
 * @param {string} base the rule's id prefix
 */
function textValue(rule, base) {
  const input = el("input", {
    type: "text", id: `${base}-value`, value: rule.value ?? "", maxlength: "200",
    "aria-describedby": `${base}-error`, dataset: { testid: "sms-rule-value" },
  });
  input.addEventListener("input", () => {
    rule.value = input.value;
  });
  return el("span", { class: "field" }, el("label", { for: input.id }, st("ruleValue")), input);
}

/**
 * @param {DynamicView} view
 * @param {EditorNodes} n
 * @param {EditedRule} rule
 * @param {number} i
 */
function ruleRow(view, n, rule, i) {
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
    renderRules(view, n);
    /** @type {HTMLElement} */ (n.rules.querySelector(`#${base}-field`)).focus();
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
        renderRules(view, n);
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

/**
 * @param {DynamicView} view
 * @param {EditorNodes} n
 */
function renderRules(view, n) {
  clear(n.rules).append(...view.rules.map((rule, i) => ruleRow(view, n, rule, i)));
}

/**
 * The server's answer next to what it is about: the rule it names, else the form.
 * @param {EditorNodes} n
 * @param {unknown} err
 */
function showError(n, err) {
  const index = err instanceof ApiError && Number.isInteger(err.details.index) ? err.details.index : null;
  const row = index === null ? null : n.rules.querySelector(`li[data-index="${index}"]`);
  n.formError.textContent = smsError(err);
  if (!row) return;
  /** @type {HTMLElement} */ (row.querySelector("[data-testid='sms-rule-error']")).textContent = smsError(err);
  const value = row.querySelector("[data-testid='sms-rule-value']");
  if (value) value.setAttribute("aria-invalid", "true");
}

/**
 * @param {DynamicView} mine
 * @param {EditorNodes} n
 */
async function save(mine, n) {
  n.formError.textContent = "";
  n.status.textContent = "";
  for (const p of n.rules.querySelectorAll("[data-testid='sms-rule-error']")) p.textContent = "";
  for (const v of n.rules.querySelectorAll("[aria-invalid]")) v.removeAttribute("aria-invalid");
  const body = { name: n.name.value.trim(), rules: mine.rules.map(({ field, op, value }) => ({ field, op, value })) };
  /** @type {DynamicGroup} */
  let saved;
  try {
    saved = mine.group
      ? await smsPatch(`/api/sms/dynamic-groups/${mine.group.id}`, body)
      : await smsPost("/api/sms/dynamic-groups", body);
  } catch (err) {
    if (view === mine) showError(n, err);
    return;
  }
  if (view !== mine) return;
  if (!mine.group) {
    announce(st("dynamicCreated", { name: saved.name }));
    go(`dynamic/${saved.id}`);
    return;
  }
  mine.group = saved;
  n.heading.textContent = saved.name;
  const i = mine.items.findIndex((d) => d.id === saved.id);
  if (i >= 0) mine.items[i] = saved;
  renderList(mine);
  n.status.textContent = st("saved");
  if (mine.matches) await loadMembers(mine, saved.id, mine.matches);
}

/**
 * @param {DynamicView} mine
 * @param {EditorNodes} n
 */
function remove(mine, n) {
  const g = mine.group; // as last saved: its name may have changed since it opened
  if (!g) return;
  return confirmDelete({
    question: st("confirmDeleteDynamic", { name: g.name }), path: `/api/sms/dynamic-groups/${g.id}`, route: "dynamic",
    errorNode: n.formError,
  });
}

// --- who matches now ----------------------------------------------------------------------

/**
 * @param {DynamicView} mine
 * @param {number} groupId
 * @param {MatchNodes} n
 */
async function loadMembers(mine, groupId, n) {
  /** @type {{items?: Match[], total?: number}} */
  let data;
  try {
    data = await smsGet(`/api/sms/dynamic-groups/${groupId}/members`);
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

/**
 * The names of the organisations, folders and groups the rules point at (they hold ids).
 * @param {EditedRule[]} rules
 */
async function nameIdRules(rules) {
  await Promise.all(rules.filter((r) => isIdField(r.field)).map(async (r) => {
    try {
      r.label = (await get(`/api/${COLLECTIONS[r.field]}/${r.value}`)).name || "";
    } catch {
      r.label = ""; // deleted meanwhile: the id is shown
    }
  }));
}

/**
 * @param {DynamicView} mine
 * @param {HTMLElement} container
 * @param {string} id a group's id, or "new"
 */
async function openEditor(mine, container, id) {
  if (id !== "new") {
    try {
      /** @type {DynamicGroup} */
      const group = await smsGet(`/api/sms/dynamic-groups/${encodeURIComponent(id)}`);
      mine.group = group;
      mine.rules = (group.rules || []).map((r) => ({ ...r, label: "" }));
      await nameIdRules(mine.rules);
    } catch (err) {
      if (view === mine) mine.nodes.error.textContent = smsError(err);
      return;
    }
    if (view !== mine) return;
    renderList(mine);
  }
  if (!mine.rules.length) mine.rules = [newRule()];
  const g = mine.group;
  /** @type {EditorNodes} */
  const n = {
    heading: el("h3", {}, g ? g.name : st("newDynamic")),
    name: el("input", { type: "text", id: "sms-dynamic-name", value: g ? g.name : "", maxlength: "200", dataset: { testid: "sms-dynamic-name" } }),
    rules: el("ol", { class: "plain sms-rules", dataset: { testid: "sms-rules" } }),
    formError: el("p", { class: "error", role: "alert", dataset: { testid: "sms-dynamic-error" } }),
    status: el("p", { class: "muted", role: "status", dataset: { testid: "sms-dynamic-status" } }),
  };
  const form = el("form", { novalidate: true, dataset: { testid: "sms-dynamic-form" } },
    el("span", { class: "field" }, el("label", { for: "sms-dynamic-name" }, st("name")), n.name),
    el("fieldset", { "aria-describedby": "sms-rules-hint" },
      el("legend", {}, st("rules")),
      el("p", { id: "sms-rules-hint", class: "muted" }, st("rulesHint")),
      n.rules,
      el("button", {
        type: "button", dataset: { testid: "sms-rule-add" },
        onclick: () => {
          mine.rules.push(newRule());
          renderRules(mine, n);
          /** @type {HTMLElement} */ (n.rules.querySelector(`#sms-rule-${mine.rules.length - 1}-field`)).focus();
        },
      }, st("addRule"))),
    n.formError,
    el("div", { class: "row" },
      el("button", { type: "submit", class: "primary", dataset: { testid: "sms-dynamic-save" } }, st("saveDynamic")),
      g ? el("button", { type: "button", class: "danger-button", dataset: { testid: "sms-dynamic-delete" }, onclick: () => remove(mine, n) }, st("deleteDynamic")) : null),
    n.status);
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    save(mine, n);
  });
  container.append(n.heading, form);
  renderRules(mine, n);
  if (!g) return;
  const matches = {
    total: el("p", { role: "status", dataset: { testid: "sms-dynamic-total" } }),
    members: el("div", {}),
  };
  mine.matches = matches;
  const refresh = () => loadMembers(mine, g.id, matches);
  container.append(el("section", { "aria-labelledby": "sms-members-now" },
    el("h4", { id: "sms-members-now" }, st("membersNow")),
    el("div", { class: "row" }, matches.total,
      el("button", { type: "button", dataset: { testid: "sms-dynamic-refresh" }, onclick: refresh }, st("refresh"))),
    matches.members));
  await refresh();
}

/**
 * @param {HTMLElement} container
 * @param {SmsRoute} route
 */
export async function render(container, route) {
  leave();
  const n = {
    list: el("ul", { class: "plain sms-group-list", dataset: { testid: "sms-dynamics" } }),
    none: el("p", { class: "muted" }, st("noDynamic")),
    error: el("p", { class: "error", role: "alert", dataset: { testid: "sms-dynamics-error" } }),
  };
  /** @type {DynamicView} */
  const mine = { items: [], group: null, rules: [], nodes: n, matches: null };
  view = mine;
  const newLink = el("p", {},
    link("dynamic/new", st("newDynamic"), { class: "button-link primary", dataset: { testid: "sms-dynamic-new" } }));
  await namedScreen(container, {
    title: st("dynamicGroups"), errorNode: n.error, aside: [newLink, n.list, n.none], loadList: () => loadList(mine),
    id: route.id, open: (main, id) => openEditor(mine, main, id), choose: st("chooseDynamic"), current: () => view === mine,
  });
}

export function leave() {
  view = null;
}
