// @ts-check
// The Reports screen's charts, drawn as SVG by hand (no library, nothing to build).
// Each chart is an image with a title and a description that says what it shows in words;
// the table beside it holds every number, for screen readers and for copying.

const NS = "http://www.w3.org/2000/svg";
const W = 640;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 30 };

/**
 * @typedef {object} ChartSpec
 * @property {string} title
 * @property {string} desc what it shows, in words
 * @property {string[]} labels a day's each
 * @property {(value: number) => string} [format] a value as the axis and the tooltips write it
 */
/**
 * A series of a chart: a value per day (null: no data that day).
 * @template {number | null} V
 * @typedef {{key: string, label: string, cls: string, values: V[]}} Series
 */

/**
 * @param {string} tag
 * @param {Record<string, string | number>} [attrs]
 * @param {string | null} [text]
 */
function svg(tag, attrs = {}, text = null) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== null) node.textContent = text;
  return node;
}

// Steps a time axis reads well in: seconds, minutes, hours.
const TIME_STEPS = [5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400];

/** A round upper bound for the axis, about four steps high, and its step: one of
 * ``steps`` (durations), else 1, 2 or 5 times a power of ten (counts, max >= 4).
 * @param {number} max
 * @param {number[] | null} [steps]
 */
function scale(max, steps = null) {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const choices = steps || [1, 2, 5, 10].map((m) => m * power);
  const step = choices.find((x) => x >= raw) || choices[choices.length - 1];
  return { top: Math.max(step, Math.ceil(max / step) * step), step };
}

/**
 * The chart's title, description, axis and day labels.
 * @param {SVGSVGElement} root
 * @param {ChartSpec & {top: number, step: number, format: (value: number) => string}} spec
 */
function frame(root, { title, desc, labels, top, step, format }) {
  root.replaceChildren();
  root.setAttribute("viewBox", `0 0 ${W} ${H}`);
  root.setAttribute("role", "img");
  const titleId = `${root.id}-title`;
  const descId = `${root.id}-desc`;
  root.setAttribute("aria-labelledby", titleId);
  root.setAttribute("aria-describedby", descId);
  root.append(svg("title", { id: titleId }, title), svg("desc", { id: descId }, desc));
  const plotH = H - PAD.top - PAD.bottom;
  const y = (/** @type {number} */ v) => PAD.top + plotH - (v / top) * plotH;
  const axis = svg("g", { class: "chart-axis", "aria-hidden": "true" });
  for (let v = 0; v <= top + 1e-9; v += step) {
    axis.append(
      svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: "chart-grid" }),
      svg("text", { x: PAD.left - 6, y: y(v) + 4, "text-anchor": "end" }, format(v)),
    );
  }
  // Date labels: at most about eight, evenly spread, so a year stays readable.
  const slot = (W - PAD.left - PAD.right) / Math.max(labels.length, 1);
  const every = Math.max(1, Math.ceil(labels.length / 8));
  labels.forEach((label, i) => {
    if (i % every) return;
    axis.append(svg("text", { x: PAD.left + slot * (i + 0.5), y: H - 10, "text-anchor": "middle" }, label));
  });
  root.append(axis);
  return { y, slot };
}

/**
 * Bars side by side per day: series [{key, label, cls, values}] (numbers).
 * @param {SVGSVGElement} root
 * @param {ChartSpec & {series: Series<number>[]}} spec
 */
export function barChart(root, { title, desc, labels, series, format = String }) {
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  // Counts: whole steps only.
  const { top, step } = scale(Math.max(max, 4));
  const { y, slot } = frame(root, { title, desc, labels, top, step, format: (v) => format(v) });
  const width = Math.max(1, (slot * 0.8) / series.length);
  series.forEach((s, k) => {
    const g = svg("g", { class: `chart-series ${s.cls}` });
    g.setAttribute("data-series", s.key);
    s.values.forEach((v, i) => {
      const x = PAD.left + slot * i + slot * 0.1 + width * k;
      const bar = svg("rect", { x, y: y(v), width, height: Math.max(0, y(0) - y(v)), class: "chart-bar" });
      bar.setAttribute("data-value", String(v));
      bar.append(svg("title", {}, `${labels[i]}: ${s.label} ${format(v)}`));
      g.append(bar);
    });
    root.append(g);
  });
}

/**
 * Lines per day, of durations in seconds: series [{key, label, cls, values}] (numbers or null for no data).
 * @param {SVGSVGElement} root
 * @param {ChartSpec & {series: Series<number | null>[]}} spec
 */
export function lineChart(root, { title, desc, labels, series, format = String }) {
  const max = Math.max(0, ...series.flatMap((s) => s.values.filter((v) => v !== null)));
  const { top, step } = scale(max, TIME_STEPS);
  const { y, slot } = frame(root, { title, desc, labels, top, step, format });
  for (const s of series) {
    const g = svg("g", { class: `chart-series ${s.cls}` });
    g.setAttribute("data-series", s.key);
    let path = "";
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false;
        return;
      }
      const x = PAD.left + slot * (i + 0.5);
      path += `${pen ? "L" : "M"}${x.toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
      const dot = svg("circle", { cx: x, cy: y(v), r: 3.5, class: "chart-dot" });
      dot.setAttribute("data-value", String(v));
      dot.append(svg("title", {}, `${labels[i]}: ${s.label} ${format(v)}`));
      g.append(dot);
    });
    if (path) g.prepend(svg("path", { d: path, class: "chart-line", fill: "none" }));
    root.append(g);
  }
}
