// @ts-check
// REST calls signed in by the session cookie (docs/security.md, "Web session"): the login
// token lives in an httpOnly cookie no script can read, so the pages hold only who is signed
// in and the session's CSRF token, in memory, and send that token with every call (the
// server asks it of every change the cookie signs). Every tab of this browser shares the one
// cookie: a new tab or a reload asks GET /api/auth/session who it is. Logging in or out is
// told to the other tabs over a BroadcastChannel (a message with no secret in it).

import { ApiError } from "./errors.js";

export { ApiError };

const CHANNEL = "chat.session";

/** @type {{ user: any, csrf: string | null }} */
const current = { user: null, csrf: null };
/** @type {BroadcastChannel | null} */
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(CHANNEL) : null;

export const session = {
  /** The signed-in user, once login or load() said so; null when signed out. */
  get user() {
    return current.user;
  },
  /**
   * Who the session cookie signs in (a new tab, a reload): the user, or null when no
   * session is open (or it has ended).
   * @returns {Promise<any>}
   */
  async load() {
    try {
      const data = await api("GET", "/api/auth/session");
      current.user = data.user;
      current.csrf = data.csrf_token;
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      current.user = null;
      current.csrf = null;
    }
    return current.user;
  },
  /** Forget the login in this tab (the cookie is the server's to clear) and this tab's stream position. */
  clear() {
    current.user = null;
    current.csrf = null;
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith("chat.")) sessionStorage.removeItem(key);
    }
  },
  /**
   * Call fn when another tab logs in (true) or out (false). A BroadcastChannel message
   * reaches the other tabs of this origin, not this one.
   * @param {(signedIn: boolean) => void} fn
   */
  watch(fn) {
    channel?.addEventListener("message", (ev) => fn(!!(ev.data && ev.data.signedIn)));
  },
};

/** Tell the other tabs that this browser's session began or ended. @param {boolean} signedIn */
function tell(signedIn) {
  channel?.postMessage({ signedIn });
}

/**
 * The headers that prove a call comes from our page (the session's CSRF token): for a
 * fetch made without api(), such as a file's upload or the /ws ticket.
 * @returns {Record<string, string>}
 */
export function sessionHeaders() {
  return current.csrf ? { "X-CSRF-Token": current.csrf } : {};
}

/** @type {() => void} */
let onUnauthorized = () => {};
/** @param {() => void} fn what to do when the server no longer takes the token (sign out) */
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

/**
 * A REST call: JSON in and out; an error answer becomes an ApiError with the server's code,
 * message, HTTP status and details; no answer at all an ApiError "network".
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @returns {Promise<any>} the answer's JSON ({} for 204)
 */
export async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json", ...sessionHeaders() };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: "same-origin",
    });
  } catch (exc) {
    throw new ApiError("network", String(exc), 0);
  }
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) {
    const err = data.error || {};
    // 401: the session ended; csrf_invalid: another session took this browser's cookie.
    const gone = response.status === 401 || err.code === "csrf_invalid";
    if (gone && !path.startsWith("/api/auth/")) onUnauthorized();
    throw new ApiError(err.code || "http_error", err.message || response.statusText, response.status, err.details || {});
  }
  return data;
}

/** @param {string} path */
export const get = (path) => api("GET", path);
/** @param {string} path @param {unknown} [body] */
export const post = (path, body) => api("POST", path, body ?? {});
/** @param {string} path @param {unknown} [body] */
export const put = (path, body) => api("PUT", path, body);

/**
 * @param {string} tenant
 * @param {string} username
 * @param {string} password
 */
export async function login(tenant, username, password) {
  const data = await api("POST", "/api/auth/login", { tenant, username, password, session: "cookie" });
  current.user = data.user;
  current.csrf = data.csrf_token;
  tell(true);
  return data.user;
}

/** End the session on the server (it clears the cookie and closes its sockets everywhere) and in every tab. */
export async function logout() {
  try {
    await api("POST", "/api/auth/logout");
  } finally {
    session.clear();
    tell(false);
  }
}
