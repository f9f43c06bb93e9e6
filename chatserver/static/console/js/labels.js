// @ts-check
// Labels: the organisation's list (its screen; key-users change it), chips on
// conversations (added and removed in the chat), and the lists' filter by label.
import { api, get, post, put } from "../../shared/api.js";
import { $, clear, el, redraw, toast } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";
import { emit, state, upsert } from "./state.js";

export async function loadLabels() {
  try {
    state.labels = (await get("/api/livechat/labels")).labels;
  } catch {
    return;
  }
  labelsChanged();
}

/** The list changed (loaded, or a livechat.labels event): redraw what shows labels. */
export function labelsChanged() {
  if (state.labelFilter !== null && !state.labels.some((l) => l.id === state.labelFilter)) state.labelFilter = null;
  renderLabelFilter();
  renderLabelsScreen();
  emit("labels");
}

/** @typedef {{id: number, name: string, colour: string}} Label */
/** @typedef {import("./state.js").LiveConversation} LiveConversation */

const byId = (/** @type {number} */ id) => state.labels.find((l) => l.id === id);

/**
 * Black or white text, whichever reads better on the label's colour.
 * @param {string} hex
 */
function ink(hex) {
  const n = parseInt(hex.slice(1), 16);
  const [r, g, b] = [n >> 16, (n >> 8) & 255, n & 255];
  return 0.299 * r + 0.587 * g + 0.114 * b > 150 ? "#1d2330" : "#ffffff";
}

/**
 * @param {Label} label
 * @param {() => void} [onRemove] none: a chip that cannot be removed
 */
function chip(label, onRemove) {
  const node = el("span", { class: "label-chip", dataset: { testid: "label-chip", labelId: String(label.id) } }, label.name);
  // Set through the CSSOM: the console's CSP allows no style attribute.
  node.style.backgroundColor = label.colour;
  node.style.color = ink(label.colour);
  if (onRemove) {
    node.append(el("button", {
      type: "button", class: "label-remove", "aria-label": t("removeLabel", { name: label.name }),
      dataset: { testid: `label-remove-${label.id}` }, onclick: onRemove,
    }, "×"));
    /** @type {HTMLElement} */ (node.querySelector("button")).style.color = ink(label.colour);
  }
  return node;
}

/**
 * The chips of a conversation's labels (unknown ids, e.g. just deleted, are left out).
 * @param {LiveConversation} conv
 */
export function chips(conv) {
  const known = knownLabels(conv.label_ids || []);
  return known.length ? el("span", { class: "label-chips" }, known.map((l) => chip(l))) : null;
}

/**
 * @param {number[]} ids
 * @returns {Label[]}
 */
function knownLabels(ids) {
  return ids.map(byId).filter((l) => l !== undefined);
}

/** @param {LiveConversation} conv */
export const passesFilter = (conv) => state.labelFilter === null || (conv.label_ids || []).includes(state.labelFilter);

/** "&label=ID" for the server's lists while a filter is chosen. */
export const filterParam = () => (state.labelFilter === null ? "" : `&label=${state.labelFilter}`);

// --- in the chat ----------------------------------------------------------------------

/**
 * @param {LiveConversation} conv
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 */
async function change(conv, method, path, body) {
  try {
    upsert(await api(method, path, body));
    emit("lists");
    emit("chat");
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
}

/** @param {LiveConversation} conv */
export function renderChatLabels(conv) {
  const box = clear($("chat-labels"));
  const on = conv.label_ids || [];
  for (const l of knownLabels(on)) {
    box.append(chip(l, () => change(conv, "DELETE", `/api/livechat/conversations/${conv.id}/labels/${l.id}`)));
  }
  const free = state.labels.filter((l) => !on.includes(l.id));
  if (!free.length) return;
  const select = el("select", { "aria-label": t("addLabel"), dataset: { testid: "label-add" } },
    el("option", { value: "" }, t("addLabel")),
    free.map((l) => el("option", { value: String(l.id) }, l.name)));
  select.addEventListener("change", () => {
    const id = Number(select.value);
    if (id) change(conv, "POST", `/api/livechat/conversations/${conv.id}/labels`, { label_id: id });
  });
  box.append(select);
}

// --- the filter -----------------------------------------------------------------------

function renderLabelFilter() {
  const select = $("label-filter");
  clear(select).append(
    el("option", { value: "" }, t("allLabels")),
    ...state.labels.map((l) => el("option", { value: String(l.id) }, l.name)),
  );
  select.value = state.labelFilter === null ? "" : String(state.labelFilter);
  $("label-filter-row").hidden = !state.labels.length;
}

/** @param {() => void} onFilter */
export function initLabels(onFilter) {
  const filter = /** @type {HTMLSelectElement} */ ($("label-filter"));
  filter.addEventListener("change", () => {
    state.labelFilter = filter.value ? Number(filter.value) : null;
    onFilter();
  });
  $("label-form").addEventListener("submit", async (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    try {
      await post("/api/livechat/labels", { name: $("label-name").value, colour: $("label-colour").value });
      $("label-form").reset();
      $("label-error").textContent = "";
      await loadLabels();
    } catch (err) {
      $("label-error").textContent = t("failed", { message: errorText(err) });
    }
  });
}

// --- the screen -----------------------------------------------------------------------

/** @param {Label} l */
function row(l) {
  if (!(state.me && state.me.role === "key_user")) {
    return el("li", { class: "label-row", dataset: { testid: `label-${l.id}` } }, chip(l));
  }
  const name = el("input", { value: l.name, maxlength: 40, "aria-label": t("labelName"), dataset: { testid: `label-name-${l.id}` } });
  const colour = el("input", { type: "color", value: l.colour, "aria-label": t("labelColour"), dataset: { testid: `label-colour-${l.id}` } });
  const save = async () => {
    try {
      await put(`/api/livechat/labels/${l.id}`, { name: name.value, colour: colour.value });
      await loadLabels();
      toast(t("saved"));
    } catch (err) {
      toast(t("failed", { message: errorText(err) }));
    }
  };
  const remove = async () => {
    if (!confirm(t("confirmDeleteLabel", { name: l.name }))) return;
    try {
      await api("DELETE", `/api/livechat/labels/${l.id}`);
      await loadLabels();
    } catch (err) {
      toast(t("failed", { message: errorText(err) }));
    }
  };
  return el("li", { class: "label-row", dataset: { testid: `label-${l.id}` } }, chip(l), name, colour,
    el("button", { type: "button", onclick: save, dataset: { testid: `label-save-${l.id}` } }, t("save")),
    el("button", { type: "button", class: "danger-button", onclick: remove, dataset: { testid: `label-delete-${l.id}` } }, t("delete")));
}

export function renderLabelsScreen() {
  // A redraw (the screen's own load when it opens, a colleague's change) keeps what the
  // key-user is typing in a row, the field they are in and its selection: else a save
  // right after would send the redrawn row's old name.
  redraw($("list-labels"), (list) => {
    if (!state.labels.length) list.append(el("li", { class: "muted" }, t("noLabels")));
    list.append(...state.labels.map(row));
  });
  $("label-form").hidden = !(state.me && state.me.role === "key_user");
}
