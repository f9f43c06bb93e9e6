// @ts-check
// Video calls from the chat (VC-1): the call button in a chat's header, and the ringing
// on every open tab of the colleague called, with Accept and Decline. The call itself
// opens in a window of its own at /v/{token} (signaling/static/call.js), as the seed says.
import { post } from "../../shared/api.js";
import { $, el, toast } from "../../shared/dom.js";
import { cameraIcon } from "./chat-kinds.js";
import { errorText, extend, t } from "./i18n.js";

extend({
  en: {
    videoAgenda: "Agenda",
    videoCallWith: "Video call with {name}",
    videoRinging: "{name} is calling you (video)",
    videoAccept: "Accept",
    videoDecline: "Decline",
    videoDnd: "{name} is on Do not disturb: the call is noted as missed in your chat.",
    videoDeclined: "{name} declined the call.",
    videoNoAnswer: "No answer: the call is noted as missed in your chat.",
  },
  nl: {
    videoAgenda: "Agenda",
    videoCallWith: "Videogesprek met {name}",
    videoRinging: "{name} belt u (video)",
    videoAccept: "Opnemen",
    videoDecline: "Weigeren",
    videoDnd: "{name} staat op Niet storen: de oproep staat als gemist in uw chat.",
    videoDeclined: "{name} heeft het gesprek geweigerd.",
    videoNoAnswer: "Geen antwoord: de oproep staat als gemist in uw chat.",
  },
});

/** @type {Map<string, HTMLElement>} */
const rings = new Map(); // room token -> the ringing notice

/** @param {string} token the room's */
function openCall(token) {
  // The call window shares this browser's login (api.js keeps it for every tab).
  window.open(`/v/${encodeURIComponent(token)}?autojoin=1`, `call-${token}`);
}

/**
 * The button in a chat window's header: call this contact.
 * @param {number} userId
 * @param {string} name
 */
export function callButton(userId, name) {
  return el("button", {
    type: "button", class: "icon-button video-call", dataset: { testid: `video-call-${userId}` },
    title: t("videoCallWith", { name }), "aria-label": t("videoCallWith", { name }),
    onclick: async () => {
      try {
        const { room, ringing } = await post("/api/video/calls", { to: userId });
        if (!ringing) toast(t("videoDnd", { name }));
        openCall(room.token);
      } catch (err) {
        toast(errorText(err));
      }
    },
  }, cameraIcon("video-icon"));
}

/** @param {string} token */
function stopRinging(token) {
  const notice = rings.get(token);
  if (notice) notice.remove();
  rings.delete(token);
}

/** @typedef {Record<string, any>} EventData an event's data, as the server sent it */

/** @type {Record<string, (data: EventData) => void>} */
export const videoHandlers = {
  "video.ring"(data) {
    const { room, from } = data;
    if (rings.has(room.token)) return;
    const box = $("video-rings") || document.body.appendChild(el("div", { id: "video-rings", class: "video-rings" }));
    const notice = el("div", { class: "video-ring", role: "alertdialog", "aria-label": t("videoRinging", { name: from.name }),
      dataset: { testid: "video-ring" } },
      el("p", { text: t("videoRinging", { name: from.name }) }),
      el("button", { type: "button", class: "accept", dataset: { testid: "video-accept" }, text: t("videoAccept"),
        onclick: () => {
          stopRinging(room.token);
          openCall(room.token);
        } }),
      el("button", { type: "button", class: "decline", dataset: { testid: "video-decline" }, text: t("videoDecline"),
        onclick: async () => {
          stopRinging(room.token);
          await post(`/api/video/rooms/${encodeURIComponent(room.token)}/decline`).catch(() => {});
        } }));
    rings.set(room.token, notice);
    box.append(notice);
    /** @type {HTMLElement} */ (notice.querySelector(".accept")).focus();
  },
  "video.ring_ended"(data) {
    stopRinging(data.room);
  },
  "video.declined"(data) {
    toast(t("videoDeclined", { name: data.by }));
  },
  "video.no_answer"() {
    toast(t("videoNoAnswer"));
  },
};
