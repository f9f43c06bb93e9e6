// The video call page at /v/{token} (VC-1..VC-4): a colleague (logged in to the app) or a
// guest (a name, maybe the room's password) joins; media flows browser to browser, one
// RTCPeerConnection per other member, with perfect negotiation (docs/video.md). The
// server relays signals and says who is polite, so every pair agrees without asking.

import { api, ApiError, session, sessionHeaders } from "/static/shared/api.js";
import { $, el, clear } from "/static/shared/dom.js";
import { applyStatic, errorText, extend, lang, setLang, t } from "/static/app/js/i18n.js";
import { Socket } from "/static/shared/socket.js";

extend({
  en: {
    vcTitle: "Video call",
    vcRecorded: "This call is recorded. By joining you agree to the recording.",
    vcYourName: "Your name",
    vcCamera: "Camera",
    vcMicrophone: "Microphone",
    vcQuality: "Video quality",
    vcLow: "Low",
    vcStandard: "Standard",
    vcHigh: "High",
    vcJoin: "Join the call",
    vcMute: "Mute",
    vcUnmute: "Unmute",
    vcCameraOff: "Stop camera",
    vcCameraOn: "Start camera",
    vcCopyLink: "Copy link",
    vcCopied: "Link copied",
    vcAddPassword: "Add password",
    vcChangePassword: "Change password",
    vcPasswordSaved: "Password saved",
    vcSave: "Save",
    vcEndForAll: "End for everyone",
    vcLeave: "Leave",
    vcLink: "Link",
    vcRejoin: "Join again",
    vcHost: "Organised by {name}",
    vcConnecting: "Connecting…",
    vcReconnecting: "Reconnecting…",
    vcConnected: "Connected",
    vcPoor: "Poor connection",
    vcAlone: "Waiting for others to join…",
    vcYou: "You",
    vcLeft: "You left the call.",
    vcEnded: "The call has ended.",
    vcRemoved: "The organiser removed you from the call.",
    vcRemove: "Remove",
    vcMuted: "muted",
    vcCameraIsOff: "camera off",
    vcNoDevice: "(none)",
    vcReplaced: "You joined this call in another window.",
    vcDeclined: "{name} declined the call.",
    vcNoAnswer: "No answer. You can wait here or leave.",
    err_no_such_room: "This call does not exist (any more).",
    err_room_ended: "This call has ended.",
    err_room_expired: "The link of this call has expired.",
    err_room_full: "This call is full.",
    err_password_required: "This call has a password.",
    err_wrong_password: "Wrong password.",
    err_removed: "The organiser removed you from this call.",
    err_media: "No camera or microphone could be used: {reason}",
    vcStartRecording: "Start recording",
    vcSendLinkTo: "Send the link by e-mail to",
    vcTheirName: "Their name",
    vcSendLink: "Send link",
    vcLinkSent: "The link was sent to {email}.",
    err_mail_failed: "The e-mail could not be sent; try again later.",
    err_recorder_unavailable: "Recording is not available now (the recorder is not running).",
    err_no_record: "Only a call from a record can be recorded.",
  },
  nl: {
    vcTitle: "Videogesprek",
    vcRecorded: "Dit gesprek wordt opgenomen. Door deel te nemen stemt u in met de opname.",
    vcYourName: "Uw naam",
    vcCamera: "Camera",
    vcMicrophone: "Microfoon",
    vcQuality: "Videokwaliteit",
    vcLow: "Laag",
    vcStandard: "Standaard",
    vcHigh: "Hoog",
    vcJoin: "Deelnemen",
    vcMute: "Dempen",
    vcUnmute: "Dempen opheffen",
    vcCameraOff: "Camera uit",
    vcCameraOn: "Camera aan",
    vcCopyLink: "Link kopiëren",
    vcCopied: "Link gekopieerd",
    vcAddPassword: "Wachtwoord toevoegen",
    vcChangePassword: "Wachtwoord wijzigen",
    vcPasswordSaved: "Wachtwoord opgeslagen",
    vcSave: "Opslaan",
    vcEndForAll: "Beëindigen voor iedereen",
    vcLeave: "Verlaten",
    vcLink: "Link",
    vcRejoin: "Opnieuw deelnemen",
    vcHost: "Georganiseerd door {name}",
    vcConnecting: "Verbinden…",
    vcReconnecting: "Opnieuw verbinden…",
    vcConnected: "Verbonden",
    vcPoor: "Slechte verbinding",
    vcAlone: "Wachten tot anderen deelnemen…",
    vcYou: "U",
    vcLeft: "U heeft het gesprek verlaten.",
    vcEnded: "Het gesprek is beëindigd.",
    vcRemoved: "De organisator heeft u uit het gesprek verwijderd.",
    vcRemove: "Verwijderen",
    vcMuted: "gedempt",
    vcCameraIsOff: "camera uit",
    vcNoDevice: "(geen)",
    vcReplaced: "U neemt in een ander venster deel aan dit gesprek.",
    vcDeclined: "{name} heeft het gesprek geweigerd.",
    vcNoAnswer: "Geen antwoord. U kunt hier wachten of het gesprek verlaten.",
    err_no_such_room: "Dit gesprek bestaat niet (meer).",
    err_room_ended: "Dit gesprek is beëindigd.",
    err_room_expired: "De link van dit gesprek is verlopen.",
    err_room_full: "Dit gesprek is vol.",
    err_password_required: "Dit gesprek heeft een wachtwoord.",
    err_wrong_password: "Onjuist wachtwoord.",
    err_removed: "De organisator heeft u uit dit gesprek verwijderd.",
    err_media: "Geen camera of microfoon beschikbaar: {reason}",
    vcStartRecording: "Opname starten",
    vcSendLinkTo: "Link per e-mail sturen naar",
    vcTheirName: "Naam",
    vcSendLink: "Link versturen",
    vcLinkSent: "De link is verstuurd naar {email}.",
    err_mail_failed: "De e-mail kon niet worden verstuurd; probeer het later opnieuw.",
    err_recorder_unavailable: "Opnemen kan nu niet (de opnamedienst draait niet).",
    err_no_record: "Alleen een gesprek vanuit een dossier kan worden opgenomen.",
  },
});

