/**
 * Draws the benchmark chart: per guest, the fused speed-up (bars) and the
 * oplets dispatched per guest instruction before and after fusion.
 *
 * @module
 */

/** What the chart needs of one guest's results. */
export interface ChartGuest {
  /** Guest name. */
  name: string;
  /** train or heldout. */
  set: string;
  /** Speed-up per dispatcher. */
  speedup: Record<string, number>;
  /** Per-configuration medians. */
  results: Record<string, { perInsn: number }>;
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Renders an SVG with two panels: speed-up, and oplets per instruction. */
export function renderChart(guests: readonly ChartGuest[]): string {
  const w = 840, rowH = 26, top = 56, left = 110, panelW = 280, gap = 60;
  const h = top + guests.length * rowH + 40;
  const maxS = Math.max(2.5, ...guests.map((g) => g.speedup.switch ?? 0)) * 1.1;
  const maxD =
    Math.max(1, ...guests.map((g) => g.results["switch/unfused"].perInsn)) *
    1.1;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${left}" y="20" font-size="14" font-weight="bold">Fused speed-up (switch dispatcher)</text>`,
    `<text x="${
      left + panelW + gap
    }" y="20" font-size="14" font-weight="bold">Oplets dispatched per instruction</text>`,
    `<text x="${left}" y="38" fill="#555">dashed line: 2x</text>`,
    `<text x="${
      left + panelW + gap
    }" y="38" fill="#555"><tspan fill="#bbb">■</tspan> unfused  <tspan fill="#2a7">■</tspan> fused</text>`,
  ];
  const x2 = left + (2 / maxS) * panelW;
  out.push(
    `<line x1="${x2}" y1="${top - 6}" x2="${x2}" y2="${
      top + guests.length * rowH
    }" stroke="#c33" stroke-dasharray="4 3"/>`,
  );
  guests.forEach((g, k) => {
    const y = top + k * rowH;
    const s = g.speedup.switch ?? 0;
    const color = g.set === "heldout" ? "#36c" : "#8ad";
    out.push(
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${esc(g.name)}${
        g.set === "heldout" ? "*" : ""
      }</text>`,
      `<rect x="${left}" y="${y + 3}" width="${(s / maxS) * panelW}" height="${
        rowH - 8
      }" fill="${color}"/>`,
      `<text x="${left + (s / maxS) * panelW + 4}" y="${y + 15}">${
        s.toFixed(2)
      }x</text>`,
    );
    const d0 = g.results["switch/unfused"].perInsn,
      d1 = g.results["switch/fused"].perInsn;
    const l2 = left + panelW + gap;
    out.push(
      `<rect x="${l2}" y="${y + 3}" width="${(d0 / maxD) * panelW}" height="${
        (rowH - 8) / 2
      }" fill="#bbb"/>`,
      `<rect x="${l2}" y="${y + 3 + (rowH - 8) / 2}" width="${
        (d1 / maxD) * panelW
      }" height="${(rowH - 8) / 2}" fill="#2a7"/>`,
      `<text x="${l2 + (d0 / maxD) * panelW + 4}" y="${y + 15}">${
        d0.toFixed(2)
      } → ${d1.toFixed(2)}</text>`,
    );
  });
  out.push(
    `<text x="${left}" y="${
      h - 12
    }" fill="#555">* held-out guest (not used to choose the fused oplets); light bars: training guests</text>`,
    `</svg>`,
  );
  return out.join("\n") + "\n";
}
