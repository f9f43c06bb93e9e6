// @ts-check
// The agenda of video interviews at /agenda (VC-2): plan one with a candidate's record,
// start the call from it, move it or cancel it; the candidate is mailed each time.

import { api, session } from "/static/shared/api.js";
import { $, clear, el } from "/static/shared/dom.js";
import { applyStatic, errorText, extend, lang, setLang, t } from "/static/app/js/i18n.js";

extend({
  en: {
    agTitle: "Video interviews",
    agBack: "Back to the chat",
    agUpcoming: "Planned",
    agPlan: "Plan an interview",
    agRecord: "Candidate (record)",
    agStart: "Date and time",
    agMinutes: "Duration (minutes)",
    agEmail: "Candidate's e-mail (empty: from the record)",
    agColleagues: "Colleagues taking part",
    agRecorded: "Record the interview (the invitation asks the candidate's consent)",
    agPlanSubmit: "Plan and invite",
    agNone: "Nothing planned.",
    agStartCall: "Start video",
    agMove: "Move",
    agCancel: "Cancel",
    agCancelSure: "Cancel this interview? The candidate is told.",
    agYes: "Yes, cancel",
    agNo: "No",
    agSave: "Save",
    agPlanned: "Planned; the invitation was sent to {email}.",
    agMoved: "Moved; {email} was told.",
    agCancelled: "Cancelled; {email} was told.",
    agRecordedBadge: "recorded",
    agWith: "with {names}",
    agOrganiser: "organised by {name}",
    agCancelledLabel: "cancelled",
    agLogIn: "Log in to the chat first.",
    agNoRecords: "No records yet.",
  },
  nl: {
    agTitle: "Video-interviews",
    agBack: "Terug naar de chat",
    agUpcoming: "Gepland",
    agPlan: "Interview plannen",
    agRecord: "Kandidaat (dossier)",
    agStart: "Datum en tijd",
    agMinutes: "Duur (minuten)",
    agEmail: "E-mailadres van de kandidaat (leeg: uit het dossier)",
    agColleagues: "Collega's die deelnemen",
    agRecorded: "Het interview opnemen (de uitnodiging vraagt de kandidaat om toestemming)",
    agPlanSubmit: "Plannen en uitnodigen",
    agNone: "Niets gepland.",
    agStartCall: "Video starten",
    agMove: "Verplaatsen",
    agCancel: "Annuleren",
    agCancelSure: "Dit interview annuleren? De kandidaat krijgt bericht.",
    agYes: "Ja, annuleren",
    agNo: "Nee",
    agSave: "Opslaan",
    agPlanned: "Gepland; de uitnodiging is verstuurd naar {email}.",
    agMoved: "Verplaatst; {email} heeft bericht gekregen.",
    agCancelled: "Geannuleerd; {email} heeft bericht gekregen.",
    agRecordedBadge: "opname",
    agWith: "met {names}",
    agOrganiser: "georganiseerd door {name}",
    agCancelledLabel: "geannuleerd",
    agLogIn: "Log eerst in op de chat.",
    agNoRecords: "Nog geen dossiers.",
  },
});

/**
 * An appointment as GET /api/video/appointments lists it.
 * @typedef {object} Appointment
 * @property {number} id
 * @property {string} title
 * @property {string} starts_at
 * @property {number} minutes
 * @property {string} candidate_email
 * @property {number} organiser_id
 * @property {string} organiser_name
 * @property {string[]} colleague_names
 * @property {boolean} cancelled
 * @property {{token: string, recorded: boolean}} room
 */

/** @param {Date} date */
function localInput(date) {
  // What a datetime-local input shows for a Date, in this browser's time zone.
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** @param {string} value */
function fromInput(value) {
  // A datetime-local value is local time: sent with this browser's offset, never naive.
  return new Date(value).toISOString();
}

/**
 * @param {string} iso
 * @param {number} minutes
 */
function whenText(iso, minutes) {
  const start = new Date(iso);
  const end = new Date(start.getTime() + minutes * 60000);
  const day = start.toLocaleDateString(lang(), { weekday: "long", day: "numeric", month: "long", year: "numeric" });
  const time = (/** @type {Date} */ d) => d.toLocaleTimeString(lang(), { hour: "2-digit", minute: "2-digit" });
  return `${day}, ${time(start)}–${time(end)}`;
}

/** @param {string} text */
function say(text) {
  $("agenda-message").textContent = text;
}

async function refresh() {
  const { appointments } = await api("GET", "/api/video/appointments");
  const list = clear($("appointments"));
  if (!appointments.length) list.append(el("li", { class: "muted", text: t("agNone") }));
  for (const a of /** @type {Appointment[]} */ (appointments)) list.append(item(a));
}

/** @param {Appointment} a */
function item(a) {
  const mine = a.organiser_id === session.user.id;
  const li = el("li", { class: `appointment${a.cancelled ? " cancelled" : ""}`, dataset: { testid: "appointment", id: String(a.id) } },
    el("span", { class: "when", dataset: { testid: "appointment-when" }, text: whenText(a.starts_at, a.minutes) }),
    el("span", { dataset: { testid: "appointment-title" } }, a.title, " · ", a.candidate_email,
      a.room.recorded ? [" ", el("span", { class: "rec-badge", text: t("agRecordedBadge") })] : null,
      a.cancelled ? [" · ", t("agCancelledLabel")] : null),
    el("span", { class: "muted" }, t("agOrganiser", { name: a.organiser_name }),
      a.colleague_names.length ? ` · ${t("agWith", { names: a.colleague_names.join(", ") })}` : ""));
  if (!a.cancelled) {
    const actions = el("div", { class: "actions" },
      el("button", { type: "button", class: "primary", dataset: { testid: "start-call" }, text: t("agStartCall"),
        onclick: () => window.open(`/v/${encodeURIComponent(a.room.token)}?autojoin=1`, `call-${a.room.token}`) }));
    if (mine) {
      actions.append(
        el("button", { type: "button", dataset: { testid: "move" }, text: t("agMove"), onclick: () => moveForm(li, a) }),
        el("button", { type: "button", class: "danger", dataset: { testid: "cancel" }, text: t("agCancel"),
          onclick: () => cancelAsk(li, a) }));
    }
    li.append(actions);
  }
  return li;
}

/**
 * @param {HTMLElement} li
 * @param {Appointment} a
 */
function moveForm(li, a) {
  li.querySelector(".move-form")?.remove();
  const start = el("input", { type: "datetime-local", value: localInput(new Date(a.starts_at)), "aria-label": t("agStart"),
    dataset: { testid: "move-start" } });
  const minutes = el("input", { type: "number", min: "5", max: "480", value: String(a.minutes), "aria-label": t("agMinutes"),
    dataset: { testid: "move-minutes" } });
  const form = el("form", { class: "move-form" }, start, minutes,
    el("button", { type: "submit", dataset: { testid: "move-save" }, text: t("agSave") }));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api("PUT", `/api/video/appointments/${a.id}`, { starts_at: fromInput(start.value), minutes: Number(minutes.value) });
      say(t("agMoved", { email: a.candidate_email }));
      await refresh();
    } catch (err) {
      say(errorText(err));
    }
  });
  li.append(form);
  start.focus();
}

