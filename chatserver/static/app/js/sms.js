// @ts-check
// The SMS section (SM-1..SM-12): shown only when the user's sms.enabled is on. Hash routes
// pick a screen; sms.message / sms.recipient events from the app's socket reach the screen
// that is open. Routes (all bookmarkable, so a record can link straight to the composer):
//   #/sms                 the list          #/sms/new?person=ID|user=ID|record=ID|number=N
//   #/sms/m/ID            a message         #/sms/groups[/ID]        #/sms/queue (admins)
//   #/sms/subscriptions[/ID]                #/sms/dynamic[/ID|new]   #/sms/credits
import { $, clear, el } from "../../shared/dom.js";
import { on, state } from "./store.js";
import { st } from "./sms-i18n.js";
import { isAdmin, smsConfig } from "./sms-state.js";
import { smsGet } from "./sms-util.js";

/** @typedef {import("./sms-state.js").SmsScreen} SmsScreen */
/** @typedef {import("./sms-state.js").SmsRoute} SmsRoute */

// Each screen is loaded the first time it is opened: a user without SMS loads none of them.
/** @type {Record<string, () => Promise<SmsScreen>>} */
const SCREENS = {
  "": () => import("./sms-list.js"),
  m: () => import("./sms-detail.js"),
  new: () => import("./sms-composer.js"),
  edit: () => import("./sms-composer.js"),
  groups: () => import("./sms-groups.js"),
  queue: () => import("./sms-queue.js"),
  subscriptions: () => import("./sms-subscriptions.js"),
  dynamic: () => import("./sms-dynamic.js"),
  credits: () => import("./sms-credits.js"),
};
let routing = 0;
/** @type {SmsScreen | null} */
let current = null;
let started = false;
// How many messages wait for an SMS-admin's approval: shown on the SMS link and the queue tab.
let waiting = 0;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let waitingTimer;

export function smsEnabled() {
  return started && state.settings["sms.enabled"] !== false;
}

/** @returns {SmsRoute | null} */
function parseRoute() {
  const hash = location.hash || "";
  if (!hash.startsWith("#/sms")) return null;
  const [path, query] = hash.slice(1).split("?");
  const parts = path.split("/").filter(Boolean).slice(1); // drop "sms"
  return { name: parts[0] || "", id: parts[1] || null, params: new URLSearchParams(query || "") };
}

/** @param {string} active the route shown */
function renderNav(active) {
  const nav = clear($("sms-nav"));
  /** @type {[string, string | (string | HTMLElement)[], string][]} route, label, testid */
  const items = [
    ["", st("messages"), "sms-nav-list"],
    ["new", st("newSms"), "sms-nav-new"],
    ["groups", st("groups"), "sms-nav-groups"],
    ["subscriptions", st("subscriptions"), "sms-nav-subscriptions"],
    ["dynamic", st("dynamicGroups"), "sms-nav-dynamic"],
    ["credits", st("creditsTitle"), "sms-nav-credits"],
  ];
  if (isAdmin()) items.push(["queue", [st("queue"), ...waitingBadge("sms-queue-waiting")], "sms-nav-queue"]);
  const ul = el("ul", { class: "plain sms-tabs" });
  for (const [route, label, testid] of items) {
    const here = active === route || (route === "" && active === "m");
    ul.append(
      el("li", {}, el("a", { href: route ? `#/sms/${route}` : "#/sms", "aria-current": here ? "page" : null, dataset: { testid } }, ...[label].flat())),
    );
  }
  nav.append(ul);
}

/**
 * The count as a small badge, its meaning in words for a screen reader; nothing at 0.
 * @param {string} testid
 */
function waitingBadge(testid) {
  if (!waiting || !isAdmin()) return [];
  const words = st("waitingForApproval", { count: waiting });
  return [
    el("span", { class: "sms-count", title: words, "aria-hidden": "true", dataset: { testid } }, String(waiting)),
    el("span", { class: "sr-only" }, ` (${words})`),
  ];
}

function showWaiting() {
  const link = $("sms-open");
  for (const old of link.querySelectorAll(".sms-count, .sr-only")) old.remove();
  link.append(...waitingBadge("sms-open-waiting"));
  const tab = document.querySelector("[data-testid='sms-nav-queue']");
  if (tab) {
    for (const old of tab.querySelectorAll(".sms-count, .sr-only")) old.remove();
    tab.append(...waitingBadge("sms-queue-waiting"));
  }
}

