// @ts-check
// Webhooks: a key-user points the organisation's live-chat events at their own systems
// (docs/webhooks.md). The secret that signs the deliveries is shown once, when one is made;
// each webhook's delivery log says what went out and what came back.
import { api, get, post, put } from "../../shared/api.js";
import { $, clear, el, toast } from "../../shared/dom.js";
import { errorText, extend, t, time } from "./i18n.js";
import { state } from "./state.js";

extend({
  en: {
    webhooks: "Webhooks",
    webhooksHelp: "Your own systems hear of every conversation and message as it happens, signed with the webhook's secret.",
    webhookUrl: "Address (https://…)",
    webhookEvents: "Send",
    event_conversation_created: "New conversations",
    event_conversation_updated: "Changes to conversations",
    event_message_created: "Messages",
    addWebhook: "Add webhook",
    noWebhooks: "No webhooks yet.",
    webhookActive: "Active",
    webhookPaused: "Paused",
    pauseWebhook: "Pause",
    resumeWebhook: "Resume",
    showDeliveries: "Deliveries",
    hideDeliveries: "Hide deliveries",
    noDeliveries: "Nothing sent yet.",
    webhookSecret: "The secret that signs its deliveries. Copy it now: it is not shown again.",
    copySecret: "Copy secret",
    copied: "Copied.",
    confirmDeleteWebhook: "Delete the webhook to {url} and its log?",
    webhookDeleted: "Webhook deleted.",
    chooseAnEvent: "Choose at least one kind of event.",
    deliveryStatus_pending: "waiting",
    deliveryStatus_delivered: "delivered",
    deliveryStatus_failed: "failed",
    deliveryTries: "{count} × tried",
    deliveryEvent: "Event",
    deliveryWhen: "When",
    deliveryState: "State",
    deliveryAnswer: "Answer",
  },
  nl: {
    webhooks: "Webhooks",
    webhooksHelp: "Uw eigen systemen horen van elk gesprek en elk bericht zodra het gebeurt, ondertekend met het geheim van de webhook.",
    webhookUrl: "Adres (https://…)",
    webhookEvents: "Versturen",
    event_conversation_created: "Nieuwe gesprekken",
    event_conversation_updated: "Wijzigingen in gesprekken",
    event_message_created: "Berichten",
    addWebhook: "Webhook toevoegen",
    noWebhooks: "Nog geen webhooks.",
    webhookActive: "Actief",
    webhookPaused: "Gepauzeerd",
    pauseWebhook: "Pauzeren",
    resumeWebhook: "Hervatten",
    showDeliveries: "Leveringen",
    hideDeliveries: "Leveringen verbergen",
    noDeliveries: "Nog niets verstuurd.",
    webhookSecret: "Het geheim waarmee de leveringen worden ondertekend. Kopieer het nu: het wordt niet opnieuw getoond.",
    copySecret: "Geheim kopiëren",
    copied: "Gekopieerd.",
    confirmDeleteWebhook: "De webhook naar {url} en het logboek verwijderen?",
    webhookDeleted: "Webhook verwijderd.",
    chooseAnEvent: "Kies ten minste één soort gebeurtenis.",
    deliveryStatus_pending: "wacht",
    deliveryStatus_delivered: "afgeleverd",
    deliveryStatus_failed: "mislukt",
    deliveryTries: "{count} × geprobeerd",
    deliveryEvent: "Gebeurtenis",
    deliveryWhen: "Wanneer",
    deliveryState: "Status",
    deliveryAnswer: "Antwoord",
  },
});

const EVENTS = ["conversation.created", "conversation.updated", "message.created"];
/**
 * A webhook as GET /api/webhooks lists it.
 * @typedef {{id: number, url: string, events: string[], active: boolean, secret?: string}} Webhook
 */

const eventLabel = (/** @type {string} */ e) => t(`event_${e.replace(".", "_")}`);
/** @type {Webhook[]} */
let hooks = [];
/** @type {Set<number>} */
const open = new Set(); // webhooks whose delivery log is shown

/** Only key-users keep webhooks: the nav item shows for them alone. */
export function webhooksNav() {
  $("nav-webhooks-item").hidden = !(state.me && state.me.role === "key_user");
}

export async function showWebhooks() {
  try {
    hooks = (await get("/api/webhooks")).webhooks;
  } catch (err) {
    $("webhook-error").textContent = errorText(err);
    return;
  }
  await renderWebhooks();
}

