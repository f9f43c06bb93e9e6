// @ts-check
// Reports: chats per day, first response and resolution times, CSAT, per operator, over a
// date range in the browser's time zone (docs/livechat.md, Reports). Charts with the
// numbers in tables beside them; both tables download as CSV.
import { ApiError, get } from "../../shared/api.js";
import { $, clear, el, toast } from "../../shared/dom.js";
import { duration, errorText, extend, lang, t } from "./i18n.js";
import { barChart, lineChart } from "./report-charts.js";

extend({
  en: {
    reports: "Reports",
    reportsHelp: "Chats per day and per operator. A day is a calendar day in your time zone.",
    reportFrom: "From",
    reportTo: "To",
    showReport: "Show",
    last7: "Last 7 days",
    last30: "Last 30 days",
    reportZone: "Time zone: {zone}",
    chatsPerDay: "Chats per day",
    timesPerDay: "Response and resolution times per day (median)",
    chatsSummary: "From {from} to {to}: {started} chats started, {resolved} resolved; busiest day {day} with {max}.",
    chatsSummaryEmpty: "From {from} to {to}: no chats.",
    timesSummary: "Median first response over the days with chats: {first}; median resolution: {resolution}.",
    perDay: "Per day",
    perOperator: "Per operator",
    colDate: "Date",
    colStarted: "Started",
    colResolved: "Resolved",
    colFirstMedian: "First response (median)",
    colFirstP90: "First response (90%)",
    colResolutionMedian: "Resolution (median)",
    colCsat: "Rating (1 to 5)",
    colOperator: "Operator",
    colChats: "Chats",
    colAnswered: "First responses",
    downloadDays: "Download per day (CSV)",
    downloadOperators: "Download per operator (CSV)",
    noOperatorsReport: "No operators.",
    reportLoading: "Loading…",
    csatCell: "{avg} ({n}×)",
    fromAfterTo: "The start date is after the end date.",
    reportOperator: "Operator",
    allOperators: "All operators",
    rangeTooLong: "Choose at most {max} days.",
  },
  nl: {
    reports: "Rapportages",
    reportsHelp: "Chats per dag en per medewerker. Een dag is een kalenderdag in uw tijdzone.",
    reportFrom: "Van",
    reportTo: "Tot en met",
    showReport: "Tonen",
    last7: "Laatste 7 dagen",
    last30: "Laatste 30 dagen",
    reportZone: "Tijdzone: {zone}",
    chatsPerDay: "Chats per dag",
    timesPerDay: "Reactie- en afhandeltijden per dag (mediaan)",
    chatsSummary: "Van {from} tot en met {to}: {started} chats begonnen, {resolved} afgehandeld; drukste dag {day} met {max}.",
    chatsSummaryEmpty: "Van {from} tot en met {to}: geen chats.",
    timesSummary: "Mediaan eerste reactie over de dagen met chats: {first}; mediaan afhandeltijd: {resolution}.",
    perDay: "Per dag",
    perOperator: "Per medewerker",
    colDate: "Datum",
    colStarted: "Begonnen",
    colResolved: "Afgehandeld",
    colFirstMedian: "Eerste reactie (mediaan)",
    colFirstP90: "Eerste reactie (90%)",
    colResolutionMedian: "Afhandeltijd (mediaan)",
    colCsat: "Beoordeling (1 tot 5)",
    colOperator: "Medewerker",
    colChats: "Chats",
    colAnswered: "Eerste reacties",
    downloadDays: "Per dag downloaden (CSV)",
    downloadOperators: "Per medewerker downloaden (CSV)",
    noOperatorsReport: "Geen medewerkers.",
    reportLoading: "Laden…",
    csatCell: "{avg} ({n}×)",
    fromAfterTo: "De begindatum ligt na de einddatum.",
    reportOperator: "Medewerker",
    allOperators: "Alle medewerkers",
    rangeTooLong: "Kies hooguit {max} dagen.",
  },
});

