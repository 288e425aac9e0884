/**
 * Draws the benchmark chart, one row per guest, in three panels: the fused
 * speed-up on the `switch` and `call` backends, the oplets dispatched per
 * guest instruction before and after fusion, and the MIPS of unfused
 * `switch`, fused `switch` and unfused `paste`.
 *
 * @module
 */

/** What the chart needs of one guest's results. */
export interface ChartGuest {
  /** Guest name. */
  name: string;
  /** train or heldout. */
  set: string;
  /** Fused speed-up per backend. */
  speedup: Record<string, number>;
  /** Per-configuration medians. */
  results: Record<string, { perInsn: number; mips: number }>;
}

const esc = (s: string) => s.replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A horizontal bar with its label after it. */
function bar(
  x: number,
  y: number,
  w: number,
  h: number,
  fill: string,
  label = "",
): string {
  const r = `<rect x="${x}" y="${y}" width="${
    Math.max(0, w).toFixed(1)
  }" height="${h}" fill="${fill}"/>`;
  return label
    ? `${r}\n<text x="${(x + w + 4).toFixed(1)}" y="${
      y + h - 1
    }" font-size="10">${label}</text>`
    : r;
}

/** Renders the SVG. */
export function renderChart(guests: readonly ChartGuest[]): string {
  const rowH = 30, top = 56, left = 110, panelW = 230, gap = 90;
  const w = left + 3 * panelW + 2 * gap + 40;
  const h = top + guests.length * rowH + 40;
  const p = (k: number) => left + k * (panelW + gap);
  const maxS = Math.max(
    2.5,
    ...guests.flatMap((g) => [g.speedup.switch ?? 0, g.speedup.call ?? 0]),
  ) * 1.15;
  const maxD =
    Math.max(1, ...guests.map((g) => g.results["switch/unfused"].perInsn)) *
    1.1;
  const maxM = Math.max(
    1,
    ...guests.map((g) => g.results["paste/unfused"]?.mips ?? 0),
    ...guests.map((g) => g.results["switch/fused"].mips),
  ) * 1.25;
  const key = (items: [string, string][]) =>
    items.map(([c, t]) => `<tspan fill="${c}">■</tspan> ${t}`).join("  ");
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${
      p(0)
    }" y="20" font-size="14" font-weight="bold">Fused speed-up</text>`,
    `<text x="${p(0)}" y="38" fill="#555">${
      key([["#36c", "switch"], ["#e93", "call"]])
    }; dashed: 2x</text>`,
    `<text x="${
      p(1)
    }" y="20" font-size="14" font-weight="bold">Oplets per instruction</text>`,
    `<text x="${p(1)}" y="38" fill="#555">${
      key([["#bbb", "unfused"], ["#2a7", "fused"]])
    }</text>`,
    `<text x="${p(2)}" y="20" font-size="14" font-weight="bold">MIPS</text>`,
    `<text x="${p(2)}" y="38" fill="#555">${
      key([["#bbb", "switch"], ["#2a7", "switch fused"], ["#a4c", "paste"]])
    }</text>`,
  ];
  const x2 = p(0) + (2 / maxS) * panelW;
  out.push(
    `<line x1="${x2}" y1="${top - 6}" x2="${x2}" y2="${
      top + guests.length * rowH
    }" stroke="#c33" stroke-dasharray="4 3"/>`,
  );
  guests.forEach((g, k) => {
    const y = top + k * rowH;
    const held = g.set === "heldout";
    out.push(
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end"${
        held ? ' font-weight="bold"' : ""
      }>${esc(g.name)}${held ? "*" : ""}</text>`,
    );
    const sub = (rowH - 6) / 2, third = (rowH - 6) / 3;
    const ss = g.speedup.switch ?? 0, sc = g.speedup.call;
    out.push(
      bar(p(0), y + 3, (ss / maxS) * panelW, sub, "#36c", `${ss.toFixed(2)}x`),
    );
    if (sc !== undefined) {
      out.push(
        bar(
          p(0),
          y + 3 + sub,
          (sc / maxS) * panelW,
          sub,
          "#e93",
          `${sc.toFixed(2)}x`,
        ),
      );
    }
    const d0 = g.results["switch/unfused"].perInsn,
      d1 = g.results["switch/fused"].perInsn;
    out.push(
      bar(p(1), y + 3, (d0 / maxD) * panelW, sub, "#bbb", d0.toFixed(2)),
      bar(p(1), y + 3 + sub, (d1 / maxD) * panelW, sub, "#2a7", d1.toFixed(2)),
    );
    const m = [
      [g.results["switch/unfused"].mips, "#bbb"],
      [g.results["switch/fused"].mips, "#2a7"],
      [g.results["paste/unfused"]?.mips, "#a4c"],
    ] as const;
    m.forEach(([v, c], j) => {
      if (v !== undefined) {
        out.push(
          bar(
            p(2),
            y + 3 + j * third,
            (v / maxM) * panelW,
            third,
            c,
            v.toFixed(0),
          ),
        );
      }
    });
  });
  out.push(
    `<text x="${left}" y="${
      h - 12
    }" fill="#555">* held-out guest (not used to choose the fused oplets)</text>`,
    `</svg>`,
  );
  return out.join("\n") + "\n";
}
