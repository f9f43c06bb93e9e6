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
  /** Call fn when another tab logs in or out (localStorage's storage event fires only in the others). */
  watch(fn) {
    window.addEventListener("storage", (ev) => {
      if (ev.key === TOKEN || ev.key === null) fn(localStorage.getItem(TOKEN));
    });
  },
};

let onUnauthorized = () => {};
export function whenUnauthorized(fn) {
  onUnauthorized = fn;
}

export async function api(method, path, body) {
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

export const get = (path) => api("GET", path);
export const post = (path, body) => api("POST", path, body ?? {});
export const put = (path, body) => api("PUT", path, body);

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
