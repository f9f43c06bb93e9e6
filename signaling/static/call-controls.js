// @ts-check
// The call page's buttons and forms: quality and devices, mute, camera, leave, end for all,
// copy the link, the room's password, invite by e-mail, record, join again, language.
import { api } from "/static/shared/api.js";
import { $, el } from "/static/shared/dom.js";
import { lang, setLang, t } from "/static/app/js/i18n.js";
import { changeQuality, openMedia } from "./call-media.js";
import { message, show, showError } from "./call-screen.js";
import { leaveLocally, onJoin } from "./call-session.js";
import { isQuality, roomToken, state } from "./call-state.js";

function passwordForm() {
  const existing = $("password-form");
  if (existing) {
    existing.remove();
    return;
  }
  const input = el("input", { id: "new-password", type: "password", minlength: "4", maxlength: "200",
    "aria-label": t("password"), dataset: { testid: "new-password" } });
  const form = el("form", { id: "password-form", class: "password-form", dataset: { testid: "password-form" } },
    input, el("button", { type: "submit", dataset: { testid: "save-password" }, text: t("vcSave") }));
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api("PUT", `/api/video/rooms/${encodeURIComponent(roomToken)}/password`, { password: input.value || null });
      form.remove();
      message(t("vcPasswordSaved"));
    } catch (err) {
      showError(err);
    }
  });
  $("set-password").after(form);
  input.focus();
}

/**
 * Mute or unmute, the camera off or on: the tracks, the button's text and state, and the
 * others told (video.state).
 * @param {"audio" | "video"} kind
 */
function toggle(kind) {
  const on = (state[kind] = !state[kind]);
  const tracks = kind === "audio" ? state.stream?.getAudioTracks() : state.stream?.getVideoTracks();
  tracks?.forEach((tr) => { tr.enabled = on; });
  const button = $(kind === "audio" ? "mute" : "camera");
  button.textContent = kind === "audio" ? t(on ? "vcMute" : "vcUnmute") : t(on ? "vcCameraOff" : "vcCameraOn");
  button.setAttribute("aria-pressed", String(!on));
  state.socket?.request("video.state", { audio: state.audio, video: state.video }).catch(showError);
}

export function wireControls() {
  $("join-form").addEventListener("submit", onJoin);
  for (const id of ["quality-select", "quality-live"]) {
    const select = /** @type {HTMLSelectElement} */ ($(id));
    select.addEventListener("change", () => {
      if (isQuality(select.value)) changeQuality(select.value);
    });
  }
  for (const id of ["camera-select", "mic-select"]) {
    $(id).addEventListener("change", () => openMedia().catch(showError));
  }
  $("mute").addEventListener("click", () => toggle("audio"));
  $("camera").addEventListener("click", () => toggle("video"));
  $("leave").addEventListener("click", async () => {
    await state.socket?.request("video.leave", {}).catch(() => {});
    leaveLocally("vcLeft");
  });
  $("end-all").addEventListener("click", async () => {
    await state.socket?.request("video.end", {}).catch(showError);
    leaveLocally("vcEnded", { rejoin: false });
  });
  $("copy-link").addEventListener("click", async () => {
    const link = location.origin + location.pathname;
    try {
      await navigator.clipboard.writeText(link);
      message(t("vcCopied"));
    } catch {
      // No clipboard (an insecure origin, a denied permission): the link is shown to copy by hand.
      $("room-link").focus();
    }
  });
  $("set-password").addEventListener("click", passwordForm);
  $("invite-form").addEventListener("submit", async (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    const email = $("invite-email").value.trim();
    try {
      await api("POST", `/api/video/rooms/${encodeURIComponent(roomToken)}/invitations`,
        { email, name: $("invite-name").value.trim() });
      message(t("vcLinkSent", { email }));
      $("invite-email").value = "";
      $("invite-name").value = "";
    } catch (err) {
      showError(err);
    }
  });
  $("record").addEventListener("click", () => {
    state.socket?.request("video.start_recording", {}).catch(showError);
  });
  $("rejoin").addEventListener("click", async () => {
    show("prejoin");
    try {
      await openMedia();
    } catch (err) {
      showError(err);
    }
  });
  $("call-lang").value = lang();
  const language = /** @type {HTMLSelectElement} */ ($("call-lang"));
  language.addEventListener("change", () => setLang(language.value));
}
