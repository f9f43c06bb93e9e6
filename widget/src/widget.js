// @ts-check
/*! chatserver live-chat widget. Plain JavaScript, no dependency, one file.
 * Embed: <script async src="https://HOST/widget.js" data-site="ID"></script>
 * (/widget.js is a loader that adds this file from /widget/<hash of content>.js.)
 * Renders in a Shadow DOM; everything people write is set with textContent, never as HTML.
 */
// The entry of the widget's source: tools/build-widget.mjs bundles it with the modules it
// imports (widget/src/*.js and the shared ones) into widget/widget.js (committed; the server
// serves that file). Here: one widget per page, its parts wired together, then mounted.
import { composer } from "./composer.js";
import { newState } from "./context.js";
import { leaveForm, rating, transcript } from "./forms.js";
import { labeller } from "./labels.js";
import { ownScript, readPage, storage } from "./page.js";
import { setOpen, setUnread } from "./panel.js";
import { preview, start } from "./session.js";
import { buildView } from "./view.js";

(() => {
  "use strict";
  const me = ownScript();
  const win = /** @type {Window & {__chatserverWidget?: boolean}} */ (window);
  if (!me || win.__chatserverWidget) return;
  win.__chatserverWidget = true;

  const page = readPage(me);
  const store = storage(page.key);
  const { t, h, relabel, T } = labeller(page);
  /** @type {import("./context.js").Widget} */
  const w = { page, store, t, h, relabel, v: buildView({ t, T, h, relabel }), S: newState(store), shown: new Map(), sock: null };
  const { S, v } = w;

  rating(w);
  leaveForm(w);
  transcript(w);
  composer(w);
  v.launcher.addEventListener("click", () => setOpen(w, !S.open));
  v.closeBtn.addEventListener("click", () => setOpen(w, !(S.closed = true)));
  v.root.addEventListener("keydown", (ev) => {
    const e = /** @type {KeyboardEvent} */ (ev);
    if (e.key === "Escape" && S.open) {
      e.stopPropagation();
      setOpen(w, !(S.closed = true));
    }
  });
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && S.open) setUnread(w, 0);
  });

  const mount = () => {
    document.body.append(v.host);
    if (page.preview) return preview(w);
    setOpen(w, S.open, false);
    start(w);
  };
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