// getUserMedia constraints and the sender's maxBitrate per quality (VC-4).
const QUALITY = {
  low: { width: 320, height: 180, bitrate: 150_000 },
  standard: { width: 640, height: 360, bitrate: 500_000 },
  high: { width: 1280, height: 720, bitrate: 1_500_000 },
};

const roomToken = decodeURIComponent(location.pathname.split("/").pop());
const params = new URLSearchParams(location.search);
const GUEST_KEY = `video.guest.${roomToken}`;

const state = {
  room: null,
  me: null,
  socket: null,
  bearer: null, // a guest's token (a colleague is signed in by the session cookie)
  userId: null,
  guest: false,
  stream: null,
  quality: "standard",
  audio: true,
  video: true,
  iceServers: [],
  peers: new Map(), // participant id -> Peer
  password: null,
  joined: false,
};
window.__call = state; // the browser tests read getStats() from the peers

// --- a peer: one RTCPeerConnection, perfect negotiation ---------------------------------

class Peer {
  /**
   * initiator: this side sends the first offer. The newcomer offers to everyone present (and
   * everyone offers to the recorder, which never offers); the others wait for that offer and
   * add their tracks to it, so the first negotiation has no glare. Perfect negotiation (the
   * polite flag) handles every later one.
   */
  constructor(member, { initiator }) {
    this.id = member.id;
    this.name = member.name;
    this.polite = member.polite;
    this.makingOffer = false;
    this.ignoreOffer = false;
    // The recorder is a member that only receives: it gets our media and no tile.
    this.recorder = member.role === "recorder";
    this.tile = this.recorder ? recorderTile() : tileFor(member);
    const policy = params.get("relay") === "1" ? "relay" : "all";
    this.pc = new RTCPeerConnection({ iceServers: state.iceServers, iceTransportPolicy: policy });
    this.awaitingOffer = !initiator;
    if (initiator) this.addTracks();
    this.pc.onnegotiationneeded = () => this.offer();
    this.pc.onicecandidate = ({ candidate }) => {
      if (candidate) this.send({ kind: "candidate", candidate: candidate.toJSON() });
    };
    this.pc.ontrack = ({ streams }) => {
      const video = this.tile.querySelector("video");
      if (streams[0] && video.srcObject !== streams[0]) video.srcObject = streams[0];
    };
    this.pc.oniceconnectionstatechange = () => this.connectionChanged();
    this.pc.onconnectionstatechange = () => this.connectionChanged();
    setState(member);
  }

