/**
 * Inline SVG charts for the HTML reports: a line chart, grouped horizontal
 * bars and a left-to-right prefix tree. Every chart is an `<svg role="img">`
 * labelled by its own `<title>` and `<desc>`, so that a screen reader gets a
 * text alternative; the pages put a table with the same figures beside each
 * chart. No scripts, no fonts, no external references.
 *
 * @module
 */

import { clip, esc } from "./html_page.ts";

/** Colours for series, in order; a chart with more series cycles them. */
export const PALETTE: readonly string[] = [
  "#3366cc",
  "#e69933",
  "#aa44cc",
  "#22aa77",
  "#cc3333",
  "#777777",
  "#0099aa",
  "#886633",
];

const f1 = (n: number) => (Math.round(n * 10) / 10).toString();

/** The `<svg>` start tag, title and description of a chart. */
function open(
  id: string,
  w: number,
  h: number,
  title: string,
  desc: string,
): string {
  const i = esc(id);
  return `<svg id="${i}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-labelledby="${i}-title ${i}-desc" font-size="12">
<title id="${i}-title">${esc(title)}</title>
<desc id="${i}-desc">${esc(desc)}</desc>
<rect width="${w}" height="${h}" fill="#fff"/>`;
}

/** Round steps for an axis from 0 to `max`: about `n` ticks. */
export function ticks(max: number, n = 5): number[] {
  if (!(max > 0)) return [0];
  const raw = max / n;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = 0; v <= max * (1 + 1e-9); v += step) {
    out.push(Math.round(v * 1e9) / 1e9);
  }
  return out;
}

/** A series of a {@link lineChart}. */
export interface LineSeries {
  /** Its name, in the legend. */
  name: string;
  /** Its points (x, y), in order of x. */
  points: readonly (readonly [number, number])[];
  /** Its colour (default from {@link PALETTE}). */
  color?: string;
}

/** A vertical marker on a {@link lineChart}. */
export interface LineMark {
  /** Where on the x axis. */
  x: number;
  /** Its label. */
  label: string;
  /** A dot at this y, with the label beside it. */
  y?: number;
  /** Its colour (default red). */
  color?: string;
  /** Draw only the dot, no vertical line. */
  dotOnly?: boolean;
}

/** Options for {@link lineChart}. */
export interface LineChartOptions {
  /** The svg element's id (its title and desc get `-title`, `-desc`). */
  id: string;
  /** Short title. */
  title: string;
  /** The text alternative: what the chart shows, in words. */
  desc: string;
  /** The series. */
  series: readonly LineSeries[];
  /** Vertical markers. */
  marks?: readonly LineMark[];
  /** Axis labels. */
  xLabel: string;
  /** Axis labels. */
  yLabel: string;
  /** Top of the y axis (default: the largest y, rounded up). */
  yMax?: number;
  /** Right end of the x axis (default: the largest x). */
  xMax?: number;
  /** Formats y tick labels (default: the number). */
  yFormat?: (v: number) => string;
  /** Width and height (default 760 × 320). */
  width?: number;
  /** Width and height (default 760 × 320). */
  height?: number;
}