/** Ask the server how many messages wait for approval (an SMS-admin only). */
async function loadWaiting() {
  let count = 0;
  if (smsEnabled() && isAdmin()) {
    try {
      count = (await smsGet("/api/sms/queue?status=awaiting_approval&limit=1")).total || 0;
    } catch {
      return; // keep the last count; the next event asks again
    }
  }
  waiting = count;
  showWaiting();
}

function scheduleWaiting() {
  clearTimeout(waitingTimer);
  waitingTimer = setTimeout(loadWaiting, 300);
}

/** @param {boolean} visible */
function showSection(visible) {
  $("sms-view").hidden = !visible;
  const hint = /** @type {HTMLElement | null} */ (document.querySelector(".home > p[data-i18n='homeHint']"));
  if (hint) hint.hidden = visible;
  $("sms-open").setAttribute("aria-current", visible ? "page" : "false");
}

async function route() {
  const r = parseRoute();
  if (current && current.leave) current.leave();
  current = null;
  if (!r || !smsEnabled()) {
    showSection(false);
    return;
  }
  const mine = ++routing;
  const load = SCREENS[r.name];
  const box = clear($("sms-screen"));
  showSection(true);
  renderNav(r.name === "m" && r.params.get("from") === "queue" ? "queue" : r.name);
  if (r.name === "queue" && !isAdmin()) {
    box.append(el("h2", {}, st("queue")), el("p", { dataset: { testid: "sms-queue-admins-only" } }, st("queueAdminsOnly")));
    return;
  }
  if (!load) {
    box.append(el("p", { class: "muted" }, st("noMessages")));
    return;
  }
  const screen = await load();
  if (mine !== routing) return; // another route was chosen while this one loaded
  current = screen;
  await screen.render(box, r);
  const heading = box.querySelector("h2");
  if (heading && document.activeElement === document.body) {
    heading.tabIndex = -1;
    heading.focus();
  }
}

async function loadConfig() {
  try {
    Object.assign(smsConfig, await smsGet("/api/sms/config"), { loaded: true });
  } catch {
    // The screens fall back on the settings /api/me gave; the server decides on send.
    smsConfig.loaded = false;
    smsConfig.allow_long = state.settings["sms.allow_long"] === true;
    smsConfig.recipient_limit = Number(state.settings["sms.recipient_limit"] ?? 100);
    smsConfig.default_sender = String(state.settings["sms.default_sender"] || "");
  }
}

/** Show or hide the SMS entry point for the user's current settings. */
function applyAccess() {
  $("sms-open").hidden = !smsEnabled();
}

/** After login and the first load: the settings are known. */
export async function smsStart() {
  started = true;
  applyAccess();
  if (!smsEnabled()) {
    showSection(false);
    return;
  }
  await loadConfig();
  await route();
  await loadWaiting();
}

export function smsStop() {
  started = false;
  if (current && current.leave) current.leave();
  current = null;
  clear($("sms-screen"));
  clearTimeout(waitingTimer);
  waiting = 0;
  showWaiting();
  showSection(false);
  applyAccess();
}

/**
 * An event of the app's socket: sms.message or sms.recipient.
 * @param {"sms.message" | "sms.recipient"} type
 * @param {Record<string, any>} data as the server sent it
 */
export function smsEvent(type, data) {
  if (type === "sms.message" && smsEnabled() && isAdmin()) scheduleWaiting();
  if (!smsEnabled() || !current) return;
  if (type === "sms.message" && current.onMessage) current.onMessage(data.message || {});
  if (type === "sms.recipient" && current.onRecipient) current.onRecipient(data);
}

/** settings.changed: the module may have been switched on or off, or admin rights changed. */
/** @param {{name?: string} | null | undefined} data */
export async function smsSettingChanged(data) {
  if (!data || !String(data.name || "").startsWith("sms.")) return;
  applyAccess();
  if (smsEnabled()) await loadConfig();
  await route();
  await loadWaiting();
}

/** The server could not replay what was missed: the open screen reloads. */
export function smsResync() {
  if (smsEnabled()) route();
  if (smsEnabled()) scheduleWaiting();
}

export function initSms() {
  window.addEventListener("hashchange", () => {
    route();
  });
  on("lang", () => {
    showWaiting();
    if (parseRoute() && smsEnabled()) route();
  });
}
