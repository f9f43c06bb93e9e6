// @ts-check
// A record's page (AC-4): its person's fields, what one can do from it, and its timeline.
//  - Chat about the record with a contact (IC-7): the message's subject names the record.
//  - Send an SMS: the SMS composer with the record's person as recipient (SM-8).
//  - A video call with a link to copy or to send by e-mail (VC-3); plan an interview (VC-2).
//  - The timeline, newest first: chats, SMS, calls, interviews and recordings, each recording
//    with a player. A <video> cannot send the bearer token: the server gives each viewer a
//    signed link that works for a few minutes; when it has run out, the player asks for a new one.
import { get, post } from "../../shared/api.js";
import { announce, clear, el } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";
import "./records-i18n.js";
import { smsEnabled } from "./sms.js";
import { statusBadge, when as smsWhen } from "./sms-util.js";
import { state } from "./store.js";
import { openChat } from "./ui-chat.js";

/**
 * A record (a candidate's, a contact person's, a vacancy, ...).
 * @typedef {{id: number, title: string, kind: string}} RecordInfo
 */
/**
 * The record's person, when it has one.
 * @typedef {object} RecordPerson
 * @property {string} [name]
 * @property {string} [function]
 * @property {string} [organisation]
 * @property {string} [mobile]
 * @property {string} [phone]
 * @property {string} [email]
 * @property {string} [external_ref]
 */
/**
 * What a timeline entry's kind adds: a chat (from, to, body, open_with), an SMS (name, status,
 * recipients, can_open), a call (title, open, room), an interview (starts_at, candidate,
 * minutes, recorded, cancelled, room) or a recording (media_url, name, seconds, bytes,
 * participants, started_at).
 * @typedef {object} EntryDetails
 * @property {string} [from]
 * @property {string} [to]
 * @property {string} [body]
 * @property {number} [open_with] the user id to chat with
 * @property {string} [name]
 * @property {string} [status]
 * @property {number} [recipients]
 * @property {boolean} [can_open]
 * @property {string} [title]
 * @property {boolean} [open]
 * @property {string} [room] the room's token
 * @property {string} [starts_at]
 * @property {string} [candidate]
 * @property {number} [minutes]
 * @property {boolean} [recorded]
 * @property {boolean} [cancelled]
 * @property {string} [media_url] a signed link, for a few minutes
 * @property {number} [seconds]
 * @property {number} [bytes]
 * @property {string[]} [participants]
 * @property {string} [started_at]
 */
/**
 * @typedef {object} TimelineEntry
 * @property {number} id
 * @property {string} kind "chat", "sms", "video", "appointment", "recording"
 * @property {string} created_at
 * @property {string} summary the server's words, for a kind this page does not know
 * @property {string} [actor_name]
 * @property {number} [ref_id]
 * @property {EntryDetails} [details]
 */
/** @typedef {(entryId: number) => Promise<string | null | undefined>} Refresh a fresh link for a recording */

/** A date in the record's timeline, written as the SMS screens write theirs. */
const when = (/** @type {string | undefined} */ iso) => smsWhen(iso, { empty: "" });