async function renderWebhooks() {
  const list = clear($("list-webhooks"));
  if (!hooks.length) list.append(el("li", { class: "muted" }, t("noWebhooks")));
  for (const hook of hooks) {
    const log = open.has(hook.id) ? await deliveryLog(hook) : null;
    list.append(
      el("li", { class: "card webhook", dataset: { testid: `webhook-${hook.id}`, active: String(hook.active) } },
        el("p", { class: "webhook-url" }, hook.url),
        el("p", { class: "muted" },
          `${hook.active ? t("webhookActive") : t("webhookPaused")} · ${hook.events.map(eventLabel).join(", ")}`),
        el("p", { class: "webhook-buttons" },
          el("button", { type: "button", dataset: { testid: `webhook-log-${hook.id}` }, "aria-expanded": String(!!log),
            onclick: () => toggleLog(hook) }, log ? t("hideDeliveries") : t("showDeliveries")),
          el("button", { type: "button", dataset: { testid: `webhook-pause-${hook.id}` }, onclick: () => setActive(hook, !hook.active) },
            hook.active ? t("pauseWebhook") : t("resumeWebhook")),
          el("button", { type: "button", class: "danger-button", dataset: { testid: `webhook-delete-${hook.id}` }, onclick: () => remove(hook) },
            t("delete"))),
        log),
    );
  }
}

/** @param {Webhook} hook */
async function deliveryLog(hook) {
  /** @type {{event: string, status: string, created_at: string, attempts: number, last_error?: string, last_status?: number}[]} */
  const rows = (await get(`/api/webhooks/${hook.id}/deliveries`)).deliveries;
  if (!rows.length) return el("p", { class: "muted", dataset: { testid: `webhook-deliveries-${hook.id}` } }, t("noDeliveries"));
  return el("table", { class: "deliveries", dataset: { testid: `webhook-deliveries-${hook.id}` } },
    el("thead", {}, el("tr", {}, ...["deliveryEvent", "deliveryWhen", "deliveryState", "deliveryAnswer"].map((k) => el("th", { scope: "col" }, t(k))))),
    el("tbody", {}, ...rows.map((d) => el("tr", { dataset: { status: d.status } },
      el("td", {}, eventLabel(d.event)),
      el("td", {}, time(d.created_at)),
      el("td", {}, `${t(`deliveryStatus_${d.status}`)} · ${t("deliveryTries", { count: d.attempts })}`),
      el("td", {}, d.last_error || (d.last_status ? `HTTP ${d.last_status}` : "–"))))));
}

/** @param {Webhook} hook */
async function toggleLog(hook) {
  if (open.has(hook.id)) open.delete(hook.id);
  else open.add(hook.id);
  await renderWebhooks();
}

/**
 * @param {Webhook} hook
 * @param {boolean} active
 */
async function setActive(hook, active) {
  try {
    Object.assign(hook, await put(`/api/webhooks/${hook.id}`, { active }));
    await renderWebhooks();
  } catch (err) {
    toast(errorText(err));
  }
}

/** @param {Webhook} hook */
async function remove(hook) {
  if (!window.confirm(t("confirmDeleteWebhook", { url: hook.url }))) return;
  try {
    await api("DELETE", `/api/webhooks/${hook.id}`);
    hooks = hooks.filter((h) => h.id !== hook.id);
    toast(t("webhookDeleted"));
    await renderWebhooks();
  } catch (err) {
    toast(errorText(err));
  }
}

export function initWebhooks() {
  const events = clear($("webhook-events"));
  for (const e of EVENTS) {
    const id = `webhook-event-${e.replace(".", "-")}`;
    events.append(el("label", { class: "check", for: id },
      el("input", { type: "checkbox", id, value: e, checked: true, dataset: { testid: id } }), ` ${eventLabel(e)}`));
  }
  $("webhook-form").addEventListener("submit", async (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    const error = $("webhook-error");
    error.textContent = "";
    const checked = /** @type {NodeListOf<HTMLInputElement>} */ ($("webhook-events").querySelectorAll("input:checked"));
    const chosen = [...checked].map((i) => i.value);
    if (!chosen.length) {
      error.textContent = t("chooseAnEvent");
      return;
    }
    try {
      const made = await post("/api/webhooks", { url: $("webhook-url").value.trim(), events: chosen });
      hooks.push(made);
      $("webhook-url").value = "";
      showSecret(made.secret);
      await renderWebhooks();
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
}

/** @type {string | null} */
let shownSecret = null; // until the page is left: the secret of the webhook just made

/** @param {string} secret */
function showSecret(secret) {
  shownSecret = secret;
  const box = clear($("webhook-secret"));
  box.hidden = false;
  box.append(
    el("p", {}, t("webhookSecret")),
    el("code", { dataset: { testid: "webhook-secret-value" } }, secret),
    el("button", { type: "button", onclick: async () => {
      try {
        await navigator.clipboard.writeText(secret);
        toast(t("copied"));
      } catch {
        /* the text is selectable too */
      }
    } }, t("copySecret")),
  );
}

/** Texts follow the language. */
export function webhooksLangChanged() {
  if (!$("view-webhooks").hidden) renderWebhooks();
  if (shownSecret) showSecret(shownSecret);
  initWebhooksLabels();
}

function initWebhooksLabels() {
  for (const input of $("webhook-events").querySelectorAll("input")) {
    input.parentElement.lastChild.textContent = ` ${eventLabel(input.value)}`;
  }
}
