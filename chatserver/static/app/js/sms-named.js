// @ts-check
// Pieces the screens of named, shared things have in common (SMS groups, subscriptions,
// dynamic groups): the side list with a count per item, the "new ..." name form and the
// rename/delete row, and the requests behind them. Each screen keeps its own testids, so
// its tests read as its own.
import { announce, clear, el } from "../../shared/dom.js";
import { smsError, st } from "./sms-i18n.js";
import { confirmDialog, go, smsDelete, smsGet, smsPatch } from "./sms-util.js";

/** @typedef {{id: number, name: string}} Named an SMS group, a subscription, a dynamic group */

/**
 * The `items` of a list route; on an error it is shown in `errorNode` and the list is empty.
 * @param {string} path
 * @param {HTMLElement} errorNode
 * @returns {Promise<unknown[]>} the server's items (each screen knows their shape)
 */
export async function fetchItems(path, errorNode) {
  try {
    return (await smsGet(path)).items || [];
  } catch (err) {
    errorNode.textContent = smsError(err);
    return [];
  }
}

/**
 * One item (`GET path`), or null after showing the error in `errorNode`.
 * @param {string} path
 * @param {HTMLElement} errorNode
 */
export async function fetchOne(path, errorNode) {
  try {
    return await smsGet(path);
  } catch (err) {
    errorNode.textContent = smsError(err);
    return null;
  }
}

/**
 * The screen: heading, error line, a side panel with `aside` and the main part. After
 * `loadList()` it opens `id` with `open(main, id)`, or asks to `choose` one, unless the
 * user went elsewhere meanwhile (`current()` false).
 * @param {HTMLElement} container
 * @param {{title: string, errorNode: HTMLElement, aside: HTMLElement[], loadList: () => Promise<unknown>,
 *   id: string | null, open: (main: HTMLElement, id: string) => Promise<unknown>, choose: string, current: () => boolean}} parts
 */
export async function namedScreen(container, { title, errorNode, aside, loadList, id, open, choose, current }) {
  const main = el("div", { class: "sms-group-main" });
  container.append(
    el("h2", {}, title),
    errorNode,
    el("div", { class: "sms-list-layout" }, el("aside", { class: "sms-filter-panel" }, aside), main),
  );
  await loadList();
  if (!current()) return;
  if (id) await open(main, id);
  else main.append(el("p", { class: "muted" }, choose));
}

/**
 * Rename: PATCH {name}, hand the answer to `apply`, say "Saved." (or the error).
 * @param {string} path
 * @param {string} name
 * @param {{errorNode: HTMLElement, statusNode: HTMLElement, apply: (answer: unknown) => void}} nodes apply gets the server's answer
 */
export async function saveName(path, name, { errorNode, statusNode, apply }) {
  errorNode.textContent = "";
  statusNode.textContent = "";
  try {
    apply(await smsPatch(path, { name }));
    statusNode.textContent = st("saved");
  } catch (err) {
    errorNode.textContent = smsError(err);
  }
}

/**
 * Ask `question`; on yes DELETE `path` and go to `route`. A refusal is shown in
 * `errorNode`, worded by `explain(err)` where a screen can say more than the server.
 * @param {{question: string, path: string, route: string, errorNode: HTMLElement, explain?: (err: unknown) => string}} what
 */
export async function confirmDelete({ question, path, route, errorNode, explain = smsError }) {
  if (!(await confirmDialog(question))) return;
  errorNode.textContent = "";
  try {
    await smsDelete(path);
  } catch (err) {
    errorNode.textContent = explain(err);
    return;
  }
  announce(st("deleted"));
  go(route);
}

/**
 * Fill `ul` with one link per item (`#/sms/{route}/{id}`), the open one marked current,
 * and `count(item)` after it. `testid` names the item; its link is `${testid}-link`.
 * @template {Named} T
 * @param {HTMLElement} ul
 * @param {T[]} items
 * @param {{route: string, currentId: number | null, testid: string, count: (item: T) => string}} how
 */
export function renderNamedList(ul, items, { route, currentId, testid, count }) {
  clear(ul);
  for (const item of items) {
    ul.append(el("li", { dataset: { testid, id: String(item.id) } },
      el("a", {
        href: `#/sms/${route}/${item.id}`,
        "aria-current": currentId === item.id ? "true" : null,
        dataset: { testid: `${testid}-link` },
      }, item.name),
      el("span", { class: "muted" }, ` ${count(item)}`)));
  }
}

/**
 * A form with one name field and an Add button. `onName(name)` may throw an API error:
 * it is shown in `errorNode`. The field is emptied only when the name was taken.
 * @param {{id: string, label: string, addLabel: string, testid: string, errorNode: HTMLElement, onName: (name: string) => Promise<unknown>}} parts
 */
export function newNameForm({ id, label, addLabel, testid, errorNode, onName }) {
  const input = el("input", { type: "text", id, maxlength: "200", dataset: { testid: `${testid}-name` } });
  const form = el("form", { class: "row", dataset: { testid } },
    el("span", { class: "field" }, el("label", { for: id }, label), input),
    el("button", { type: "submit", dataset: { testid: `${testid}-add` } }, addLabel));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const name = input.value.trim();
    errorNode.textContent = "";
    if (!name) {
      input.focus();
      return;
    }
    try {
      await onName(name);
      input.value = "";
    } catch (err) {
      errorNode.textContent = smsError(err);
    }
  });
  return form;
}

/**
 * The open item's name with Save and Delete. `onSave(name)` and `onDelete()` do the work;
 * `testid` prefixes `-name`, `-save` and `-delete`. Returns {form, input}.
 * @param {{id: string, label: string, value: string, saveLabel: string, deleteLabel: string, testid: string,
 *   onSave: (name: string) => unknown, onDelete: () => unknown}} parts
 */
export function renameForm({ id, label, value, saveLabel, deleteLabel, testid, onSave, onDelete }) {
  const input = el("input", { type: "text", id, value, maxlength: "200", dataset: { testid: `${testid}-name` } });
  const form = el("form", { class: "row" },
    el("span", { class: "field" }, el("label", { for: id }, label), input),
    el("button", { type: "submit", class: "primary", dataset: { testid: `${testid}-save` } }, saveLabel),
    el("button", { type: "button", class: "danger-button", dataset: { testid: `${testid}-delete` }, onclick: onDelete }, deleteLabel));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    onSave(input.value.trim());
  });
  return { form, input };
}