/**
 * A day of the report.
 * @typedef {object} ReportDay
 * @property {string} date YYYY-MM-DD
 * @property {number} started
 * @property {number} resolved
 * @property {number | null} first_response_median_s
 * @property {number | null} first_response_p90_s
 * @property {number | null} resolution_median_s
 * @property {number | null} csat_average
 * @property {number} ratings
 */
/**
 * An operator's row of the report.
 * @typedef {object} ReportOperator
 * @property {number} id
 * @property {string} name
 * @property {number} chats
 * @property {number} first_responses
 * @property {number | null} first_response_median_s
 * @property {number} resolved
 * @property {number | null} resolution_median_s
 * @property {number | null} csat_average
 * @property {number} ratings
 */
/** @typedef {{from: string, to: string, days: ReportDay[], operators: ReportOperator[]}} Report GET /api/livechat/reports */

/** @type {Report | null} */
let report = null;

const zone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/** A local calendar date as YYYY-MM-DD, ``back`` days before today. */
function localDate(back = 0) {
  const d = new Date();
  d.setDate(d.getDate() - back);
  const pad = (/** @type {number} */ n) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * @param {string} iso a date, YYYY-MM-DD
 * @param {boolean} [long] with the month's name and the year
 */
function dayLabel(iso, long = false) {
  const d = new Date(`${iso}T00:00:00Z`);
  /** @type {Intl.DateTimeFormatOptions} */
  const options = long ? { day: "numeric", month: "long", year: "numeric" } : { day: "numeric", month: "short" };
  return d.toLocaleDateString(lang() === "nl" ? "nl-NL" : "en-GB", { ...options, timeZone: "UTC" });
}

/**
 * Seconds for an axis: "45 s", "12 min", "3 h".
 * @param {number} seconds
 */
function short(seconds) {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${Math.round(seconds / 3600)} h`;
}

/**
 * @param {(number | null)[]} values
 * @returns {number | null}
 */
function median(values) {
  const v = values.filter((x) => x !== null).sort((a, b) => a - b);
  if (!v.length) return null;
  return (v[Math.floor((v.length - 1) / 2)] + v[Math.floor(v.length / 2)]) / 2;
}

function query() {
  const params = new URLSearchParams({ from: $("reports-from").value, to: $("reports-to").value, tz: zone() });
  // The days of one operator's chats (the operators' table stays whole).
  if ($("reports-operator").value) params.set("operator", $("reports-operator").value);
  return params.toString();
}

/** The operator menu: everyone in the last answer, the choice kept. */
/** @param {Report} report */
function renderOperatorMenu(report) {
  const menu = $("reports-operator");
  const chosen = menu.value;
  clear(menu).append(
    el("option", { value: "" }, t("allOperators")),
    ...report.operators.map((o) => el("option", { value: String(o.id) }, o.name)),
  );
  menu.value = report.operators.some((o) => String(o.id) === chosen) ? chosen : "";
}

export async function showReports() {
  if (!$("reports-from").value) setRange(30);
  await loadReports();
}

/** @param {number} days */
function setRange(days) {
  $("reports-from").value = localDate(days - 1);
  $("reports-to").value = localDate(0);
}

async function loadReports() {
  $("reports-error").textContent = "";
  $("view-reports").setAttribute("aria-busy", "true");
  try {
    report = await get(`/api/livechat/reports?${query()}`);
  } catch (err) {
    // The server names what is wrong with the range; the two a person meets, in their language.
    const code = err instanceof ApiError ? err.code : "";
    const details = err instanceof ApiError ? err.details : {};
    $("reports-error").textContent = code === "range_too_long"
      ? t("rangeTooLong", { max: details.max })
      : code === "invalid_value" && details.field === "from" && $("reports-from").value > $("reports-to").value
        ? t("fromAfterTo")
        : t("failed", { message: errorText(err) });
    return;
  } finally {
    $("view-reports").removeAttribute("aria-busy");
  }
  renderReports();
}

/**
 * @param {string} text
 * @param {Record<string, unknown>} [attrs]
 */
function cell(text, attrs = {}) {
  return el("td", attrs, text);
}

/**
 * @param {number | null} avg
 * @param {number} n ratings
 */
function csat(avg, n) {
  return avg === null ? t("none") : t("csatCell", { avg: avg.toFixed(1), n });
}

export function renderReports() {
  $("reports-zone").textContent = t("reportZone", { zone: zone() });
  if (!report) return;
  renderOperatorMenu(report);
  const days = report.days;
  const labels = days.map((d) => dayLabel(d.date));
  const started = days.reduce((n, d) => n + d.started, 0);
  const resolved = days.reduce((n, d) => n + d.resolved, 0);
  const busiest = days.reduce((a, b) => (b.started > a.started ? b : a), days[0]);
  const range = { from: dayLabel(report.from, true), to: dayLabel(report.to, true) };
  barChart($("chart-chats"), {
    title: t("chatsPerDay"),
    desc: started
      ? t("chatsSummary", { ...range, started, resolved, day: dayLabel(busiest.date, true), max: busiest.started })
      : t("chatsSummaryEmpty", range),
    labels,
    series: [
      { key: "started", label: t("colStarted"), cls: "series-a", values: days.map((d) => d.started) },
      { key: "resolved", label: t("colResolved"), cls: "series-b", values: days.map((d) => d.resolved) },
    ],
  });
  const firsts = days.map((d) => d.first_response_median_s);
  const resolutions = days.map((d) => d.resolution_median_s);
  lineChart($("chart-times"), {
    title: t("timesPerDay"),
    desc: t("timesSummary", { first: duration(median(firsts)), resolution: duration(median(resolutions)) }),
    labels,
    format: short,
    series: [
      { key: "first", label: t("colFirstMedian"), cls: "series-a", values: firsts },
      { key: "resolution", label: t("colResolutionMedian"), cls: "series-b", values: resolutions },
    ],
  });
  clear($("reports-days-body")).append(
    ...days.map((d) =>
      el(
        "tr",
        { dataset: { testid: "report-day", date: d.date } },
        el("th", { scope: "row" }, dayLabel(d.date)),
        cell(String(d.started)),
        cell(String(d.resolved)),
        cell(duration(d.first_response_median_s)),
        cell(duration(d.first_response_p90_s)),
        cell(duration(d.resolution_median_s)),
        cell(csat(d.csat_average, d.ratings)),
      ),
    ),
  );
  const ops = report.operators;
  clear($("reports-operators-body")).append(
    ...(ops.length
      ? ops.map((o) =>
        el(
          "tr",
          { dataset: { testid: "report-operator", id: String(o.id) } },
          el("th", { scope: "row" }, o.name),
          cell(String(o.chats)),
          cell(String(o.first_responses)),
          cell(duration(o.first_response_median_s)),
          cell(String(o.resolved)),
          cell(duration(o.resolution_median_s)),
          cell(csat(o.csat_average, o.ratings)),
        ))
      : [el("tr", {}, el("td", { colspan: "7", class: "muted" }, t("noOperatorsReport")))]),
  );
}

/**
 * Fetch a CSV with the session's cookie and save it under the server's file name.
 * @param {string} table "days" or "operators"
 */
async function download(table) {
  try {
    const response = await fetch(`/api/livechat/reports/${table}.csv?${query()}`, { credentials: "same-origin" });
    if (!response.ok) {
      const err = ((await response.json().catch(() => ({}))).error) || {};
      throw new ApiError(err.code || "http_error", err.message || response.statusText, response.status, err.details || {});
    }
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: name ? name[1] : `${table}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
}

export function initReports() {
  $("reports-form").addEventListener("submit", (/** @type {SubmitEvent} */ ev) => {
    ev.preventDefault();
    loadReports();
  });
  $("reports-last7").addEventListener("click", () => {
    setRange(7);
    loadReports();
  });
  $("reports-last30").addEventListener("click", () => {
    setRange(30);
    loadReports();
  });
  $("reports-operator").addEventListener("change", loadReports);
  $("download-days").addEventListener("click", () => download("days"));
  $("download-operators").addEventListener("click", () => download("operators"));
}
