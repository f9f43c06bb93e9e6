// Every UI string, in Dutch and English. t(key, params) fills {name} placeholders.
// Text from users never passes through here as markup: callers set it with textContent.

const STRINGS = {
  en: {
    appName: "Chat",
    skipToContacts: "Skip to contacts",
    loginTitle: "Log in to chat",
    organisation: "Organisation",
    username: "Username",
    password: "Password",
    logIn: "Log in",
    logOut: "Log out",
    language: "Language",
    loginFailed: "Login failed: {message}",
    fillAllFields: "Fill in organisation, username and password.",
    yourStatus: "Your status",
    statusPressEnter: "Press Enter to apply",
    chat: "Chat",
    unreadBadge: "{count} conversations with unread messages",
    notificationSettings: "Notification settings",
    homeHint: "Choose a conversation or a contact to start chatting.",
    contactRequests: "Contact requests",
    contacts: "Contacts",
    addContact: "Add contact",
    noContacts: "No contacts yet. Add one with +.",
    recent: "Recent",
    noRecent: "Nobody yet.",
    close: "Close",
    prefsHelp: "For each event: a notification always (also while the app is in the background), only while the app is open, or never.",
    allowBrowserNotifications: "Allow browser notifications",
    notificationsAllowed: "Browser notifications are allowed.",
    notificationsDenied: "Browser notifications are blocked in this browser.",
    notificationsUnsupported: "This browser cannot show notifications.",
    level0: "Off",
    level1: "Always",
    level2: "Only while the app is open",
    orgDefault: "As the organisation chose ({value})",
    pref_notify_contact_request: "Someone wants to add me as a contact",
    pref_notify_contact_approved: "My contact request is accepted",
    pref_notify_status_change: "A contact's status changes",
    pref_notify_chat_message: "A new chat message",
    pref_notify_livechat_message: "A new live chat message",
    saved: "Saved.",
    // statuses
    status_online: "Online",
    status_away: "Away",
    status_dnd: "Do not disturb",
    status_invisible: "Invisible",
    status_offline: "Offline",
    offlineExplanation: "Your status is Offline: you cannot send messages. Contacts can still write to you; you receive their messages once you are back.",
    // connection
    conn_connecting: "Connecting…",
    conn_online: "",
    conn_reconnecting: "Connection lost, reconnecting…",
    // add contact
    search: "Search:",
    searchPlaceholder: "Type a name",
    function: "Function",
    allFunctions: "All functions",
    typeTwo: "Type at least 2 characters.",
    noResults: "Nobody found.",
    resultsCount: "{count} suggestions",
    resultsCountOne: "1 suggestion",
    addThis: "Add",
    alreadyContact: "already a contact",
    requestSent: "Contact request sent to {name}.",
    waitingFor: "Waiting for {name} to accept",
    // requests
    wantsToAdd: "{name} wants to add you as a contact",
    accept: "Accept",
    decline: "Decline",
    declineBlock: "Decline and block",
    // chat
    chatWith: "Chat with {name}",
    closeChat: "Close chat with {name}",
    loadOlder: "Load older messages",
    messageTo: "Message to {name}",
    send: "Send",
    backToContacts: "Back to contacts",
    isTyping: "{name} is typing…",
    read: "Read",
    you: "You",
    unreadCount: "{count} unread",
    subject: "Subject: {subject}",
    newMessageFrom: "New message from {name}",
    sendFailed: "Not sent: {message}",
    noMessages: "No messages yet. Say hello!",
    // notifications
    notifyRequest: "{name} wants to add you as a contact",
    notifyApproved: "{name} accepted your contact request",
    notifyStatus: "{name} is now {status}",
    // errors by code
    err_status_offline: "Your status is Offline: set another status to send messages.",
    err_not_a_contact: "This person is not one of your contacts.",
    err_already_contacts: "You are already contacts.",
    err_request_pending: "A request is already waiting for an answer.",
    err_request_blocked: "This person does not accept contact requests from you.",
    err_external_chat_blocked: "Chatting with this organisation is blocked.",
    err_query_too_short: "Type at least 2 characters.",
    err_chat_disabled: "Chat is not enabled for you; a key-user can enable it.",
    err_unauthorized: "Wrong organisation, username or password.",
    err_disconnected: "Not connected; try again in a moment.",
    err_network: "The server cannot be reached.",
    err_bad_credentials: "Wrong organisation, username or password.",
    err_invalid_token: "Your session has ended; log in again.",
    err_self_contact: "You cannot add yourself as a contact.",
    err_already_answered: "This request has already been answered.",
    err_empty_message: "Type a message first.",
    err_too_long: "This text is too long.",
    err_too_large: "This is too large to send.",
    err_too_many: "Too many at once; try fewer.",
    err_not_allowed: "You are not allowed to do this.",
    err_wrong_level: "Choose one of the offered levels.",
    // by HTTP status, for codes without their own text
    err_bad_request: "The server could not accept this input.",
    err_forbidden: "You are not allowed to do this.",
    err_not_found: "This no longer exists, or you cannot see it.",
    err_conflict: "This cannot be done in the current state.",
    err_rate_limited: "Too many requests; wait a moment and try again.",
    err_internal: "Something went wrong on the server; try again later.",
  },
  nl: {
    appName: "Chat",
    skipToContacts: "Naar contactpersonen",
    loginTitle: "Inloggen op de chat",
    organisation: "Organisatie",
    username: "Gebruikersnaam",
    password: "Wachtwoord",
    logIn: "Inloggen",
    logOut: "Uitloggen",
    language: "Taal",
    loginFailed: "Inloggen mislukt: {message}",
    fillAllFields: "Vul organisatie, gebruikersnaam en wachtwoord in.",
    yourStatus: "Uw status",
    statusPressEnter: "Druk op Enter om toe te passen",
    chat: "Chat",
    unreadBadge: "{count} gesprekken met ongelezen berichten",
    notificationSettings: "Meldingsinstellingen",
    homeHint: "Kies een gesprek of een contactpersoon om te chatten.",
    contactRequests: "Contactverzoeken",
    contacts: "Contactpersonen",
    addContact: "Contactpersoon toevoegen",
    noContacts: "Nog geen contactpersonen. Voeg er een toe met +.",
    recent: "Recent",
    noRecent: "Nog niemand.",
    close: "Sluiten",
    prefsHelp: "Per gebeurtenis: altijd een melding (ook als de app op de achtergrond staat), alleen als de app open is, of nooit.",
    allowBrowserNotifications: "Browsermeldingen toestaan",
    notificationsAllowed: "Browsermeldingen zijn toegestaan.",
    notificationsDenied: "Browsermeldingen zijn in deze browser geblokkeerd.",
    notificationsUnsupported: "Deze browser kan geen meldingen tonen.",
    level0: "Uit",
    level1: "Altijd",
    level2: "Alleen als de app open is",
    orgDefault: "Zoals de organisatie koos ({value})",
    pref_notify_contact_request: "Iemand wil mij toevoegen als contactpersoon",
    pref_notify_contact_approved: "Mijn contactverzoek is geaccepteerd",
    pref_notify_status_change: "De status van een contactpersoon verandert",
    pref_notify_chat_message: "Een nieuw chatbericht",
    pref_notify_livechat_message: "Een nieuw live-chatbericht",
    saved: "Opgeslagen.",
    status_online: "Online",
    status_away: "Afwezig",
    status_dnd: "Niet storen",
    status_invisible: "Onzichtbaar",
    status_offline: "Offline",
    offlineExplanation: "Uw status is Offline: u kunt geen berichten verzenden. Contactpersonen kunnen u wel berichten sturen; u ontvangt ze zodra u weer online bent.",
    conn_connecting: "Verbinden…",
    conn_online: "",
    conn_reconnecting: "Verbinding verbroken, opnieuw verbinden…",
    search: "Zoeken:",
    searchPlaceholder: "Typ een naam",
    function: "Functie",
    allFunctions: "Alle functies",
    typeTwo: "Typ minstens 2 tekens.",
    noResults: "Niemand gevonden.",
    resultsCount: "{count} suggesties",
    resultsCountOne: "1 suggestie",
    addThis: "Toevoegen",
    alreadyContact: "al contactpersoon",
    requestSent: "Contactverzoek verstuurd naar {name}.",
    waitingFor: "Wacht op acceptatie door {name}",
    wantsToAdd: "{name} wil u toevoegen als contactpersoon",
    accept: "Accepteren",
    decline: "Weigeren",
    declineBlock: "Weigeren en blokkeren",
    chatWith: "Chat met {name}",
    closeChat: "Chat met {name} sluiten",
    loadOlder: "Oudere berichten laden",
    messageTo: "Bericht aan {name}",
    send: "Versturen",
    backToContacts: "Terug naar contactpersonen",
    isTyping: "{name} is aan het typen…",
    read: "Gelezen",
    you: "U",
    unreadCount: "{count} ongelezen",
    subject: "Onderwerp: {subject}",
    newMessageFrom: "Nieuw bericht van {name}",
    sendFailed: "Niet verstuurd: {message}",
    noMessages: "Nog geen berichten. Stuur het eerste bericht.",
    notifyRequest: "{name} wil u toevoegen als contactpersoon",
    notifyApproved: "{name} heeft uw contactverzoek geaccepteerd",
    notifyStatus: "{name} is nu {status}",
    err_status_offline: "Uw status is Offline: kies een andere status om berichten te verzenden.",
    err_not_a_contact: "Deze persoon is geen contactpersoon van u.",
    err_already_contacts: "U bent al contactpersonen.",
    err_request_pending: "Er wacht al een verzoek op antwoord.",
    err_request_blocked: "Deze persoon accepteert geen contactverzoeken van u.",
    err_external_chat_blocked: "Chatten met deze organisatie is geblokkeerd.",
    err_query_too_short: "Typ minstens 2 tekens.",
    err_chat_disabled: "De chat is niet voor u geactiveerd; een key-user kan dat doen.",
    err_unauthorized: "Verkeerde organisatie, gebruikersnaam of wachtwoord.",
    err_disconnected: "Geen verbinding; probeer het zo opnieuw.",
    err_network: "De server is niet bereikbaar.",
    err_bad_credentials: "Verkeerde organisatie, gebruikersnaam of wachtwoord.",
    err_invalid_token: "Uw sessie is verlopen; log opnieuw in.",
    err_self_contact: "U kunt uzelf niet als contactpersoon toevoegen.",
    err_already_answered: "Dit verzoek is al beantwoord.",
    err_empty_message: "Typ eerst een bericht.",
    err_too_long: "Deze tekst is te lang.",
    err_too_large: "Dit is te groot om te versturen.",
    err_too_many: "Te veel tegelijk; probeer er minder.",
    err_not_allowed: "U mag dit niet doen.",
    err_wrong_level: "Kies een van de aangeboden niveaus.",
    err_bad_request: "De server kon deze invoer niet verwerken.",
    err_forbidden: "U mag dit niet doen.",
    err_not_found: "Dit bestaat niet meer, of u kunt het niet zien.",
    err_conflict: "Dit kan in de huidige toestand niet.",
    err_rate_limited: "Te veel verzoeken; wacht even en probeer het opnieuw.",
    err_internal: "Er ging iets mis op de server; probeer het later opnieuw.",
  },
};

