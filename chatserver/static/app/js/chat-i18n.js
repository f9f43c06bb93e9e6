// @ts-check
// The texts of the conversation list and pane (issue 18), added to the app's table.
import { extend } from "./i18n.js";
import { FILE_STRINGS } from "../../shared/files-i18n.js";

// Sent files (chat-files.js, shared/files.js).
extend(FILE_STRINGS);

extend({
  en: {
    chats: "Chats",
    noChats: "No conversations yet. Choose a contact to start one.",
    today: "Today",
    yesterday: "Yesterday",
    tick_pending: "Sending",
    tick_sent: "Sent",
    tick_delivered: "Delivered",
    tick_read: "Read",
    typingShort: "typing…",
    youSaid: "You: {text}",
    externalOf: "External · {organisation}",
    // A video call's note in the conversation (chat-kinds.js).
    callMissed: "Missed video call",
    callLasted: "Video call · {length}",
  },
  nl: {
    chats: "Gesprekken",
    noChats: "Nog geen gesprekken. Kies een contactpersoon om er een te beginnen.",
    today: "Vandaag",
    yesterday: "Gisteren",
    tick_pending: "Wordt verzonden",
    tick_sent: "Verzonden",
    tick_delivered: "Afgeleverd",
    tick_read: "Gelezen",
    typingShort: "typt…",
    youSaid: "U: {text}",
    externalOf: "Extern · {organisation}",
    callMissed: "Gemist videogesprek",
    callLasted: "Videogesprek · {length}",
  },
});