  addTracks() {
    for (const track of state.stream ? state.stream.getTracks() : []) this.pc.addTrack(track, state.stream);
    applyBitrate(this.pc);
  }

  send(signal) {
    state.socket.request("video.signal", { to: this.id, ...signal }).catch((err) => {
      // A member who left meanwhile: nothing to do; anything else is worth a look.
      if (err.code !== "no_such_participant") console.warn("signal not relayed", err);
    });
  }

  async offer() {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.send({ kind: this.pc.localDescription.type, sdp: this.pc.localDescription.sdp });
    } catch (err) {
      console.warn("offer failed", err);
    } finally {
      this.makingOffer = false;
    }
  }

  handle(data) {
    // One signal at a time, in the order they came: a candidate must not be added while
    // the offer it belongs to is still being set (addIceCandidate would fail, and drop it).
    this.queue = (this.queue || Promise.resolve()).then(() => this.apply(data));
    return this.queue;
  }

  async apply(data) {
    try {
      if (data.kind === "candidate") {
        try {
          await this.pc.addIceCandidate(data.candidate);
        } catch (err) {
          if (!this.ignoreOffer) throw err;
        }
        return;
      }
      const collision = data.kind === "offer" && (this.makingOffer || this.pc.signalingState !== "stable");
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      // The polite side rolls its own offer back (implicitly) and takes the other's.
      await this.pc.setRemoteDescription({ type: data.kind, sdp: data.sdp });
      if (data.kind === "offer" && this.awaitingOffer) {
        // Our tracks join the offered transceivers: one negotiation, both directions.
        this.awaitingOffer = false;
        this.addTracks();
      }
      if (data.kind === "offer") {
        await this.pc.setLocalDescription();
        this.send({ kind: this.pc.localDescription.type, sdp: this.pc.localDescription.sdp });
      }
    } catch (err) {
      console.warn("signal failed", err);
    }
  }

  connectionChanged() {
    const ice = this.pc.iceConnectionState;
    const label = this.tile.querySelector(".tile-state");
    if (ice === "failed") {
      // A path broke (network change, NAT timeout): new candidates, same call.
      this.pc.restartIce();
      label.textContent = t("vcReconnecting");
    } else if (ice === "disconnected") {
      label.textContent = t("vcPoor");
    } else if (ice === "connected" || ice === "completed") {
      label.textContent = "";
    } else {
      label.textContent = t("vcConnecting");
    }
    this.tile.dataset.ice = ice;
  }

  close() {
    this.pc.close();
    this.tile.remove();
  }
}

function applyBitrate(pc) {
  const bitrate = QUALITY[state.quality].bitrate;
  for (const sender of pc.getSenders()) {
    if (!sender.track || sender.track.kind !== "video") continue;
    const p = sender.getParameters();
    if (!p.encodings || !p.encodings.length) p.encodings = [{}];
    p.encodings[0].maxBitrate = bitrate;
    sender.setParameters(p).catch(() => {}); // before negotiation there is nothing to set yet
  }
}