/** A line chart with axes, ticks, legend and markers. */
export function lineChart(o: LineChartOptions): string {
  const w = o.width ?? 760, h = o.height ?? 320;
  const l = 64, r = 24, t = 34, b = 46;
  const pw = w - l - r, ph = h - t - b;
  const all = o.series.flatMap((s) => s.points);
  const xMax = o.xMax ?? Math.max(1, ...all.map((p) => p[0]));
  const yTicks = ticks(o.yMax ?? Math.max(1e-9, ...all.map((p) => p[1])));
  const yMax = o.yMax ?? yTicks[yTicks.length - 1];
  const X = (x: number) => l + (x / xMax) * pw;
  const Y = (y: number) => t + ph - (Math.min(y, yMax) / yMax) * ph;
  const fmt = o.yFormat ?? ((v: number) => String(v));
  const out = [open(o.id, w, h, o.title, o.desc)];
  out.push(`<g aria-hidden="true">`);
  for (const v of yTicks) {
    out.push(
      `<line x1="${l}" x2="${l + pw}" y1="${f1(Y(v))}" y2="${
        f1(Y(v))
      }" stroke="#e6e6e6"/>`,
      `<text x="${l - 6}" y="${f1(Y(v) + 4)}" text-anchor="end" fill="#555">${
        esc(fmt(v))
      }</text>`,
    );
  }
  for (const v of ticks(xMax, 8).filter(Number.isInteger)) {
    out.push(
      `<line x1="${f1(X(v))}" x2="${f1(X(v))}" y1="${t + ph}" y2="${
        t + ph + 4
      }" stroke="#555"/>`,
      `<text x="${f1(X(v))}" y="${
        t + ph + 17
      }" text-anchor="middle" fill="#555">${v}</text>`,
    );
  }
  out.push(
    `<line x1="${l}" x2="${l + pw}" y1="${t + ph}" y2="${
      t + ph
    }" stroke="#555"/>`,
    `<line x1="${l}" x2="${l}" y1="${t}" y2="${t + ph}" stroke="#555"/>`,
    `<text x="${l + pw / 2}" y="${h - 8}" text-anchor="middle" fill="#333">${
      esc(o.xLabel)
    }</text>`,
    `<text transform="translate(16 ${
      t + ph / 2
    }) rotate(-90)" text-anchor="middle" fill="#333">${esc(o.yLabel)}</text>`,
  );
  o.series.forEach((s, k) => {
    const c = s.color ?? PALETTE[k % PALETTE.length];
    const d = s.points.map(([x, y], j) =>
      `${j ? "L" : "M"}${f1(X(x))} ${f1(Y(y))}`
    ).join(" ");
    if (s.points.length <= 40) {
      for (const [x, y] of s.points) {
        out.push(
          `<circle cx="${f1(X(x))}" cy="${f1(Y(y))}" r="3" fill="${c}"/>`,
        );
      }
    }
    out.push(
      `<path d="${d}" fill="none" stroke="${c}" stroke-width="2"/>`,
      `<rect x="${
        l + 10 + k * 170
      }" y="10" width="12" height="12" fill="${c}"/>`,
      `<text x="${l + 27 + k * 170}" y="20">${esc(clip(s.name, 26))}</text>`,
    );
  });
  for (const m of o.marks ?? []) {
    const c = m.color ?? "#cc3333";
    const x = X(m.x);
    if (!m.dotOnly) {
      out.push(
        `<line x1="${f1(x)}" x2="${f1(x)}" y1="${t}" y2="${
          t + ph
        }" stroke="${c}" stroke-dasharray="4 3"/>`,
      );
    }
    const ly = m.y !== undefined ? Y(m.y) : t + 12;
    if (m.y !== undefined) {
      out.push(
        `<circle cx="${f1(x)}" cy="${f1(ly)}" r="4" fill="${c}"/>`,
      );
    }
    const right = x < l + pw * 0.7;
    if (m.label) {
      out.push(
        `<text x="${f1(x + (right ? 7 : -7))}" y="${f1(ly + 16)}" fill="${c}"${
          right ? "" : ' text-anchor="end"'
        }>${esc(m.label)}</text>`,
      );
    }
  }
  out.push(`</g>`, `</svg>`);
  return out.join("\n");
}

/** A series of a {@link barChart}: one bar per group. */
export interface BarSeries {
  /** Its name, in the legend. */
  name: string;
  /** One value per group; null leaves a gap. */
  values: readonly (number | null)[];
  /** Its colour (default from {@link PALETTE}). */
  color?: string;
}

/** Options for {@link barChart}. */
export interface BarChartOptions {
  /** The svg element's id. */
  id: string;
  /** Short title. */
  title: string;
  /** The text alternative. */
  desc: string;
  /** The groups (rows), e.g. guests. */
  groups: readonly string[];
  /** Groups whose label is bold (e.g. held-out guests). */
  bold?: readonly boolean[];
  /** The series: bars within each group. */
  series: readonly BarSeries[];
  /** Formats a value's label (default: 2 digits). */
  format?: (v: number) => string;
  /** A dashed reference line at this value (e.g. 1x). */
  ref?: number;
  /** Its label. */
  refLabel?: string;
  /** Width (default 900). */
  width?: number;
  /** A note under the chart. */
  note?: string;
}

