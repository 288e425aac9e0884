/**
 * The emulated machine: one guest process's CPU, its translation cache and
 * what the execution loop needs, with the translator's entry `tbGenCode`
 * (QEMU's `tb_gen_code`) and the cache look-up `tbFind` (QEMU's `tb_find`).
 *
 * @module
 */

import { collapseSeqs, collapseSeqsOptimal, maxSeqLength } from "./collapse.ts";
import { type Backend, createBackend, type TbBackend } from "./dispatch.ts";
import type { JitTuning } from "./backends/backend.ts";
import type { FusedSet } from "./fused.ts";
import { type OpletDef, type OpletFn, opletTableHash } from "./oplet.ts";
import type { ProfileSink } from "./profile_sink.ts";
import type { Target } from "./target.ts";
import { TranslationBlock } from "./tb.ts";
import { JMP_CACHE_SIZE, TbCache } from "./tb_cache.ts";
import { RISCV32, type RiscvCpu } from "./targets/riscv32/target.ts";

export { JMP_CACHE_SIZE };

/**
 * Guest memory in bytes when none is given: 0x40800000 (1032 MiB), the top of
 * the stack under qemu-riscv32, whose heap can grow to 0x40000000 (1023 MiB of
 * `malloc` in a static picolibc program), as it does here below the 8 MiB
 * stack. The buffer is zero-filled lazily by the host: untouched memory costs
 * nothing.
 *
 * @example
 * ```ts
 * import { DEFAULT_MEM_SIZE, Machine } from "@oplet/emu";
 * console.log(new Machine().cpu.memSize === DEFAULT_MEM_SIZE); // true
 * ```
 */
export const DEFAULT_MEM_SIZE = 0x40800000;

/** Options for a {@link Machine}. */
export interface MachineOptions {
  /** Guest memory in bytes (default {@link DEFAULT_MEM_SIZE}, 1032 MiB). */
  memSize?: number;
  /** Fused oplets to collapse into; `null` or absent runs unfused. */
  fused?: FusedSet<RiscvCpu> | null;
  /** Use the optimal (dynamic programming) covering instead of greedy. */
  optimalCover?: boolean;
  /** Where profile records go; turns profiling on (and fusion off). */
  profile?: ProfileSink | null;
  /** How blocks are run (default `jit`; see `dispatch.ts`). */
  backend?: Backend;
  /** Tuning of the `jit` backend: blocks turn hot after `hotAfter` executions; regions hold at most `maxBlocks` blocks; `guide` is a profile of an earlier run (`--profile-guided`). */
  jit?: JitTuning;
  /** The guest ISA (default riscv32; a test may pass a variant of it). */
  target?: Target<RiscvCpu>;
  /**
   * Translate through direct jumps (`jal`) instead of ending the block at
   * each (default true): longer blocks, fewer block exits. QEMU ends a block
   * at every jump; this is the one place oplet departs from it.
   */
  followJumps?: boolean;
  /** Most guest instructions in one block (default 64). */
  maxTbInsns?: number;
  /** Print each block's guest code (`in_asm`) and oplets (`op`) when translated. */
  log?: { inAsm?: boolean; op?: boolean; write?: (line: string) => void };
}

/** Counters a run keeps (`--stats`). */
export interface MachineStats {
  /** Guest instructions executed (counted per completed block). */
  insns: number;
  /** Blocks translated. */
  tbs: number;
  /**
   * Oplets run, as the interpreter dispatches them: each one a dispatch on
   * `switch` and `call`; on `paste` and in `jit`'s compiled regions none is
   * really dispatched, but each block counts its oplets, so the figure is
   * the same on every backend.
   */
  dispatched: number;
}

/** One guest process's machine: CPU state, translation cache, options. */
export class Machine {
  /** The CPU state. */
  readonly cpu: RiscvCpu;
  /** The target's name. */
  readonly target: string;
  /** Every oplet the blocks may use: the base table, then the fused ones. */
  readonly oplets: readonly OpletDef<RiscvCpu>[];
  /** The oplets' functions, indexed by oplet number. */
  readonly fns: OpletFn<RiscvCpu>[];
  /** The backend that runs blocks, chosen by `options.backend`. */
  readonly backend: TbBackend<RiscvCpu>;
  /** The translation cache. */
  readonly cache: TbCache<RiscvCpu> = new TbCache();
  /** Counters. */
  readonly stats: MachineStats = { insns: 0, tbs: 0, dispatched: 0 };
  /**
   * The guest address ranges `[start, end)` that may be executed (the ELF's
   * executable segments); empty means all mapped memory. Checked when a
   * block is translated, so a jump into data faults as on Linux.
   */
  execRanges: [number, number][] = [];
  /** Stop after this many guest instructions (checked per block). */
  insnLimit: number = Infinity;
  /** The options in force. */
  readonly options: MachineOptions;
  /** The guest ISA: its oplets, front end and what the execution loop asks of it. */
  readonly arch: Target<RiscvCpu>;
  private readonly params: number[];
  private readonly maxLen: number;
  private nextId = 0;

  /** Creates a machine with zeroed memory and an empty translation cache. */
  constructor(options: MachineOptions = {}) {
    this.options = options;
    const t = this.arch = options.target ?? RISCV32;
    this.target = t.name;
    this.cpu = t.createCpu(options.memSize ?? DEFAULT_MEM_SIZE);
    const base = t.oplets;
    const fused = options.profile ? null : options.fused ?? null;
    if (fused && fused.baseHash !== opletTableHash(base)) {
      throw new Error(
        `Fused oplets were generated for oplet table ${fused.baseHash}, but this emulator's is ${
          opletTableHash(base)
        }: regenerate them`,
      );
    }
    this.oplets = fused ? [...base, ...fused.oplets] : base;
    this.fns = this.oplets.map((o) => o.fn);
    this.backend = createBackend(options.backend ?? "jit", {
      oplets: this.oplets,
      baseCount: base.length,
      helpers: t.helpers,
      hoisted: t.hoisted,
      cpu: this.cpu,
      profiling: !!options.profile,
      jit: options.jit,
    });
    this.params = base.map((o) => o.params);
    this.fusedSet = fused;
    this.maxLen = fused ? maxSeqLength(fused.table) : 0;
  }

