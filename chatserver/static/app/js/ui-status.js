// The own status picker: Online, Away, Do not disturb, Invisible, Offline (IC-5).
import { put } from "./api.js";
import { $, clear, el, toast } from "./dom.js";
import { errorText, t } from "./i18n.js";
import { emit, on, state } from "./store.js";
import { STATUSES, setDot } from "./ui-presence.js";

let socket = () => null;

function fill() {
  const select = clear($("status-select"));
  for (const status of STATUSES) select.append(el("option", { value: status, text: t(`status_${status}`) }));
  select.value = state.status;
}

export function showOwnStatus() {
  $("status-select").value = state.status;
  setDot($("own-dot"), state.status);
  const banner = $("offline-banner");
  banner.hidden = state.status !== "offline";
  banner.textContent = t("offlineExplanation");
}

async function choose() {
  const select = $("status-select");
  const wanted = select.value;
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

export function initStatus(getSocket) {
  socket = getSocket;
  fill();
  $("status-select").addEventListener("change", choose);
  on("status", showOwnStatus);
  on("lang", () => {
    fill();
    showOwnStatus();
  });
}
