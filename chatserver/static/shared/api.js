// @ts-check
// REST calls with the bearer token kept in localStorage: every tab of this browser shares one
// login until logout or expiry (a 401), as users of other chat apps expect. A cookie session
// would keep the token out of scripts' reach; until the server offers one, the CSP (no inline or
// foreign scripts) is what protects the token.

import { ApiError } from "./errors.js";

export { ApiError };

const TOKEN = "chat.session.token";
const USER = "chat.session.user";

export const session = {
  get token() {
    return localStorage.getItem(TOKEN);
  },
  get user() {
    const raw = localStorage.getItem(USER);
    try {
      return raw ? JSON.parse(raw) : null;
    } catch {
      return null;
    }
  },
  /**
   * @param {string} token
   * @param {object} user
   */
  save(token, user) {
    localStorage.setItem(TOKEN, token);
    localStorage.setItem(USER, JSON.stringify(user));
  },
  /** Forget the login (every tab follows through the storage event) and this tab's stream position. */
  clear() {
    localStorage.removeItem(TOKEN);
    localStorage.removeItem(USER);
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith("chat.")) sessionStorage.removeItem(key);
    }
  },
  /**
   * Call fn when another tab logs in or out (localStorage's storage event fires only in the others).
   * @param {(token: string | null) => void} fn
   */
  watch(fn) {
    window.addEventListener("storage", (ev) => {
      if (ev.key === TOKEN || ev.key === null) fn(localStorage.getItem(TOKEN));
    });
  },
};

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
  const headers = { Accept: "application/json" };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (exc) {
    throw new ApiError("network", String(exc), 0);
  }
  const data = response.status === 204 ? {} : await response.json().catch(() => ({}));
  if (!response.ok) {
    const err = data.error || {};
    if (response.status === 401 && !path.startsWith("/api/auth/login")) onUnauthorized();
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
  const data = await api("POST", "/api/auth/login", { tenant, username, password });
  session.save(data.token, data.user);
  return data.user;
}

export async function logout() {
  try {
    await api("POST", "/api/auth/logout");
  } finally {
    session.clear();
  }
}
