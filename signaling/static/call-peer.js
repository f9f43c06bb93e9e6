// @ts-check
// A peer: one RTCPeerConnection per other member, with perfect negotiation (docs/video.md).
import { t } from "/static/app/js/i18n.js";
import { params, QUALITY, state } from "./call-state.js";
import { recorderTile, setState, tileFor } from "./call-screen.js";

/** @typedef {import("./call-state.js").Member} Member */
/** @typedef {import("./call-state.js").Signal} Signal */

export class Peer {
  /**
   * initiator: this side sends the first offer. The newcomer offers to everyone present (and
   * everyone offers to the recorder, which never offers); the others wait for that offer and
   * add their tracks to it, so the first negotiation has no glare. Perfect negotiation (the
   * polite flag) handles every later one.
   * @param {Member} member
   * @param {{initiator: boolean}} options
   */
  constructor(member, { initiator }) {
    this.id = member.id;
    this.name = member.name;
    this.polite = member.polite;
    this.makingOffer = false;
    this.ignoreOffer = false;
    // The recorder is a member that only receives: it gets our media and no tile.
    this.recorder = member.role === "recorder";
    /** @type {HTMLElement} */
    this.tile = this.recorder ? recorderTile() : tileFor(member);
    /** @type {Promise<void> | undefined} one signal at a time */
    this.queue = undefined;
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
      if (video && streams[0] && video.srcObject !== streams[0]) video.srcObject = streams[0];
    };
    this.pc.oniceconnectionstatechange = () => this.connectionChanged();
    this.pc.onconnectionstatechange = () => this.connectionChanged();
    setState(member);
  }

  addTracks() {
    const stream = state.stream;
    for (const track of stream ? stream.getTracks() : []) this.pc.addTrack(track, /** @type {MediaStream} */ (stream));
    applyBitrate(this.pc);
  }

  /** @param {Signal} signal */
  send(signal) {
    if (!state.socket) return; // left the call meanwhile
    state.socket.request("video.signal", { to: this.id, ...signal }).catch((err) => {
      // A member who left meanwhile: nothing to do; anything else is worth a look.
      if (err.code !== "no_such_participant") console.warn("signal not relayed", err);
    });
  }

  async offer() {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      this.sendDescription();
    } catch (err) {
      console.warn("offer failed", err);
    } finally {
      this.makingOffer = false;
    }
  }

  /** The description just set, to the other side. */
  sendDescription() {
    const description = this.pc.localDescription;
    if (description) this.send({ kind: description.type, sdp: description.sdp });
  }

  /**
   * @param {Signal} data
   * @returns {Promise<void>}
   */
  handle(data) {
    // One signal at a time, in the order they came: a candidate must not be added while
    // the offer it belongs to is still being set (addIceCandidate would fail, and drop it).
    this.queue = (this.queue || Promise.resolve()).then(() => this.apply(data));
    return this.queue;
  }

  /** @param {Signal} data */
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
        this.sendDescription();
      }
    } catch (err) {
      console.warn("signal failed", err);
    }
  }

  connectionChanged() {
    const ice = this.pc.iceConnectionState;
    const label = /** @type {HTMLElement} */ (this.tile.querySelector(".tile-state")); // every tile has one
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

/** @param {RTCPeerConnection} pc */
export function applyBitrate(pc) {
  const bitrate = QUALITY[state.quality].bitrate;
  for (const sender of pc.getSenders()) {
    if (!sender.track || sender.track.kind !== "video") continue;
    const p = sender.getParameters();
    if (!p.encodings || !p.encodings.length) p.encodings = [{}];
    p.encodings[0].maxBitrate = bitrate;
    sender.setParameters(p).catch(() => {}); // before negotiation there is nothing to set yet
  }
}
