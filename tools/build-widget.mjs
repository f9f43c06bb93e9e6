// Bundles the live-chat widget into its one file: widget/src/widget.js (the entry) with the
// modules it imports (widget/src/*.js; chatserver/static/shared/socket.js, dom.js, i18n.js) becomes
// widget/widget.js, which is committed, so installing the server needs no Node.
//
//   node tools/build-widget.mjs           write widget/widget.js
//   node tools/build-widget.mjs --check   exit 1 if widget/widget.js is not what the sources build
//
// tests/livechat/service/test_widget_build.py runs the check (scripts/test.sh installs this folder
// with `npm ci` first).
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const entry = join(root, "widget", "src", "widget.js");
const target = join(root, "widget", "widget.js");

const result = await build({
  entryPoints: [entry],
  bundle: true,
  format: "iife",
  target: "es2020",
  charset: "utf8",
  legalComments: "inline",
  write: false,
  // Readable output: the served file is what people debug on their own sites; gzip takes
  // care of the size (tests/livechat/service/test_widget_delivery.py keeps it under 20 KB).
  minify: false,
  banner: { js: "// Built by tools/build-widget.mjs from widget/src/ and chatserver/static/shared/: edit those, then run it." },
  absWorkingDir: root,
});
const built = result.outputFiles[0].text;

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // missing counts as stale
  }
  if (current !== built) {
    console.error("widget/widget.js is stale: run `node tools/build-widget.mjs` and commit the result.");
    process.exit(1);
  }
  console.log("widget/widget.js is what its sources build.");
} else {
  writeFileSync(target, built);
  console.log(`wrote widget/widget.js (${built.length} characters)`);
}
