/**
 * The analyzer's HTML report (`--html FILE`): one self-contained page, with
 * no script, font or fetch of any kind, that shows
 *
 * - the coverage curve: the share of dispatched oplets that fusing the
 *   first N ranked sequences saves, against N, with the chosen N marked
 *   (and the committed fused set's saving on the same profiles);
 * - the top sequences as a tree in which shared prefixes share a branch and
 *   a branch's thickness stands for its frequency;
 * - the hottest translated blocks with their guest code (re-translated from
 *   the guest's ELF, and shown only when that gives exactly the profiled
 *   oplets), symbol, and oplets unfused and fused as `collapseSeqs` covers
 *   them with the chosen sequences;
 * - one summary per run.
 *
 * Its size is bounded whatever the profile's size: every list is capped
 * (see {@link HtmlReportOptions}), long names are clipped, and the page
 * ends with what it left out. Every chart is an inline SVG with a title and
 * description, and a table with the same figures.
 *
 * @module
 */

import {
  collapseSeqs,
  compareSeqs,
  DEFAULT_FUSED,
  disassemble,
  ELF_MACHINE,
  genIntermediateCode,
  MEM_LOW,
  parseElf,
  readElfSymbols,
  RiscvCpu,
  type SeqEntry,
} from "@oplet/emu";
import type { Analysis } from "./analyze.ts";
import {
  clip,
  esc,
  htmlPage,
  htmlTable,
  num,
  writeTextAtomically,
} from "./html_page.ts";
import { barChart, lineChart, treeChart, type TreeNode } from "./svg.ts";
import { SymbolTable } from "./symbols.ts";
import type { TbTable } from "./tb_table.ts";

/** Options for {@link htmlReport}. */
export interface HtmlReportOptions {
  /**
   * How many sequences are chosen for fusion: marked on the curve and used
   * for the fused oplets. Default: the size of the committed fused set
   * (32), capped at the number ranked.
   */
  chosen?: number;
  /** Read symbols and code from this ELF instead of the runs' recorded guests. */
  elf?: string;
  /** Sequences in the tree (default 32). */
  treeSequences?: number;
  /** Hottest blocks shown (default 10). */
  hotTbs?: number;
  /** Lines of guest code and of oplets shown per block (default 64). */
  linesPerTb?: number;
  /** Runs summarised (default 40). */
  runs?: number;
  /** Points of the coverage curve at most (default 400). */
  curvePoints?: number;
}

const NAME_MAX = 40;
const PATH_MAX = 120;
const PROFILES_MAX = 20;

const hex8 = (n: number) => "0x" + (n >>> 0).toString(16).padStart(8, "0");
const pct = (x: number, total: number) =>
  total > 0 ? `${(100 * x / total).toFixed(2)}%` : "–";
const si = (n: number) =>
  n >= 1e9
    ? `${(n / 1e9).toFixed(2)} G`
    : n >= 1e6
    ? `${(n / 1e6).toFixed(2)} M`
    : n >= 1e4
    ? `${(n / 1e3).toFixed(1)} k`
    : String(n);

/** A guest ELF loaded for re-translation, or why it could not be. */
type Guest =
  | { cpu: RiscvCpu; exec: [number, number][]; symbols: SymbolTable | null }
  | { error: string };