/** @param {number} seconds */
function length(seconds) {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function newId() {
  if (crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`;
}

/**
 * @param {RecordInfo} record
 * @param {RecordPerson | null} person
 */
function facts(record, person) {
  /** @type {HTMLElement[]} */
  const rows = [];
  /**
   * @param {string} label
   * @param {string | undefined} value
   * @param {string} [href]
   */
  const add = (label, value, href) => {
    if (!value) return;
    rows.push(el("dt", { text: t(label) }), el("dd", {}, href ? el("a", { href, text: value }) : value));
  };
  if (person) {
    add("recFunction", person.function);
    add("recOrganisation", person.organisation);
    add("recMobile", person.mobile, `tel:${(person.mobile || "").replace(/[^\d+]/g, "")}`);
    add("recPhone", person.phone, `tel:${(person.phone || "").replace(/[^\d+]/g, "")}`);
    add("recEmail", person.email, `mailto:${person.email}`);
    add("recReference", person.external_ref);
  }
  return rows.length ? el("dl", { class: "rec-facts", dataset: { testid: "rec-facts" } }, rows) : null;
}

// --- the actions' panels ----------------------------------------------------------------

/**
 * @param {HTMLElement} panel
 * @param {RecordInfo} record
 * @param {() => Promise<void>} reload the timeline
 */
function chatPanel(panel, record, reload) {
  const contacts = [...state.contacts.values()].sort((a, b) => a.name.localeCompare(b.name));
  if (!contacts.length) {
    panel.append(el("p", { class: "notice", role: "status", text: t("recChatNoContacts") }));
    return;
  }
  const to = el("select", { id: "rec-chat-to", dataset: { testid: "rec-chat-to" } },
    contacts.map((c) => el("option", { value: String(c.id), text: c.name })));
  const body = el("textarea", { id: "rec-chat-body", rows: "3", maxlength: "4000", dataset: { testid: "rec-chat-body" } });
  body.value = t("recChatDefault", { title: record.title });
  const error = el("p", { class: "error", role: "alert" });
  const form = el("form", { class: "rec-form", dataset: { testid: "rec-chat-form" } },
    el("div", { class: "field" }, el("label", { for: "rec-chat-to", text: t("recChatWith") }), to),
    el("div", { class: "field" }, el("label", { for: "rec-chat-body", text: t("recChatMessage") }), body),
    error,
    el("div", { class: "row" },
      el("button", { type: "submit", class: "primary", dataset: { testid: "rec-chat-send" }, text: t("recChatSend") }),
      el("button", { type: "button", text: t("recChatCancel"), onclick: () => clear(panel) })));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    error.textContent = "";
    const userId = Number(to.value);
    try {
      // The subject names the record in the writer's language (IC-7); the server's is English.
      await post(`/api/records/${record.id}/chat`, { to: userId, body: body.value, client_msg_id: newId(),
        subject: `${t(`rec_${record.kind}`)}: ${record.title}`.slice(0, 300) });
    } catch (err) {
      error.textContent = errorText(err);
      return;
    }
    const name = state.contacts.get(userId)?.name || "";
    clear(panel);
    announce(t("recChatSent", { name })); // the conversation opening is what the eye sees
    await reload();
    openChat(userId); // the conversation, with the message and the record in its subject
  });
  panel.append(form);
  to.focus();
}

/**
 * @param {HTMLElement} panel
 * @param {RecordInfo} record
 * @param {RecordPerson | null} person
 * @param {() => Promise<void>} reload the timeline
 */
async function callPanel(panel, record, person, reload) {
  let room;
  try {
    room = (await post("/api/video/rooms", { record_id: record.id })).room;
  } catch (err) {
    panel.append(el("p", { class: "error", role: "alert", text: errorText(err) }));
    return;
  }
  const link = `${location.origin}/v/${encodeURIComponent(room.token)}`;
  const said = el("p", { role: "status", class: "muted", dataset: { testid: "rec-call-status" } });
  const field = el("input", { id: "rec-call-link", readonly: true, value: link, dataset: { testid: "rec-call-link" } });
  const email = el("input", { id: "rec-call-email", type: "email", autocomplete: "off", value: person?.email || "",
    dataset: { testid: "rec-call-email" } });
  const mail = el("form", { class: "rec-form" },
    el("div", { class: "field" }, el("label", { for: "rec-call-email", text: t("recMailTo") }), email),
    el("button", { type: "submit", dataset: { testid: "rec-call-send" }, text: t("recMailSend") }));
  mail.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await post(`/api/video/rooms/${encodeURIComponent(room.token)}/invitations`,
        { email: email.value.trim(), name: person?.name || record.title });
      said.textContent = t("recMailSent", { email: email.value.trim() });
    } catch (err) {
      said.textContent = errorText(err);
    }
  });
  panel.append(el("div", { class: "rec-call", dataset: { testid: "rec-call" } },
    el("p", {}, el("label", { for: "rec-call-link", text: t("recCallReady") })),
    el("div", { class: "row" }, field,
      el("button", { type: "button", dataset: { testid: "rec-call-copy" }, text: t("recCopy"), onclick: async () => {
        try {
          await navigator.clipboard.writeText(link);
          said.textContent = t("recCopied");
        } catch {
          field.select();
          said.textContent = t("recCopyByHand");
        }
      } }),
      el("button", { type: "button", class: "primary", dataset: { testid: "rec-call-open" }, text: t("recOpenCall"),
        onclick: () => window.open(`/v/${encodeURIComponent(room.token)}?autojoin=1`, `call-${room.token}`) })),
    mail, said));
  field.focus();
  field.select();
  await reload();
}

// --- the timeline -------------------------------------------------------------------------

/**
 * @param {TimelineEntry} entry a recording's
 * @param {Refresh} refresh
 */
function player(entry, refresh) {
  const d = entry.details || {};
  const video = el("video", { controls: true, preload: "metadata", src: d.media_url, class: "rec-player",
    "aria-label": t("tlPlayer", { name: d.name, when: when(d.started_at) }), dataset: { testid: "tl-player" } });
  let renewed = 0;
  video.addEventListener("error", async () => {
    // Its link ran out (or the network blinked): a fresh link, at the same place.
    if (Date.now() - renewed < 10000) {
      video.replaceWith(el("p", { class: "error", text: t("tlRecordingGone") }));
      return;
    }
    renewed = Date.now();
    const url = await refresh(entry.id);
    if (!url) return;
    const at = video.currentTime;
    video.src = url;
    if (at) video.currentTime = at;
  });
  return video;
}

/**
 * @param {TimelineEntry} e
 * @param {Refresh} refresh
 */
function entryBody(e, refresh) {
  const d = e.details || {};
  switch (e.kind) {
    case "chat":
      if (!d.from) break;
      return [el("p", { class: "tl-title", text: t("tlChat", { from: d.from, to: d.to }) }),
        el("p", { class: "tl-text", text: d.body }),
        d.open_with ? el("button", { type: "button", class: "link-button", dataset: { testid: "tl-open-chat" },
          text: t("tlOpenChat"), onclick: () => d.open_with && openChat(d.open_with) }) : null];
    case "sms":
      if (!d.name) break;
      return [el("p", { class: "tl-title" }, t("tlSms", { name: d.name }), " ", statusBadge(d.status || "", "tl-sms-status")),
        el("p", { class: "tl-text muted", text: d.recipients === 1 ? t("tlSmsRecipient") : t("tlSmsRecipients", { count: d.recipients }) }),
        d.can_open ? el("a", { href: `#/sms/m/${e.ref_id}`, text: t("tlOpenSms") }) : null];
    case "video":
      if (!d.title) break;
      return [el("p", { class: "tl-title" }, t("tlCall", { name: e.actor_name }),
        d.open ? null : [" ", el("span", { class: "tl-badge", text: t("tlCallOver") })]),
        d.room ? el("a", { href: `/v/${encodeURIComponent(d.room)}?autojoin=1`, target: "_blank", text: t("tlJoinCall") }) : null];
    case "appointment":
      if (!d.starts_at) break;
      return [el("p", { class: "tl-title" }, t("tlAppointment", { name: d.candidate, when: when(d.starts_at), minutes: d.minutes }),
        d.recorded ? [" ", el("span", { class: "tl-badge", text: t("tlRecorded") })] : null,
        d.cancelled ? [" ", el("span", { class: "tl-badge tl-cancelled", text: t("tlCancelled") })] : null),
        d.room ? el("a", { href: `/v/${encodeURIComponent(d.room)}?autojoin=1`, target: "_blank", text: t("tlJoinCall") }) : null];
    case "recording":
      if (!d.media_url) break;
      return [el("p", { class: "tl-title", text: t("tlRecording", { name: d.name }) }),
        el("p", { class: "tl-text muted", text: t("tlRecordingFacts", { length: length(d.seconds || 0),
          size: size(d.bytes || 0), people: (d.participants || []).join(", ") }) }),
        player(e, refresh)];
    default:
  }
  return [el("p", { class: "tl-title", text: e.summary })];
}

// Line icons drawn here (no icon font, no emoji font needed): 24x24 paths.
/** @type {Record<string, string>} */
const ICONS = {
  chat: "M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H10l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
  sms: "M3 6h18v12H3z M3 6l9 7 9-7",
  video: "M3 7h12v10H3z M15 11l6-4v10l-6-4",
  appointment: "M4 5h16v15H4z M4 10h16 M8 3v4 M16 3v4",
  recording: "M8 5v14l11-7z",
};

/** @param {string} kind */
function icon(kind) {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("width", "18");
  svg.setAttribute("height", "18");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", ICONS[kind] || "M12 8a4 4 0 1 0 0.01 0z");
  path.setAttribute("fill", kind === "recording" ? "currentColor" : "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "2");
  path.setAttribute("stroke-linejoin", "round");
  svg.append(path);
  return svg;
}

/** @param {number} bytes */
function size(bytes) {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1e3))} kB`;
}

/**
 * @param {HTMLElement} list
 * @param {TimelineEntry[]} entries newest first
 * @param {Refresh} refresh
 */
function timeline(list, entries, refresh) {
  clear(list);
  if (!entries.length) {
    list.append(el("li", { class: "muted", dataset: { testid: "tl-empty" }, text: t("recEmpty") }));
    return;
  }
  for (const e of entries) {
    list.append(el("li", { class: `tl-entry tl-${e.kind}`, dataset: { testid: `tl-${e.kind}`, entry: String(e.id) } },
      el("span", { class: "tl-icon", "aria-hidden": "true" }, icon(e.kind)),
      el("div", { class: "tl-main" },
        el("time", { datetime: e.created_at, text: when(e.created_at) }),
        entryBody(e, refresh))));
  }
}

// --- the page -----------------------------------------------------------------------------

/**
 * Draw record ``id`` into ``box``; returns what to do when the page is left (or null).
 * @param {HTMLElement} box
 * @param {string} id
 * @param {{isCurrent: () => boolean, back: string}} options back: the directory's address to go back to
 * @returns {Promise<(() => void) | null>}
 */
export async function renderRecord(box, id, { isCurrent, back }) {
  box.append(el("p", { class: "muted", text: t("recLoading") }));
  const backLink = () => el("a", { class: "rec-back", href: back, dataset: { testid: "rec-back" } },
    el("span", { "aria-hidden": "true", text: "← " }), t("recBack"));
  let page;
  try {
    page = await get(`/api/records/${id}/timeline`);
  } catch (err) {
    if (isCurrent()) clear(box).append(backLink(), el("p", { class: "error", role: "alert", text: errorText(err) }));
    return null;
  }
  if (!isCurrent()) return null;
  const { record, person } = page;
  const list = el("ol", { class: "plain tl", dataset: { testid: "timeline" } });
  const panel = el("div", { class: "rec-panel", dataset: { testid: "rec-panel" } });
  const reload = async () => {
    page = await get(`/api/records/${id}/timeline`);
    if (isCurrent()) timeline(list, page.entries, refresh);
  };
  // A fresh signed link for a recording's player, without redrawing the others.
  /** @type {Refresh} */
  const refresh = async (entryId) => {
    const fresh = await get(`/api/records/${id}/timeline`).catch(() => null);
    const found = fresh && /** @type {TimelineEntry[]} */ (fresh.entries).find((e) => e.id === entryId);
    return found && found.details ? found.details.media_url : null;
  };
  /**
   * @param {string} label
   * @param {string} testid
   * @param {() => void} open
   */
  const action = (label, testid, open) => el("button", { type: "button", dataset: { testid }, text: t(label),
    onclick: () => {
      clear(panel);
      open();
    } });
  const actions = el("div", { class: "rec-actions row", role: "group", "aria-label": t("recActions") },
    action("recChat", "rec-chat", () => chatPanel(panel, record, reload)),
    smsEnabled() ? el("a", { class: "button-link", href: `#/sms/new?record=${record.id}`, dataset: { testid: "rec-sms" }, text: t("recSms") }) : null,
    action("recVideo", "rec-video", () => callPanel(panel, record, person, reload)),
    el("a", { class: "button-link", href: `/agenda?record=${record.id}`, target: "_blank", dataset: { testid: "rec-plan" }, text: t("recPlan") }));
  clear(box).append(
    backLink(),
    el("div", { class: "rec-head" },
      el("span", { class: `dir-avatar dir-avatar-${record.kind}`, "aria-hidden": "true",
        text: record.title.split(/\s+/).filter(Boolean).map((/** @type {string} */ w) => w[0]).slice(0, 2).join("").toUpperCase() }),
      el("div", {}, el("h2", { id: "records-heading", dataset: { testid: "rec-title" }, text: record.title }),
        el("p", { class: "muted rec-kind", text: t(`rec_${record.kind}`) }))),
    // append() writes null as the text "null": the facts go in only when there are some.
    ...[facts(record, person)].filter((n) => n !== null),
    actions, panel,
    el("section", { class: "rec-timeline", "aria-labelledby": "rec-tl-heading" },
      el("h3", { id: "rec-tl-heading", text: t("recTimeline") }), list));
  timeline(list, page.entries, refresh);
  return () => {
    for (const video of list.querySelectorAll("video")) video.pause();
  };
}
