// @ts-check
// One site on the Sites screen (key-users): name, allowed origins, greeting and the widget's
// look (colour, side, launcher text, default language), with a live preview: the real widget
// in a frame (/console/preview) fed the unsaved values as they are typed. Saving is one
// POST or PUT; the server checks every field and its 400 is said in the console's language
// beside the field it names. Business hours, the pre-chat form and proactive messages of a
// saved site are edited below it (hours.js, prechat.js), each saved on its own.
import { api, ApiError, post, put } from "../../shared/api.js";
import { el, toast } from "../../shared/dom.js";
import { errorText, extend, lang, t } from "./i18n.js";
import { hoursForm } from "./hours.js";
import { prechatForm } from "./prechat.js";

extend({
  en: {
    editSite: "Edit site",
    editSiteTitle: "Edit {name}",
    siteGreetingNl: "Greeting (Dutch)",
    siteGreetingEn: "Greeting (English)",
    siteOriginsHint: "One per line, such as https://www.example.nl (scheme, host and port only).",
    lookHeading: "Look of the widget",
    lookColour: "Colour",
    lookColourCode: "Colour code",
    lookPosition: "Position on the page",
    lookRight: "Bottom right",
    lookLeft: "Bottom left",
    lookLauncherNl: "Launcher text (Dutch)",
    lookLauncherEn: "Launcher text (English)",
    lookLauncherHint: "Shown beside the chat icon; empty: the icon only. At most 40 characters.",
    lookLanguage: "Language for visitors who speak neither Dutch nor English",
    langNl: "Dutch",
    langEn: "English",
    sitePreview: "Preview of the widget as visitors will see it",
    previewNote: "Preview: not saved yet.",
    previewShows: "The preview shows the site",
    previewOpen: "open",
    previewClosed: "outside business hours",
    saveSite: "Save site",
    siteSaved: "Site saved.",
    deleteSite: "Delete site",
    confirmDeleteSite: "Delete the site {name}? Its visitors and all their conversations are deleted too, and the snippet stops working.",
    siteDeleted: "Site deleted.",
    closeEditor: "Back to the sites",
    "err_invalid_value_look.colour": "Colour: give a colour code such as #1f5fd1 (# and six digits 0-9 or letters a-f).",
    "err_too_long_look.colour": "Colour: give a colour code such as #1f5fd1 (# and six digits 0-9 or letters a-f).",
    "err_invalid_value_look.position": "Position: choose bottom right or bottom left.",
    "err_invalid_value_look.language": "Language: choose Dutch or English.",
    "err_too_long_look.launcher.nl": "Launcher text (Dutch): at most 40 characters.",
    "err_too_long_look.launcher.en": "Launcher text (English): at most 40 characters.",
    err_missing_field_name: "Name: give the site a name.",
    err_too_long_name: "Name: at most 200 characters.",
    err_invalid_value_origins: "Allowed origins: each is scheme://host[:port], such as https://www.example.nl.",
    err_too_short_origins: "Allowed origins: give at least one.",
    "err_too_long_greeting.nl": "Greeting (Dutch): at most 500 characters.",
    "err_too_long_greeting.en": "Greeting (English): at most 500 characters.",
  },
  nl: {
    editSite: "Site bewerken",
    editSiteTitle: "{name} bewerken",
    siteGreetingNl: "Begroeting (Nederlands)",
    siteGreetingEn: "Begroeting (Engels)",
    siteOriginsHint: "Eén per regel, zoals https://www.example.nl (alleen schema, host en poort).",
    lookHeading: "Uiterlijk van de widget",
    lookColour: "Kleur",
    lookColourCode: "Kleurcode",
    lookPosition: "Plaats op de pagina",
    lookRight: "Rechtsonder",
    lookLeft: "Linksonder",
    lookLauncherNl: "Tekst bij de knop (Nederlands)",
    lookLauncherEn: "Tekst bij de knop (Engels)",
    lookLauncherHint: "Naast het chatpictogram; leeg: alleen het pictogram. Hoogstens 40 tekens.",
    lookLanguage: "Taal voor bezoekers die geen Nederlands of Engels spreken",
    langNl: "Nederlands",
    langEn: "Engels",
    sitePreview: "Voorbeeld van de widget zoals bezoekers hem zien",
    previewNote: "Voorbeeld: nog niet opgeslagen.",
    previewShows: "Het voorbeeld toont de site",
    previewOpen: "open",
    previewClosed: "buiten openingstijden",
    saveSite: "Site opslaan",
    siteSaved: "Site opgeslagen.",
    deleteSite: "Site verwijderen",
    confirmDeleteSite: "De site {name} verwijderen? Ook de bezoekers en al hun gesprekken worden verwijderd, en de code werkt niet meer.",
    siteDeleted: "Site verwijderd.",
    closeEditor: "Terug naar de sites",
    "err_invalid_value_look.colour": "Kleur: geef een kleurcode zoals #1f5fd1 (# en zes tekens 0-9 of a-f).",
    "err_too_long_look.colour": "Kleur: geef een kleurcode zoals #1f5fd1 (# en zes tekens 0-9 of a-f).",
    "err_invalid_value_look.position": "Plaats: kies rechtsonder of linksonder.",
    "err_invalid_value_look.language": "Taal: kies Nederlands of Engels.",
    "err_too_long_look.launcher.nl": "Tekst bij de knop (Nederlands): hoogstens 40 tekens.",
    "err_too_long_look.launcher.en": "Tekst bij de knop (Engels): hoogstens 40 tekens.",
    err_missing_field_name: "Naam: geef de site een naam.",
    err_too_long_name: "Naam: hoogstens 200 tekens.",
    err_invalid_value_origins: "Toegestane origins: elk is schema://host[:poort], zoals https://www.example.nl.",
    err_too_short_origins: "Toegestane origins: geef er minstens één.",
    "err_too_long_greeting.nl": "Begroeting (Nederlands): hoogstens 500 tekens.",
    "err_too_long_greeting.en": "Begroeting (Engels): hoogstens 500 tekens.",
  },
});

