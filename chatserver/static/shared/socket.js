// The WebSocket to /ws: hello with the last seq, acks by id, dedupe by seq, reconnect with backoff.
// The stream position (last seq and epoch) lives in sessionStorage, so a reload loses nothing.

import { ApiError } from "./api.js";

const SUBPROTOCOL = "chatserver.v1.json";
const TICKET = "/api/ws/ticket";
const STREAM = "chat.stream";
const PING_EVERY = 25000;
const ACK_TIMEOUT = 15000;
// Close codes after which reconnecting cannot help: log in again. A refused ticket (4002:
// used, expired) is not one of them: the next attempt asks for a new ticket.
const FATAL = new Set([4001, 4009]);

export class Socket {
  constructor({ token, userId, onEvent, onState, onHello, onFatal }) {
    this.token = token;
    this.userId = userId;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onHello = onHello;
    this.onFatal = onFatal;
    this.ws = null;
    this.ready = false;
    this.stopped = false;
    this.attempt = 0;
    this.opening = false; // asking for a ticket: no socket yet
    this.opened = 0; // attempts to open begun
    this.nextId = 1;
    this.pending = new Map(); // id -> {resolve, reject, frame, retry, timer}
    this.sends = new Set(); // ids of chat.send requests whose ack has not come (even after a timeout)
    this.outbox = []; // requests waiting for the connection
    const saved = JSON.parse(sessionStorage.getItem(STREAM) || "null");
    this.stream = saved && saved.user_id === userId ? saved : { user_id: userId, seq: null, epoch: null };
    this._onOnline = () => this._reconnectNow();
    window.addEventListener("online", this._onOnline);
  }

