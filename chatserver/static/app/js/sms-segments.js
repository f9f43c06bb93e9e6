// @ts-check
// Characters left, parts and encoding of an SMS text, counted as a handset does.
// A line-by-line mirror of the server's sms/segments.py `measure` (the composer shows
// it while the user types; the server's own count decides on send). Keep them in step:
// tests/browser_sms/test_counter.py runs this module against the Python one.

// The GSM 03.38 default alphabet (0x1B, the escape, left out; 0x09 is the capital Ç).
const GSM_BASIC = new Set(
  "@£$¥èéùìòÇ\nØø\rÅå" +
    "Δ_ΦΓΛΩΠΨΣΘΞ" +
    "ÆæßÉ" +
    " !\"#¤%&'()*+,-./" +
    "0123456789:;<=>?" +
    "¡ABCDEFGHIJKLMNO" +
    "PQRSTUVWXYZÄÖÑÜ§" +
    "¿abcdefghijklmno" +
    "pqrstuvwxyzäöñüà",
);
// The extension table: escape + code, so two septets each.
const GSM_EXTENSION = new Set("\f^{}\\[~]|€");

/** @typedef {"gsm7" | "ucs2"} Encoding */
/**
 * What measure() finds.
 * @typedef {object} Measure
 * @property {Encoding} encoding
 * @property {number} units
 * @property {number} parts
 * @property {number} remaining
 * @property {number} partLimit
 * @property {boolean} allowed
 * @property {"too_long" | "too_many_parts" | "empty" | null} reason
 * @property {string[]} nonGsm the characters that make it UCS-2
 */

export const SINGLE_LIMIT = { gsm7: 160, ucs2: 70 };
export const MULTI_PART_LIMIT = { gsm7: 153, ucs2: 67 };
export const MAX_PARTS = 255;

// Python's str.isspace(), so a text the server calls blank is blank here too.
const BLANK = /^[\t\n\x0b\x0c\r\x1c-\x1f \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]*$/;

/** Code points, as Python iterates a str (a surrogate pair is one character). */
/** @param {string} text */
function chars(text) {
  return Array.from(text);
}

/**
 * @param {string} text
 * @returns {Encoding}
 */
export function encodingFor(text) {
  for (const ch of chars(text)) if (!GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)) return "ucs2";
  return "gsm7";
}

/**
 * @param {string} ch
 * @param {Encoding} encoding
 */
function charUnits(ch, encoding) {
  if (encoding === "gsm7") return GSM_EXTENSION.has(ch) ? 2 : 1;
  return (ch.codePointAt(0) || 0) > 0xffff ? 2 : 1;
}

/**
 * @param {string[]} list
 * @param {Encoding} encoding
 */
function unitsOf(list, encoding) {
  let n = 0;
  for (const ch of list) n += charUnits(ch, encoding);
  return n;
}

/** The parts a handset would send: one if it fits a single SMS, else greedy 153/67-unit parts. */
/**
 * @param {string} text
 * @returns {string[]}
 */
export function split(text) {
  const list = chars(text);
  if (list.length === 0) return [];
  const enc = encodingFor(text);
  if (unitsOf(list, enc) <= SINGLE_LIMIT[enc]) return [text];
  const limit = MULTI_PART_LIMIT[enc];
  const parts = [];
  /** @type {string[]} */
  let current = [];
  let used = 0;
  for (const ch of list) {
    const u = charUnits(ch, enc);
    if (used + u > limit) {
      parts.push(current.join(""));
      current = [];
      used = 0;
    }
    current.push(ch);
    used += u;
  }
  parts.push(current.join(""));
  return parts;
}

/**
 * What the composer shows: {encoding, units, parts, remaining, partLimit, allowed, reason, nonGsm}.
 * allowLong is the tenant's sms.allow_long; maxSingle the 140 cap when it is off.
 * remaining is negative when a message that may not be long is too long.
 * @param {string} text
 * @param {{allowLong?: boolean, maxSingle?: number, maxParts?: number}} [options]
 * @returns {Measure}
 */
export function measure(text, { allowLong = false, maxSingle = 140, maxParts = MAX_PARTS } = {}) {
  const enc = encodingFor(text);
  const list = chars(text);
  const used = unitsOf(list, enc);
  const nonGsm = [...new Set(list.filter((ch) => !GSM_BASIC.has(ch) && !GSM_EXTENSION.has(ch)))];
  const pieces = split(text);
  const parts = pieces.length;
  let limit;
  let remaining;
  /** @type {Measure["reason"]} */
  let reason = null;
  if (!allowLong) {
    limit = Math.min(maxSingle, SINGLE_LIMIT[enc]);
    remaining = limit - used;
    if (remaining < 0) reason = "too_long";
  } else {
    if (parts <= 1) {
      limit = SINGLE_LIMIT[enc];
      remaining = limit - used;
    } else {
      limit = MULTI_PART_LIMIT[enc];
      remaining = limit - unitsOf(chars(pieces[pieces.length - 1]), enc);
    }
    if (parts > maxParts) reason = "too_many_parts";
  }
  if (BLANK.test(text)) reason = "empty";
  return { encoding: enc, units: used, parts, remaining, partLimit: limit, allowed: reason === null, reason, nonGsm };
}

/** Credits: one per part per recipient (SM-17). */
/**
 * @param {number} parts
 * @param {number} recipients
 */
export function cost(parts, recipients) {
  return parts * recipients;
}
