// @ts-check
// The WebSocket to /ws: hello with the last seq, acks by id, dedupe by seq, reconnect with backoff.
// The stream position (last seq and epoch) lives in sessionStorage, so a reload loses nothing.
// One module for every screen: the app, the console, the video call page, and the live-chat
// widget (bundled into widget/widget.js by tools/build-widget.mjs, so the widget cannot drift).
// The frames are docs/protocol.md's; their shapes are the typedefs below.

import { ApiError } from "./errors.js";

/**
 * A request from the client; the server answers it with an ack or an error of the same id.
 * @typedef {object} RequestFrame
 * @property {string} type dotted message type ("hello", "chat.send", "livechat.typing", ...)
 * @property {string} id the client's id for the answer
 * @property {Record<string, unknown>} data
 */
/**
 * @typedef {object} AckFrame
 * @property {"ack"} type
 * @property {string} id the request's id
 * @property {Record<string, any>} [data]
 */
/**
 * @typedef {object} ErrorFrame
 * @property {"error"} type
 * @property {string} id the request's id
 * @property {{code?: string, message?: string, details?: Record<string, unknown>}} [error]
 */
/**
 * An event; durable ones carry the stream's seq (a replay after a reconnect has the same).
 * @typedef {object} EventFrame
 * @property {string} type
 * @property {number} [seq]
 * @property {boolean} [replay]
 * @property {Record<string, any>} [data]
 */
/** @typedef {AckFrame | ErrorFrame | EventFrame} ServerFrame */
/**
 * hello's ack: the stream's epoch and seq; resumed when the replay from last_seq follows,
 * resync when it cannot (load the state over REST again).
 * @typedef {object} HelloAck
 * @property {string} epoch
 * @property {number} seq
 * @property {boolean} [resumed]
 * @property {boolean} [resync]
 */
/**
 * Where this tab is in its stream; owner is whose stream (a user id, a visitor's token), so
 * a position is never reused for someone else.
 * @typedef {{owner: unknown, seq: number | null, epoch: string | null}} StreamPosition
 */
/** @typedef {"connecting" | "reconnecting" | "online"} SocketState */
/**
 * @typedef {object} SocketOptions
 * @property {string | null} [token] the bearer token (a guest's or a visitor's); none: the page's session cookie signs the ticket
 * @property {() => Record<string, string>} [headers] with the cookie: the headers that prove the page (api.sessionHeaders)
 * @property {unknown} owner whose stream this is: a stored position of another owner is ignored
 * @property {(frame: EventFrame) => void} onEvent every new event, in order, each once
 * @property {(state: SocketState) => void} onState
 * @property {(ack: HelloAck) => void} onHello after each (re)connect's hello
 * @property {(code: number) => void} onFatal the socket closed with one of `fatal` and stays closed
 * @property {string} [origin] the server's origin (the widget's is another site's); default this page's
 * @property {string} [streamKey] the sessionStorage key of the stream position
 * @property {number[]} [fatal] close codes after which reconnecting cannot help
 */
/**
 * @typedef {object} Pending
 * @property {RequestFrame} frame
 * @property {boolean} retry
 * @property {(data: Record<string, any>) => void} resolve
 * @property {(err: ApiError) => void} reject
 * @property {ReturnType<typeof setTimeout>} [timer]
 */

const SUBPROTOCOL = "chatserver.v1.json";
const TICKET = "/api/ws/ticket";
const PING_EVERY = 25000;
const ACK_TIMEOUT = 15000;
// A refused or expired token: log in again (the widget starts a new visitor session). A
// refused ticket (4002: used, expired) is not one of them: the next attempt asks for a new one.
const FATAL = [4001, 4009];
// A request whose ack with a seq is also this connection's own event of that type, which
// the connection does not get separately (hub.Connection.absorb).
/** @type {Record<string, string>} */
const ECHOES = { "chat.send": "chat.message" };

export class Socket {
  /** @param {SocketOptions} options */
  constructor({ token = null, headers = () => ({}), owner, onEvent, onState, onHello, onFatal, origin = location.origin, streamKey = "chat.stream", fatal = FATAL }) {
    this.token = token;
    this.headers = headers;
    this.origin = origin;
    this.onEvent = onEvent;
    this.onState = onState;
    this.onHello = onHello;
    this.onFatal = onFatal;
    this.streamKey = streamKey;
    this.fatal = new Set(fatal);
    /** @type {WebSocket | null} */
    this.ws = null;
    this.ready = false;
    this.stopped = false;
    this.attempt = 0;
    this.opening = false; // asking for a ticket: no socket yet
    this.opened = 0; // attempts to open begun
    this.nextId = 1;
    /** @type {Map<string, Pending>} */
    this.pending = new Map();
    /** @type {Map<string, string>} echoed requests (chat.send) whose ack has not come, even after a timeout: id -> event type */
    this.echoes = new Map();
    /** @type {Pending[]} requests waiting for the connection */
    this.outbox = [];
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.retryTimer = undefined;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.pingTimer = undefined;
    const saved = /** @type {StreamPosition | null} */ (readJSON(streamKey));
    /** @type {StreamPosition} */
    this.stream = saved && saved.owner === owner ? saved : { owner, seq: null, epoch: null };
    this._onOnline = () => this._reconnectNow();
    window.addEventListener("online", this._onOnline);
  }

