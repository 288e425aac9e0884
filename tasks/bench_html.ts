/**
 * The bench results as one self-contained HTML page (inline SVG, no script,
 * no fetch): MIPS per backend per guest, the fused speed-up per backend,
 * each backend's time against qemu-riscv32's, dispatches per instruction,
 * profiling overhead, and the fused-set size sweep where one was measured.
 * Every chart has a title, a description and a table with its figures.
 *
 * It reads nothing but the results JSON (`bench/results/latest.json`), and
 * takes whatever backends it names: a result key `BACKEND/unfused`,
 * `BACKEND/fused` or `BACKEND/profile` adds a backend (`qemu` is the native
 * reference). `deno task bench` writes the page; to write it again from the
 * JSON alone:
 *
 * ```sh
 * deno task bench-report [--in bench/results/latest.json] [--out bench/results/report.html]
 * ```
 *
 * @module
 */

import {
  clip,
  esc,
  htmlPage,
  htmlTable,
  num,
  writeTextAtomically,
} from "../analyze/html_page.ts";
import { barChart, lineChart, PALETTE } from "../analyze/svg.ts";

/** One configuration's medians. */
export interface BenchFigures {
  /** Wall time in ms. */
  ms: number;
  /** Guest instructions per µs. */
  mips: number;
  /** Oplets dispatched per guest instruction (0 for qemu). */
  perInsn: number;
}

/** One guest's results, as `latest.json` has them. */
export interface BenchGuest {
  /** Its name. */
  name: string;
  /** "train" or "heldout". */
  set: string;
  /** Its arguments. */
  args?: string[];
  /** Guest instructions. */
  insns: number;
  /** Medians per configuration key (`switch/unfused`, `paste/fused`, `qemu`, …). */
  results: Record<string, BenchFigures>;
  /** Profiling overhead on switch, as a fraction. */
  profileOverhead?: number;
}

/** One measured point of a fused-set size sweep. */
export interface SweepPoint {
  /** Fused oplets in the set. */
  count: number;
  /** Guest instructions per µs. */
  mips: number;
  /** Oplets dispatched per guest instruction. */
  perInsn: number;
}

/** A fused-set size sweep of one guest on one backend. */
export interface Sweep {
  /** The guest. */
  guest: string;
  /** The backend. */
  backend: string;
  /** The points, by count. */
  points: SweepPoint[];
}

/** The results file. */
export interface BenchJson {
  /** The command that measured them. */
  command?: string;
  /** When (ISO). */
  date?: string;
  /** Deno's version. */
  deno?: string;
  /** Repetitions per configuration. */
  reps?: number;
  /** Fused oplets in the set used. */
  fusedOplets?: number;
  /** Per guest. */
  guests: BenchGuest[];
  /** Size sweeps, where measured. */
  sweep?: Sweep[];
}

/** The results' key of `jit` timed as a whole process of the command line. */
export const JIT_PROCESS = "jit process";

const MAX_GUESTS = 60;
const MAX_BACKENDS = 8;

/**
 * The backends the results name (keys `BACKEND/VARIANT`), in order of first
 * appearance; `qemu`, `jit process` and the user builds (`user/BACKEND/…`)
 * are not backends.
 */
export function backendsOf(guests: readonly BenchGuest[]): string[] {
  const out: string[] = [];
  for (const g of guests) {
    for (const key of Object.keys(g.results)) {
      const parts = key.split("/");
      const b = parts[0];
      if (parts.length === 2 && b !== "qemu" && !out.includes(b)) out.push(b);
    }
  }
  return out;
}

/** A lighter shade of a `#rrggbb` colour. */
function light(c: string): string {
  const v = parseInt(c.slice(1), 16);
  const mix = (x: number) => Math.round(x + (255 - x) * 0.55);
  const r = mix(v >> 16), g = mix((v >> 8) & 255), b = mix(v & 255);
  return "#" + ((r << 16) | (g << 8) | b).toString(16).padStart(6, "0");
}

/** Checks that `data` looks like a results file; throws one line if not. */
export function checkBenchJson(data: unknown, file: string): BenchJson {
  const d = data as BenchJson;
  if (typeof d !== "object" || d === null || !Array.isArray(d.guests)) {
    throw new Error(`${file}: expected a JSON object with a "guests" array`);
  }
  d.guests.forEach((g, k) => {
    if (
      typeof g?.name !== "string" || typeof g.results !== "object" ||
      g.results === null || typeof g.insns !== "number"
    ) {
      throw new Error(
        `${file}: guests[${k}] needs "name", "insns" and "results"`,
      );
    }
  });
  return d;
}

