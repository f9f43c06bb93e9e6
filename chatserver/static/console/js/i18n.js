// Every console string in English and Dutch. t(key, params) fills {name} placeholders.
// Text from users never passes through here as markup: callers set it with textContent.

const STRINGS = {
  en: {
    appName: "Live chat",
    skipToMain: "Skip to content",
    loginTitle: "Live chat: log in",
    organisation: "Organisation",
    username: "Username",
    password: "Password",
    logIn: "Log in",
    logOut: "Log out",
    language: "Language",
    fillAllFields: "Fill in organisation, username and password.",
    loginFailed: "Login failed: {message}",
    notOperator: "Live chat is not enabled for you; a key-user can enable it.",
    online: "Online",
    offline: "Offline",
    availability: "Availability: {state}",
    searchChats: "Search chats",
    searchPlaceholder: "Search name, e-mail, phone, text",
    allowNotifications: "Allow notifications",
    overview: "Overview",
    incoming: "Incoming",
    active: "Active",
    history: "History",
    operators: "Operators",
    sites: "Sites",
    openChats: "Open chats",
    resolved: "Resolved",
    st_incoming: "Incoming",
    st_active: "Active",
    st_resolved: "Resolved",
    incomingCount: "Incoming conversations",
    activeCount: "Active conversations",
    operatorsOnline: "Online operators",
    operatorsOffline: "Offline operators",
    longest: "Longest time to resolution",
    shortest: "Shortest time to resolution",
    firstResponse: "Average first response",
    onlineAgents: "Online agents",
    nobodyOnline: "Nobody is online.",
    resolvedShare: "Share of chats resolved",
    resolvedPct: "{pct}% of chats resolved",
    noIncoming: "No incoming conversations.",
    noActive: "No active conversations.",
    noHistory: "No resolved conversations on this day.",
    noResults: "Nothing found.",
    searchResults: "Search results",
    date: "Date",
    visitor: "Visitor",
    assignToMe: "Assign to me",
    takeOver: "Take over",
    assignToColleague: "Assign to colleague",
    chooseColleague: "Choose a colleague",
    markResolved: "Mark as resolved",
    confirmResolve: "Mark this conversation as resolved? The visitor can still write; the chat then reopens.",
    cancel: "Cancel",
    readOnly: "Resolved: read-only. It reopens when the visitor writes again.",
    reply: "Reply",
    replyPlaceholder: "Type a reply… (Enter sends, Shift+Enter new line)",
    send: "Send",
    typing: "{name} is typing…",
    searchPanel: "Search",
    name: "Name",
    email: "E-mail",
    phone: "Phone",
    save: "Save",
    saved: "Saved.",
    visitorGave: "The visitor gave: {value}",
    useSuggestion: "Use",
    useSuggestionFor: "Use {value}",
    website: "Website",
    browser: "Browser",
    ip: "IP address",
    visitorLanguage: "Language",
    url: "URL",
    referrer: "Referrer",
    userAgent: "User agent",
    operator: "Operator: {name}",
    unassigned: "Not assigned",
    you: "you",
    snippetHelp: "Put the snippet on every page of the site, just before </body>.",
    snippet: "Snippet",
    copy: "Copy",
    copied: "Copied.",
    origins: "Allowed origins: {list}",
    noSites: "No sites yet. A key-user adds them.",
    newSite: "New site",
    siteName: "Site name",
    siteOrigins: "Allowed origins (one per line, e.g. https://www.example.nl)",
    addSite: "Add site",
    newMessageFrom: "New message from {name}",
    newIncoming: "New conversation from {name}",
    conn_connecting: "Connecting…",
    conn_online: "",
    conn_reconnecting: "Connection lost, reconnecting…",
    failed: "Failed: {message}",
    close: "Close",
    closeTab: "Close tab {name}",
    unreadN: "{n} unread",
    none: "–",
    cannedResponses: "Canned responses",
    cannedHelp: "Type / and a shortcut in the reply box to insert one.",
    cannedOrganisationList: "The organisation's",
    cannedMineList: "My own",
    cannedFor: "For",
    cannedMineOption: "Only me",
    cannedOrganisationOption: "The whole organisation",
    cannedShortcut: "Shortcut (after the /)",
    cannedText: "Text",
    cannedOrganisation: "organisation",
    cannedMine: "mine",
    noCanned: "None yet.",
    noCannedMatch: "No canned response matches.",
    newCanned: "New canned response",
    editCanned: "Change /{shortcut}",
    addCanned: "Add",
    saveChanges: "Save changes",
    edit: "Edit",
    delete: "Delete",
    confirmDeleteCanned: "Delete the canned response /{shortcut}?",
    privateNote: "Private note",
    notePlaceholder: "A note for colleagues; the visitor never sees it",
    addNote: "Add note",
    ratingOf: "★ {score}/5",
    avgRating: "Average rating (1 to 5)",
    ratingAvg: "{avg} ({n}×)",
    labels: "Labels",
    labelsHelp: "Put labels on conversations in the chat; filter the lists by label in the menu.",
    filterByLabel: "Filter by label",
    allLabels: "All labels",
    newLabel: "New label",
    labelName: "Name",
    labelColour: "Colour",
    addLabelButton: "Add label",
    addLabel: "Add a label…",
    removeLabel: "Remove label {name}",
    noLabels: "No labels yet. A key-user adds them.",
    confirmDeleteLabel: "Delete the label {name}? It leaves every conversation.",
  },
  nl: {
    appName: "Live chat",
    skipToMain: "Naar de inhoud",
    loginTitle: "Live chat: inloggen",
    organisation: "Organisatie",
    username: "Gebruikersnaam",
    password: "Wachtwoord",
    logIn: "Inloggen",
    logOut: "Uitloggen",
    language: "Taal",
    fillAllFields: "Vul organisatie, gebruikersnaam en wachtwoord in.",
    loginFailed: "Inloggen mislukt: {message}",
    notOperator: "De live chat is niet voor u geactiveerd; een key-user kan dat doen.",
    online: "Online",
    offline: "Offline",
    availability: "Beschikbaar: {state}",
    searchChats: "Chats zoeken",
    searchPlaceholder: "Zoek op naam, e-mail, telefoon, tekst",
    allowNotifications: "Meldingen toestaan",
    overview: "Overzicht",
    incoming: "Inkomende gesprekken",
    active: "Actieve gesprekken",
    history: "Geschiedenis",
    operators: "Operators",
    sites: "Websites",
    openChats: "Open chats",
    resolved: "Opgelost",
    st_incoming: "Inkomend",
    st_active: "Actief",
    st_resolved: "Opgelost",
    incomingCount: "Inkomende conversaties",
    activeCount: "Actieve gesprekken",
    operatorsOnline: "Online operators",
    operatorsOffline: "Offline operators",
    longest: "Langste wachttijd tot opgelost",
    shortest: "Kortste wachttijd tot opgelost",
    firstResponse: "Gemiddelde eerste reactie",
    onlineAgents: "Online agents",
    nobodyOnline: "Niemand is online.",
    resolvedShare: "Aandeel opgeloste chats",
    resolvedPct: "{pct}% van de chats opgelost",
    noIncoming: "Geen inkomende gesprekken.",
    noActive: "Geen actieve gesprekken.",
    noHistory: "Geen opgeloste gesprekken op deze dag.",
    noResults: "Niets gevonden.",
    searchResults: "Zoekresultaten",
    date: "Datum",
    visitor: "Bezoeker",
    assignToMe: "Aan mij toekennen",
    takeOver: "Overnemen",
    assignToColleague: "Toekennen aan collega",
    chooseColleague: "Kies een collega",
    markResolved: "Markeer als opgelost",
    confirmResolve: "Dit gesprek als opgelost markeren? De bezoeker kan nog schrijven; de chat gaat dan weer open.",
    cancel: "Annuleren",
    readOnly: "Opgelost: alleen lezen. Het gesprek gaat weer open als de bezoeker opnieuw schrijft.",
    reply: "Antwoord",
    replyPlaceholder: "Typ een antwoord… (Enter verstuurt, Shift+Enter nieuwe regel)",
    send: "Versturen",
    typing: "{name} is aan het typen…",
    searchPanel: "Zoeken",
    name: "Naam",
    email: "E-mailadres",
    phone: "Telefoonnummer",
    save: "Opslaan",
    saved: "Opgeslagen.",
    visitorGave: "De bezoeker gaf: {value}",
    useSuggestion: "Gebruiken",
    useSuggestionFor: "{value} gebruiken",
    website: "Website",
    browser: "Browser",
    ip: "IP-adres",
    visitorLanguage: "Taal",
    url: "URL",
    referrer: "Refer",
    userAgent: "User agent",
    operator: "Operator: {name}",
    unassigned: "Niet toegekend",
    you: "u",
    snippetHelp: "Zet de code op elke pagina van de website, vlak voor </body>.",
    snippet: "Code",
    copy: "Kopiëren",
    copied: "Gekopieerd.",
    origins: "Toegestane origins: {list}",
    noSites: "Nog geen websites. Een key-user voegt ze toe.",
    newSite: "Nieuwe website",
    siteName: "Naam van de website",
    siteOrigins: "Toegestane origins (één per regel, bijv. https://www.example.nl)",
    addSite: "Website toevoegen",
    newMessageFrom: "Nieuw bericht van {name}",
    newIncoming: "Nieuw gesprek van {name}",
    conn_connecting: "Verbinden…",
    conn_online: "",
    conn_reconnecting: "Verbinding verbroken, opnieuw verbinden…",
    failed: "Mislukt: {message}",
    close: "Sluiten",
    closeTab: "Tab {name} sluiten",
    unreadN: "{n} ongelezen",
    none: "–",
    cannedResponses: "Standaardantwoorden",
    cannedHelp: "Typ / en een sneltoets in het antwoordvak om er een in te voegen.",
    cannedOrganisationList: "Van de organisatie",
    cannedMineList: "Mijn eigen",
    cannedFor: "Voor",
    cannedMineOption: "Alleen mij",
    cannedOrganisationOption: "De hele organisatie",
    cannedShortcut: "Sneltoets (na de /)",
    cannedText: "Tekst",
    cannedOrganisation: "organisatie",
    cannedMine: "eigen",
    noCanned: "Nog geen.",
    noCannedMatch: "Geen standaardantwoord past.",
    newCanned: "Nieuw standaardantwoord",
    editCanned: "/{shortcut} wijzigen",
    addCanned: "Toevoegen",
    saveChanges: "Wijzigingen opslaan",
    edit: "Wijzigen",
    delete: "Verwijderen",
    confirmDeleteCanned: "Het standaardantwoord /{shortcut} verwijderen?",
    privateNote: "Privénotitie",
    notePlaceholder: "Een notitie voor collega's; de bezoeker ziet die nooit",
    addNote: "Notitie toevoegen",
    ratingOf: "★ {score}/5",
    avgRating: "Gemiddelde beoordeling (1 tot 5)",
    ratingAvg: "{avg} ({n}×)",
    labels: "Labels",
    labelsHelp: "Geef gesprekken labels in de chat; filter de lijsten op label in het menu.",
    filterByLabel: "Filteren op label",
    allLabels: "Alle labels",
    newLabel: "Nieuw label",
    labelName: "Naam",
    labelColour: "Kleur",
    addLabelButton: "Label toevoegen",
    addLabel: "Label toevoegen…",
    removeLabel: "Label {name} verwijderen",
    noLabels: "Nog geen labels. Een key-user voegt ze toe.",
    confirmDeleteLabel: "Het label {name} verwijderen? Het verdwijnt van alle gesprekken.",
  },
};

