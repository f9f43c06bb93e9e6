// @ts-check
// The own status picker: Online, Away, Do not disturb, Invisible, Offline (IC-5).
import { put } from "../../shared/api.js";
import { $, clear, el, toast } from "../../shared/dom.js";
import { errorText, t } from "./i18n.js";
import { emit, on, state } from "./store.js";
import { STATUSES, setDot } from "./ui-presence.js";

/** @type {import("./store.js").GetSocket} */
let socket = () => null;
// Arrow keys on a closed <select> change its value (and fire change) at every step: applying
// each would tell every contact Away, Do not disturb, Offline in turn. A value reached by keys
// waits for Enter (or leaving the field); Escape puts the current status back. A choice from
// the opened list (mouse, or Enter in the popup) applies at once.
const STEP_KEYS = new Set(["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight", "Home", "End", "PageUp", "PageDown"]);
let stepping = false; // the last change came from a step key
let pending = false; // a value chosen by keys, not applied yet

function fill() {
  const select = clear($("status-select"));
  for (const status of STATUSES) select.append(el("option", { value: status, text: t(`status_${status}`) }));
  select.value = state.status;
}

export function showOwnStatus() {
  if (!pending) $("status-select").value = state.status;
  setDot($("own-dot"), state.status);
  const banner = $("offline-banner");
  banner.hidden = state.status !== "offline";
  banner.textContent = t("offlineExplanation");
}

async function choose() {
  const select = $("status-select");
  pending = false;
  select.removeAttribute("aria-describedby");
  $("status-hint").hidden = true;
  const wanted = select.value;
  if (wanted === state.status) return;
  const before = state.status;
  const ws = socket();
  try {
    // Over the socket when connected; over REST otherwise (the socket learns it at hello).
    const ack = ws && ws.ready ? await ws.request("presence.set", { status: wanted }) : await put("/api/status", { status: wanted });
    state.status = ack.status;
  } catch (err) {
    state.status = before;
    toast(errorText(err));
  }
  emit("status");
}

/** @param {import("./store.js").GetSocket} getSocket */
export function initStatus(getSocket) {
  socket = getSocket;
  fill();
  const select = $("status-select");
  select.addEventListener("keydown", (/** @type {KeyboardEvent} */ ev) => {
    stepping = STEP_KEYS.has(ev.key) || (ev.key.length === 1 && ev.key !== " ");
    if (ev.key === "Enter" && pending) {
      ev.preventDefault();
      choose();
    } else if (ev.key === "Escape" && pending) {
      pending = false;
      $("status-hint").hidden = true;
      showOwnStatus();
    }
  });
  select.addEventListener("change", () => {
    if (stepping) {
      // Wait for Enter; say so to the user.
      stepping = false;
      pending = true;
      $("status-hint").hidden = false;
      select.setAttribute("aria-describedby", "status-hint");
      return;
    }
    choose();
  });
  select.addEventListener("blur", () => {
    if (pending) choose();
  });
  on("status", showOwnStatus);
  on("lang", () => {
    fill();
    showOwnStatus();
  });
}