/** Renders the page. */
export function renderBenchHtml(json: BenchJson): string {
  const omitted: string[] = [];
  const guests = json.guests.slice(0, MAX_GUESTS);
  if (json.guests.length > guests.length) {
    omitted.push(`${json.guests.length - guests.length} more guests.`);
  }
  let backends = backendsOf(guests);
  if (backends.length > MAX_BACKENDS) {
    omitted.push(
      `${backends.length - MAX_BACKENDS} more backends: ${
        backends.slice(MAX_BACKENDS).join(", ")
      }.`,
    );
    backends = backends.slice(0, MAX_BACKENDS);
  }
  const color = (k: number) => PALETTE[k % PALETTE.length];
  const fig = (g: BenchGuest, key: string) => g.results[key];
  const mips = (g: BenchGuest, key: string) => fig(g, key)?.mips ?? null;
  const speedup = (g: BenchGuest, b: string) => {
    const u = fig(g, `${b}/unfused`), f = fig(g, `${b}/fused`);
    return u && f && f.ms > 0 ? u.ms / f.ms : null;
  };
  const qemuRatio = (g: BenchGuest, key: string) => {
    const q = fig(g, "qemu"), r = fig(g, key);
    return q && r && q.ms > 0 ? r.ms / q.ms : null;
  };
  const hasQemu = guests.some((g) => g.results.qemu);
  const hasProcess = guests.some((g) => g.results[JIT_PROCESS]);
  const names = guests.map((g) => `${g.name}${g.set === "heldout" ? "*" : ""}`);
  const bold = guests.map((g) => g.set === "heldout");
  const heldNote =
    "* held-out guest (played no part in choosing the fused oplets)";
  const range = (xs: (number | null)[], d = 2, unit = "x") => {
    const v = xs.filter((x): x is number => x !== null);
    return v.length
      ? `${Math.min(...v).toFixed(d)}–${Math.max(...v).toFixed(d)}${unit}`
      : "not measured";
  };
  const fx = (v: number) => `${v.toFixed(2)}x`;
  const parts: string[] = [];
  parts.push(
    `<h1>oplet benchmark results</h1>`,
    `<p class="lead">${
      json.command ? `<code>${esc(clip(json.command, 120))}</code>` : "bench"
    }${json.date ? ` · ${esc(json.date)}` : ""}${
      json.deno ? ` · Deno ${esc(json.deno)}` : ""
    }${json.reps ? ` · ${json.reps} repetitions, medians` : ""}${
      json.fusedOplets !== undefined
        ? ` · ${json.fusedOplets} fused oplets`
        : ""
    } · backends: ${esc(backends.join(", ") || "none")}${
      hasQemu ? " · qemu-riscv32 as the native reference" : ""
    }</p>`,
  );
  parts.push(`<div class="cards" id="summary">`);
  for (const b of backends) {
    parts.push(
      `<div class="card">${esc(b)}: fused speed-up<b>${
        esc(range(guests.map((g) => speedup(g, b))))
      }</b></div>`,
    );
  }
  parts.push(`</div>`);

  // MIPS per backend per guest.
  const mipsSeries = backends.flatMap((b, k) => [
    {
      name: `${b} unfused`,
      color: light(color(k)),
      values: guests.map((g) => mips(g, `${b}/unfused`)),
    },
    {
      name: `${b} fused`,
      color: color(k),
      values: guests.map((g) => mips(g, `${b}/fused`)),
    },
  ]);
  parts.push(
    `<h2 id="mips-heading">Speed: MIPS per backend and guest</h2>`,
    barChart({
      id: "mips-chart",
      title: "Guest MIPS per backend, unfused and fused",
      desc: backends.map((b) =>
        `${b}: ${
          range(guests.map((g) => mips(g, `${b}/unfused`)), 0, "")
        } MIPS unfused, ${
          range(guests.map((g) => mips(g, `${b}/fused`)), 0, "")
        } fused`
      ).join("; ") + ". The table below has every figure.",
      groups: names,
      bold,
      series: mipsSeries,
      format: (v) =>
        v.toFixed(0),
      note: heldNote,
    }),
  );
  // Fused speed-up.
  parts.push(
    `<h2 id="speedup-heading">Fused speed-up per backend</h2>`,
    `<p class="note">Unfused time over fused time on the same backend; the dashed line is 1x (no gain).</p>`,
    barChart({
      id: "speedup-chart",
      title: "Fused speed-up per backend and guest",
      desc: backends.map((b) =>
        `${b}: ${range(guests.map((g) => speedup(g, b)))}`
      ).join("; ") + ".",
      groups: names,
      bold,
      series: backends.map((b, k) => ({
        name: b,
        color: color(k),
        values: guests.map((g) => speedup(g, b)),
      })),
      format: fx,
      ref: 1,
      refLabel: "1x",
      note: heldNote,
    }),
  );
  // Against qemu.
  if (hasQemu) {
    // Each backend fused, and jit as a whole process when the results have it.
    const vsQemu = [
      ...backends.map((b) => ({
        label: b,
        name: `${b} fused`,
        key: `${b}/fused`,
      })),
      ...(hasProcess
        ? [{
          label: "jit, whole process",
          name: "jit, whole process",
          key: JIT_PROCESS,
        }]
        : []),
    ];
    parts.push(
      `<h2 id="qemu-heading">Against qemu-riscv32</h2>`,
      `<p class="note">Each backend's fused time over qemu-riscv32's wall time on the same ELF (qemu's includes its start-up): how many times slower than the native translator. A backend's time is that of the machine and the run inside a fresh process${
        hasProcess
          ? "; \"jit, whole process\" is the command line's whole process (`deno run -A emu/mod.ts`), Deno's start included, as qemu's is"
          : ""
      }.</p>`,
      barChart({
        id: "qemu-chart",
        title: "Time relative to qemu-riscv32, fused, per backend",
        desc: vsQemu.map(({ label, key }) =>
          `${label}: ${
            range(guests.map((g) => qemuRatio(g, key)), 1)
          }`
        ).join("; ") + " of qemu-riscv32's time.",
        groups: names,
        bold,
        series: vsQemu.map(({ name, key }, k) => ({
          name,
          color: color(k),
          values: guests.map((g) => qemuRatio(g, key)),
        })),
        format: (v) => `${v.toFixed(1)}x`,
        ref: 1,
        refLabel: "qemu",
        note: heldNote,
      }),
    );
  } else {
    parts.push(
      `<h2 id="qemu-heading">Against qemu-riscv32</h2>`,
      `<p class="note">Not measured: qemu-riscv32 was not installed when the bench ran.</p>`,
    );
  }
  // Dispatches per instruction.
  const perInsnOf = (g: BenchGuest, v: string) => {
    for (const b of backends) {
      const f = fig(g, `${b}/${v}`);
      if (f && f.perInsn > 0) return f.perInsn;
    }
    return null;
  };
  parts.push(
    `<h2 id="dispatch-heading">Oplets dispatched per guest instruction</h2>`,
    barChart({
      id: "dispatch-chart",
      title: "Oplets per guest instruction, unfused and fused",
      desc: `Unfused ${
        range(guests.map((g) => perInsnOf(g, "unfused")), 2, "")
      }, fused ${
        range(guests.map((g) => perInsnOf(g, "fused")), 2, "")
      } oplets per instruction.`,
      groups: names,
      bold,
      series: [
        {
          name: "unfused",
          color: "#9aa3ad",
          values: guests.map((g) => perInsnOf(g, "unfused")),
        },
        {
          name: "fused",
          color: "#1b7a3e",
          values: guests.map((g) => perInsnOf(g, "fused")),
        },
      ],
      note: heldNote,
    }),
  );
  // Sweeps.
  const sweeps = (json.sweep ?? []).filter((s) =>
    Array.isArray(s.points) && s.points.length > 0
  ).slice(0, 12);
  parts.push(`<h2 id="sweep-heading">Fused-set size</h2>`);
  if (sweeps.length === 0) {
    parts.push(
      `<p class="note">No size sweep in these results (<code>deno task bench --sweep 32,64,128,256</code> measures one).</p>`,
    );
  } else {
    const label = (s: Sweep) => `${s.guest} on ${s.backend}`;
    const maxCount = Math.max(
      ...sweeps.flatMap((s) => s.points.map((p) => p.count)),
    );
    parts.push(
      `<p class="note">Sets of the first N ranked sequences of the training profile; each point is a fresh process.</p>`,
      lineChart({
        id: "sweep-chart",
        title: "MIPS against the number of fused oplets",
        desc: sweeps.map((s) =>
          `${label(s)}: ${
            s.points.map((p) => `${p.count} → ${p.mips.toFixed(0)} MIPS`).join(
              ", ",
            )
          }`
        ).join("; ") + ".",
        series: sweeps.map((s) => ({
          name: label(s),
          points: s.points.map((p) =>
            [p.count, p.mips] as const
          ),
        })),
        xLabel: "fused oplets in the set",
        yLabel: "MIPS",
        xMax: maxCount,
      }),
      htmlTable(
        ["guest", "backend", "fused oplets", "MIPS", "oplets/insn"],
        sweeps.flatMap((s) =>
          s.points.map((p) => [s.guest, s.backend, p.count, p.mips, p.perInsn])
        ),
        { id: "sweep-table", caption: "Size sweep" },
      ),
    );
  }

  // The table behind the charts.
  const head = ["guest", "set", "Minsns"];
  for (const b of backends) {
    head.push(`${b} unfused MIPS`, `${b} fused MIPS`, `${b} speed-up`);
  }
  if (hasQemu) {
    head.push("qemu ms", ...backends.map((b) => `${b} fused ÷ qemu`));
  }
  head.push("oplets/insn unfused → fused", "profiling overhead");
  const cell = (v: number | null, d = 0) => v === null ? "–" : v.toFixed(d);
  const rows = guests.map((g) => {
    const r: (string | number)[] = [g.name, g.set, cell(g.insns / 1e6)];
    for (const b of backends) {
      r.push(
        cell(mips(g, `${b}/unfused`)),
        cell(mips(g, `${b}/fused`)),
        speedup(g, b) === null ? "–" : fx(speedup(g, b)!),
      );
    }
    if (hasQemu) {
      r.push(
        g.results.qemu ? cell(g.results.qemu.ms) : "–",
        ...backends.map((b) => {
          const q = qemuRatio(g, `${b}/fused`);
          return q === null ? "–" : `${q.toFixed(1)}x`;
        }),
      );
    }
    const u = perInsnOf(g, "unfused"), f = perInsnOf(g, "fused");
    r.push(
      `${cell(u, 2)} → ${cell(f, 2)}`,
      g.profileOverhead === undefined
        ? "–"
        : `${(100 * g.profileOverhead).toFixed(1)}%`,
    );
    return r;
  });
  parts.push(
    `<h2 id="table-heading">All figures</h2>`,
    htmlTable(head, rows, {
      id: "bench-table",
      caption: "Medians per guest (MIPS = guest instructions per µs)",
    }),
    `<h2 id="omitted-heading">What this page leaves out</h2>`,
    `<ul class="omitted" id="omitted">`,
    ...(omitted.length
      ? omitted.map((o) => `<li>${esc(o)}</li>`)
      : [`<li>Nothing: every guest and backend of the results is shown.</li>`]),
    `</ul>`,
    `<p class="note">Written by <code>deno task bench</code> (or <code>deno task bench-report</code>) from the results JSON. ${
      num(guests.length)
    } guest${guests.length === 1 ? "" : "s"}.</p>`,
  );
  return htmlPage("oplet benchmark results", parts.join("\n"));
}