  /** Translated blocks by guest pc (the cache's). */
  get tbs(): Map<number, TranslationBlock<RiscvCpu>> {
    return this.cache.tbs;
  }

  /** The fused set in use, if any. */
  readonly fusedSet: FusedSet<RiscvCpu> | null;

  /**
   * Translates the block at `pc`: `genIntermediateCode`, then
   * `collapseSeqs`; records it in the profile and the log. Stands for
   * QEMU's `tb_gen_code`.
   */
  tbGenCode(pc: number): TranslationBlock<RiscvCpu> {
    const id = this.nextId++;
    const profile = this.options.profile;
    const prefix = profile ? [0, id] : []; // op_profile is oplet 0
    const g = this.arch.genIntermediateCode(this.cpu, pc, prefix, {
      maxInsns: this.options.maxTbInsns ?? 64,
      executable: this.execRanges.length ? this.executable : undefined,
      followJumps: this.options.followJumps ?? true,
    });
    let code = g.code, nops = g.nops;
    if (profile) {
      const ops: number[] = [];
      for (let i = 2; i < code.length; i += 1 + this.params[code[i]]) {
        ops.push(code[i]);
      }
      profile.defineTb(id, pc, g.icount, ops);
    }
    const base = Int32Array.from(code);
    const fused = this.fusedSet;
    if (fused && fused.table.length > 0) {
      const collapse = this.options.optimalCover
        ? collapseSeqsOptimal
        : collapseSeqs;
      const c = collapse(
        code,
        this.params,
        fused.table,
        this.arch.oplets.length,
        this.maxLen,
      );
      code = c.code;
      nops = c.nops;
    }
    const c = code === g.code ? base : Int32Array.from(code);
    const tb = new TranslationBlock(
      id,
      pc,
      g.icount,
      c,
      nops,
      this.backend.runFor(c, `tb${id}_${(pc >>> 0).toString(16)}`),
      base,
    );
    tb.heat = this.freshHeat(pc, g.icount);
    this.stats.tbs++;
    this.cache.insert(tb);
    const log = this.options.log;
    if (log && (log.inAsm || log.op)) this.logTb(tb, g.words, g.pcs);
    return tb;
  }

  /** Whether the `len` bytes at `pc` lie in an executable range. */
  private readonly executable = (pc: number, len: number): boolean => {
    const a = pc >>> 0;
    return this.execRanges.some(([lo, hi]) => a >= lo && a + len <= hi);
  };

  /** Finds the block for `pc`, translating it if needed. Stands for QEMU's `tb_find`. */
  tbFind(pc: number): TranslationBlock<RiscvCpu> {
    return this.cache.lookup(pc) ?? this.tbGenCode(pc);
  }

  /** Drops every translated block and compiled region (after the guest writes code, or to start over). */
  tbFlush(): void {
    this.cache.flush();
    this.backend.flush();
  }

  /**
   * Drops the backend's compiled code but keeps the blocks: each is
   * interpreted again until it turns hot anew (no block is translated
   * again, so the counters stay those of any backend).
   */
  dropCompiled(): void {
    for (const tb of this.cache.tbs.values()) {
      tb.compiled = null;
      tb.heat = this.freshHeat(tb.pc, tb.icount);
    }
    this.backend.flush();
  }

  /** The executions a new block at `pc` of `icount` instructions counts down before it turns hot. */
  private freshHeat(pc: number, icount: number): number {
    return this.backend.heatOf?.(pc, icount) ?? this.backend.hotAfter;
  }

  /** Formats a block's oplets, one per line, with their parameters. */
  formatOps(tb: TranslationBlock<RiscvCpu>): string[] {
    const lines: string[] = [];
    for (let i = 0; i < tb.code.length;) {
      const o = this.oplets[tb.code[i]];
      const p = Array.from(
        tb.code.subarray(i + 1, i + 1 + o.params),
        (v) =>
          v >= -4096 && v <= 4096 ? String(v) : "0x" + (v >>> 0).toString(16),
      );
      lines.push(` ${o.name}${p.length ? " " + p.join(", ") : ""}`);
      i += 1 + o.params;
    }
    return lines;
  }

  /** Prints a block's guest code and oplets as `--log` asks. */
  private logTb(
    tb: TranslationBlock<RiscvCpu>,
    words: number[],
    pcs: number[],
  ): void {
    const log = this.options.log!;
    const write = log.write ?? ((l: string) => console.error(l));
    const hex = (n: number) => (n >>> 0).toString(16).padStart(8, "0");
    const out: string[] = [];
    if (log.inAsm) {
      out.push(`IN: tb ${tb.id}`);
      words.forEach((w, k) => {
        const pc = pcs[k];
        // A compressed instruction shows its 16 bits, as qemu's in_asm does.
        const word = (w & 3) === 3
          ? hex(w)
          : (w & 0xffff).toString(16).padStart(4, "0") + "    ";
        out.push(`0x${hex(pc)}:  ${word}  ${this.arch.disassemble(w, pc)}`);
      });
      out.push("");
    }
    if (log.op) {
      out.push(
        `OP: tb ${tb.id} pc 0x${hex(tb.pc)} (${tb.nops} oplets)`,
        ...this.formatOps(tb),
        "",
      );
    }
    write(out.join("\n"));
  }
}