const DEFAULT_COLOUR = "#1f5fd1";
const HEX = /^#[0-9a-f]{6}$/i;

/**
 * The editor of ``site`` (null: a new one). ``onDone(reload, again)`` closes it: reload the
 * sites after a save or a delete; ``again``: open this site's editor anew (hours or form saved).
 * @param {import("./state.js").Site | null} site
 * @param {(reload: boolean, again: boolean) => Promise<void>} onDone
 */
export function siteEditor(site, onDone) {
  const look = (site && site.look) || {};
  const sid = site ? site.id : "new";
  const id = (/** @type {string} */ k) => `site-${sid}-${k}`;
  /**
   * @param {string} k
   * @param {string | null | undefined} value
   * @param {Record<string, unknown>} [extra]
   */
  const input = (k, value, extra = {}) => {
    const n = el("input", { id: id(k), dataset: { testid: id(k) }, ...extra });
    n.value = value ?? "";
    return n;
  };
  const name = input("name", site && site.name, { autocomplete: "off" });
  const origins = el("textarea", { id: id("origins"), rows: 3, dataset: { testid: id("origins") }, "aria-describedby": id("origins-hint") });
  origins.value = ((site && site.origins) || []).join("\n");
  const greetNl = input("greeting-nl", site && site.greeting && site.greeting.nl);
  const greetEn = input("greeting-en", site && site.greeting && site.greeting.en);
  const picker = input("colour-picker", HEX.test(look.colour || "") ? look.colour : DEFAULT_COLOUR, { type: "color" });
  const code = input("colour", look.colour || DEFAULT_COLOUR, { spellcheck: "false", autocomplete: "off" });
  const sides = ["right", "left"].map((side) => {
    const radio = el("input", { type: "radio", name: id("position"), value: side, id: id(`position-${side}`), dataset: { testid: id(`position-${side}`) } });
    radio.checked = (look.position || "right") === side;
    return radio;
  });
  const launcherNl = input("launcher-nl", (look.launcher || {}).nl, { "aria-describedby": id("launcher-hint") });
  const launcherEn = input("launcher-en", (look.launcher || {}).en, { "aria-describedby": id("launcher-hint") });
  const language = el("select", { id: id("language"), dataset: { testid: id("language") } },
    el("option", { value: "en" }, t("langEn")), el("option", { value: "nl" }, t("langNl")));
  language.value = look.language || "en";
  const error = el("p", { class: "error", role: "alert", id: id("error"), dataset: { testid: id("error") } });

  /** @type {Record<string, HTMLElement>} the fields by the name a refusal gives them */
  const fields = {
    name, origins, "greeting.nl": greetNl, "greeting.en": greetEn, "look.colour": code,
    "look.position": sides[0], "look.launcher.nl": launcherNl, "look.launcher.en": launcherEn, "look.language": language,
  };
  const label = (/** @type {string} */ k, /** @type {string} */ text) => el("label", { for: id(k) }, text);
  const side = () => sides.find((r) => r.checked)?.value || "right";
  const body = () => ({
    name: name.value.trim(),
    origins: origins.value.split(/\s+/).filter(Boolean),
    greeting: { nl: greetNl.value.trim(), en: greetEn.value.trim() },
    look: {
      colour: code.value.trim(), position: side(),
      launcher: { nl: launcherNl.value, en: launcherEn.value }, language: language.value,
    },
  });

  // --- the preview: the real widget in a frame, fed what is typed -------------------------
  const frame = el("iframe", {
    src: `/console/preview?lang=${lang()}`, title: t("sitePreview"), class: "site-preview",
    dataset: { testid: id("preview") },
  });
  const states = ["open", "closed"].map((k) => {
    const radio = el("input", { type: "radio", name: id("preview-state"), value: k, id: id(`preview-${k}`), dataset: { testid: id(`preview-${k}`) } });
    radio.checked = k === "open";
    return el("span", { class: "side" }, radio, el("label", { for: radio.id }, t(k === "open" ? "previewOpen" : "previewClosed")));
  });
  // The hours' away text and the pre-chat form as typed below, unsaved too (hours.js, prechat.js).
  const typed = (/** @type {string} */ k) => /** @type {HTMLInputElement | null} */ (document.getElementById(k))?.value.trim() || "";
  const show = () => {
    const b = body();
    const closed = /** @type {HTMLInputElement} */ (states[1].firstChild).checked;
    const fields = Object.fromEntries(["name", "email", "phone"].map((k) => [k, typed(`prechat-${sid}-${k}`)]).filter(([, v]) => v));
    // The preview speaks the console's language: the launcher text, greeting and away text in it.
    frame.contentWindow?.postMessage({
      look: { colour: b.look.colour, position: b.look.position, launcher: lang() === "nl" ? b.look.launcher.nl : b.look.launcher.en, language: lang() },
      greeting: (lang() === "nl" ? b.greeting.nl : b.greeting.en) || "", operators_online: 1, conversation: null,
      hours: closed ? { open: false, opens_at: null, away: typed(`hours-${sid}-away-${lang()}`) } : { open: true },
      prechat: Object.keys(fields).length ? { fields } : null,
    }, location.origin);
  };
  const onMessage = (/** @type {MessageEvent} */ ev) => {
    if (ev.source === frame.contentWindow && ev.origin === location.origin && ev.data && ev.data.ready) show();
  };
  window.addEventListener("message", onMessage);
  picker.addEventListener("input", () => {
    code.value = picker.value;
    show();
  });
  code.addEventListener("input", () => {
    if (HEX.test(code.value.trim())) picker.value = code.value.trim().toLowerCase();
    show();
  });

  const clearError = () => {
    error.textContent = "";
    for (const n of Object.values(fields)) n.removeAttribute("aria-invalid");
  };
  const close = (/** @type {boolean} */ reload, again = false) => {
    window.removeEventListener("message", onMessage);
    return onDone(reload, again);
  };

  const form = el(
    "form",
    { class: "site-editor-form", novalidate: true, dataset: { testid: id("form") } },
    label("name", t("siteName")), name,
    label("origins", t("siteOrigins")), origins,
    el("p", { class: "muted", id: id("origins-hint") }, t("siteOriginsHint")),
    label("greeting-nl", t("siteGreetingNl")), greetNl,
    label("greeting-en", t("siteGreetingEn")), greetEn,
    el("fieldset", { class: "look" },
      el("legend", {}, t("lookHeading")),
      label("colour-picker", t("lookColour")), picker,
      label("colour", t("lookColourCode")), code,
      el("fieldset", { class: "sides" }, el("legend", {}, t("lookPosition")),
        ...sides.map((r) => el("span", { class: "side" }, r, el("label", { for: r.id }, t(r.value === "right" ? "lookRight" : "lookLeft"))))),
      label("launcher-nl", t("lookLauncherNl")), launcherNl,
      label("launcher-en", t("lookLauncherEn")), launcherEn,
      el("p", { class: "muted", id: id("launcher-hint") }, t("lookLauncherHint")),
      label("language", t("lookLanguage")), language,
    ),
    error,
    el("div", { class: "row" },
      el("button", { type: "submit", class: "primary", dataset: { testid: id("save") } }, t(site ? "saveSite" : "addSite")),
      site ? el("button", { type: "button", class: "danger-button", dataset: { testid: id("delete") }, onclick: remove }, t("deleteSite")) : null,
      el("button", { type: "button", dataset: { testid: id("close") }, onclick: () => close(false) }, t("closeEditor")),
    ),
  );
  form.addEventListener("input", clearError);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    clearError();
    try {
      if (site) await put(`/api/livechat/sites/${site.id}`, body());
      else await post("/api/livechat/sites", body());
      toast(t("siteSaved"));
      close(true);
    } catch (err) {
      // The server's 400 names the field: say it in the console's language, beside it.
      error.textContent = errorText(err);
      const details = err instanceof ApiError ? err.details : {};
      const field = fields[String(details.field || "").replace(/\[\d+\]$/, "")];
      if (field) {
        field.setAttribute("aria-invalid", "true");
        field.setAttribute("aria-errormessage", error.id);
        field.focus();
      }
    }
  });

  async function remove() {
    if (!site || !confirm(t("confirmDeleteSite", { name: site.name }))) return; // the button shows for a saved site only
    try {
      await api("DELETE", `/api/livechat/sites/${site.id}`);
      toast(t("siteDeleted"));
      close(true);
    } catch (err) {
      error.textContent = errorText(err);
    }
  }

  const section = el(
    "section",
    { class: "card site-editor", dataset: { testid: "site-editor" }, "aria-labelledby": id("title") },
    el("h2", { id: id("title") }, site ? t("editSiteTitle", { name: site.name }) : t("newSite")),
    el("div", { class: "site-editor-grid" },
      form,
      el("div", { class: "preview-pane" },
        el("p", { class: "muted" }, t("previewNote")),
        el("fieldset", { class: "sides" }, el("legend", {}, t("previewShows")), ...states),
        frame)),
    site ? hoursForm(site, () => close(true, true)) : null,
    site ? prechatForm(site, () => close(true, true)) : null,
  );
  // Whatever is typed or chosen anywhere in the editor shows in the preview at once.
  section.addEventListener("input", show);
  section.addEventListener("change", show);
  return section;
}
