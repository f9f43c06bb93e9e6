// REST calls with the bearer token kept in sessionStorage (one login per tab).

const TOKEN = "chat.token";
const USER = "chat.user";

export class ApiError extends Error {
  constructor(code, message, status, details = {}) {
    super(message);
    this.code = code;
    this.status = status;
    // What the server names in the error (a rule's index, a count): screens point at it.
    this.details = details;
  }
}

export const session = {
  get token() {
    return sessionStorage.getItem(TOKEN);
  },
  get user() {
    const raw = sessionStorage.getItem(USER);
    return raw ? JSON.parse(raw) : null;
  },
  save(token, user) {
    sessionStorage.setItem(TOKEN, token);
    sessionStorage.setItem(USER, JSON.stringify(user));
  },
  clear() {
    for (const key of Object.keys(sessionStorage)) {
      if (key.startsWith("chat.")) sessionStorage.removeItem(key);
    }
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