  /**
   * A one-use ticket for /ws, asked with the token in a header (or, on our own pages, with
   * the session cookie and its CSRF token): the socket's URL, which proxies may log, then
   * carries the ticket (worth nothing in a minute), never the token. Another site's page
   * (the widget) asks across origins without cookies; the server answers its preflight.
   * @returns {Promise<string>}
   */
  async _ticket() {
    let response;
    const auth = this.token ? { Authorization: `Bearer ${this.token}` } : this.headers();
    try {
      response = await fetch(this.origin + TICKET, {
        method: "POST",
        headers: { Accept: "application/json", ...auth },
        credentials: this.origin === location.origin ? "same-origin" : "omit",
      });
    } catch (exc) {
      throw new ApiError("network", String(exc), 0);
    }
    const data = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(data.error?.code || "http_error", data.error?.message || "", response.status);
    return data.ticket;
  }

  /** @param {string} ticket */
  _url(ticket) {
    return `${this.origin.replace(/^http/, "ws")}/ws?ticket=${encodeURIComponent(ticket)}`;
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
   * @param {string} type
   * @param {Record<string, unknown>} [data]
   * @param {{retry?: boolean}} [options]
   * @returns {Promise<Record<string, any>>}
   */
  request(type, data = {}, { retry = false } = {}) {
    return new Promise((resolve, reject) => {
      const id = `w${this.nextId++}`;
      /** @type {Pending} */
      const entry = { resolve, reject, frame: { type, id, data }, retry };
      if (this.ready) this._transmit(entry);
      else if (retry) this.outbox.push(entry);
      else reject(new ApiError("disconnected", "not connected", 0));
    });
  }

  /** @param {Pending} entry */
  _transmit(entry) {
    this.pending.set(entry.frame.id, entry);
    const echo = ECHOES[entry.frame.type];
    if (echo) this.echoes.set(entry.frame.id, echo);
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      if (this.pending.delete(entry.frame.id)) entry.reject(new ApiError("timeout", "no answer from the server", 0));
    }, ACK_TIMEOUT);
    this.ws?.send(JSON.stringify(entry.frame));
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
        if (err.status === 401 || String(err.code).startsWith("csrf_")) {
          // The token itself is gone (logged out, expired), or another session took this
          // browser's cookie: no ticket will come.
          this.stopped = true;
          this.onFatal(4001);
          return;
        }
        this._scheduleReconnect();
      },
    );
  }

  /** @param {string} ticket */
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

  /** @param {WebSocket} ws */
  _hello(ws) {
    const id = `h${this.nextId++}`;
    const data = this.stream.seq !== null ? { last_seq: this.stream.seq, epoch: this.stream.epoch } : {};
    this.pending.set(id, {
      frame: { type: "hello", id, data },
      retry: false,
      resolve: (answer) => {
        const ack = /** @type {HelloAck} */ (answer);
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

  /** @param {string} raw */
  _receive(raw) {
    /** @type {ServerFrame} */
    let frame;
    try {
      frame = JSON.parse(raw);
    } catch {
      return;
    }
    if (frame.type === "ack" || frame.type === "error") {
      const answer = /** @type {AckFrame | ErrorFrame} */ (frame);
      const entry = this.pending.get(answer.id);
      const echo = this.echoes.get(answer.id);
      this.echoes.delete(answer.id);
      if (entry) {
        this.pending.delete(answer.id);
        clearTimeout(entry.timer);
        if (answer.type === "ack") entry.resolve(answer.data || {});
        else entry.reject(new ApiError(answer.error?.code || "error", answer.error?.message || "", 0, answer.error?.details || {}));
      }
      // A chat.send ack with a seq is also our own chat.message event, which this
      // connection does not get separately (even if the request timed out meanwhile):
      // hand it on whatever seq came before it.
      if (answer.type === "ack" && echo && typeof answer.data?.seq === "number") {
        if (this.stream.seq === null || answer.data.seq > this.stream.seq) {
          this.stream.seq = answer.data.seq;
          this._persist();
        }
        this.onEvent({ type: echo, seq: answer.data.seq, data: answer.data });
      }
      return;
    }
    const event = /** @type {EventFrame} */ (frame);
    if (typeof event.seq === "number") {
      // A replay that overlaps live delivery: seen already, drop it.
      if (this.stream.seq !== null && event.seq <= this.stream.seq) return;
      this.stream.seq = event.seq;
      this._persist();
    }
    this.onEvent(event);
  }

  _persist() {
    try {
      sessionStorage.setItem(this.streamKey, JSON.stringify(this.stream));
    } catch {
      // storage blocked (a strict third-party context): the position holds for this page
    }
  }

  /**
   * @param {WebSocket} ws
   * @param {number} code
   */
  _closed(ws, code) {
    if (ws !== this.ws) return;
    this.ready = false;
    clearInterval(this.pingTimer);
    this.echoes.clear(); // no ack comes on a closed socket; a resent request is added again
    this._failPending(new ApiError("disconnected", `connection closed (${code})`, 0), false);
    if (this.stopped) return;
    if (this.fatal.has(code)) {
      this.stopped = true;
      this.onFatal(code);
      return;
    }
    this.onState("reconnecting");
    this._scheduleReconnect();
  }

  /**
   * Reject what was in flight; keep retryable requests for the next connection.
   * @param {ApiError} err
   * @param {boolean} all
   */
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

/**
 * @param {string} key
 * @returns {unknown}
 */
function readJSON(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key) || "null");
  } catch {
    return null;
  }
}
