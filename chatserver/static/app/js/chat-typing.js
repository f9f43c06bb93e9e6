// @ts-check
// Saying "typing" to the other party: refreshed while keys come, stopped after a pause.
import { state } from "./store.js";

const SEND_EVERY = 3000; // refresh "typing" this often while the user types
const IDLE = 4000; // stop saying "typing" after this long without a key

export class TypingSender {
  /**
   * @param {() => import("../../shared/socket.js").Socket | null} getSocket
   * @param {number} to the user typed to
   */
  constructor(getSocket, to) {
    this.socket = getSocket;
    this.to = to;
    this.sentAt = 0;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.idleTimer = undefined;
  }

  /** @param {string} text what the box holds now */
  typed(text) {
    const ws = this.socket();
    if (!ws || state.status === "offline") return;
    if (!text.trim()) {
      this.stop();
      return;
    }
    const now = Date.now();
    if (now - this.sentAt > SEND_EVERY) {
      this.sentAt = now;
      ws.request("chat.typing", { to: this.to, typing: true }).catch(() => {});
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stop(), IDLE);
  }

  stop() {
    clearTimeout(this.idleTimer);
    if (!this.sentAt) return;
    this.sentAt = 0;
    this.socket()?.request("chat.typing", { to: this.to, typing: false }).catch(() => {});
  }
}
