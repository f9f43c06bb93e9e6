// @ts-check
// The site's look (a visit's look, or the console's preview): its colour with readable text
// on it, the side of the page, the launcher's text, and its default language.
import { setUnread } from "./panel.js";

/** @typedef {import("./context.js").Widget} Widget */
/** @typedef {import("./context.js").Json} Json */

// Text on the site's colour: black or white, whichever contrasts more (WCAG luminance);
// the better of the two is always at least 4.58:1, so any colour stays readable.
/** @param {string} hex */
const luminance = (hex) => {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};

/**
 * @param {Widget} w
 * @param {Json} look
 */
export function setLook(w, look) {
  const { S, v, page } = w;
  const host = v.host;
  const c = /^#[0-9a-f]{6}$/i.test(look.colour || "") ? look.colour : "#1f5fd1";
  const l = luminance(c);
  host.style.setProperty("--c", c);
  host.style.setProperty("--t", 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 ? "#fff" : "#000");
  host.setAttribute("data-pos", look.position === "left" ? "left" : "right");
  if ((look.language === "nl" || look.language === "en") && look.language !== page.lang) {
    page.lang = look.language;
    if (!page.spoken) try { localStorage.setItem(`${page.key}:lang`, page.lang); } catch { /* blocked: asked again next page */ }
    w.relabel();
  }
  host.lang = page.lang;
  S.lt = look.launcher || "";
  v.launcherText.textContent = S.lt || "";
  v.launcherText.hidden = !S.lt;
  host.toggleAttribute("data-text", !!S.lt);
  setUnread(w, S.unread);
}
