// @ts-check
// Browser notifications by the user's level for the event (IC-8):
// 0 off; 1 always, also when the app is in the background; 2 only while the app is visible.
// Never for replayed events: they were (or could have been) notified when they happened.
// Without permission for browser notifications, a visible app shows the message in the page.
import { dismissToast, toast } from "./dom.js";

/** @type {Map<string, Notification>} tag -> the browser notification showing it */
const shown = new Map();

/**
 * @param {number} level 0 off, 1 always, 2 only while visible
 * @param {{replay?: boolean}} [options]
 */
export function shouldNotify(level, { replay = false } = {}) {
  if (replay) return false;
  if (level === 1) return true;
  if (level === 2) return document.visibilityState === "visible";
  return false;
}

export function notificationsSupported() {
  return "Notification" in window;
}

export async function askPermission() {
  if (!notificationsSupported()) return "unsupported";
  if (Notification.permission === "granted" || Notification.permission === "denied") return Notification.permission;
  return Notification.requestPermission();
}

/**
 * Show a notification when the level allows it; returns whether one was shown.
 * @param {number} level
 * @param {string} title
 * @param {string} [body]
 * @param {{replay?: boolean, tag?: string, onClick?: () => void}} [options]
 */
export function notify(level, title, body, { replay = false, tag, onClick } = {}) {
  if (!shouldNotify(level, { replay })) return false;
  if (!notificationsSupported() || Notification.permission !== "granted") {
    if (document.visibilityState !== "visible") return false;
    toast(body ? `${title}: ${body}` : title, { tag, onClick });
    return true;
  }
  try {
    const n = new Notification(title, { body, tag });
    if (tag) shown.set(tag, n);
    if (onClick) {
      n.onclick = () => {
        window.focus();
        onClick();
        n.close();
      };
    }
    return true;
  } catch {
    return false; // e.g. platforms that only allow notifications from a service worker
  }
}

/**
 * What a notification told is no longer news (the request was answered, the chat opened).
 * @param {string} tag
 */
export function dismiss(tag) {
  dismissToast(tag);
  shown.get(tag)?.close();
  shown.delete(tag);
}
