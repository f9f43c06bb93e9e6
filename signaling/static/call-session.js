// @ts-check
// Being in the call: the socket (every connection joins again), its video.* events, joining
// (as a colleague or a guest) and leaving.
import { api, sessionHeaders } from "/static/shared/api.js";
import { $ } from "/static/shared/dom.js";
import { errorText, t } from "/static/app/js/i18n.js";
import { Socket } from "/static/shared/socket.js";
import { openMedia } from "./call-media.js";
import { Peer } from "./call-peer.js";
import { errorLine, isOwner, message, setCallState, setState, show, showError, updateAlone } from "./call-screen.js";
import { GUEST_KEY, roomToken, state } from "./call-state.js";

/** @param {import("/static/shared/socket.js").EventFrame} frame */
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
      if (peer) peer.handle(/** @type {import("./call-state.js").Signal} */ (data)); // the server checked its kind
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
  const socket = state.socket;
  if (!socket) return; // left meanwhile
  const ack = await socket.request("video.join", {
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
  await socket.request("video.state", { audio: state.audio, video: state.video }).catch(() => {});
}

/**
 * @param {string} key the text that says why
 * @param {{rejoin?: boolean}} [options] rejoin: offer to join again
 */
export function leaveLocally(key, { rejoin = true } = {}) {
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
  const socket = new Socket({
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
  state.socket = socket;
  socket.start();
}

/** @param {SubmitEvent} event */
export async function onJoin(event) {
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
    $("join-error").textContent = errorLine(err);
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