const listeners = new Set();
let current = pickInitial();

function pickInitial() {
  const saved = localStorage.getItem("console.lang");
  if (saved && STRINGS[saved]) return saved;
  return (navigator.language || "en").toLowerCase().startsWith("nl") ? "nl" : "en";
}

/** A screen's own texts (webhooks.js), added to the one table: same t(), same languages. */
export function extend(tables) {
  for (const [code, table] of Object.entries(tables)) {
    if (STRINGS[code]) Object.assign(STRINGS[code], table);
  }
}

export function lang() {
  return current;
}

export function t(key, params = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

export function setLang(code) {
  if (!STRINGS[code] || code === current) return;
  current = code;
  localStorage.setItem("console.lang", code);
  applyStatic(document);
  for (const fn of listeners) fn(code);
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** Fill every element marked data-i18n (text) or data-i18n-placeholder. */
export function applyStatic(root) {
  document.documentElement.lang = current;
  for (const node of root.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const sel of root.querySelectorAll("select.lang-select")) sel.value = current;
}

/** Seconds as "1 h 5 min", "3 min 10 s", "42 s"; "–" when unknown. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return t("none");
  const s = Math.round(Number(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function time(iso) {
  if (!iso) return "";
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return "";
  const today = new Date().toDateString() === d.toDateString();
  const locale = current === "nl" ? "nl-NL" : "en-GB";
  return today
    ? d.toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" })
    : d.toLocaleString(locale, { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
}
