// @ts-check
// The call page's screen: the tiles of the members, the prejoin, in-call and after
// sections, and the messages and state shown above them.
import { $, el } from "/static/shared/dom.js";
import { errorText, t } from "/static/app/js/i18n.js";
import { state } from "./call-state.js";

/** @typedef {import("./call-state.js").Member} Member */

/**
 * @param {Member} member
 * @returns {HTMLElement}
 */
export function tileFor(member) {
  const existing = document.querySelector(`[data-participant="${member.id}"]`);
  if (existing) existing.remove();
  const video = el("video", { autoplay: true, playsinline: true, dataset: { testid: "remote-video" } });
  const remove = isOwner()
    ? el("button", { class: "tile-remove", dataset: { testid: "remove" }, text: t("vcRemove"),
      onclick: () => state.socket?.request("video.remove", { participant: member.id }).catch(showError) })
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

/** @returns {HTMLElement} */
export function recorderTile() {
  return el("li", {}, el("video"), el("span", { class: "tile-state" }));
}

/** @param {Member} member */
export function setState(member) {
  const tile = /** @type {HTMLElement | null} */ (document.querySelector(`[data-participant="${member.id}"]`));
  if (!tile) return;
  const flags = [];
  if (member.audio === false) flags.push(t("vcMuted"));
  if (member.video === false) flags.push(t("vcCameraIsOff"));
  /** @type {HTMLElement} */ (tile.querySelector(".tile-flags")).textContent = flags.join(" · ");
  tile.dataset.audio = String(member.audio !== false);
  tile.dataset.video = String(member.video !== false);
}

export function updateAlone() {
  const grid = $("grid");
  let hint = $("alone");
  if (grid.querySelector(".tile")) {
    if (hint) hint.remove();
  } else if (!hint) {
    hint = el("li", { id: "alone", class: "alone", dataset: { testid: "alone" }, text: t("vcAlone") });
    grid.append(hint);
  }
}

export function isOwner() {
  return !!state.me && state.me.role === "owner";
}

/** @param {"prejoin" | "incall" | "after"} section */
export function show(section) {
  for (const id of ["prejoin", "incall", "after"]) $(id).hidden = id !== section;
}

/** @param {string} text */
export function message(text) {
  const box = $("call-message");
  box.textContent = text || "";
  box.hidden = !text;
}

/**
 * What went wrong, in a sentence.
 * @param {unknown} err an ApiError (code "media": no camera or microphone), or another Error
 * @returns {string}
 */
export function errorLine(err) {
  /** @type {import("/static/shared/i18n.js").ServerError} */
  const e = err instanceof Error ? err : { message: String(err) };
  return e.code === "media" ? t("err_media", { reason: e.message }) : errorText(e);
}

/** @param {unknown} err */
export function showError(err) {
  message(errorLine(err));
}

/** @param {string | null} key the state's text, none when not in the call */
export function setCallState(key) {
  $("call-state").textContent = key ? t(key) : "";
  $("call-state").dataset.state = key || "";
}