/**
 * @param {HTMLElement} li
 * @param {Appointment} a
 */
function cancelAsk(li, a) {
  li.querySelector(".move-form")?.remove();
  const box = el("div", { class: "move-form", role: "group", "aria-label": t("agCancel") },
    el("span", { text: t("agCancelSure") }),
    el("button", { type: "button", class: "danger", dataset: { testid: "cancel-yes" }, text: t("agYes"),
      onclick: async () => {
        try {
          await api("DELETE", `/api/video/appointments/${a.id}`);
          say(t("agCancelled", { email: a.candidate_email }));
          await refresh();
        } catch (err) {
          say(errorText(err));
        }
      } }),
    el("button", { type: "button", text: t("agNo"), onclick: () => box.remove() }));
  li.append(box);
}

async function fillForm() {
  const [{ items }, { users }] = await Promise.all([api("GET", "/api/records?limit=200"), api("GET", "/api/users")]);
  const records = clear($("plan-record"));
  if (!items.length) records.append(el("option", { value: "", text: t("agNoRecords") }));
  for (const r of /** @type {{id: number, title: string, kind: string}[]} */ (items)) records.append(el("option", { value: String(r.id), text: `${r.title} (${r.kind})` }));
  // Opened from a record's page ("Plan interview"): that record is the one to plan with.
  const wanted = new URLSearchParams(location.search).get("record");
  if (wanted && items.some((/** @type {{id: number}} */ r) => String(r.id) === wanted)) records.value = wanted;
  const box = $("plan-colleagues");
  for (const old of box.querySelectorAll("label")) old.remove();
  for (const u of /** @type {{id: number, name: string}[]} */ (users)) {
    if (u.id === session.user.id) continue;
    box.append(el("label", { class: "check" },
      el("input", { type: "checkbox", value: String(u.id), dataset: { testid: `colleague-${u.id}` } }), u.name));
  }
  const tomorrow = new Date(Date.now() + 86400000);
  tomorrow.setHours(10, 0, 0, 0);
  $("plan-start").value = localInput(tomorrow);
}

/** @param {SubmitEvent} e */
async function onPlan(e) {
  e.preventDefault();
  $("plan-error").textContent = "";
  const checked = /** @type {NodeListOf<HTMLInputElement>} */ ($("plan-colleagues").querySelectorAll("input:checked"));
  const colleagues = [...checked].map((i) => Number(i.value));
  const email = $("plan-email").value.trim();
  try {
    const { appointment } = await api("POST", "/api/video/appointments", {
      record_id: Number($("plan-record").value), starts_at: fromInput($("plan-start").value),
      minutes: Number($("plan-minutes").value), colleagues, recorded: $("plan-recorded").checked,
      ...(email ? { candidate_email: email } : {}),
    });
    say(t("agPlanned", { email: appointment.candidate_email }));
    $("plan-email").value = "";
    await refresh();
  } catch (err) {
    $("plan-error").textContent = errorText(err);
  }
}

async function main() {
  applyStatic(document);
  const language = /** @type {HTMLSelectElement} */ ($("agenda-lang"));
  language.value = lang();
  language.addEventListener("change", () => {
    setLang(language.value);
    refresh().catch(() => {});
  });
  let user = null;
  try {
    user = await session.load();
  } catch (err) {
    say(errorText(err));
  }
  if (!user) {
    say(t("agLogIn"));
    $("plan-form").hidden = true;
    return;
  }
  $("plan-form").addEventListener("submit", onPlan);
  try {
    await Promise.all([refresh(), fillForm()]);
  } catch (err) {
    say(errorText(err));
  }
}

main();
