// What a reload or a new tab must not lose, per user in localStorage: the conversations that
// were open (in the order they were opened) and half-typed messages. Removed at logout.

const key = (userId, what) => `chat.u${userId}.${what}`;

function read(userId, what, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key(userId, what)) || "null") ?? fallback;
  } catch {
    return fallback;
  }
}

function write(userId, what, value) {
  try {
    localStorage.setItem(key(userId, what), JSON.stringify(value));
  } catch {
    // Storage full or refused (private mode): the app works, only the memory is lost.
  }
}

/** The user ids of the open conversations, oldest first. */
export function openIds(userId) {
  const ids = read(userId, "open", []);
  return Array.isArray(ids) ? ids.filter((id) => Number.isInteger(id)) : [];
}

export function rememberOpen(userId, otherId) {
  write(userId, "open", [...openIds(userId).filter((id) => id !== otherId), otherId]);
}

export function forgetOpen(userId, otherId) {
  write(userId, "open", openIds(userId).filter((id) => id !== otherId));
}

export function draftFor(userId, otherId) {
  const drafts = read(userId, "drafts", {});
  return typeof drafts[otherId] === "string" ? drafts[otherId] : "";
}

export function saveDraft(userId, otherId, text) {
  const drafts = read(userId, "drafts", {});
  if (text) drafts[otherId] = text;
  else delete drafts[otherId];
  write(userId, "drafts", drafts);
}

/** At logout: nothing of this user stays in the browser. */
export function forgetUser(userId) {
  localStorage.removeItem(key(userId, "open"));
  localStorage.removeItem(key(userId, "drafts"));
}