  /**
   * A one-use ticket for /ws, asked with the token in a header: the socket's URL, which
   * proxies may log, then carries the ticket (worth nothing in a minute), never the token.
   */
  async _ticket() {
    let response;
    try {
      response = await fetch(TICKET, { method: "POST", headers: { Accept: "application/json", Authorization: `Bearer ${this.token}` } });
    } catch (exc) {
      throw new ApiError("network", String(exc), 0);
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(data.error?.code || "http_error", data.error?.message || "", response.status);
    return data.ticket;
  }

  _url(ticket) {
    const scheme = location.protocol === "https:" ? "wss" : "ws";
    return `${scheme}://${location.host}/ws?ticket=${encodeURIComponent(ticket)}`;
  }

  start() {
    this.stopped = false;
    this._open();
  }

  stop() {
    this.stopped = true;
    window.removeEventListener("online", this._onOnline);
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    if (this.ws) this.ws.close(1000, "bye");
    this._failPending(new ApiError("disconnected", "closed", 0), true);
  }

  /**
   * Send a message and resolve with its ack data (reject with ApiError on an error reply).
   * retry: resend after a reconnect if no ack came (safe for idempotent requests such as
   * chat.send with its client_msg_id); otherwise a drop rejects it.
   */
  request(type, data = {}, { retry = false } = {}) {
    return new Promise((resolve, reject) => {
      const id = `w${this.nextId++}`;
      const entry = { resolve, reject, frame: { type, id, data }, retry };
      if (this.ready) this._transmit(entry);
      else if (retry) this.outbox.push(entry);
      else reject(new ApiError("disconnected", "not connected", 0));
    });
  }

  _transmit(entry) {
    this.pending.set(entry.frame.id, entry);
    if (entry.frame.type === "chat.send") this.sends.add(entry.frame.id);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      if (this.pending.delete(entry.frame.id)) entry.reject(new ApiError("timeout", "no answer from the server", 0));
    }, ACK_TIMEOUT);
    this.ws.send(JSON.stringify(entry.frame));
  }

  _open() {
    this.onState(this.attempt === 0 ? "connecting" : "reconnecting");
    this.opening = true;
    // Only the newest attempt goes on (a stop and start while asking begins another).
    const attempt = ++this.opened;
    this._ticket().then(
      (ticket) => {
        if (attempt !== this.opened) return;
        this.opening = false;
        if (!this.stopped) this._connect(ticket);
      },
      (err) => {
        if (attempt !== this.opened) return;
        this.opening = false;
        if (this.stopped) return;
        if (err.status === 401) {
          // The token itself is gone (logged out, expired): no ticket will come.
          this.stopped = true;
          this.onFatal(4001);
          return;
        }
        this._scheduleReconnect();
      },
    );
  }

  _connect(ticket) {
    let ws;
    try {
      ws = new WebSocket(this._url(ticket), SUBPROTOCOL);
    } catch {
      this._scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => this._hello(ws);
    ws.onmessage = (msg) => this._receive(msg.data);
    ws.onclose = (ev) => this._closed(ws, ev.code);
  }

  _hello(ws) {
    const id = `h${this.nextId++}`;
    const data = this.stream.seq !== null ? { last_seq: this.stream.seq, epoch: this.stream.epoch } : {};
    this.pending.set(id, {
      frame: { type: "hello", id, data },
      retry: false,
      resolve: (ack) => {
        this.stream.epoch = ack.epoch;
        if (this.stream.seq === null || !ack.resumed) this.stream.seq = ack.seq;
        this._persist();
        this.ready = true;
        this.attempt = 0;
        this.onState("online");
        this.onHello(ack);
        const waiting = this.outbox.splice(0);
        for (const entry of waiting) this._transmit(entry);
        clearInterval(this.pingTimer);
        this.pingTimer = setInterval(() => this._ping(), PING_EVERY);
      },
      reject: () => ws.close(4000, "hello refused"),
    });
    ws.send(JSON.stringify({ type: "hello", id, data }));
  }

  _ping() {
    this.request("ping").catch(() => {
      // No answer: the connection is dead without the browser knowing. Start again.
      if (this.ws) this.ws.close(4000, "ping timeout");
    });
  }

  _receive(raw) {
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (frame.type === "ack" || frame.type === "error") {
      const ownSend = this.sends.delete(frame.id);
      const entry = this.pending.get(frame.id);
      if (entry) {
        this.pending.delete(frame.id);
        clearTimeout(entry.timer);
        if (frame.type === "ack") entry.resolve(frame.data || {});
        else entry.reject(new ApiError(frame.error?.code || "error", frame.error?.message || "", 0));
      }
      // A chat.send ack with a seq is also our own chat.message event, which this
      // connection does not get separately (even if the request timed out meanwhile):
      // hand it on whatever seq came before it.
      if (frame.type === "ack" && ownSend && typeof frame.data?.seq === "number") {
        if (this.stream.seq === null || frame.data.seq > this.stream.seq) {
          this.stream.seq = frame.data.seq;
          this._persist();
        }
        this.onEvent({ type: "chat.message", seq: frame.data.seq, data: frame.data });
      }
      return;
    }
    if (typeof frame.seq === "number") {
      // A replay that overlaps live delivery: seen already, drop it.
      if (this.stream.seq !== null && frame.seq <= this.stream.seq) return;
      this.stream.seq = frame.seq;
      this._persist();
    }
    this.onEvent(frame);
  }

  _persist() {
    sessionStorage.setItem(STREAM, JSON.stringify(this.stream));
  }

  _closed(ws, code) {
    if (ws !== this.ws) return;
    this.ready = false;
    clearInterval(this.pingTimer);
    this.sends.clear(); // no ack comes on a closed socket; a resent request is added again
    this._failPending(new ApiError("disconnected", `connection closed (${code})`, 0), false);
    if (this.stopped) return;
    if (FATAL.has(code)) {
      this.stopped = true;
      this.onFatal(code);
      return;
    }
    this.onState("reconnecting");
    this._scheduleReconnect();
  }

  /** Reject what was in flight; keep retryable requests for the next connection. */
  _failPending(err, all) {
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      if (entry.retry && !all) this.outbox.push(entry);
      else entry.reject(err);
      this.pending.delete(id);
    }
    if (all) for (const entry of this.outbox.splice(0)) entry.reject(err);
  }

  _scheduleReconnect() {
    clearTimeout(this.retryTimer);
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s ... at most 15 s.
    const base = Math.min(15000, 500 * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt += 1;
    this.retryTimer = setTimeout(() => this._open(), delay);
  }

  _reconnectNow() {
    if (this.stopped || this.ready || this.opening) return;
    if (this.ws && this.ws.readyState === WebSocket.CONNECTING) return;
    clearTimeout(this.retryTimer);
    this._open();
  }
}
