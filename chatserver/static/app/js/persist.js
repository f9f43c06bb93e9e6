// @ts-check
// What a reload or a new tab must not lose, per user in localStorage: the conversations that
// were open (in the order they were opened) and half-typed messages. Removed at logout.

/** @typedef {"open" | "drafts"} What */

const key = (/** @type {number} */ userId, /** @type {What} */ what) => `chat.u${userId}.${what}`;

/**
 * @param {number} userId
 * @param {What} what
 * @param {unknown} fallback
 * @returns {unknown} what was stored (any JSON: the caller checks it), else the fallback
 */
function read(userId, what, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key(userId, what)) || "null") ?? fallback;
  } catch {
    return fallback;
  }
}

/**
 * @param {number} userId
 * @param {What} what
 * @param {unknown} value
 */
function write(userId, what, value) {
  try {
    localStorage.setItem(key(userId, what), JSON.stringify(value));
  } catch {
    // Storage full or refused (private mode): the app works, only the memory is lost.
  }
}

/**
 * The user ids of the open conversations, oldest first.
 * @param {number} userId
 * @returns {number[]}
 */
export function openIds(userId) {
  const ids = read(userId, "open", []);
  return Array.isArray(ids) ? ids.filter((id) => Number.isInteger(id)) : [];
}

/**
 * @param {number} userId
 * @param {number} otherId
 */
export function rememberOpen(userId, otherId) {
  write(userId, "open", [...openIds(userId).filter((id) => id !== otherId), otherId]);
}

/**
 * @param {number} userId
 * @param {number} otherId
 */
export function forgetOpen(userId, otherId) {
  write(userId, "open", openIds(userId).filter((id) => id !== otherId));
}

/**
 * @param {number} userId
 * @returns {Record<string, unknown>}
 */
function storedDrafts(userId) {
  const found = read(userId, "drafts", {});
  return found && typeof found === "object" ? /** @type {Record<string, unknown>} */ (found) : {};
}

/**
 * @param {number} userId
 * @param {number} otherId
 * @returns {string}
 */
export function draftFor(userId, otherId) {
  const draft = storedDrafts(userId)[otherId];
  return typeof draft === "string" ? draft : "";
}

/**
 * @param {number} userId
 * @param {number} otherId
 * @param {string} text
 */
export function saveDraft(userId, otherId, text) {
  const drafts = storedDrafts(userId);
  if (text) drafts[otherId] = text;
  else delete drafts[otherId];
  write(userId, "drafts", drafts);
}

/**
 * At logout: nothing of this user stays in the browser.
 * @param {number} userId
 */
export function forgetUser(userId) {
  localStorage.removeItem(key(userId, "open"));
  localStorage.removeItem(key(userId, "drafts"));
}