export const LANGUAGES = Object.keys(STRINGS);
const listeners = new Set();
let current = pickInitial();

function pickInitial() {
  const saved = localStorage.getItem("chat.lang");
  if (saved && STRINGS[saved]) return saved;
  const nav = (navigator.language || "en").toLowerCase();
  return nav.startsWith("nl") ? "nl" : "en";
}

export function lang() {
  return current;
}

export function t(key, params = {}) {
  const table = STRINGS[current];
  const text = table[key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

const BY_STATUS = { 400: "bad_request", 403: "forbidden", 404: "not_found", 409: "conflict", 413: "too_large", 429: "rate_limited" };

/**
 * A server error as a sentence in the user's language: our text for its code; for a code we
 * have no text for, English readers get the server's own message and others a sentence for
 * its HTTP status (the server's messages are English).
 */
export function errorText(err) {
  const key = `err_${err && err.code}`;
  if (STRINGS.en[key]) return t(key);
  const message = (err && err.message) || String(err);
  if (current === "en") return message;
  const status = err && err.status;
  const general = BY_STATUS[status] || (status >= 500 ? "internal" : null);
  return general ? t(`err_${general}`) : message;
}

export function setLang(code) {
  if (!STRINGS[code] || code === current) return;
  current = code;
  localStorage.setItem("chat.lang", code);
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
  for (const node of root.querySelectorAll("[data-i18n-placeholder]")) {
    node.placeholder = t(node.dataset.i18nPlaceholder);
  }
  for (const sel of root.querySelectorAll("select.lang-select")) sel.value = current;
}

/** A screen's own texts (the video call page's, say), added to the one table: same t(), same languages. */
export function extend(tables) {
  for (const [code, table] of Object.entries(tables)) {
    if (STRINGS[code]) Object.assign(STRINGS[code], table);
  }
}
