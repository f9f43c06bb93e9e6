// @ts-check
// The side views: overview (with the pie chart), incoming, active, history, operators, sites.
import { get, post } from "../../shared/api.js";
import { $, clear, el, toast } from "../../shared/dom.js";
import { duration, errorText, t, time } from "./i18n.js";
import { siteEditor } from "./site-editor.js";
import { chips, filterParam, passesFilter } from "./labels.js";
import { byState, emit, isMine, state, upsert, visitorName } from "./state.js";

// --- overview ----------------------------------------------------------------------

let overviewTimer = 0;

/** Reload the overview soon; many events in a burst make one request. */
export function refreshOverview(delay = 250) {
  clearTimeout(overviewTimer);
  overviewTimer = setTimeout(loadOverview, delay);
}

export async function loadOverview() {
  try {
    state.overview = await get("/api/livechat/overview");
  } catch {
    return;
  }
  renderOverview();
}

/**
 * @param {string} id
 * @param {string} label
 * @param {string | number} value
 */
function stat(id, label, value) {
  return el(
    "div",
    { class: "card stat", dataset: { testid: `stat-${id}` } },
    el("span", { class: "stat-value", dataset: { testid: `stat-${id}-value` } }, String(value)),
    el("span", { class: "stat-label" }, label),
  );
}

export function renderOverview() {
  const o = state.overview;
  if (!o) return;
  clear($("stats")).append(
    stat("incoming", t("incomingCount"), o.incoming ?? 0),
    stat("active", t("activeCount"), o.active ?? 0),
    stat("online", t("operatorsOnline"), o.operators_online ?? 0),
    stat("offline", t("operatorsOffline"), o.operators_offline ?? 0),
    stat("longest", t("longest"), duration(o.longest_resolution_s)),
    stat("shortest", t("shortest"), duration(o.shortest_resolution_s)),
    stat("first-response", t("firstResponse"), duration(o.avg_first_response_s)),
    stat("rating", t("avgRating"), o.avg_rating == null ? t("none") : t("ratingAvg", { avg: o.avg_rating.toFixed(1), n: o.ratings })),
  );
  const agents = o.online_agents || [];
  clear($("online-agents")).append(
    ...(agents.length
      ? agents.map((/** @type {string} */ name) => el("li", { class: "agent", dataset: { testid: "online-agent" } }, el("span", { class: "dot on", "aria-hidden": "true" }), name))
      : [el("li", { class: "muted" }, t("nobodyOnline"))]),
  );
  // resolved_share is a fraction (0..1); accept a percentage too.
  let share = Number(o.resolved_share) || 0;
  if (share > 1) share /= 100;
  const pct = Math.round(share * 1000) / 10;
  $("pie-slice").setAttribute("stroke-dasharray", `${share * 100} ${100 - share * 100}`);
  $("pie-label").textContent = `${pct}%`;
  $("pie-title").textContent = t("resolvedPct", { pct });
  $("pie").setAttribute("aria-label", t("resolvedPct", { pct }));
  $("pie").dataset.share = String(pct);
}

// --- conversation lists --------------------------------------------------------------

export async function loadLists() {
  const [incoming, active] = await Promise.all([
    get("/api/livechat/conversations?state=incoming"),
    get("/api/livechat/conversations?state=active"),
  ]);
  // Forget what the server no longer lists as incoming/active (resolved elsewhere).
  const seen = new Set();
  for (const c of [...incoming.conversations, ...active.conversations]) {
    upsert(c);
    seen.add(c.id);
  }
  for (const c of state.conversations.values()) {
    if ((c.state === "incoming" || c.state === "active") && !seen.has(c.id)) state.conversations.delete(c.id);
  }
  emit("lists");
}

/** @typedef {import("./state.js").LiveConversation} LiveConversation */

/**
 * @param {LiveConversation} conv
 * @param {{assign?: boolean}} [options] assign: with "Assign to me"
 */
function convItem(conv, { assign = false } = {}) {
  const name = visitorName(conv, t("visitor"));
  const unread = state.unread.get(conv.id) || 0;
  const last = conv.last_message ? conv.last_message.body : "";
  const open = el(
    "button",
    { type: "button", class: "conv-open", dataset: { testid: `conv-open-${conv.id}` }, onclick: () => emit("open", conv.id) },
    el("span", { class: "conv-name", dataset: { testid: "conv-name" } }, name, chips(conv)),
    el("span", { class: "muted conv-site" }, conv.site ? conv.site.name : ""),
    el("span", { class: "conv-last", dataset: { testid: "conv-last" } }, last),
    el("span", { class: "muted conv-meta" }, [
      time(conv.resolved_at || (conv.last_message && conv.last_message.created_at) || conv.created_at),
      conv.operator ? ` · ${conv.operator.name}` : "",
      conv.rating ? ` · ★ ${conv.rating.score}` : "",
    ].join("")),
    unread ? el("span", { class: "count", dataset: { testid: "conv-unread" } }, String(unread)) : null,
  );
  const li = el("li", { class: `conv${conv.id === state.current ? " current" : ""}`, dataset: { testid: `conv-${conv.id}`, state: conv.state } }, open);
  if (assign) {
    li.append(
      el("button", {
        type: "button", class: "primary", dataset: { testid: `assign-${conv.id}` },
        onclick: () => assign_(conv.id),
      }, t("assignToMe")),
    );
  }
  return li;
}

