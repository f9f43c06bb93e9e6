// @ts-check
// Talking to the chat server (cross-origin): REST with the visitor's token, and requests
// over the socket (session.js opens it).

/** @typedef {import("./context.js").Widget} Widget */
/** @typedef {import("./context.js").Json} Json */

// The visit is a "simple" cross-origin request (text/plain body, no Authorization), so no
// preflight stands between it and the server's Origin check; the server reads JSON anyway.
/**
 * @param {Widget} w
 * @param {string} method
 * @param {string} p
 * @param {Record<string, unknown>} [body]
 * @returns {Promise<Json>}
 */
export async function rest(w, method, p, body) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (body) headers["Content-Type"] = "text/plain;charset=UTF-8";
  else if (w.S.token) headers.Authorization = `Bearer ${w.S.token}`;
  const r = await fetch(w.page.origin + p, { method, headers, body: body && JSON.stringify(body), credentials: "omit" });
  const data = await r.json().catch(() => ({}));
  if (!r.ok) {
    const retry = Number(r.headers.get("Retry-After")) || 0;
    throw Object.assign(new Error((data.error && data.error.message) || r.statusText), { status: r.status, retry });
  }
  return data;
}

/**
 * @param {Widget} w
 * @param {string} type
 * @param {Record<string, unknown>} [data]
 * @param {boolean} [retry] resent after a reconnect (idempotent requests only)
 * @returns {Promise<Json>}
 */
export const request = (w, type, data = {}, retry = false) =>
  w.sock ? w.sock.request(type, data, { retry }) : Promise.reject(new Error("not connected"));