// --- the screen ---------------------------------------------------------------------------

function tileFor(member) {
  const existing = document.querySelector(`[data-participant="${member.id}"]`);
  if (existing) existing.remove();
  const video = el("video", { autoplay: true, playsinline: true, dataset: { testid: "remote-video" } });
  const remove = isOwner()
    ? el("button", { class: "tile-remove", dataset: { testid: "remove" }, text: t("vcRemove"),
      onclick: () => state.socket.request("video.remove", { participant: member.id }).catch(showError) })
    : null;
  const tile = el("li", { class: "tile", dataset: { participant: String(member.id), testid: "tile" } },
    video,
    el("div", { class: "tile-bar" },
      el("span", { class: "tile-name", dataset: { testid: "tile-name" } }, member.name),
      el("span", { class: "tile-flags", dataset: { testid: "tile-flags" } }),
      el("span", { class: "tile-state", dataset: { testid: "tile-state" }, text: t("vcConnecting") }),
      remove));
  $("grid").append(tile);
  updateAlone();
  return tile;
}

function recorderTile() {
  return el("li", {}, el("video"), el("span", { class: "tile-state" }));
}

function setState(member) {
  const tile = document.querySelector(`[data-participant="${member.id}"]`);
  if (!tile) return;
  const flags = [];
  if (member.audio === false) flags.push(t("vcMuted"));
  if (member.video === false) flags.push(t("vcCameraIsOff"));
  tile.querySelector(".tile-flags").textContent = flags.join(" · ");
  tile.dataset.audio = String(member.audio !== false);
  tile.dataset.video = String(member.video !== false);
}

function updateAlone() {
  const grid = $("grid");
  let hint = $("alone");
  if (grid.querySelector(".tile")) {
    if (hint) hint.remove();
  } else if (!hint) {
    hint = el("li", { id: "alone", class: "alone", dataset: { testid: "alone" }, text: t("vcAlone") });
    grid.append(hint);
  }
}

function isOwner() {
  return state.me && state.me.role === "owner";
}

function show(section) {
  for (const id of ["prejoin", "incall", "after"]) $(id).hidden = id !== section;
}

function message(text) {
  const box = $("call-message");
  box.textContent = text || "";
  box.hidden = !text;
}

function showError(err) {
  if (err && err.code === "media") message(t("err_media", { reason: err.message }));
  else message(errorText(err));
}

function setCallState(key) {
  $("call-state").textContent = key ? t(key) : "";
  $("call-state").dataset.state = key || "";
}

// --- media ---------------------------------------------------------------------------------

async function openMedia() {
  const q = QUALITY[state.quality];
  const camera = $("camera-select").value;
  const mic = $("mic-select").value;
  const constraints = {
    audio: mic ? { deviceId: { exact: mic } } : true,
    video: { width: { ideal: q.width }, height: { ideal: q.height }, ...(camera ? { deviceId: { exact: camera } } : {}) },
  };
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(constraints);
  } catch (err) {
    throw new ApiError("media", err.message || String(err), 0);
  }
  for (const track of state.stream ? state.stream.getTracks() : []) track.stop();
  state.stream = stream;
  stream.getAudioTracks().forEach((tr) => { tr.enabled = state.audio; });
  stream.getVideoTracks().forEach((tr) => { tr.enabled = state.video; });
  $("preview").srcObject = stream;
  $("self-view").srcObject = stream;
  // Every peer sends the new tracks (a device change) without renegotiating.
  for (const peer of state.peers.values()) {
    for (const sender of peer.pc.getSenders()) {
      const next = stream.getTracks().find((tr) => sender.track && tr.kind === sender.track.kind);
      if (next) await sender.replaceTrack(next);
    }
    applyBitrate(peer.pc);
  }
  await listDevices();
}