/** @param {number} id */
async function assign_(id) {
  try {
    upsert(await post(`/api/livechat/conversations/${id}/assign`, {}));
    emit("lists");
    emit("open", id);
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
}

/**
 * @param {string} listId
 * @param {LiveConversation[]} items
 * @param {{assign?: boolean}} [opts]
 */
function fill(listId, items, opts) {
  const list = clear($(listId));
  list.append(...items.map((c) => convItem(c, opts)));
  const empty = list.parentElement.querySelector(".empty");
  if (empty) empty.hidden = items.length > 0;
}

export function renderLists() {
  const incoming = byState("incoming").filter(passesFilter);
  const active = byState("active").filter(passesFilter);
  // Mine first, then colleagues' chats.
  active.sort((a, b) => Number(isMine(b)) - Number(isMine(a)));
  fill("list-incoming", incoming, { assign: true });
  fill("list-active", active);
  $("count-incoming").textContent = String(incoming.length);
  $("count-active").textContent = String(active.length);
}

export async function loadHistory() {
  const input = $("history-date");
  if (!input.value) input.value = new Date().toISOString().slice(0, 10);
  try {
    const data = await get(`/api/livechat/conversations?state=resolved&date=${encodeURIComponent(input.value)}${filterParam()}`);
    const items = upserted(data.conversations);
    items.sort((a, b) => String(b.resolved_at).localeCompare(String(a.resolved_at)));
    fill("list-history", items);
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
}

/**
 * The server's conversations, each kept (merged with what is known) as upsert does.
 * @param {LiveConversation[]} conversations
 * @returns {LiveConversation[]}
 */
function upserted(conversations) {
  return conversations.map((c) => upsert(c)).filter((c) => c !== null); // each has an id: none is dropped
}

/** @param {string} q */
export async function search(q) {
  try {
    const data = await get(`/api/livechat/conversations?q=${encodeURIComponent(q)}${filterParam()}`);
    fill("list-search", upserted(data.conversations));
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
}

// --- operators ---------------------------------------------------------------------

export async function loadOperators() {
  try {
    state.operators = (await get("/api/livechat/operators")).operators;
  } catch {
    return;
  }
  const mine = state.operators.find((o) => state.me && o.id === state.me.id);
  if (mine) state.online = !!mine.online;
  emit("operators");
}

export function renderOperators() {
  clear($("list-operators")).append(
    ...state.operators.map((o) =>
      el(
        "li",
        { class: "operator", dataset: { testid: `operator-${o.id}`, online: String(!!o.online) } },
        el("span", { class: `dot ${o.online ? "on" : "off"}`, "aria-hidden": "true" }),
        el("span", {}, o.name),
        el("span", { class: "muted" }, ` (${o.online ? t("online") : t("offline")})`),
        o.ratings ? el("span", { class: "muted", dataset: { testid: "operator-rating" } }, ` · ★ ${t("ratingAvg", { avg: (o.avg_rating || 0).toFixed(1), n: o.ratings })}`) : null,
      ),
    ),
  );
}

// --- sites and their snippets ---------------------------------------------------------

export async function loadSites() {
  try {
    state.sites = (await get("/api/livechat/sites")).sites;
  } catch {
    state.sites = [];
  }
  renderSites();
}

export function renderSites() {
  const list = clear($("list-sites"));
  const keyUser = !!(state.me && state.me.role === "key_user");
  list.hidden = false;
  if (!state.sites.length) list.append(el("li", { class: "muted" }, t("noSites")));
  for (const site of state.sites) {
    const code = el("textarea", { readonly: true, rows: 2, class: "snippet", id: `snippet-${site.id}`, dataset: { testid: `snippet-${site.id}` } });
    code.value = site.snippet || "";
    list.append(
      el(
        "li",
        { class: "card site", dataset: { testid: `site-${site.id}` } },
        el("h2", {}, `${site.name} (ID #${site.id})`),
        el("p", { class: "muted" }, t("origins", { list: (site.origins || []).join(", ") })),
        el("label", { for: `snippet-${site.id}` }, t("snippet")),
        code,
        el("div", { class: "row" },
          el("button", {
            type: "button", dataset: { testid: `copy-${site.id}` },
            onclick: async () => {
              code.select();
              try {
                await navigator.clipboard.writeText(code.value);
              } catch {
                document.execCommand("copy");
              }
              toast(t("copied"));
            },
          }, t("copy")),
          // Key-users change everything of a site in its editor, with the widget's preview.
          keyUser ? el("button", { type: "button", dataset: { testid: `site-edit-${site.id}` }, onclick: () => openEditor(site) }, t("editSite")) : null),
      ),
    );
  }
  if (keyUser) {
    list.append(el("li", {}, el("button", { type: "button", class: "primary", dataset: { testid: "site-new" }, onclick: () => openEditor(null) }, t("newSite"))));
  }
}

/**
 * The site's editor in place of the list; back to the list (reloaded) when done.
 * @param {import("./state.js").Site | null} site null: a new one
 */
function openEditor(site) {
  const list = $("list-sites");
  list.hidden = true;
  $("site-editor-slot")?.remove();
  const slot = el("div", { id: "site-editor-slot" });
  list.after(slot);
  slot.append(siteEditor(site, async (reload, again) => {
    slot.remove();
    if (reload) await loadSites();
    else renderSites();
    const fresh = again && site && state.sites.find((x) => x.id === site.id);
    if (fresh) openEditor(fresh);
    else /** @type {HTMLElement | null} */ (document.querySelector(`[data-testid="${site ? `site-edit-${site.id}` : "site-new"}"]`))?.focus();
  }));
  slot.querySelector("input")?.focus();
}