async function loadGuest(path: string): Promise<Guest> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file (--elf names it)"
      : (e as Error).message.split("\n")[0];
    return {
      error: `cannot read the guest ELF "${clip(path, PATH_MAX)}": ${why}`,
    };
  }
  try {
    // Only the executable segments: code is all a translation reads.
    const code = parseElf(bytes, path, ELF_MACHINE).segments.filter((s) =>
      (s.flags & 1) !== 0 && s.vaddr >= MEM_LOW
    );
    if (code.length === 0) {
      return {
        error: `the guest ELF "${
          clip(path, PATH_MAX)
        }" has no executable segment`,
      };
    }
    const top = Math.max(...code.map((s) => s.vaddr + s.memsz));
    const size = Math.ceil((top + 4096) / 4096) * 4096;
    if (size > 0x40000000) {
      return {
        error: `the guest ELF "${clip(path, PATH_MAX)}" has code above 1 GiB`,
      };
    }
    const cpu = new RiscvCpu(size);
    const exec: [number, number][] = [];
    for (const s of code) {
      cpu.mu8.set(bytes.subarray(s.offset, s.offset + s.filesz), s.vaddr);
      exec.push([s.vaddr, s.vaddr + s.memsz]);
    }
    let symbols: SymbolTable | null = null;
    try {
      symbols = new SymbolTable(readElfSymbols(bytes));
    } catch {
      symbols = null;
    }
    return { cpu, exec, symbols };
  } catch (e) {
    return { error: (e as Error).message.split("\n")[0] };
  }
}

/** A block as shown: its code, and whether it came from the ELF. */
interface Retranslated {
  /** Oplet numbers interleaved with parameters. */
  code: number[];
  /** Parameters per base oplet. */
  params: number[];
  /** Guest instruction words and pcs (empty when not re-translated). */
  words: number[];
  pcs: number[];
  /** Why there is no guest code, if there is none. */
  why: string | null;
  /** How many of the block's oplets each instruction gave, or null when unknown. */
  groups: number[] | null;
}

/** The oplet numbers of code that interleaves them with parameters. */
function opsOf(code: readonly number[], params: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < code.length; i += 1 + params[code[i]]) out.push(code[i]);
  return out;
}

/**
 * How many oplets each of a block's `n` instructions gave: the block cut
 * after k instructions holds the first k instructions' oplets and then a
 * `goto_tb`. Null when a cut block does not agree with `ops` (then the page
 * does not pair instructions with oplets).
 */
function groupsOf(
  translate: (maxInsns: number) => number[],
  ops: readonly number[],
  n: number,
): number[] | null {
  const groups: number[] = [];
  let prev = 0;
  for (let k = 1; k <= n; k++) {
    let upTo = ops.length;
    if (k < n) {
      const cut = translate(k);
      upTo = cut.length - 1;
      for (let j = 0; j < upTo; j++) if (cut[j] !== ops[j]) return null;
    }
    if (upTo < prev) return null;
    groups.push(upTo - prev);
    prev = upTo;
  }
  return groups;
}

function retranslate(
  guest: Guest,
  pc: number,
  ops: Uint16Array,
  paramsOf: number[],
  sameTable: boolean,
): Retranslated {
  const plain = (why: string): Retranslated => ({
    code: Array.from(ops),
    params: ops.length ? paramsOf.map(() => 0) : [],
    words: [],
    pcs: [],
    why,
    groups: null,
  });
  if ("error" in guest) return plain(guest.error);
  if (!sameTable) {
    return plain(
      "the profile was made with another oplet table than this analyzer's emulator",
    );
  }
  const executable = (a: number) =>
    guest.exec.some(([lo, hi]) => (a >>> 0) >= lo && (a >>> 0) + 4 <= hi);
  for (const followJumps of [true, false]) {
    for (const maxInsns of [64, 1024]) {
      let g;
      try {
        g = genIntermediateCode(guest.cpu, pc, [], {
          maxInsns,
          followJumps,
          executable,
        });
      } catch {
        return plain(`pc ${hex8(pc)} is not in the ELF's executable code`);
      }
      const got = opsOf(g.code, paramsOf);
      if (got.length === ops.length && got.every((o, k) => o === ops[k])) {
        const cut = (n: number) =>
          opsOf(
            genIntermediateCode(guest.cpu, pc, [], {
              maxInsns: n,
              followJumps,
              executable,
            }).code,
            paramsOf,
          );
        return {
          code: g.code,
          params: paramsOf,
          words: g.words,
          pcs: g.pcs,
          why: null,
          groups: groupsOf(cut, got, g.words.length),
        };
      }
    }
  }
  return plain(
    `the ELF's code at ${
      hex8(pc)
    } does not translate to the profiled oplets (another build of the guest?)`,
  );
}

