// @ts-check
// The widget's look, inside its Shadow DOM (so the site's CSS cannot reach it, nor it the
// site's): the site's colour is --c, the text on it --t (black or white, see look.js).
export const CSS = `
:host{all:initial;--c:#1f5fd1;--t:#fff}
*{box-sizing:border-box;font:14px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif,"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji";color:#1d2430}
[hidden]{display:none!important}
:host([data-state="loading"]) .launcher,:host([data-state="loading"]) .panel,:host([data-refused]) .launcher,:host([data-refused]) .panel{display:none!important}
.launcher{position:fixed;right:20px;bottom:20px;min-width:60px;height:60px;border-radius:30px;border:0;background:var(--c);color:var(--t);gap:8px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483647;display:flex;align-items:center;justify-content:center}
.launcher:focus-visible,button:focus-visible,input:focus-visible,textarea:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.launcher svg{width:28px;height:28px;fill:var(--t)}
.launcher span.lt{color:var(--t);font-weight:600;font-size:15px;padding-right:6px}
:host([data-text]) .launcher{padding:0 18px}
:host([data-pos="left"]) .launcher,:host([data-pos="left"]) .panel{right:auto;left:20px}
:host([data-pos="left"]) .badge{right:auto;left:-4px}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d92d20;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center}
.panel{position:fixed;right:20px;bottom:92px;width:360px;max-width:calc(100vw - 24px);height:520px;max-height:calc(100vh - 110px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden;z-index:2147483647}
header{background:var(--c);padding:12px 14px;display:flex;align-items:center;gap:8px}
header *{color:var(--t)}
h2{margin:0;font-size:16px;font-weight:600;flex:1}
.op{font-size:12px;display:block}
.x{background:none;border:0;font-size:22px;line-height:1;cursor:pointer;padding:2px 6px;border-radius:4px}
.status{padding:4px 14px;font-size:12px;background:#fff4e5}
.log{flex:1;overflow-y:auto;margin:0;padding:12px;list-style:none;background:#f6f7f9}
.log li{margin:6px 0;display:flex;flex-direction:column;align-items:flex-start}
.log li.visitor{align-items:flex-end}
.who{font-size:11px;color:#5b6472;margin:0 4px 2px}
.body{margin:0;padding:8px 11px;border-radius:12px;background:#fff;border:1px solid #e2e5ea;max-width:85%;white-space:pre-wrap;overflow-wrap:anywhere}
.visitor .body{background:var(--c);border-color:var(--c);color:var(--t)}
.system .body{background:none;border:0;color:#5b6472;font-style:italic}
.pending .body{opacity:.6}
.greet .body{background:#e8f0fe;border-color:#e8f0fe}
.visitor .body a{color:var(--t)}
.at,.seen{font-size:11px;color:#5b6472;margin:2px 4px 0}
.typing{min-height:20px;padding:0 14px;font-size:12px;color:#5b6472;font-style:italic;background:#f6f7f9}
form{display:flex;gap:6px;padding:10px;border-top:1px solid #e2e5ea;background:#fff}
form.leave{flex-direction:column;overflow-y:auto}
label{font-size:12px;color:#5b6472}
input,textarea{width:100%;padding:8px;border:1px solid #c4cad3;border-radius:8px;background:#fff;resize:none}
textarea.msg{flex:1;height:40px}
button.send{background:var(--c);color:var(--t);border:0;border-radius:8px;padding:0 14px;cursor:pointer;font-weight:600}
form.leave button.send{padding:10px}
.notice{margin:0;padding:10px 14px;background:#fff4e5;border-top:1px solid #f3d9a4}
.err{color:#b42318;font-size:12px;min-height:0;margin:0}
@media (max-width:480px){.panel,:host([data-pos]) .panel{top:0;right:0;bottom:0;left:0;width:auto;max-width:none;height:auto;max-height:none;border-radius:0}}
form.rate{flex-direction:column;align-items:center;width:100%;border:1px solid #e2e5ea;border-radius:12px}
.rq{margin:0;text-align:center}
.stars{display:flex;gap:2px}
.star{background:none;border:0;font-size:26px;line-height:1;cursor:pointer;color:#c4cad3;padding:2px}
.star.on{color:#f5a623}
form.rate .send{padding:8px 14px}
.send:disabled{opacity:.5;cursor:default}
.tr{padding:2px 10px;background:#fff;border-top:1px solid #e2e5ea}
.tr form{padding:4px 0;border:0}
.link{background:none;border:0;color:#1f5fd1;text-decoration:underline;cursor:pointer;padding:4px 0;font-size:12px}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.clip{background:none;border:1px solid #c4cad3;border-radius:8px;cursor:pointer;font-size:18px;padding:0 8px}
.body img{display:block;max-width:100%;height:auto;border-radius:8px}
.file{display:inline-flex;gap:6px;color:inherit}
.visitor .file small{color:#fff}
small{font-size:11px;color:#5b6472;white-space:nowrap}
`;
