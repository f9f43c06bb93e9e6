// @ts-check
// The camera and microphone: opened with the chosen devices and quality, and a change sent
// to every peer without renegotiating.
import { ApiError } from "/static/shared/api.js";
import { $, el, clear } from "/static/shared/dom.js";
import { t } from "/static/app/js/i18n.js";
import { applyBitrate } from "./call-peer.js";
import { QUALITY, state } from "./call-state.js";

export async function openMedia() {
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
    throw new ApiError("media", (err instanceof Error && err.message) || String(err), 0);
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

/** @param {import("./call-state.js").Quality} value */
export async function changeQuality(value) {
  state.quality = value;
  $("quality-select").value = value;
  $("quality-live").value = value;
  const q = QUALITY[value];
  for (const track of state.stream ? state.stream.getVideoTracks() : []) {
    await track.applyConstraints({ width: { ideal: q.width }, height: { ideal: q.height } }).catch(() => {});
  }
  for (const peer of state.peers.values()) applyBitrate(peer.pc);
}