/**
 * The sequence table `collapseSeqs` takes for `sequences`: sorted, each
 * entry's `fused` its index in `sequences`.
 */
export function seqTable(
  sequences: readonly (readonly number[])[],
): SeqEntry[] {
  return sequences.map((seq, k) => ({ seq, fused: k })).sort((a, b) =>
    compareSeqs(a.seq, b.seq)
  );
}

/**
 * Oplets each TB shape of `table` dispatches once collapsed with `seqs` (a
 * table from {@link seqTable}; greedy longest match, as `collapseSeqs`),
 * and the dispatches of all executions together.
 */
export function fusedDispatches(
  table: TbTable,
  seqs: readonly SeqEntry[],
): { perShape: Float64Array; total: number } {
  const perShape = new Float64Array(table.size);
  const params = table.oplets.map(() => 0);
  const max = Math.max(2, ...seqs.map((e) => e.seq.length));
  let total = 0;
  for (let s = 0; s < table.size; s++) {
    const ops = Array.from(table.shapeOps(s));
    perShape[s] = seqs.length === 0
      ? ops.length
      : collapseSeqs(ops, params, seqs, table.oplets.length, max).nops;
    total += table.weight[s] * perShape[s];
  }
  return { perShape, total };
}

/** Formats one oplet with its parameters, as `--log op` does. */
function opText(name: string, ps: number[]): string {
  const p = ps.map((v) =>
    v >= -4096 && v <= 4096 ? String(v) : "0x" + (v >>> 0).toString(16)
  );
  return `${name}${p.length ? " " + p.join(", ") : ""}`;
}

/**
 * Renders the report of an analysis as one HTML page (a string). Reads the
 * runs' guest ELFs (or `options.elf`) for symbols and guest code; a guest
 * that cannot be read is named in the page instead.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { analyzeProfiles, htmlReport, writeHtmlReport } from "@oplet/analyze";
 * // Your profiles here, e.g. ["/tmp/qemu.profile"]; none gives an empty report.
 * const analysis = await analyzeProfiles([]);
 * const html = await htmlReport(analysis, { chosen: 32 });
 * const path = await Deno.makeTempFile({ suffix: ".html" });
 * await writeHtmlReport(path, html);
 * assert.match(await Deno.readTextFile(path), /<title>oplet profile report<\/title>/);
 * await Deno.remove(path);
 * ```
 */
