// @ts-check
// The operator console: login, the first load over REST, the socket, what each event changes.
// REST, the socket (hello with last seq/epoch, dedupe by seq, backoff), DOM building and
// notifications are the colleague app's modules, shared as they are.
import { ApiError, get, login, logout, put, session, sessionHeaders, whenUnauthorized } from "../../shared/api.js";
import { $, toast } from "../../shared/dom.js";
import { askPermission, notificationsSupported, notify } from "../../shared/notify.js";
import { Socket } from "../../shared/socket.js";
import { closeTab, initChat, messageEvent, openChat, renderChat, renderTabs, showTyping, useSocket } from "./chat.js";
import { initCannedPicker, initCannedScreen, renderCanned, showCanned } from "./canned.js";
import { initLabels, labelsChanged, loadLabels } from "./labels.js";
import { forget, initPrivacy } from "./privacy.js";
import { initWebhooks, showWebhooks, webhooksLangChanged, webhooksNav } from "./webhooks.js";
import { initReports, renderReports, showReports } from "./reports.js";
import { storeNote } from "./notes.js";
import { applyStatic, errorText, onLangChange, setLang, t } from "./i18n.js";
// The refusals' texts, added to the table before any screen shows one.
import "./errors-i18n.js";
import { on, state, upsert, visitorName } from "./state.js";
import {
  loadHistory, loadLists, loadOperators, loadOverview, loadSites, refreshOverview,
  renderLists, renderOperators, renderOverview, renderSites, search,
} from "./views.js";

/** @typedef {import("../../shared/socket.js").EventFrame} EventFrame */

/** @type {Socket | null} */
let socket = null;

// --- views -----------------------------------------------------------------------------

const VIEWS = ["overview", "incoming", "active", "history", "operators", "sites", "canned", "labels", "webhooks", "reports", "search", "chat"];

/** @param {string} view one of VIEWS */
function showView(view) {
  state.view = view;
  for (const v of VIEWS) $(`view-${v}`).hidden = v !== view;
  for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("nav button[data-view]"))) {
    b.setAttribute("aria-current", b.dataset.view === view ? "page" : "false");
  }
  if (view === "history") loadHistory();
  if (view === "overview") loadOverview();
  if (view === "operators") loadOperators();
  if (view === "sites") loadSites();
  if (view === "canned") showCanned();
  if (view === "labels") loadLabels();
  if (view === "webhooks") showWebhooks();
  if (view === "reports") showReports();
  renderTabs();
}

function renderAvailability() {
  const b = $("availability");
  b.dataset.online = String(state.online);
  b.setAttribute("aria-checked", String(state.online));
  $("availability-text").textContent = t("availability", { state: state.online ? t("online") : t("offline") });
}

/** @param {import("../../shared/socket.js").SocketState} s */
function setConn(s) {
  const node = $("conn-state");
  node.dataset.state = s;
  node.textContent = t(`conn_${s}`);
}

// --- events from the socket ------------------------------------------------------------

/** @type {Record<string, (data: Record<string, any>, frame: EventFrame) => void>} an event's data as the server sent it */
const handlers = {
  "livechat.incoming"(data, frame) {
    const conv = upsert(data.conversation);
    renderLists();
    if (conv && !frame.replay && state.online) {
      notify(data.notify ?? 0, t("newIncoming", { name: visitorName(conv, t("visitor")) }), "", { tag: `lc-${conv.id}` });
    }
  },
  "livechat.updated"(data) {
    const conv = upsert(data.conversation);
    renderLists();
    if (conv && conv.id === state.current) renderChat();
  },
  "livechat.message"(data, frame) {
    messageEvent(data);
    renderLists();
    renderTabs();
    const m = data.message;
    if (m && m.sender === "visitor") {
      const conv = state.conversations.get(m.conversation_id);
      notify(data.notify ?? 0, t("newMessageFrom", { name: visitorName(conv, m.sender_name || t("visitor")) }), m.body, {
        replay: !!frame.replay,
        tag: `lc-${m.conversation_id}`,
        onClick: () => openChat(m.conversation_id),
      });
    }
  },
  "livechat.note"(data) {
    // A colleague's private note (or mine from another tab).
    if (!data.note) return;
    storeNote(data.note);
    if (data.conversation_id === state.current) renderChat();
  },
  "livechat.erased"(data) {
    forget(data.conversation_id);
  },
  "livechat.labels"(data) {
    state.labels = data.labels || [];
    labelsChanged();
  },
  "livechat.page"(data) {
    // The visitor moved to another page of the site: only the URL changes.
    const conv = state.conversations.get(data.conversation_id);
    if (!conv) return;
    upsert({ id: conv.id, visitor: { url: data.url } });
    if (conv.id === state.current) renderChat();
  },
  "livechat.typing"(data) {
    showTyping(data.conversation_id, !!data.typing, data.name);
  },
  "livechat.operators"() {
    loadOperators();
  },
  "settings.changed"(data) {
    if (String(data.name).startsWith("livechat.")) loadOperators();
  },
};

/** @param {EventFrame} frame */
function onEvent(frame) {
  const fn = handlers[frame.type];
  if (fn) fn(frame.data || {}, frame);
  if (String(frame.type).startsWith("livechat.")) refreshOverview();
}

// --- start -----------------------------------------------------------------------------

