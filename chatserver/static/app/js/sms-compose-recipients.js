// @ts-check
// The composer's recipients: chips, each included or excluded; a typed number checked by
// the server before it becomes one; a stored selection's chips named by looking them up.
import { ApiError, get } from "../../shared/api.js";
import { clear, el } from "../../shared/dom.js";
import { describe } from "./sms-picker.js";
import { schedulePreview, wire } from "./sms-compose-counter.js";
import { smsConfig } from "./sms-state.js";
import { st } from "./sms-i18n.js";
import { smsPost } from "./sms-util.js";

/** @typedef {import("./sms-picker.js").SmsItem} SmsItem */
/** @typedef {import("./sms-compose-counter.js").ComposeForm} ComposeForm */

/**
 * @param {SmsItem} a
 * @param {SmsItem} b
 */
function sameItem(a, b) {
  return a.type === b.type && (a.type === "number" ? a.number === b.number : a.id === b.id);
}

/** @param {ComposeForm} form */
export function renderChips(form) {
  const list = clear(form.nodes.chips);
  form.nodes.noRecipients.hidden = form.items.length > 0;
  form.items.forEach((item, i) => {
    const text = describe(item);
    const mode = el(
      "select",
      { "aria-label": st("modeOf", { name: text }), dataset: { testid: "sms-chip-mode" } },
      el("option", { value: "include" }, st("include")),
      el("option", { value: "exclude" }, st("exclude")),
    );
    mode.value = item.mode || "include";
    mode.addEventListener("change", () => {
      item.mode = mode.value === "exclude" ? "exclude" : "include";
      chip.dataset.mode = mode.value;
      schedulePreview(form);
    });
    const remove = el("button", {
      type: "button",
      class: "icon-button",
      "aria-label": st("removeRecipient", { name: text }),
      dataset: { testid: "sms-chip-remove" },
      onclick: () => {
        form.items.splice(i, 1);
        renderChips(form);
        schedulePreview(form);
        form.nodes.pickerInput.focus();
      },
    }, el("span", { "aria-hidden": "true" }, "\u00d7"));
    const chip = el("li", { class: "sms-chip", dataset: { testid: "sms-chip", type: item.type, mode: mode.value } },
      el("span", { class: "sms-chip-text" }, text), mode, remove);
    list.append(chip);
  });
}

/**
 * @param {ComposeForm} form
 * @param {SmsItem} item
 */
export function addItem(form, item) {
  if (form.items.some((x) => sameItem(x, item))) return;
  form.items.push({ ...item });
  renderChips(form);
  schedulePreview(form);
}

// Countries whose national numbers start with a trunk 0 that the international form drops.
/** @type {Record<string, string>} */
const TRUNK_ZERO = { NL: "31", BE: "32", DE: "49", FR: "33", GB: "44", AT: "43", CH: "41", SE: "46", FI: "358", IE: "353" };

/** The international form of a number the server accepted, for the chip only (the server
 *  normalises what it sends with phonenumbers; this never decides anything).
 * @param {string} raw
 * @param {string | undefined} country
 */
export function international(raw, country) {
  const digits = raw.replace(/[\s().\-]/g, "");
  if (/^\+\d+$/.test(digits)) return digits;
  if (/^00\d+$/.test(digits)) return `+${digits.slice(2)}`;
  const code = country ? TRUNK_ZERO[country] : undefined;
  if (code && /^0\d+$/.test(digits)) return `+${code}${digits.slice(1)}`;
  return raw;
}

/** A typed number is checked by the server before it becomes a chip, so a landline or a typo
 *  is refused at once with the reason (the picker shows it and keeps the text).
 * @param {ComposeForm} mine
 * @param {SmsItem} item
 */
export async function addTyped(mine, item) {
  if (item.type !== "number") return addItem(mine, item);
  try {
    await smsPost("/api/sms/preview", { body: "", recipients: [wire(item)] });
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 0)) throw err; // refused: say why; a network error is left to the send
  }
  if (mine.closed) return undefined;
  return addItem(mine, { ...item, name: item.name || "", number: international(item.number || "", smsConfig.default_country) });
}

// A stored selection names its items by id only: look their names up for the chips.
/** @type {Record<string, (id: number | undefined) => string>} */
const NAME_PATHS = {
  person: (id) => `/api/people/${id}`,
  organisation: (id) => `/api/organisations/${id}`,
  folder: (id) => `/api/folders/${id}`,
  group: (id) => `/api/groups/${id}`,
  sms_group: (id) => `/api/sms/groups/${id}`,
  dynamic_group: (id) => `/api/sms/dynamic-groups/${id}`,
};

/** @param {ComposeForm} mine */
export async function nameChips(mine) {
  if (mine.closed) return;
  const lookups = mine.items.filter((item) => !item.name).map(async (item) => {
    try {
      if (item.type === "user") {
        const users = (await get("/api/users")).users || [];
        const u = /** @type {{id: number, name: string}[]} */ (users).find((x) => x.id === item.id);
        item.name = u ? u.name : "";
      } else if (NAME_PATHS[item.type]) {
        const data = await get(NAME_PATHS[item.type](item.id));
        item.name = data.name || data.title || "";
      }
    } catch {
      /* the chip keeps its id */
    }
  });
  await Promise.all(lookups);
  if (!mine.closed) renderChips(mine);
}
