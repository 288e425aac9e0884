/**
 * Presenting an {@link Analysis}: the table printed on standard output and
 * the JSON file that `@oplet/gen` reads.
 *
 * @module
 */

import type { OpletInfo } from "@oplet/emu";
import type { Analysis } from "./analyze.ts";
import { SymbolTable } from "./symbols.ts";

/** One sequence as the JSON file has it. */
export interface SequenceJson {
  /** Oplet numbers. */
  ops: number[];
  /** Oplet names. */
  names: string[];
  /** How many times it ran. */
  frequency: number;
  /** Dispatches it saves on top of the sequences before it. */
  saved: number;
  /** The guest pc of the heaviest TB containing it. */
  examplePc: number;
  /** That pc's ELF symbol, when the guest's ELF could be read. */
  exampleSymbol: string | null;
  /** Where the first TBs containing it are defined: profile index and offset. */
  offsets: { profile: number; offset: number }[];
}

/** The JSON file's content (`--json`), ranked best first. */
export interface AnalysisJson {
  /** Format version, 1. */
  version: 1;
  /** The target. */
  target: string | null;
  /** The oplet table's hash. */
  opletHash: string | null;
  /** The oplet table. */
  oplets: OpletInfo[];
  /** The profiles' paths. */
  profiles: string[];
  /** Dispatched oplets of all runs, unfused. */
  totalDispatches: number;
  /** Dispatches all the chosen sequences save together. */
  totalSaved: number;
  /** TB executions of all runs. */
  executions: number;
  /** The chosen sequences, best first. */
  sequences: SequenceJson[];
}

/** Options for {@link formatReport} and {@link analysisJson}. */
export interface ReportOptions {
  /** Rows in the table (default 20). */
  top?: number;
  /** Read symbols from this ELF instead of the guests' recorded paths. */
  elf?: string;
}

/**
 * Names the example pcs of the chosen sequences: by `elf` when given, else
 * by each run's recorded guest ELF when it can be read. Returns a lookup
 * from table shape to symbol.
 */
export async function exampleSymbols(
  analysis: Analysis,
  elf?: string,
): Promise<(shape: number) => string | null> {
  const { table } = analysis;
  const tables = new Map<string, SymbolTable | null>();
  const pathOf = (shape: number) =>
    elf ?? table.runs[table.runOf[shape]]?.guest;
  for (const s of analysis.ranking.sequences) {
    const p = s.example >= 0 ? pathOf(s.example) : undefined;
    if (p !== undefined && !tables.has(p)) {
      tables.set(p, await SymbolTable.load(p));
    }
  }
  return (shape) => {
    if (shape < 0) return null;
    const p = pathOf(shape);
    return (p !== undefined && tables.get(p)?.lookup(table.pc[shape])) || null;
  };
}

/** The full result as the JSON file has it. */
export function analysisJson(
  analysis: Analysis,
  symbol: (shape: number) => string | null = () => null,
): AnalysisJson {
  const { table, tree, ranking } = analysis;
  return {
    version: 1,
    target: table.target,
    opletHash: table.opletHash,
    oplets: table.oplets.map(({ name, params, exit }) => ({
      name,
      params,
      exit,
    })),
    profiles: [...table.profiles],
    totalDispatches: ranking.totalDispatches,
    totalSaved: ranking.saved,
    executions: table.executions,
    sequences: ranking.sequences.map((s) => ({
      ops: s.ops,
      names: s.ops.map((n) => table.oplets[n].name),
      frequency: s.frequency,
      saved: s.saved,
      examplePc: s.example >= 0 ? table.pc[s.example] : 0,
      exampleSymbol: symbol(s.example),
      offsets: Array.from(tree.nodeShapes(s.node), (sh) => ({
        profile: table.runs[table.runOf[sh]].profileIndex,
        offset: table.offset[sh],
      })),
    })),
  };
}

/** The report printed on standard output: summary, table, coverage. */
export function formatReport(
  analysis: Analysis,
  symbol: (shape: number) => string | null = () => null,
  options: ReportOptions = {},
): string {
  const { table, tree, ranking } = analysis;
  const top = options.top ?? 20;
  const total = ranking.totalDispatches;
  const pct = (x: number) =>
    total > 0 ? `${(100 * x / total).toFixed(2)}%` : "-";
  const lines: string[] = [];
  const runs = table.runs.length;
  lines.push(
    `Profiles: ${table.profiles.join(", ")} (${runs} run${
      runs === 1 ? "" : "s"
    }, target ${table.target ?? "?"}, oplet table ${table.opletHash ?? "?"})`,
    `TB executions ${table.executions}, TB definitions ${table.tbDefs}, distinct TB shapes ${table.size}, dispatched oplets ${total}`,
  );
  const o = tree.options;
  let t = `Tree: ${tree.size - 1} nodes, sequences up to ${o.maxDepth} oplets${
    o.fuseExits ? " (exit oplets may end a sequence)" : ""
  }`;
  if (tree.pruned > 0) {
    t +=
      `; --max-nodes ${o.maxNodes} pruned ${tree.pruned} nodes of frequency <= ${tree.prunedFrequency}`;
  }
  if (tree.depthCapped) t += `; --max-depth ${o.maxDepth} cut longer sequences`;
  lines.push(t, "");
  const rows = ranking.sequences.slice(0, top).map((s, k) => [
    String(k + 1),
    s.ops.map((n) => table.oplets[n].name).join(" "),
    String(s.ops.length),
    String(s.frequency),
    pct(s.frequency * s.ops.length),
    String(s.saved),
    pct(s.saved),
    s.example >= 0
      ? `0x${table.pc[s.example].toString(16).padStart(8, "0")}${
        symbol(s.example) ? " " + symbol(s.example) : ""
      }`
      : "",
  ]);
  const head = [
    "rank",
    "sequence",
    "len",
    "frequency",
    "share",
    "saved",
    "saved%",
    "example",
  ];
  const right = [true, false, true, true, true, true, true, false];
  const widths = head.map((h, c) =>
    Math.max(h.length, ...rows.map((r) => r[c].length))
  );
  const fmt = (r: string[]) =>
    r.map((v, c) =>
      c === r.length - 1
        ? v
        : right[c]
        ? v.padStart(widths[c])
        : v.padEnd(widths[c])
    ).join("  ").trimEnd();
  lines.push(fmt(head), ...rows.map(fmt), "");
  const n = Math.min(top, ranking.sequences.length);
  const topSaved = ranking.sequences.slice(0, n).reduce(
    (a, s) => a + s.saved,
    0,
  );
  if (ranking.sequences.length === 0) {
    lines.push(
      "No sequence to fuse: the profiles ran no sequence of 2 or more fusable oplets.",
    );
  } else {
    lines.push(
      `Coverage: the top ${n} save ${
        pct(topSaved)
      } of dispatched oplets; all ${ranking.sequences.length} chosen save ${
        pct(ranking.saved)
      }.`,
    );
  }
  return lines.join("\n");
}
