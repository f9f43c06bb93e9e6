// @ts-check
// The video call page at /v/{token} (VC-1..VC-4): a colleague (logged in to the app) or a
// guest (a name, maybe the room's password) joins; media flows browser to browser, one
// RTCPeerConnection per other member, with perfect negotiation (docs/video.md). The
// server relays signals and says who is polite, so every pair agrees without asking.
// The page is split in modules: call-state (the state), call-screen (tiles and sections),
// call-peer (a connection), call-media (devices), call-session (joining, the socket's
// events, leaving), call-controls (the buttons); this one starts it.

import { api, session } from "/static/shared/api.js";
import { $ } from "/static/shared/dom.js";
import { applyStatic, t } from "/static/app/js/i18n.js";
import "./call-i18n.js";
import { wireControls } from "./call-controls.js";
import { changeQuality, openMedia } from "./call-media.js";
import { show, showError } from "./call-screen.js";
import { GUEST_KEY, isQuality, params, roomToken, state } from "./call-state.js";

async function main() {
  applyStatic(document);
  wireControls();
  $("room-link").textContent = location.origin + location.pathname;
  let info;
  try {
    info = (await api("GET", `/api/video/rooms/${encodeURIComponent(roomToken)}`)).room;
  } catch (err) {
    showError(err);
    return;
  }
  state.room = info;
  document.title = `${info.title} – ${t("vcTitle")}`;
  $("call-title").textContent = info.title;
  $("join-host").textContent = t("vcHost", { name: info.owner_name });
  $("recorded-notice").hidden = !info.recorded;
  if (info.ended) {
    $("after-text").textContent = t("vcEnded");
    $("rejoin").hidden = true;
    show("after");
    return;
  }
  const saved = JSON.parse(sessionStorage.getItem(GUEST_KEY) || "null");
  // A colleague signed in to the app in this browser (its session cookie), or a guest.
  const colleague = await session.load().catch(() => null);
  if (colleague) {
    state.userId = colleague.id;
    // The organiser and the colleague called need no password; another colleague may.
    $("password-field").hidden = !(info.has_password && ![info.owner_id, info.callee_id].includes(colleague.id));
  } else if (saved) {
    state.bearer = saved.token;
    state.userId = saved.user.id;
    state.guest = true;
  } else {
    state.guest = true;
    $("guest-fields").hidden = false;
    $("password-field").hidden = !info.has_password;
  }
  const quality = params.get("quality");
  await changeQuality(isQuality(quality) ? quality : state.quality);
  show("prejoin");
  try {
    await openMedia();
  } catch (err) {
    showError(err);
  }
  if (params.get("autojoin") === "1" && (colleague || saved)) $("join-form").requestSubmit();
}

main();
