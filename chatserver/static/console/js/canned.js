// @ts-check
// Canned responses: the screen that keeps them (the organisation's for key-users, one's
// own for everyone) and the picker that "/shortcut" opens in the reply box.
import { api, get, post, put } from "../../shared/api.js";
import { $, announce, clear, el, toast } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";
import { PLACEHOLDERS, fillPlaceholders, placeholderValues } from "./placeholders.js";
import { state } from "./state.js";

export async function loadCanned() {
  try {
    state.canned = (await get("/api/livechat/canned")).canned;
  } catch {
    return state.canned;
  }
  return state.canned;
}

const isKeyUser = () => !!(state.me && state.me.role === "key_user");

// --- the screen ----------------------------------------------------------------------

/** @typedef {import("./state.js").Canned} Canned */

/** @type {Canned | null} */
let editing = null; // the response being edited, or null while adding

export async function showCanned() {
  await loadCanned();
  renderCanned();
}

export function renderCanned() {
  const lists = { organisation: clear($("canned-organisation")), personal: clear($("canned-personal")) };
  for (const c of state.canned) {
    const mayChange = c.scope === "personal" || isKeyUser();
    lists[c.scope].append(
      el(
        "li",
        { class: "canned-item", dataset: { testid: `canned-${c.id}`, scope: c.scope } },
        el("span", { class: "canned-shortcut" }, `/${c.shortcut}`),
        el("span", { class: "canned-text" }, c.text),
        mayChange
          ? el("span", { class: "canned-buttons" },
            el("button", { type: "button", dataset: { testid: `canned-edit-${c.id}` }, onclick: () => startEdit(c) }, t("edit")),
            el("button", { type: "button", class: "danger-button", dataset: { testid: `canned-delete-${c.id}` }, onclick: () => remove(c) }, t("delete")))
          : null,
      ),
    );
  }
  for (const [scope, list] of Object.entries(lists)) {
    if (!list.children.length) list.append(el("li", { class: "muted" }, t("noCanned")));
    list.dataset.scope = scope;
  }
  $("canned-placeholders").textContent = t("cannedPlaceholders", { list: PLACEHOLDERS.map((p) => `{{${p}}}`).join(", ") });
  renderForm();
}

function renderForm() {
  const scope = $("canned-scope");
  const organisation = scope.querySelector("option[value=organisation]");
  organisation.hidden = organisation.disabled = !isKeyUser();
  if (!isKeyUser()) scope.value = "personal";
  scope.disabled = editing !== null;
  $("canned-form-title").textContent = editing ? t("editCanned", { shortcut: editing.shortcut }) : t("newCanned");
  $("canned-submit").textContent = editing ? t("saveChanges") : t("addCanned");
  $("canned-cancel").hidden = editing === null;
}

/** @param {Canned} c */
function startEdit(c) {
  editing = c;
  $("canned-scope").value = c.scope;
  $("canned-shortcut").value = c.shortcut;
  $("canned-text").value = c.text;
  renderForm();
  $("canned-shortcut").focus();
}

function stopEdit() {
  editing = null;
  $("canned-form").reset();
  $("canned-error").textContent = "";
  renderForm();
}