async function loadAll() {
  const me = await get("/api/me");
  state.me = me.user;
  webhooksNav();
  $("me-name").textContent = me.user.name;
  await Promise.all([loadOperators(), loadLists(), loadOverview(), loadLabels()]);
  renderAvailability();
  $("console-view").dataset.ready = "true";
}

function startConsole() {
  $("login-view").hidden = true;
  $("console-view").hidden = false;
  renderAvailability();
  showView(state.view);
  const live = new Socket({
    headers: sessionHeaders,
    owner: session.user.id,
    onEvent,
    onState: setConn,
    // Every (re)connect: reload lists so nothing missed while away stays stale.
    onHello: () => {
      loadLists().catch(() => {});
      loadLabels();
      refreshOverview(0);
    },
    onFatal: () => toLogin(),
  });
  socket = live;
  useSocket(live);
  loadAll()
    .then(() => live.start())
    .catch((err) => {
      const banner = $("error-banner");
      banner.textContent = err instanceof ApiError && err.status === 403 ? t("notOperator") : t("failed", { message: errorText(err) });
      banner.hidden = false;
      live.start();
    });
}

function toLogin() {
  if (socket) socket.stop();
  delete $("console-view").dataset.ready;
  socket = null;
  session.clear();
  $("console-view").hidden = true;
  $("login-view").hidden = false;
  $("login-tenant").focus();
}

function init() {
  applyStatic(document);
  onLangChange(() => {
    renderAvailability();
    renderOverview();
    renderLists();
    renderOperators();
    renderSites();
    renderCanned();
    labelsChanged();
    webhooksLangChanged();
    renderReports();
    if (state.current !== null) renderChat();
  });
  on("erased", () => {
    if (state.current !== null) renderChat();
  });
  on("lists", () => {
    renderLists();
    renderTabs();
  });
  on("operators", () => {
    renderOperators();
    renderAvailability();
    if (state.current !== null) renderChat();
  });
  on("view", showView);
  // Labels' names and colours, or a conversation's labels, changed.
  on("labels", () => {
    renderLists();
    if (state.current !== null) renderChat();
  });
  on("chat", () => {
    if (state.current !== null) renderChat();
  });
  on("open", (id) => openChat(id));
  on("changed", () => refreshOverview(0));
  whenUnauthorized(toLogin);
  initChat();
  initCannedScreen();
  initWebhooks();
  initReports();
  initPrivacy();
  initLabels(() => {
    renderLists();
    if (state.view === "history") loadHistory();
    if (state.view === "search" && $("search").value.trim()) search($("search").value.trim());
  });
  initCannedPicker($("composer-input"));

  for (const sel of /** @type {NodeListOf<HTMLSelectElement>} */ (document.querySelectorAll("select.lang-select"))) {
    sel.addEventListener("change", () => setLang(sel.value));
  }
  for (const b of /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("nav button[data-view]"))) {
    b.addEventListener("click", () => showView(b.dataset.view || "overview"));
  }
  $("history-date").addEventListener("change", loadHistory);

  let searchTimer = 0;
  const searchBox = /** @type {HTMLInputElement} */ ($("search"));
  searchBox.addEventListener("input", () => {
    clearTimeout(searchTimer);
    const q = searchBox.value.trim();
    searchTimer = setTimeout(() => {
      if (!q) return showView("overview");
      showView("search");
      search(q);
    }, 250);
  });

  $("availability").addEventListener("click", async () => {
    try {
      const data = await put("/api/livechat/availability", { online: !state.online });
      state.online = !!data.online;
      renderAvailability();
      loadOperators();
      refreshOverview(0);
    } catch (err) {
      toast(t("failed", { message: errorText(err) }));
    }
  });

  const permission = $("notify-permission");
  permission.hidden = !notificationsSupported() || Notification.permission !== "default";
  permission.addEventListener("click", async () => {
    await askPermission();
    permission.hidden = true;
  });

  $("login-form").addEventListener("submit", async (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    const tenant = $("login-tenant").value.trim();
    const username = $("login-username").value.trim();
    const password = $("login-password").value;
    const error = $("login-error");
    if (!tenant || !username || !password) {
      error.textContent = t("fillAllFields");
      return;
    }
    error.textContent = "";
    try {
      await login(tenant, username, password);
      startConsole();
    } catch (err) {
      error.textContent = t("loginFailed", { message: errorText(err) });
    }
  });

  $("logout").addEventListener("click", async () => {
    try {
      await logout();
    } finally {
      toLogin();
    }
  });

  document.addEventListener("keydown", (ev) => {
    // Escape in the chat closes its tab when focus is not in a field.
    if (ev.key === "Escape" && state.view === "chat" && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement?.tagName || "")) {
      if (!$("confirm-dialog").open && state.current !== null) closeTab(state.current);
    }
  });

  // Another tab logged out, or in (this tab was at the login form).
  session.watch((signedIn) => {
    if (!signedIn) toLogin();
    else if (!socket) resume();
  });
  resume();
}

/** Start as whoever this browser's session cookie signs in (a new tab, a reload), else the login form. */
async function resume() {
  let user = null;
  try {
    user = await session.load();
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
  if (socket) return; // started meanwhile (a login in this tab)
  if (user) startConsole();
  else {
    $("login-view").hidden = false;
    $("login-tenant").focus();
  }
}

init();