async function listDevices() {
  const devices = await navigator.mediaDevices.enumerateDevices();
  for (const [select, kind] of [[$("camera-select"), "videoinput"], [$("mic-select"), "audioinput"]]) {
    const current = select.value;
    const found = devices.filter((d) => d.kind === kind);
    clear(select);
    if (!found.length) select.append(el("option", { value: "", text: t("vcNoDevice") }));
    found.forEach((d, i) => select.append(el("option", { value: d.deviceId, text: d.label || `${kind} ${i + 1}` })));
    if (current && found.some((d) => d.deviceId === current)) select.value = current;
  }
}

async function changeQuality(value) {
  state.quality = value;
  $("quality-select").value = value;
  $("quality-live").value = value;
  const q = QUALITY[value];
  for (const track of state.stream ? state.stream.getVideoTracks() : []) {
    await track.applyConstraints({ width: { ideal: q.width }, height: { ideal: q.height } }).catch(() => {});
  }
  for (const peer of state.peers.values()) applyBitrate(peer.pc);
}

// --- the call ------------------------------------------------------------------------------

function onEvent(frame) {
  const data = frame.data || {};
  // Events of another call (this user's other call windows share the socket's events) are not ours.
  const about = data.room && typeof data.room === "object" ? data.room.token : data.room;
  if (about !== undefined && about !== roomToken) return;
  switch (frame.type) {
    case "video.joined": {
      const old = state.peers.get(data.participant.id);
      if (old) old.close(); // back after a dropped connection: a fresh connection, new ICE
      // The newcomer offers; the recorder never does, so we offer to it.
      const initiator = data.participant.role === "recorder";
      state.peers.set(data.participant.id, new Peer(data.participant, { initiator }));
      break;
    }
    case "video.signal": {
      const peer = state.peers.get(data.from);
      if (peer) peer.handle(data);
      break;
    }
    case "video.state":
      setState({ id: data.participant, audio: data.audio, video: data.video });
      break;
    case "video.left": {
      if (state.me && data.participant === state.me.id) {
        leaveLocally(data.reason === "replaced" ? "vcReplaced" : "vcLeft");
        break;
      }
      const peer = state.peers.get(data.participant);
      if (peer) {
        peer.close();
        state.peers.delete(data.participant);
        updateAlone();
      }
      break;
    }
    case "video.removed":
      leaveLocally("vcRemoved", { rejoin: false });
      break;
    case "video.ended":
      leaveLocally("vcEnded", { rejoin: false });
      break;
    case "video.room":
      state.room = data.room;
      updatePasswordButton();
      updateRecording();
      break;
    case "video.declined":
      message(t("vcDeclined", { name: data.by }));
      break;
    case "video.no_answer":
      message(t("vcNoAnswer"));
      break;
    default:
  }
}

async function join() {
  const ack = await state.socket.request("video.join", {
    room: roomToken, ...(state.password ? { password: state.password } : {}),
  });
  for (const peer of state.peers.values()) peer.close();
  state.peers.clear();
  state.me = ack.participant;
  state.room = ack.room;
  state.iceServers = ack.ice_servers;
  state.joined = true;
  $("set-password").hidden = !isOwner();
  $("end-all").hidden = !isOwner();
  // Colleagues hand the link out (VC-3); a guest does not.
  $("invite-form").hidden = state.guest;
  updatePasswordButton();
  updateRecording();
  show("incall");
  message("");
  updateAlone();
  // The newcomer makes a connection to everyone present; adding its tracks starts the offers.
  for (const member of ack.participants) state.peers.set(member.id, new Peer(member, { initiator: true }));
  await state.socket.request("video.state", { audio: state.audio, video: state.video }).catch(() => {});
}

function leaveLocally(key, { rejoin = true } = {}) {
  state.joined = false;
  for (const peer of state.peers.values()) peer.close();
  state.peers.clear();
  if (state.socket) state.socket.stop();
  state.socket = null;
  for (const track of state.stream ? state.stream.getTracks() : []) track.stop();
  state.stream = null;
  $("after-text").textContent = t(key);
  $("rejoin").hidden = !rejoin;
  setCallState(null);
  show("after");
}