/** Reads a results file and writes its page atomically. */
export async function writeBenchHtml(
  input: string,
  output: string,
): Promise<void> {
  let text: string;
  try {
    text = await Deno.readTextFile(input);
  } catch (e) {
    throw new Error(
      `Cannot read bench results "${input}": ${
        e instanceof Deno.errors.NotFound
          ? "no such file"
          : (e as Error).message.split("\n")[0]
      }`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new Error(
      `${input}: not JSON (${(e as Error).message.split("\n")[0]})`,
    );
  }
  await writeTextAtomically(
    output,
    renderBenchHtml(checkBenchJson(data, input)),
    "HTML file",
  );
}

if (import.meta.main) {
  const { taskArgs } = await import("./task_args.ts");
  const USAGE =
    `Usage: oplet-bench-report (deno task bench-report) [--in FILE] [--out FILE]

Writes the bench results page from the results JSON alone, without running
the bench.

  --in FILE    the results (default bench/results/latest.json)
  --out FILE   the page (default report.html beside the results)`;
  const v = taskArgs("bench-report", USAGE, Deno.args, {
    in: { type: "string" },
    out: { type: "string" },
  });
  const input = (v.in as string | undefined) ??
    new URL("../bench/results/latest.json", import.meta.url).pathname;
  const output = (v.out as string | undefined) ??
    input.replace(/[^/]*$/, "report.html");
  try {
    await writeBenchHtml(input, output);
    console.error(`oplet-bench-report: wrote ${output}`);
  } catch (e) {
    console.error(`oplet-bench-report: ${(e as Error).message}`);
    Deno.exit(1);
  }
}
