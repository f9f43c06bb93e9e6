// @ts-check
// A visitor's data on request (GDPR): a key-user exports it as a file, or erases it, from the
// conversation's side panel (docs/livechat.md). An erased conversation leaves every console
// at once (livechat.erased), this one's included.
import { post } from "../../shared/api.js";
import { $, el, toast } from "../../shared/dom.js";
import { errorText, extend, t } from "./i18n.js";
import { emit, state } from "./state.js";

extend({
  en: {
    privacyHeading: "Visitor's data",
    exportData: "Export data",
    eraseData: "Erase data",
    confirmErase: "Erase everything kept about this visitor: details, messages, notes and ratings? This cannot be undone.",
    dataErased: "The visitor's data is erased.",
    conversationErased: "A conversation was erased.",
  },
  nl: {
    privacyHeading: "Gegevens van de bezoeker",
    exportData: "Gegevens exporteren",
    eraseData: "Gegevens wissen",
    confirmErase: "Alles wissen wat over deze bezoeker is bewaard: gegevens, berichten, notities en beoordelingen? Dit kan niet ongedaan worden gemaakt.",
    dataErased: "De gegevens van de bezoeker zijn gewist.",
    conversationErased: "Een gesprek is gewist.",
  },
});

const isKeyUser = () => !!(state.me && state.me.role === "key_user");

/** Shown for key-users only, under the visitor's details. */
export function renderPrivacy() {
  $("visitor-privacy").hidden = !isKeyUser() || state.current === null;
}

async function exportData() {
  const id = state.current;
  try {
    const data = await post("/api/livechat/privacy/export", { conversation_id: id });
    const blob = new Blob([JSON.stringify(data, null, 2)], { type: "application/json" });
    const link = el("a", { href: URL.createObjectURL(blob), download: `visitor-data-${id}.json` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
}

async function eraseData() {
  const id = state.current;
  if (id === null || !window.confirm(t("confirmErase"))) return; // the button shows with a conversation only
  try {
    await post("/api/livechat/privacy/erase", { conversation_id: id });
    forget(id);
    toast(t("dataErased"));
  } catch (err) {
    toast(t("failed", { message: errorText(err) }));
  }
}

/**
 * livechat.erased, or our own erase: the conversation leaves the lists, its tab closes.
 * @param {number} id
 */
export function forget(id) {
  if (!state.conversations.has(id)) return;
  state.conversations.delete(id);
  state.messages.delete(id);
  if (state.tabs.includes(id)) {
    state.tabs = state.tabs.filter((x) => x !== id);
    if (state.current === id) {
      state.current = state.tabs.at(-1) ?? null;
      if (state.current === null) emit("view", "active");
    }
  }
  emit("lists");
  emit("erased", id);
}

export function initPrivacy() {
  $("export-data").addEventListener("click", exportData);
  $("erase-data").addEventListener("click", eraseData);
}
