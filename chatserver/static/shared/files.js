// @ts-check
// Sent files (docs/files.md), for the app and the console: sending one (the bytes as the
// body, the name in the query) and showing one in a message: an image inline as its
// thumbnail, any other file as a download link with its name and size. The links are the
// server's short-lived signed ones (an <img> cannot send the token), asked for per file
// and asked for again when they have run out.

/** @typedef {{id: number, name: string, size: number, image: boolean, width?: number, height?: number}} FileMeta a sent file, as a message's meta.file names it */

import { ApiError, get, sessionHeaders } from "./api.js";
import { el } from "./dom.js";

const newId = () => (crypto.randomUUID ? crypto.randomUUID().replace(/-/g, "") : `${Date.now().toString(36)}${Math.random().toString(36).slice(2)}`);

/**
 * Send a file: POST its bytes to ``path`` with name and a new client_msg_id (and ``params``).
 * Answers {message, file, duplicate}; a refusal is an ApiError with the server's code and details.
 * @param {string} path
 * @param {File | Blob} file
 * @param {Record<string, string>} [params]
 */
export async function sendFile(path, file, params = {}) {
  const name = /** @type {File} */ (file).name || `${file.type.startsWith("image/") ? "image" : "file"}.${(file.type.split("/")[1] || "bin").replace("jpeg", "jpg")}`;
  const query = new URLSearchParams({ name, client_msg_id: newId(), ...params });
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json", "Content-Type": "application/octet-stream", ...sessionHeaders() };
  let response;
  try {
    response = await fetch(`${path}?${query}`, { method: "POST", headers, body: file, credentials: "same-origin" });
  } catch (exc) {
    throw new ApiError("network", String(exc), 0);
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const err = data.error || {};
    throw new ApiError(err.code || "http_error", err.message || response.statusText, response.status, err.details || {});
  }
  return data;
}

/**
 * A size as people read it: "812 B", "14 KB", "2.3 MB", in the language's number format.
 * @param {number} bytes
 * @param {string} lang
 */
export function sizeText(bytes, lang) {
  /** @param {number} n @param {number} digits */
  const fmt = (n, digits) => new Intl.NumberFormat(lang === "nl" ? "nl-NL" : "en-GB", { maximumFractionDigits: digits }).format(n);
  if (bytes < 1024) return `${fmt(bytes, 0)} B`;
  if (bytes < 1024 * 1024) return `${fmt(bytes / 1024, 0)} KB`;
  return `${fmt(bytes / 1024 / 1024, 1)} MB`;
}

/** @type {Map<number, Promise<any>>} file id -> its links, while they last */
const links = new Map();

/**
 * @param {number} id
 * @returns {Promise<any>} the file's signed links (url, thumb_url, expires)
 */
function linksOf(id) {
  const known = links.get(id);
  if (known) return known;
  const asked = get(`/api/files/${id}`).then((d) => {
    // Asked again a little before the server's time is over.
    setTimeout(() => links.delete(id), Math.max(5, d.expires - Date.now() / 1000 - 30) * 1000);
    return d;
  });
  asked.catch(() => links.delete(id));
  links.set(id, asked);
  return asked;
}

/**
 * A message's file: an image as its thumbnail in a link to the whole image, any other file
 * as a download link with its name and size. ``t`` says "Download {name}" and the like.
 * @param {FileMeta} file
 * @param {{t: (key: string, params?: Record<string, unknown>) => string, lang: string}} words
 */
export function fileView(file, { t, lang }) {
  const size = sizeText(file.size, lang);
  const link = el("a", { class: file.image ? "file-image" : "file-link", href: "#", dataset: { testid: "file-link", fileId: String(file.id) } });
  if (file.image) {
    const w = Number(file.width) || 320;
    const h = Number(file.height) || 240;
    const scale = Math.min(1, 240 / Math.max(w, h));
    const img = el("img", { alt: t("imageAlt", { name: file.name }), width: String(Math.round(w * scale)), height: String(Math.round(h * scale)), dataset: { testid: "file-thumb" } });
    link.append(img);
    link.target = "_blank";
    link.rel = "noopener";
    linksOf(file.id).then((d) => {
      img.src = d.thumb_url;
      link.href = d.url;
    }, () => {});
  } else {
    link.setAttribute("download", file.name);
    link.append(el("span", { class: "file-icon", "aria-hidden": "true", text: "📄" }),
      el("span", { class: "file-name", dataset: { testid: "file-name" }, text: file.name }),
      el("span", { class: "file-size", dataset: { testid: "file-size" }, text: size }));
    link.setAttribute("aria-label", t("downloadFile", { name: file.name, size }));
    linksOf(file.id).then((d) => {
      link.href = d.url;
    }, () => {});
  }
  // A link whose time ran out while the page stayed open: asked for again, then followed.
  link.addEventListener("click", (ev) => {
    if (link.getAttribute("href") !== "#" && links.has(file.id)) return;
    ev.preventDefault();
    linksOf(file.id).then((d) => {
      link.href = d.url;
      if (file.image) window.open(d.url, "_blank", "noopener");
      else link.click();
    }, () => {});
  });
  return el("div", { class: "file", dataset: { testid: "file", kind: file.image ? "image" : "document" } }, link);
}

/**
 * The files a user pasted or dropped, from a ClipboardEvent's or DragEvent's data.
 * @param {DataTransfer | null} data
 * @returns {File[]}
 */
export function filesOf(data) {
  return data ? [...data.files] : [];
}