function connect() {
  state.socket = new Socket({
    // A guest's token; a colleague's socket is signed by the session cookie.
    token: state.bearer,
    headers: sessionHeaders,
    owner: state.userId,
    onEvent,
    onState: (s) => setCallState(s === "online" ? "vcConnected" : s === "reconnecting" ? "vcReconnecting" : "vcConnecting"),
    // Every (re)connection joins again: the others get video.joined and connect anew.
    onHello: () => join().catch((err) => {
      showError(err);
      if (["room_ended", "removed", "room_expired", "no_such_room"].includes(err.code)) leaveLocally("vcLeft", { rejoin: false });
    }),
    onFatal: () => message(errorText({ code: "unauthorized" })),
  });
  state.socket.start();
}

async function onJoin(event) {
  event.preventDefault();
  $("join-error").textContent = "";
  try {
    if (state.guest && !state.bearer) {
      const name = $("guest-name").value.trim();
      if (!name) {
        $("join-error").textContent = t("vcYourName");
        $("guest-name").focus();
        return;
      }
      const password = $("room-password").value || undefined;
      const guest = await api("POST", `/api/video/rooms/${encodeURIComponent(roomToken)}/guests`, { name, password });
      state.bearer = guest.token;
      state.userId = guest.user.id;
      // A reload keeps this guest (the same place in the call) for this tab.
      sessionStorage.setItem(GUEST_KEY, JSON.stringify({ token: guest.token, user: guest.user }));
    } else if (!$("password-field").hidden) {
      state.password = $("room-password").value || null;
    }
    if (!state.stream) await openMedia();
    connect();
  } catch (err) {
    $("join-error").textContent = err.code === "media" ? t("err_media", { reason: err.message }) : errorText(err);
  }
}

function updateRecording() {
  const room = state.room || {};
  // Everyone sees that the call is recorded, before joining and in it (VC-5).
  $("recorded-notice").hidden = !room.recorded;
  $("record").hidden = !(isOwner() && room.record_id && !room.recorded && state.joined);
}

function updatePasswordButton() {
  $("set-password").textContent = t(state.room && state.room.has_password ? "vcChangePassword" : "vcAddPassword");
}

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

function wireControls() {
  $("join-form").addEventListener("submit", onJoin);
  $("quality-select").addEventListener("change", (e) => changeQuality(e.target.value));
  $("quality-live").addEventListener("change", (e) => changeQuality(e.target.value));
  for (const id of ["camera-select", "mic-select"]) {
    $(id).addEventListener("change", () => openMedia().catch(showError));
  }
  $("mute").addEventListener("click", () => {
    state.audio = !state.audio;
    state.stream?.getAudioTracks().forEach((tr) => { tr.enabled = state.audio; });
    $("mute").textContent = t(state.audio ? "vcMute" : "vcUnmute");
    $("mute").setAttribute("aria-pressed", String(!state.audio));
    state.socket?.request("video.state", { audio: state.audio, video: state.video }).catch(showError);
  });
  $("camera").addEventListener("click", () => {
    state.video = !state.video;
    state.stream?.getVideoTracks().forEach((tr) => { tr.enabled = state.video; });
    $("camera").textContent = t(state.video ? "vcCameraOff" : "vcCameraOn");
    $("camera").setAttribute("aria-pressed", String(!state.video));
    state.socket?.request("video.state", { audio: state.audio, video: state.video }).catch(showError);
  });
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
  $("invite-form").addEventListener("submit", async (e) => {
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
  $("call-lang").addEventListener("change", (e) => setLang(e.target.value));
}

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
  await changeQuality(quality && QUALITY[quality] ? quality : state.quality);
  show("prejoin");
  try {
    await openMedia();
  } catch (err) {
    showError(err);
  }
  if (params.get("autojoin") === "1" && (colleague || saved)) $("join-form").requestSubmit();
}

main();