export async function htmlReport(
  analysis: Analysis,
  options: HtmlReportOptions = {},
): Promise<string> {
  const { table, tree, ranking } = analysis;
  const names = table.oplets.map((o) => clip(o.name, NAME_MAX));
  const nameOf = (n: number) => names[n] ?? `#${n}`;
  const seqText = (ops: readonly number[]) => ops.map(nameOf).join(" ");
  const total = ranking.totalDispatches;
  const seqs = ranking.sequences;
  const committed = DEFAULT_FUSED.translateSeq.SEQ_TABLE;
  const sameTable = table.opletHash === DEFAULT_FUSED.translateSeq.BASE_HASH;
  const chosen = Math.min(options.chosen ?? committed.length, seqs.length);
  const omitted: string[] = [];

  // The chosen set as collapseSeqs takes it: sorted, each naming its rank.
  const chosenTable = seqTable(seqs.slice(0, chosen).map((s) => s.ops));
  const chosenMax = Math.max(2, ...chosenTable.map((e) => e.seq.length));
  const base = table.oplets.length;
  const { perShape: fusedLen, total: fusedTotal } = fusedDispatches(
    table,
    chosenTable,
  );
  const committedSaved = sameTable && committed.length > 0
    ? total - fusedDispatches(table, committed).total
    : null;

  const parts: string[] = [];
  const profiles = table.profiles.slice(0, PROFILES_MAX).map((p) =>
    clip(p, PATH_MAX)
  );
  if (table.profiles.length > PROFILES_MAX) {
    omitted.push(
      `${
        table.profiles.length - PROFILES_MAX
      } more profile names (all ${table.profiles.length} were analysed).`,
    );
  }
  parts.push(
    `<h1>oplet profile report</h1>`,
    `<p class="lead">${table.profiles.length} profile${
      table.profiles.length === 1 ? "" : "s"
    }: <code>${esc(profiles.join(", "))}</code>${
      table.profiles.length > PROFILES_MAX ? " …" : ""
    } · target ${esc(table.target ?? "?")} · oplet table ${
      esc(table.opletHash ?? "?")
    } · ${table.oplets.length} oplets</p>`,
  );
  const card = (label: string, value: string, id?: string) =>
    `<div class="card"${id ? ` id="${id}"` : ""}>${esc(label)}<b>${
      esc(value)
    }</b></div>`;
  const execs = table.executions;
  parts.push(
    `<div class="cards" id="summary">`,
    card("runs", String(table.runs.length)),
    card("TB executions", si(execs)),
    card("distinct TB shapes", String(table.size)),
    card("oplets dispatched, unfused", si(total)),
    card(
      `saved by the ${chosen} chosen`,
      pct(total - fusedTotal, total),
      "chosen-saving",
    ),
    card(
      "oplets per TB execution",
      execs > 0
        ? `${(total / execs).toFixed(2)} → ${(fusedTotal / execs).toFixed(2)}`
        : "–",
    ),
    `</div>`,
  );
  for (const t of analysis.truncated) {
    parts.push(
      `<p class="note">Warning: <code>${
        esc(clip(t.profile, PATH_MAX))
      }</code> is truncated at offset ${t.offset} (${
        esc(t.reason)
      }); its complete records were analysed.</p>`,
    );
  }

  // 1. Coverage curve.
  const cum: number[] = [0];
  for (const s of seqs) cum.push(cum[cum.length - 1] + s.saved);
  const maxPts = Math.max(2, options.curvePoints ?? 400);
  const stride = Math.max(1, Math.ceil(seqs.length / maxPts));
  const points: [number, number][] = [];
  for (let k = 0; k <= seqs.length; k += stride) {
    points.push([k, total > 0 ? 100 * cum[k] / total : 0]);
  }
  if (points[points.length - 1][0] !== seqs.length) {
    points.push([seqs.length, total > 0 ? 100 * cum[seqs.length] / total : 0]);
  }
  if (stride > 1) {
    omitted.push(
      `The coverage curve draws every ${stride}th of the ${seqs.length} ranked sequences.`,
    );
  }
  const at = (k: number) => total > 0 ? 100 * cum[k] / total : 0;
  const marks = [{
    x: chosen,
    y: at(chosen),
    label: `${chosen} chosen: ${at(chosen).toFixed(1)}%`,
  }];
  if (committedSaved !== null && total > 0) {
    marks.push({
      x: committed.length,
      y: 100 * committedSaved / total,
      label: "",
    });
  }
  const committedNote = committedSaved === null
    ? sameTable
      ? "The emulator has no committed fused set."
      : "The committed fused set was made for another oplet table, so its saving is not shown."
    : `The committed set of ${committed.length} fused oplets (from the training guests) saves ${
      pct(committedSaved, total)
    } on these profiles (the green dot).`;
  parts.push(
    `<h2 id="coverage-heading">Coverage: dispatches saved against fused oplets</h2>`,
    `<p class="note">Fusing the first N ranked sequences saves this share of the ${
      si(total)
    } dispatched oplets, covering each block as <code>collapseSeqs</code> does (longest match first). ${seqs.length} sequences were ranked; ${chosen} are chosen. ${
      esc(committedNote)
    }</p>`,
    lineChart({
      id: "coverage",
      title: "Share of oplet dispatches saved by the first N fused oplets",
      desc: seqs.length === 0
        ? "No sequence was ranked: the curve is empty."
        : `Rises from 0% to ${
          at(seqs.length).toFixed(1)
        }% at ${seqs.length} fused oplets; the first ${chosen} save ${
          at(chosen).toFixed(1)
        }%${
          chosen !== 8 && seqs.length > 8
            ? `, the first 8 save ${at(8).toFixed(1)}%`
            : ""
        }.${
          committedSaved !== null
            ? ` The committed set of ${committed.length} saves ${
              pct(committedSaved, total)
            }.`
            : ""
        }`,
      series: [{ name: "ranked sequences", points }],
      marks: marks.map((m, k) => ({
        ...m,
        color: k === 0 ? "#cc3333" : "#22aa77",
        dotOnly: k > 0,
      })),
      xLabel: "fused oplets (sequences chosen, best first)",
      yLabel: "dispatches saved",
      yMax: 100,
      xMax: Math.max(1, seqs.length),
      yFormat: (v) => `${v}%`,
    }),
  );
  const curveRows: number[] = [];
  for (let k = 1; k <= seqs.length; k *= 2) curveRows.push(k);
  for (const k of [chosen, seqs.length]) {
    if (k > 0 && !curveRows.includes(k)) curveRows.push(k);
  }
  curveRows.sort((a, b) => a - b);
  parts.push(
    `<details><summary>Table: the curve at powers of two and the chosen count</summary>`,
    htmlTable(
      ["fused oplets", "dispatches saved", "saved", "oplets per TB execution"],
      curveRows.map((k) => [
        k,
        cum[k],
        pct(cum[k], total),
        execs > 0 ? ((total - cum[k]) / execs).toFixed(2) : "–",
      ]),
      { id: "coverage-table", caption: "Coverage at N fused oplets" },
    ),
    `</details>`,
  );

  const guests = new Map<string, Guest>();
  const guestOf = async (s: number): Promise<Guest> => {
    const path = options.elf ?? table.runs[table.runOf[s]]?.guest;
    if (path === undefined) {
      return { error: "the profile names no guest for this block" };
    }
    if (!guests.has(path)) guests.set(path, await loadGuest(path));
    return guests.get(path)!;
  };
  const symbolOf = async (s: number): Promise<string | null> => {
    const g = await guestOf(s);
    return "error" in g ? null : g.symbols?.lookup(table.pc[s]) ?? null;
  };

  // 2. The top sequences as a tree of shared prefixes.
  const nTree = Math.min(options.treeSequences ?? 32, seqs.length);
  const nodes: TreeNode[] = [];
  const nodeIndex = new Map<number, number>(); // tree node -> index in nodes
  const rankOf = new Map<number, number>();
  seqs.forEach((s, k) => rankOf.set(s.node, k));
  const addNode = (tn: number): number => {
    const known = nodeIndex.get(tn);
    if (known !== undefined) return known;
    const p = tree.parent[tn];
    const parent = p > 0 ? addNode(p) : -1;
    const r = rankOf.get(tn);
    const shown = r !== undefined && r < nTree;
    const prefix = tree.sequence(tn);
    const idx = nodes.length;
    nodes.push({
      parent,
      label: nameOf(tree.op[tn]),
      value: tree.frequency[tn],
      fill: !shown ? "#9aa3ad" : r! < chosen ? "#1b7a3e" : "#3366cc",
      tag: shown ? `#${r! + 1}` : undefined,
      tooltip: `${seqText(prefix)}: ran ${num(tree.frequency[tn])} times${
        shown
          ? `; ranked #${r! + 1}, saves ${pct(seqs[r!].saved, total)}${
            r! < chosen ? " (chosen)" : ""
          }`
          : ""
      }`,
    });
    nodeIndex.set(tn, idx);
    return idx;
  };
  for (let k = 0; k < nTree; k++) addNode(seqs[k].node);
  if (seqs.length > nTree) {
    omitted.push(
      `The tree and its table show the top ${nTree} of ${seqs.length} ranked sequences.`,
    );
  }
  const roots = nodes.filter((n) => n.parent < 0);
  const examples: string[] = [];
  for (const s of seqs.slice(0, nTree)) {
    const sym = s.example >= 0 ? await symbolOf(s.example) : null;
    examples.push(
      s.example >= 0
        ? `${hex8(table.pc[s.example])}${sym ? " " + clip(sym, 40) : ""}`
        : "",
    );
  }
  parts.push(
    `<h2 id="tree-heading">The top ${nTree} sequences as a tree of shared prefixes</h2>`,
    `<p class="note">Read left to right: each column is one more oplet, a box's height stands for how many times its prefix ran, and sequences that start alike share boxes. Green: ranked and chosen; blue: ranked, not chosen; grey: a prefix only. Hover a box for its figures.</p>`,
    treeChart({
      id: "seq-tree",
      title: `The top ${nTree} ranked oplet sequences as a prefix tree`,
      desc: nTree === 0
        ? "No sequence was ranked."
        : `${roots.length} first oplet${
          roots.length === 1 ? "" : "s"
        } start the top ${nTree} sequences: ${
          roots.slice(0, 6).map((n) => `${n.label} (ran ${si(n.value)} times)`)
            .join(", ")
        }. The best sequence is ${seqText(seqs[0].ops)}, which saves ${
          pct(seqs[0].saved, total)
        } of dispatches. The table below lists them all.`,
      nodes,
      height: Math.max(160, Math.min(620, 40 + nTree * 16)),
    }),
    htmlTable(
      [
        "rank",
        "sequence",
        "len",
        "frequency",
        "saved",
        "saved%",
        "example",
      ],
      seqs.slice(0, nTree).map((s, k) => [
        { html: k < chosen ? `<b>${k + 1}</b>` : String(k + 1) },
        { html: `<code>${esc(seqText(s.ops))}</code>` },
        s.ops.length,
        s.frequency,
        s.saved,
        pct(s.saved, total),
        examples[k],
      ]),
      {
        id: "sequence-table",
        caption: `The top ${nTree} sequences (bold: chosen)`,
      },
    ),
  );

  // 3. The hottest blocks.
  const nHot = options.hotTbs ?? 10;
  const lineMax = options.linesPerTb ?? 64;
  const executed: number[] = [];
  for (let s = 0; s < table.size; s++) {
    if (table.weight[s] > 0) executed.push(s);
  }
  const dispatchesOf = (s: number) => table.weight[s] * table.length[s];
  executed.sort((a, b) => dispatchesOf(b) - dispatchesOf(a) || a - b);
  const hot = executed.slice(0, nHot);
  if (executed.length > hot.length) {
    omitted.push(
      `The ${hot.length} hottest of ${executed.length} executed TB shapes are shown; the rest are in the totals.`,
    );
  }
  const paramsOf = table.oplets.map((o) => o.params);
  const fusedRank = (op: number) => op - base;
  parts.push(
    `<h2 id="hot-heading">The ${hot.length} hottest translated blocks</h2>`,
    `<p class="note">By oplets dispatched (executions × oplets). A shape is an oplet sequence; blocks at other pcs with the same oplets count with it, and the guest code shown is its first block's, translated again from the guest's ELF. Fused: as <code>collapseSeqs</code> covers it with the ${chosen} chosen sequences (<span class="fused">green</span>, with their rank).</p>`,
  );
  let cut = 0;
  for (const [k, s] of hot.entries()) {
    const run = table.runs[table.runOf[s]];
    const guest = await guestOf(s);
    const pc = table.pc[s];
    const ops = table.shapeOps(s);
    const rt = retranslate(guest, pc, ops, paramsOf, sameTable);
    const sym = "error" in guest ? null : guest.symbols?.lookup(pc) ?? null;
    const unfused: string[] = [];
    for (let i = 0; i < rt.code.length; i += 1 + rt.params[rt.code[i]]) {
      const op = rt.code[i];
      unfused.push(
        esc(opText(
          nameOf(op),
          rt.code.slice(i + 1, i + 1 + rt.params[op]),
        )),
      );
    }
    const c = collapseSeqs(rt.code, rt.params, chosenTable, base, chosenMax);
    const fused: string[] = [];
    for (let i = 0; i < c.code.length;) {
      const op = c.code[i];
      if (op >= base) {
        const r = fusedRank(op);
        const seq = seqs[r].ops;
        const np = seq.reduce((a, o) => a + rt.params[o], 0);
        fused.push(
          `<span class="fused">#${r + 1} ${
            esc(
              opText(
                seq.map(nameOf).join("+"),
                c.code.slice(i + 1, i + 1 + np),
              ),
            )
          }</span>`,
        );
        i += 1 + np;
      } else {
        fused.push(
          esc(opText(nameOf(op), c.code.slice(i + 1, i + 1 + rt.params[op]))),
        );
        i += 1 + rt.params[op];
      }
    }
    const asm = rt.words.map((w, j) =>
      esc(
        `${hex8(rt.pcs[j]).slice(2)}  ${
          (w >>> 0).toString(16).padStart(8, "0")
        }  ${disassemble(w, rt.pcs[j])}`,
      )
    );
    // Each instruction beside the oplets it gave, when that is known.
    let paired = "";
    if (rt.groups && !rt.why) {
      const rows: string[] = [];
      let at = 0;
      for (const [j, n] of rt.groups.entries()) {
        if (j === lineMax) {
          cut++;
          rows.push(
            `<tr><td colspan="2">… ${
              rt.groups.length - lineMax
            } more instructions</td></tr>`,
          );
          break;
        }
        rows.push(
          `<tr><td>${asm[j]}</td><td>${
            unfused.slice(at, at + n).join("<br>")
          }</td></tr>`,
        );
        at += n;
      }
      paired =
        `<table class="asm mono"><thead><tr><th scope="col">guest code (${rt.words.length} instructions)</th><th scope="col">oplets, unfused (${unfused.length})</th></tr></thead><tbody>${
          rows.join("")
        }</tbody></table>`;
    }
    const lines = (xs: string[]) => {
      if (xs.length <= lineMax) return xs.join("\n");
      cut++;
      return xs.slice(0, lineMax).join("\n") +
        `\n… ${xs.length - lineMax} more lines`;
    };
    parts.push(
      `<section class="tb" id="tb-${k + 1}">`,
      `<h3>#${k + 1} <code>${hex8(pc)}</code>${
        sym ? ` <code>${esc(clip(sym, 80))}</code>` : ""
      } — ${num(table.weight[s])} executions, ${ops.length} → ${
        fusedLen[s]
      } oplets, ${pct(dispatchesOf(s), total)} of dispatches</h3>`,
      `<p class="note">run ${table.runOf[s]}: <code>${
        esc(
          clip(
            run ? [run.guest, ...run.argv.slice(1)].join(" ") : "?",
            PATH_MAX,
          ),
        )
      }</code></p>`,
      paired
        ? `<div class="cols2"><div>${paired}</div>`
        : `<div class="cols"><div><h4>guest code (${rt.words.length} instructions)</h4>${
          rt.why
            ? `<p class="note">No guest code: ${esc(rt.why)}.</p>`
            : `<pre class="asm">${lines(asm)}</pre>`
        }</div><div><h4>oplets, unfused (${unfused.length})</h4><pre>${
          lines(unfused)
        }</pre></div>`,
      `<div><h4>oplets, fused (${fused.length})</h4><pre>${
        lines(fused)
      }</pre></div>`,
      `</div>`,
      `</section>`,
    );
  }
  if (cut > 0) {
    omitted.push(
      `${cut} columns of the hottest blocks were cut at ${lineMax} lines.`,
    );
  }
  if (hot.length === 0) {
    parts.push(`<p class="note">No block ran.</p>`);
  }

  // 4. One summary per run.
  const nRuns = Math.min(options.runs ?? 40, table.runs.length);
  const runRows = table.runs.slice(0, nRuns).map((r, k) => {
    const st = table.runStats[k];
    let d = 0, f = 0;
    if (st) {
      st.shapes.forEach((s, j) => {
        d += st.counts[j] * table.length[s];
        f += st.counts[j] * fusedLen[s];
      });
    }
    return { r, st, d, f };
  });
  if (table.runs.length > nRuns) {
    omitted.push(
      `${
        table.runs.length - nRuns
      } more runs are counted in the totals but not listed.`,
    );
  }
  const runName = (r: typeof table.runs[number]) => {
    const base = r.guest.split("/").pop() ?? r.guest;
    return clip(
      [base.replace(/\.elf$/, ""), ...r.argv.slice(1)].join(" "),
      24,
    );
  };
  parts.push(
    `<h2 id="runs-heading">Runs</h2>`,
    `<p class="note">Each run's oplets per TB execution, unfused and fused with the ${chosen} chosen sequences.</p>`,
    barChart({
      id: "runs-chart",
      title: "Oplets dispatched per TB execution, per run, unfused and fused",
      desc: runRows.length === 0
        ? "No run."
        : runRows.map(({ r, st, d, f }) =>
          `${runName(r)}: ${
            st && st.executions ? (d / st.executions).toFixed(2) : "–"
          } unfused, ${
            st && st.executions ? (f / st.executions).toFixed(2) : "–"
          } fused`
        ).join("; ") + ".",
      groups: runRows.map(({ r }) => runName(r)),
      series: [
        {
          name: "unfused",
          color: "#9aa3ad",
          values: runRows.map(({ st, d }) =>
            st && st.executions ? d / st.executions : null
          ),
        },
        {
          name: `fused (${chosen} chosen)`,
          color: "#1b7a3e",
          values: runRows.map(({ st, f }) =>
            st && st.executions ? f / st.executions : null
          ),
        },
      ],
    }),
    htmlTable(
      [
        "run",
        "profile",
        "guest and arguments",
        "TBs defined",
        "TB executions",
        "oplets unfused",
        "oplets fused",
        "saved",
      ],
      runRows.map(({ r, st, d, f }, k) => [
        k,
        clip(r.profile, 40),
        {
          html: `<code>${
            esc(clip([r.guest, ...r.argv.slice(1)].join(" "), PATH_MAX))
          }</code>`,
        },
        st?.tbs ?? 0,
        st?.executions ?? 0,
        d,
        f,
        pct(d - f, d),
      ]),
      { id: "runs-table", caption: "One row per run" },
    ),
  );

  // 5. What was left out.
  parts.push(
    `<h2 id="omitted-heading">What this report leaves out</h2>`,
    `<ul class="omitted" id="omitted">`,
    ...(omitted.length
      ? omitted.map((o) => `<li>${esc(o)}</li>`)
      : [`<li>Nothing: every run, sequence and block fits.</li>`]),
    `<li>Names longer than ${NAME_MAX} characters and paths longer than ${PATH_MAX} are shortened.</li>`,
    `</ul>`,
    `<p class="note">Written by <code>oplet-analyze --html</code>. The tree holds ${
      tree.size - 1
    } nodes${
      tree.pruned > 0
        ? `; --max-nodes pruned ${tree.pruned} of frequency at most ${tree.prunedFrequency}`
        : ""
    }.</p>`,
  );
  return htmlPage("oplet profile report", parts.join("\n"));
}

/** Writes a report atomically (through a temporary file and a rename). */
export async function writeHtmlReport(
  path: string,
  html: string,
): Promise<void> {
  await writeTextAtomically(path, html, "HTML file");
}
