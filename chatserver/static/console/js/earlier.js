// @ts-check
// A returning visitor's earlier conversations in the side panel: the organisation's other
// conversations with this visitor's e-mail address (date, state, first message), each
// opened read-only in a dialog (docs/livechat.md).
import { get } from "../../shared/api.js";
import { $, clear, el, linked, toast } from "../../shared/dom.js";
import { errorText, extend, lang, t, time } from "./i18n.js";

extend({
  en: {
    earlierHeading: "Earlier conversations",
    earlierTitle: "Conversation of {date} (read-only)",
    earlierOpen: "Open the conversation of {date}, read-only",
    earlierEmpty: "(no messages)",
    earlierFailed: "The conversation could not be opened: {m}",
  },
  nl: {
    earlierHeading: "Eerdere gesprekken",
    earlierTitle: "Gesprek van {date} (alleen lezen)",
    earlierOpen: "Het gesprek van {date} openen, alleen lezen",
    earlierEmpty: "(geen berichten)",
    earlierFailed: "Het gesprek kon niet worden geopend: {m}",
  },
});

let fetched = ""; // "conversation id:e-mail" the list below belongs to
/** @type {import("./state.js").LiveConversation[]} */
let earlier = [];

const day = (/** @type {string | undefined} */ iso) => new Date(iso || "").toLocaleDateString(lang() === "nl" ? "nl-NL" : "en-GB", { day: "numeric", month: "short", year: "numeric" });

function draw() {
  clear($("earlier-list")).append(
    ...earlier.map((c) =>
      el("li", {},
        el("button", { type: "button", class: "earlier-item", dataset: { testid: `earlier-${c.id}` }, title: t("earlierOpen", { date: day(c.created_at) }), onclick: () => openEarlier(c) },
          el("span", { class: "muted" }, `${day(c.created_at)} · ${t(`st_${c.state}`)}`),
          el("span", { class: "earlier-first" }, c.first_message || t("earlierEmpty")))),
    ),
  );
  $("visitor-earlier").hidden = earlier.length === 0;
}

/** Called whenever the chat is drawn; asks the server again only for another chat or address. */
/** @param {import("./state.js").LiveConversation} conv */
export async function renderEarlier(conv) {
  const email = (conv.visitor && conv.visitor.email) || "";
  const key = `${conv.id}:${email}`;
  if (key !== fetched) {
    fetched = key;
    earlier = [];
    if (email) {
      try {
        const data = await get(`/api/livechat/conversations/${conv.id}/earlier`);
        if (fetched === key) earlier = data.conversations;
      } catch {
        fetched = ""; // try again on the next draw
      }
    }
  }
  draw();
}

/** @param {import("./state.js").LiveConversation} c */
async function openEarlier(c) {
  let conv;
  try {
    conv = await get(`/api/livechat/conversations/${c.id}`);
  } catch (err) {
    toast(t("earlierFailed", { m: errorText(err) }));
    return;
  }
  $("earlier-title").textContent = t("earlierTitle", { date: day(c.created_at) });
  clear($("earlier-messages")).append(
    .../** @type {import("./state.js").LiveMessage[]} */ (conv.messages).map((m) =>
      el("div", { class: `msg ${m.sender}`, dataset: { testid: "earlier-message" } },
        el("span", { class: "who" }, m.sender_name || "", " ", el("time", {}, time(m.created_at))),
        el("p", { class: "body" }, linked(m.body)))),
  );
  $("earlier-dialog").showModal();
}