/** @param {Canned} c */
async function remove(c) {
  if (!confirm(t("confirmDeleteCanned", { shortcut: c.shortcut }))) return;
  try {
    await api("DELETE", `/api/livechat/canned/${c.id}`);
    if (editing && editing.id === c.id) stopEdit();
    await showCanned();
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
}

export function initCannedScreen() {
  $("canned-cancel").addEventListener("click", stopEdit);
  $("canned-form").addEventListener("submit", async (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    const body = { shortcut: $("canned-shortcut").value.trim(), text: $("canned-text").value };
    try {
      if (editing) await put(`/api/livechat/canned/${editing.id}`, body);
      else await post("/api/livechat/canned", { scope: $("canned-scope").value, ...body });
      stopEdit();
      await showCanned();
      toast(t("saved"));
    } catch (err) {
      // The server names the field: the message says what to fix.
      $("canned-error").textContent = t("failed", { message: errorText(err) });
    }
  });
}

// --- the picker in the reply box ----------------------------------------------------

// "/" and the letters after it, at the start of the text or after a space, up to the caret.
const TOKEN = /(^|\s)\/([\p{L}\p{N}_-]*)$/u;

/**
 * The responses that match what follows "/", best first (at most 8).
 * @param {string} query
 * @returns {Canned[]}
 */
function matches(query) {
  const q = query.toLowerCase();
  const rank = (/** @type {Canned} */ c) => (c.shortcut.startsWith(q) ? 0 : c.shortcut.includes(q) ? 1 : c.text.toLowerCase().includes(q) ? 2 : 3);
  return state.canned
    .map((c) => /** @type {[number, Canned]} */ ([rank(c), c]))
    .filter(([r]) => r < 3)
    .sort((a, b) => a[0] - b[0] || a[1].shortcut.localeCompare(b[1].shortcut))
    .slice(0, 8)
    .map(([, c]) => c);
}

/** The picker for a textarea: typing "/short" lists the matching responses; arrows
 * choose, Enter or Tab inserts, Escape closes; a click inserts too.
 * @param {HTMLTextAreaElement} input
 */
export function initCannedPicker(input) {
  const popup = $("canned-popup");
  /** @type {Canned[]} */
  let items = [];
  let chosen = 0;
  let open = false;
  let token = { start: 0, end: 0 }; // of "/query" in the text, set when the picker opens
  let query = "";

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", "canned-popup");
  input.setAttribute("aria-expanded", "false");

  function close() {
    open = false;
    popup.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
  }

  function render() {
    clear(popup).setAttribute("aria-label", t("cannedResponses"));
    if (!items.length) {
      popup.append(el("li", { class: "muted", dataset: { testid: "canned-none" } }, t("noCannedMatch")));
    }
    items.forEach((c, i) => {
      popup.append(
        el(
          "li",
          {
            id: `canned-option-${i}`, role: "option", "aria-selected": String(i === chosen),
            class: `canned-option${i === chosen ? " chosen" : ""}`, dataset: { testid: "canned-option", shortcut: c.shortcut },
            // mousedown, not click: the textarea keeps its focus and caret.
            onmousedown: (/** @type {MouseEvent} */ ev) => {
              ev.preventDefault();
              insert(c);
            },
          },
          el("span", { class: "canned-shortcut" }, `/${c.shortcut}`),
          el("span", { class: "canned-scope muted" }, c.scope === "organisation" ? t("cannedOrganisation") : t("cannedMine")),
          el("span", { class: "canned-text" }, c.text),
        ),
      );
    });
    popup.hidden = false;
    open = true;
    input.setAttribute("aria-expanded", "true");
    if (items.length) input.setAttribute("aria-activedescendant", `canned-option-${chosen}`);
    const option = popup.querySelector(".chosen");
    if (option) option.scrollIntoView({ block: "nearest" });
  }

  /** @param {Canned} c */
  function insert(c) {
    // {{visitor.name}} and the like, from the open conversation (placeholders.js).
    const conv = state.current === null ? null : state.conversations.get(state.current) || null;
    const filled = fillPlaceholders(c.text, placeholderValues(conv, state.me));
    const text = input.value;
    input.value = text.slice(0, token.start) + filled.text + text.slice(token.end);
    close();
    input.focus();
    if (filled.left.length) {
      // One left as written: selected, so typing replaces it.
      const [start, end] = filled.left[0].map((i) => token.start + i);
      input.setSelectionRange(start, end);
      announce(t("fillPlaceholder", { placeholder: input.value.slice(start, end) }));
    } else {
      const caret = token.start + filled.text.length;
      input.setSelectionRange(caret, caret);
    }
  }

  function update() {
    const caret = input.selectionStart ?? 0;
    const m = input.selectionStart === input.selectionEnd ? TOKEN.exec(input.value.slice(0, caret)) : null;
    if (!m) return close();
    const wasOpen = open;
    token = { start: caret - m[2].length - 1, end: caret };
    query = m[2];
    items = matches(query);
    chosen = 0;
    render();
    // Fresh from the server at each opening: a colleague may have added one meanwhile.
    // The answer is matched against what is typed by then, not at the opening.
    if (!wasOpen) {
      loadCanned().then(() => {
        if (!open) return;
        items = matches(query);
        chosen = Math.min(chosen, Math.max(items.length - 1, 0));
        render();
      });
    }
  }

  input.addEventListener("input", update);
  input.addEventListener("click", update);
  input.addEventListener("blur", close);
  // Capture: before the reply box's own Enter (send) handler.
  input.addEventListener("keydown", (ev) => {
    if (!open) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      if (!items.length) return;
      chosen = (chosen + (ev.key === "ArrowDown" ? 1 : items.length - 1)) % items.length;
      render();
    } else if ((ev.key === "Enter" || ev.key === "Tab") && !ev.shiftKey && !ev.isComposing && items.length) {
      insert(items[chosen]);
    } else if (ev.key === "Escape") {
      close();
    } else {
      return;
    }
    ev.preventDefault();
    ev.stopImmediatePropagation();
  }, true);
}