/** Grouped horizontal bars with value labels and a legend. */
export function barChart(o: BarChartOptions): string {
  const w = o.width ?? 900;
  const n = Math.max(1, o.series.length);
  const barH = n > 4 ? 9 : 12;
  const groupH = n * barH + 10;
  const l = 110, r = 70, t = 28 + 18 * Math.ceil(n / 4);
  const bottom = o.note ? 30 : 14;
  const h = t + o.groups.length * groupH + bottom;
  const pw = w - l - r;
  const values = o.series.flatMap((s) => s.values).filter((v) =>
    v !== null && Number.isFinite(v)
  ) as number[];
  const max = Math.max(o.ref ?? 0, ...values, 1e-9) * 1.05;
  const fmt = o.format ?? ((v: number) => v.toFixed(2));
  const out = [open(o.id, w, h, o.title, o.desc), `<g aria-hidden="true">`];
  o.series.forEach((s, k) => {
    const c = s.color ?? PALETTE[k % PALETTE.length];
    const x = l + (k % 4) * 160, y = 8 + 18 * Math.floor(k / 4);
    out.push(
      `<rect x="${x}" y="${y}" width="12" height="12" fill="${c}"/>`,
      `<text x="${x + 17}" y="${y + 10}">${esc(clip(s.name, 22))}</text>`,
    );
  });
  o.groups.forEach((g, gi) => {
    const y0 = t + gi * groupH;
    out.push(
      `<text x="${l - 8}" y="${f1(y0 + groupH / 2 + 2)}" text-anchor="end"${
        o.bold?.[gi] ? ' font-weight="bold"' : ""
      }>${esc(clip(g, 16))}</text>`,
    );
    o.series.forEach((s, k) => {
      const v = s.values[gi];
      if (v === null || v === undefined || !Number.isFinite(v)) return;
      const c = s.color ?? PALETTE[k % PALETTE.length];
      const bw = Math.max(0, (v / max) * pw);
      const y = y0 + 4 + k * barH;
      out.push(
        `<rect x="${l}" y="${y}" width="${f1(bw)}" height="${
          barH - 1
        }" fill="${c}"/>`,
        `<text x="${f1(l + bw + 4)}" y="${y + barH - 2}" font-size="${
          barH > 10 ? 11 : 9
        }">${esc(fmt(v))}</text>`,
      );
    });
  });
  if (o.ref !== undefined) {
    const x = l + (o.ref / max) * pw;
    out.push(
      `<line x1="${f1(x)}" x2="${f1(x)}" y1="${t - 4}" y2="${
        t + o.groups.length * groupH
      }" stroke="#cc3333" stroke-dasharray="4 3"/>`,
    );
    if (o.refLabel) {
      out.push(
        `<text x="${f1(x + 4)}" y="${
          t + o.groups.length * groupH + 12
        }" fill="#cc3333" font-size="11">${esc(o.refLabel)}</text>`,
      );
    }
  }
  if (o.note) {
    out.push(
      `<text x="${l}" y="${h - 8}" fill="#555" font-size="11">${
        esc(o.note)
      }</text>`,
    );
  }
  out.push(`</g>`, `</svg>`);
  return out.join("\n");
}

/** A node of a {@link treeChart}. */
export interface TreeNode {
  /** Its parent's index in the node list, or -1 for a root. */
  parent: number;
  /** Its label (e.g. an oplet name). */
  label: string;
  /** Its value (e.g. frequency); a child's values add up to at most its parent's. */
  value: number;
  /** Its fill colour. */
  fill: string;
  /** Hover text (a `<title>` of its own). */
  tooltip: string;
  /** A short tag drawn after the label (e.g. "#3"). */
  tag?: string;
}

/** Options for {@link treeChart}. */
export interface TreeChartOptions {
  /** The svg element's id. */
  id: string;
  /** Short title. */
  title: string;
  /** The text alternative. */
  desc: string;
  /** The nodes; parents before their children. */
  nodes: readonly TreeNode[];
  /** Width and height of the tree itself (default 1100 × 560). */
  width?: number;
  /** Width and height of the tree itself (default 1100 × 560). */
  height?: number;
}

/**
 * A left-to-right tree: one column per depth, each node a box whose height
 * stands for its value, children stacked inside their parent's span, so
 * that shared prefixes share one box. Heights are to one scale: the roots'
 * values together fill the height.
 */
export function treeChart(o: TreeChartOptions): string {
  const w = o.width ?? 1100, h = o.height ?? 560;
  const nodes = o.nodes;
  const depth = new Int32Array(nodes.length);
  const kids: number[][] = nodes.map(() => []);
  const roots: number[] = [];
  nodes.forEach((n, k) => {
    if (n.parent < 0) roots.push(k);
    else {
      depth[k] = depth[n.parent] + 1;
      kids[n.parent].push(k);
    }
  });
  const cols = Math.max(1, ...Array.from(depth, (d) => d + 1));
  const colW = w / cols;
  const total = roots.reduce((a, k) => a + nodes[k].value, 0) || 1;
  const scale = (h - 2 * roots.length) / total;
  const out = [open(o.id, w, h, o.title, o.desc)];
  const byValue = (a: number, b: number) => nodes[b].value - nodes[a].value;
  const maxChars = Math.max(3, Math.floor((colW - 10) / 6.4));
  const place = (k: number, y: number): number => {
    const n = nodes[k];
    const bh = Math.max(1, n.value * scale);
    const x = depth[k] * colW;
    const label = n.tag ? `${n.label} ${n.tag}` : n.label;
    out.push(
      `<g><title>${esc(n.tooltip)}</title><rect x="${f1(x + 1)}" y="${
        f1(y)
      }" width="${f1(colW - 3)}" height="${f1(Math.max(0.8, bh - 1))}" fill="${
        esc(n.fill)
      }" rx="2"/>`,
    );
    if (bh >= 13) {
      out.push(
        `<text x="${f1(x + 5)}" y="${
          f1(y + Math.min(bh / 2 + 4, 14))
        }" font-size="11" fill="#fff">${esc(clip(label, maxChars))}</text>`,
      );
    }
    out.push(`</g>`);
    let cy = y;
    for (const c of kids[k].sort(byValue)) cy += place(c, cy);
    return bh;
  };
  let y = 0;
  for (const k of roots.sort(byValue)) y += place(k, y) + 2;
  out.push(`</svg>`);
  return out.join("\n");
}
