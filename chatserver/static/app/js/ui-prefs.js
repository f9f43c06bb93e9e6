// @ts-check
// Notification preferences: every notify.* setting of the catalogue (the core's and the
// features', such as live chat's) at levels 0/1/2, or the organisation's default (a null
// value removes the user's own override).
import { get, put } from "../../shared/api.js";
import { $, clear, el } from "../../shared/dom.js";
import { errorText, lang, t } from "./i18n.js";
import { askPermission, notificationsSupported } from "../../shared/notify.js";
import { myId, on, state } from "./store.js";

/** @type {Set<string>} the settings the user chose a level of */
let overridden = new Set();
/** @type {Record<string, unknown>} the organisation's levels */
let tenantDefaults = {};

// Our own words for each event (the catalogue's labels are the settings' names, as the
// key-user screens list them, not what a user asks); the catalogue's label for an event we
// have no words for yet.
/** @param {import("./store.js").AppState["catalogue"][number]} setting a notify.* setting of the catalogue */
function labelOf(setting) {
  const key = `pref_${setting.name.replace(".", "_")}`;
  const own = t(key);
  return own !== key ? own : setting.label[lang()] || setting.label.en;
}

/** @param {unknown} value */
function levelText(value) {
  return value === 0 || value === 1 || value === 2 ? t(`level${value}`) : "?";
}

function render() {
  const box = clear($("prefs-fields"));
  for (const setting of state.catalogue.filter((s) => s.name.startsWith("notify."))) {
    const name = setting.name;
    const id = `pref-${name.replace(".", "-")}`;
    const select = el("select", { id, dataset: { testid: `pref-${name}`, name } });
    const orgValue = tenantDefaults[name];
    select.append(el("option", { value: "default", text: t("orgDefault", { value: levelText(orgValue) }) }));
    for (const level of [0, 1, 2]) select.append(el("option", { value: String(level), text: t(`level${level}`) }));
    select.value = overridden.has(name) ? String(state.settings[name]) : "default";
    select.addEventListener("change", () => save(name, select));
    box.append(el("div", { class: "field" }, el("label", { for: id, text: labelOf(setting) }), select));
  }
  showPermission();
}

/**
 * @param {string} name
 * @param {HTMLSelectElement} select
 */
async function save(name, select) {
  const status = $("prefs-status");
  const value = select.value === "default" ? null : Number(select.value);
  try {
    const res = await put(`/api/users/${myId()}/settings/${encodeURIComponent(name)}`, { value });
    state.settings[name] = res.value;
    if (value === null) overridden.delete(name);
    else overridden.add(name);
    status.textContent = t("saved");
  } catch (err) {
    status.textContent = errorText(err);
  }
}

function showPermission() {
  const status = $("prefs-status");
  if (!notificationsSupported()) status.textContent = t("notificationsUnsupported");
  else if (Notification.permission === "denied") status.textContent = t("notificationsDenied");
  else if (Notification.permission === "granted") status.textContent = t("notificationsAllowed");
  else status.textContent = "";
  $("notify-permission").hidden = !notificationsSupported() || Notification.permission !== "default";
}

export async function loadPrefs() {
  const [catalogue, mine] = await Promise.all([get("/api/settings"), get(`/api/users/${myId()}/settings`)]);
  state.catalogue = catalogue.settings;
  Object.assign(state.settings, mine.values);
  overridden = new Set(mine.overridden);
  try {
    tenantDefaults = (await get("/api/settings/tenant")).values || {};
  } catch {
    tenantDefaults = {};
  }
}

/**
 * A settings.changed event (from this or another device of the user).
 * @param {{name: string, value: unknown}} data
 */
export function settingChanged(data) {
  state.settings[data.name] = data.value;
  if ($("prefs-dialog").open) {
    const select = /** @type {HTMLSelectElement | null} */ (document.querySelector(`[data-name="${CSS.escape(data.name)}"]`));
    if (select && select.value !== "default") select.value = String(data.value);
  }
}

export function initPrefs() {
  $("prefs-open").addEventListener("click", async () => {
    try {
      await loadPrefs();
    } catch (err) {
      $("prefs-status").textContent = errorText(err);
    }
    render();
    $("prefs-dialog").showModal();
  });
  $("notify-permission").addEventListener("click", async () => {
    await askPermission();
    showPermission();
  });
  on("lang", () => {
    if ($("prefs-dialog").open) render();
  });
}
