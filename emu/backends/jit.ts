/**
 * The `jit` backend: blocks start in the fused `call` interpreter; a
 * block executed {@link JitOptions.hotAfter} times becomes the entry of a
 * region, the blocks reachable from it through the chain links the
 * interpreter has made, compiled to one WebAssembly function
 * (`jit_compile.ts`). Regions chain to each other through a shared table:
 * a region's exit to another region's entry is a tail call, and only cold
 * or unknown targets, system calls, faults and the instruction budget
 * return to the execution loop.
 *
 * `--stats` counts stay those of the interpreter: compiled code counts each
 * block's instructions and the oplets the fused interpreter would have
 * dispatched for it, so `dispatched` means the same on every backend (on
 * `paste` and in compiled regions no oplet is actually dispatched). While
 * profiling, every block is interpreted (the profiling oplet must run).
 *
 * Start-up costs what `call`'s does: the `call` dispatcher needs no oplet
 * read, and the compiler is built when the first block turns hot; it reads
 * (parses and checks) an oplet only when a block that uses it turns hot,
 * so the rules hold for every oplet that runs compiled. `call`, not `switch`, is the interpreter tier:
 * building the `switch` dispatcher reads and prints every oplet, and V8
 * takes long to optimise its one large function, which on short runs cost
 * more than its faster dispatch saved (measured with each choice on the
 * held-out guests at test size, fft and nbody included).
 *
 * @module
 */

import { EXIT_GOTO0 } from "../oplet.ts";
import { readOplet, TEMPS } from "../oplet_rules.ts";
import { stateFieldsOf } from "../oplet_source.ts";
import type { ProfileGuide } from "../profile_guide.ts";
import type { CpuState } from "../target.ts";
import type { CompiledEntry, TranslationBlock } from "../tb.ts";
import type { BackendContext, JitTuning, RunTb, TbBackend } from "./backend.ts";
import {
  type FieldInfo,
  type HelperImport,
  JC_SIZE,
  JitCompiler,
  type RegionModule,
  type Scratch,
} from "./jit_compile.ts";
import { callDispatcher } from "./call.ts";
import { ByteBuf, encodeModule, I32, Op, sleb } from "./wasm_encode.ts";

/** Tuning of the `jit` backend: the machine's {@link JitTuning}. */
export type JitOptions = JitTuning;

/** Times a back edge to a block was taken in a guiding profile that make the block a region head from the start. */
export const GUIDE_HOT = 1000;
/** Executions after which a block the profile calls hot is compiled (its successors are linked by then). */
export const GUIDED_AFTER = 64;

/** Counters of the `jit` backend. */
export interface JitStats {
  /** Regions compiled. */
  regions: number;
  /** Blocks compiled (a block may be in several regions). */
  blocks: number;
  /** Bytes of WebAssembly compiled. */
  bytes: number;
  /** Milliseconds spent building and compiling regions. */
  compileMs: number;
  /** Entries into compiled code from the execution loop. */
  entries: number;
  /** Guards of guarded versions that failed (the block was interpreted once). */
  guardFails: number;
}

/**
 * Failures of one block's guard after which its regions are dropped and
 * it is compiled without a guarded version. A failure costs an exit to the
 * loop and one interpreted block, a microsecond or two; dropping every
 * region costs compiling them again.
 */
export const GUARD_FAILS = 1000;
/** Blocks compiled without guarded versions after which no block gets one. */
export const GUARD_FLUSHES = 4;

/**
 * A block joins a region only when the interpreter ran it at least
 * `hotAfter / WARM_DIV` times, and when it is not a region's entry already
 * (the region chains to that one instead). Compiling wasm is what costs on
 * the floating-point guests, whose blocks are long: fft compiled 1.2 MB of
 * wasm for 550 blocks, most of them in three regions each, and took more
 * CPU time than on switch; with these two rules, 0.2 MB. 8 rather than 50
 * (a block must have run 125 times, not 20), measured on the training
 * guests and two outside programs (an SQLite and an LZ4 build), fresh
 * processes, median of 3: 0.75-1.0x the wall time, e.g. hash 432 -> 319 ms,
 * nqueens 388 -> 300, SQLite 2003 -> 1660; 4 and 2 were no better.
 */
export const WARM_DIV = 8;

/**
 * Instructions in a block up to which it turns hot after `hotAfter` runs;
 * a longer block, sooner (see {@link JitBackend.heatOf}). Straight-line
 * code such as an elliptic-curve library's field arithmetic has blocks of
 * 60 instructions and more that ran about 1000 times in all: interpreted,
 * they took a fifth of the run.
 */
export const HOT_INSNS = 8;

/**
 * Most blocks in one region. V8 first runs a wasm function from its
 * baseline compiler and swaps in optimised code when a background
 * compile finishes, which takes longer than in proportion for a larger
 * function; on a short run, code that large regions hold sat in baseline
 * code for much of it (seen in `--prof`: half the wasm ticks of a
 * 0.2 s-under-qemu Lua script). 16 rather than 48, measured on outside
 * programs (a Lua 5.4 interpreter on two scripts, libsecp256k1 signing,
 * lz4, zopfli, brotli, cmark-gfm) and the held-out and training guests,
 * in fresh processes, median of 3: 0.92x the wall time as a geometric
 * mean, the Lua string script 0.79x, signing 0.83x, no guest slower by
 * more than the noise; 12 was no better.
 */
export const MAX_BLOCKS = 16;

/** Most guest instructions one entry into compiled code runs before it returns (keeps counters in int32). */
const BUDGET_CAP = 1 << 20;

/**
 * A compiled region: `(budget, ops, start) => exit code`, entered at its
 * block number `start` (0, its head, when called through the table).
 */
export type RegionFn = (budget: number, ops: number, start: number) => number;

/**
 * Compiled code entered at one block: a region's head (`start` 0), or
 * another of its blocks, which the execution loop reached from outside
 * the region (a function's return site, say): such a block runs compiled
 * too instead of interpreted, and still counts its executions towards
 * heading a region of its own.
 */
class RegionEntry<S extends CpuState> implements CompiledEntry {
  insns = 0;
  ops = 0;
  constructor(
    private readonly fn: RegionFn,
    private readonly jit: JitBackend<S>,
    private readonly pc: number,
    /** The block's number in the region: 0 for its head. */
    readonly start: number,
    private readonly tb: TranslationBlock<S> | null,
  ) {}

  enter(budget: number): number {
    const j = this.jit, m = j.m32, s = j.cpu;
    if (this.start === 0) {
      // Entered from the loop: make sure compiled code finds this entry in
      // the jump cache next time (another head may have taken its entry).
      const h = (this.pc >>> 2) & (JC_SIZE - 1);
      if (m[j.jcWord + h] !== this.pc) j.cacheHead(this.pc, this.fn);
    } else if (--this.tb!.heat === 0) j.hot(this.tb!);
    const b = budget < BUDGET_CAP ? budget : BUDGET_CAP;
    j.stats.entries++;
    j.syncIn(s, m);
    let code: number;
    try {
      code = this.fn(b, 0, this.start);
    } catch (e) {
      this.insns = b - m[j.budgetWord];
      this.ops = m[j.opsWord];
      j.syncOut(s, m);
      throw e;
    }
    this.insns = b - m[j.budgetWord];
    this.ops = m[j.opsWord];
    j.syncOut(s, m);
    return code;
  }
}

/** The `jit` backend (see the module doc). */
export class JitBackend<S extends CpuState> implements TbBackend<S> {
  /** See {@link TbBackend.hotAfter}. */
  readonly hotAfter: number;
  /** Counters. */
  readonly stats: JitStats = {
    regions: 0,
    blocks: 0,
    bytes: 0,
    compileMs: 0,
    guardFails: 0,
    entries: 0,
  };
  /** The state. */
  readonly cpu: S;
  /** Guest memory as words. */
  readonly m32: Int32Array;
  /** Word index of the budget scratch word. */
  readonly budgetWord: number;
  /** Word index of the oplet-count scratch word. */
  readonly opsWord: number;
  /** Word index of the jump cache. */
  readonly jcWord: number;
  /** Copies the state's number fields into their scratch words (set with the compiler). */
  syncIn: (s: S, m: Int32Array) => void = noSync;
  /** Copies the scratch words back into the state's number fields (set with the compiler). */
  syncOut: (s: S, m: Int32Array) => void = noSync;
  // Blocks are interpreted on the `call` dispatcher, which costs nothing to
  // build and which V8 optimises at once (see the module doc).
  private readonly interp: RunTb<S>;
  private readonly ctx: BackendContext<S>;
  private readonly maxBlocks: number;
  private readonly warmDiv: number;
  // Made when the first block turns hot (a short run never needs them).
  private comp: JitCompiler | null = null;
  private table: WebAssembly.Table | null = null;
  private stub: RegionFn | null = null;
  private readonly slots = new Map<number, number>();
  // Guard failures by block pc (see guardFailed).
  private readonly fails = new Map<number, number>();
  private readonly fields = new Map<string, FieldInfo>();
  private readonly hoisted: readonly string[];
  private readonly scratch: Scratch;
  private readonly helpers: Record<string, unknown>;
  private readonly wrappers = new Map<string, unknown>();
  private readonly memPages: number;
  private readonly guide: ProfileGuide | null;
  private readonly heads: Set<number> | null;

  /** Sets the backend up to interpret; the compiler is built when the first block turns hot. */
  constructor(ctx: BackendContext<S>, options: JitOptions = {}) {
    this.ctx = ctx;
    this.interp = callDispatcher(ctx.oplets.map((o) => o.fn));
    this.hotAfter = ctx.profiling
      ? Number.MAX_SAFE_INTEGER
      : options.hotAfter ?? 1000;
    this.maxBlocks = options.maxBlocks ?? MAX_BLOCKS;
    this.warmDiv = options.warmDiv ?? WARM_DIV;
    this.guide = ctx.profiling ? null : options.guide ?? null;
    this.heads = this.guide && guidedHeads(this.guide);
    this.cpu = ctx.cpu;
    this.hoisted = ctx.hoisted;
    this.helpers = ctx.helpers;
    const s = ctx.cpu;
    const buf = s.memory.buffer;
    this.memPages = buf.byteLength / 65536;
    this.m32 = new Int32Array(buf);
    const base = s.scratch;
    this.scratch = { pc: base, budget: base + 4, ops: base + 8, jc: base + 16 };
    this.budgetWord = this.scratch.budget >> 2;
    this.opsWord = this.scratch.ops >> 2;
    this.jcWord = this.scratch.jc >> 2;
  }

  /** The compiler (built on first use), or null while profiling. */
  get compiler(): JitCompiler | null {
    if (this.ctx.profiling) return null;
    return this.comp ?? this.buildCompiler();
  }

  /**
   * Lays out how compiled code reaches each field the base oplets use, and
   * builds the compiler (which reads each oplet when it first needs it).
   */
  private buildCompiler(): JitCompiler {
    const ctx = this.ctx, s = this.cpu;
    const buf = s.memory.buffer;
    const base = s.scratch;
    // How compiled code reaches each field the oplets use. The fields come
    // from a scan of every base oplet's source; an oplet is parsed and
    // checked only when a block that uses it turns hot (readOplet below):
    // reading all of them up front cost 28 ms of cold code and garbage
    // on every run that compiled anything.
    const used = new Set<string>();
    for (let k = 0; k < ctx.baseCount; k++) {
      for (const f of stateFieldsOf(ctx.oplets[k].fn.toString())) used.add(f);
    }
    let next = base + 16 + 4 * JC_SIZE;
    if (next > s.scratchEnd) {
      throw new Error(
        `jit: scratch words end at ${next}, past the state's ${s.scratchEnd}`,
      );
    }
    const slotFields: [string, number][] = [];
    for (const f of used) {
      if (TEMPS.includes(f)) continue;
      const v = (s as unknown as Record<string, unknown>)[f];
      if (ArrayBuffer.isView(v) && v.buffer === buf) {
        const elem = ELEMS.get(v.constructor);
        if (elem === undefined) continue;
        this.fields.set(f, {
          kind: "array",
          base: v.byteOffset,
          elem,
          regs: v.byteOffset + v.byteLength <= base,
        });
      } else if (typeof v === "number") {
        if (this.hoisted.includes(f)) {
          this.fields.set(f, { kind: "const", value: v });
        } else if (f === "pc") {
          this.fields.set(f, { kind: "slot", addr: this.scratch.pc });
          slotFields.push([f, this.scratch.pc >> 2]);
        } else if (next + 4 <= s.scratchEnd) {
          this.fields.set(f, { kind: "slot", addr: next });
          slotFields.push([f, next >> 2]);
          next += 4;
        }
      }
    }
    const names = slotFields.map(([f]) => f);
    for (const f of names) {
      if (!/^[A-Za-z_$][\w$]*$/.test(f)) {
        throw new Error(`Field name "${f}" cannot be synchronised`);
      }
    }
    this.syncIn = new Function(
      "s",
      "m",
      slotFields.map(([f, w]) => `m[${w}] = s.${f};`).join("\n"),
    ) as (s: S, m: Int32Array) => void;
    this.syncOut = new Function(
      "s",
      "m",
      slotFields.map(([f, w]) => `s.${f} = m[${w}];`).join("\n"),
    ) as (s: S, m: Int32Array) => void;
    this.comp = new JitCompiler({
      opletCount: ctx.baseCount,
      readOplet: (op) => readOplet(ctx.oplets[op], ctx.hoisted),
      fields: this.fields,
      helpers: ctx.helpers,
      scratch: this.scratch,
      memPages: this.memPages,
      pcField: "pc",
    });
    return this.comp;
  }

  /**
   * {@link hotAfter} for a block of up to {@link HOT_INSNS} instructions; a
   * longer block turns hot when it has run about `hotAfter * HOT_INSNS`
   * instructions (at least `hotAfter / 16` runs): interpreting and compiling
   * both cost by the instruction. Less for a block the guiding profile
   * calls hot.
   */
  heatOf(pc: number, icount = 1): number {
    if (this.heads?.has(pc)) return GUIDED_AFTER;
    return icount <= HOT_INSNS ? this.hotAfter : Math.max(
      Math.ceil(this.hotAfter / 16),
      Math.ceil(this.hotAfter * HOT_INSNS / icount),
    );
  }

  /**
   * Whether the interpreter ran `tb` at least `bar / warmDiv` times, in
   * proportion for a block whose own bar is lower (see {@link heatOf}).
   */
  private warm(tb: TranslationBlock<S>, bar: number): boolean {
    const h0 = this.heatOf(tb.pc, tb.icount);
    return (h0 - tb.heat) * this.warmDiv * this.hotAfter >= bar * h0;
  }

  /** Every block is interpreted until it is hot. */
  runFor(): RunTb<S> {
    return this.interp;
  }

  /** See {@link TbBackend.guardFailed} and {@link GUARD_FAILS}. */
  guardFailed(pc: number): boolean {
    this.stats.guardFails++;
    const n = (this.fails.get(pc) ?? 0) + 1;
    this.fails.set(pc, n);
    const c = this.comp;
    if (n < GUARD_FAILS || c === null) return false;
    c.unguarded.add(pc);
    if (c.unguarded.size >= GUARD_FLUSHES) c.guards = false;
    return true;
  }

  /** Compiles the region entered at `tb`. */
  hot(tb: TranslationBlock<S>): void {
    const c = this.compiler;
    // A block entered inside another region may still head its own.
    if (c === null || headsRegion(tb)) return;
    if (!c.blockSupported(tb.base)) return;
    const t0 = performance.now();
    const table = this.table ?? this.setUp();
    // An oplet that does not compile is found by compiling (see
    // JitCompiler.blockSupported): the region is then formed once more
    // without its blocks.
    let mod: RegionModule | null = null;
    let tbs: TranslationBlock<S>[] = [];
    for (let attempt = 0; attempt < 2 && mod === null; attempt++) {
      if (!c.blockSupported(tb.base)) break;
      tbs = this.formRegion(tb, c);
      mod = c.compile(
        tbs.map((b) => ({
          pc: b.pc,
          base: b.base,
          icount: b.icount,
          nops: b.nops,
          lookups: indirectTargets(b).map((n) => n.pc),
        })),
        (pc) => this.slotFor(pc),
        JC_SIZE,
      );
    }
    if (mod === null) {
      this.stats.compileMs += performance.now() - t0;
      return;
    }
    const imports: Record<string, unknown> = {
      mem: this.cpu.memory,
      tab: table,
    };
    for (const h of mod.helpers) imports[h.name] = this.wrapper(h);
    const inst = new WebAssembly.Instance(new WebAssembly.Module(mod.bytes), {
      e: imports as WebAssembly.ModuleImports,
    });
    const fn = inst.exports.f as RegionFn;
    tb.compiled = new RegionEntry(fn, this, tb.pc, 0, null);
    // Its other blocks, where the loop finds them interpreted still.
    for (let k = 1; k < tbs.length; k++) {
      const b = tbs[k];
      if (b.compiled === null) {
        b.compiled = new RegionEntry(fn, this, b.pc, k, b);
      }
    }
    table.set(this.slotFor(tb.pc), fn);
    this.cacheHead(tb.pc, fn);
    this.stats.regions++;
    this.stats.blocks += tbs.length;
    this.stats.bytes += mod.bytes.length;
    this.stats.compileMs += performance.now() - t0;
  }

  /** The blocks of the region entered at `tb`, in the order they are compiled (`tb` first). */
  private formRegion(
    tb: TranslationBlock<S>,
    c: JitCompiler,
  ): TranslationBlock<S>[] {
    // The region: blocks reachable through the chain links the interpreter
    // has made, breadth first; with a guiding profile, only along edges it
    // saw, the most taken first. It stops at the head of a region compiled
    // before and tail-calls it there instead of compiling its blocks again
    // (measured on the bench guests, CPU time of whole runs, median of 3:
    // 0.67-0.97x; bytes compiled 1.9-2.7x fewer on sort, hash, bignum), and
    // takes only warm blocks (see WARM_DIV).
    const blocks: TranslationBlock<S>[] = [tb];
    const seen = new Set<number>([tb.pc]);
    // The blocks an indirect jump with several targets leads to join even
    // when they head a region already: an interpreter's dispatch jump and
    // its cases then stay in one region.
    for (let k = 0; k < blocks.length; k++) {
      const b = blocks[k];
      const many = b.lookups !== null && b.lookups.length > 1;
      // The targets of such a jump share its executions: each is warm at a
      // share of the bar.
      const bar = many ? this.hotAfter / b.lookups!.length : this.hotAfter;
      let next = [b.jmp0, b.jmp1, ...indirectTargets(b)];
      const succ = this.guide?.successors.get(b.pc);
      if (succ !== undefined) {
        next = next.filter((n) => n !== null && succ.has(n.pc))
          .sort((x, y) => succ.get(y!.pc)! - succ.get(x!.pc)!);
      }
      for (const n of next) {
        if (
          n !== null && !seen.has(n.pc) && blocks.length < this.maxBlocks &&
          (!headsRegion(n) || many) &&
          this.warm(n, bar) &&
          c.blockSupported(n.base)
        ) {
          seen.add(n.pc);
          blocks.push(n);
        }
      }
    }
    this.refreshConsts();
    return reversePostorder(blocks);
  }

  /** The shared table, the stub and an empty jump cache, for the first region. */
  private setUp(): WebAssembly.Table {
    const table = new WebAssembly.Table({ element: "anyfunc", initial: 0 });
    this.stub = this.buildStub();
    // The jump cache's slots come first; an entry is called only when its
    // word holds the pc looked up.
    table.grow(JC_SIZE);
    this.table = table;
    this.clearJumpCache();
    return table;
  }

  /** Puts a region head in the jump cache that `EXIT_LOOKUP` exits search. */
  cacheHead(pc: number, fn: RegionFn): void {
    const h = (pc >>> 2) & (JC_SIZE - 1);
    this.m32[this.jcWord + h] = pc;
    this.table!.set(h, fn);
  }

  /** Drops every region: every slot leads back to the loop again. */
  flush(): void {
    if (this.table === null) return;
    for (const slot of this.slots.values()) this.table.set(slot, this.stub);
    this.clearJumpCache();
  }

  /** Empties the jump cache (its words; the table entries are then never called). */
  private clearJumpCache(): void {
    for (let h = 0; h < JC_SIZE; h++) this.m32[this.jcWord + h] = 1; // no pc is odd
  }

  /** The table slot of a pc (allocated on first use, leading to the stub). */
  private slotFor(pc: number): number {
    let s = this.slots.get(pc);
    if (s === undefined) {
      s = this.table!.grow(1);
      this.table!.set(s, this.stub);
      this.slots.set(pc, s);
    }
    return s;
  }

  /** Hoisted number fields are constants in compiled code: their current values. */
  private refreshConsts(): void {
    const s = this.cpu as unknown as Record<string, number>;
    for (const [f, fi] of this.fields) {
      if (fi.kind === "const") fi.value = s[f];
    }
  }

  /** The function an import stands for. */
  private wrapper(h: HelperImport): unknown {
    const key = `${h.helper}/${h.kinds}/${h.result}/${h.resultKind}`;
    let w = this.wrappers.get(key);
    if (w === undefined) {
      if (h.helper === "notInt") {
        w = notInt;
      } else if (h.helper === "toInt32") {
        w = (v: number) => v | 0;
      } else {
        let n = 0;
        const params: string[] = [];
        const args = [...h.kinds].map((k) => {
          if (k === "s") return "s";
          const a = `a${n++}`;
          params.push(a);
          return k === "b" ? `${a} !== 0` : k === "u" ? `${a} >>> 0` : a;
        });
        // Bound to the state once. Helpers see the state only through
        // guest memory and hoisted fields (the rules; oplet_rules.ts), so
        // nothing is copied around the call.
        const call = `h(${args.join(", ")})`;
        w = new Function(
          "h",
          "s",
          "notInt",
          `return function (${params.join(", ")}) {
  ${
            !h.result
              ? `${call};`
              : h.resultKind === "i"
              ? `return ${call} | 0;`
              : h.resultKind === "I"
              ? `const r = ${call};
  if (r !== (r | 0)) notInt(r);
  return r;`
              : `return ${call};`
          }
};`,
        )(this.helpers[h.helper], this.cpu, notInt);
      }
      this.wrappers.set(key, w);
    }
    return w;
  }

  /** The function in every unlinked slot: stores the counters, returns `EXIT_GOTO0` (the pc is in its word). */
  private buildStub(): RegionFn {
    const b = new ByteBuf();
    const st = (addr: number, local: number) => {
      b.push(Op.i32_const);
      sleb(b, addr);
      b.push(Op.local_get);
      b.push(local);
      b.push(Op.i32_store);
      b.push(2);
      b.push(0);
    };
    st(this.scratch.budget, 0);
    st(this.scratch.ops, 1);
    b.push(Op.i32_const);
    sleb(b, EXIT_GOTO0);
    const bytes = encodeModule({
      types: [{ params: [I32, I32, I32], results: [I32] }],
      funcs: [],
      memPages: this.memPages,
      tableMin: null,
      locals: [],
      body: b.bytes(),
    });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      e: { mem: this.cpu.memory },
    });
    return inst.exports.f as RegionFn;
  }
}

/** Stops the run: an oplet stored a value that is not an int32 in a temporary (the rules forbid it). */
function notInt(v: number): never {
  throw new Error(`jit: an oplet stored ${v} in an int32 temporary or field`);
}

/**
 * The blocks a guiding profile says should head regions: those a loop's
 * back edge (from a block at the same or a higher pc) reached at least
 * {@link GUIDE_HOT} times.
 */
function guidedHeads(g: ProfileGuide): Set<number> {
  const heads = new Set<number>();
  for (const [from, succ] of g.successors) {
    for (const [to, n] of succ) {
      if (n >= GUIDE_HOT && (to >>> 0) <= (from >>> 0)) heads.add(to);
    }
  }
  return heads;
}

/** Before the compiler exists nothing is compiled, so nothing syncs. */
function noSync(): void {}

type Elem = Extract<FieldInfo, { kind: "array" }>["elem"];

const ELEMS = new Map<unknown, Elem>([
  [Int8Array, "i8"],
  [Uint8Array, "u8"],
  [Int16Array, "i16"],
  [Uint16Array, "u16"],
  [Int32Array, "i32"],
  [Uint32Array, "u32"],
  [Float32Array, "f32"],
  [Float64Array, "f64"],
]);

/**
 * Where a block's indirect exit went while interpreted: the last target
 * first, then the others it noted, each once.
 */
function indirectTargets<
  T extends { jmpL: T | null; lookups: T[] | null },
>(b: T): T[] {
  const l = b.lookups ?? [];
  if (b.jmpL === null) return l;
  return [b.jmpL, ...l.filter((n) => n !== b.jmpL)];
}

/**
 * The blocks in reverse postorder from the first (the entry stays first):
 * every edge that is not a loop's back edge then goes forward, which
 * compiled code takes as a direct branch.
 */
/** Whether `tb` is compiled code of its own: a region's head, or a block another backend compiled. */
function headsRegion<S extends CpuState>(tb: TranslationBlock<S>): boolean {
  const cc = tb.compiled;
  return cc !== null && !(cc instanceof RegionEntry && cc.start > 0);
}

function reversePostorder<
  T extends {
    jmp0: T | null;
    jmp1: T | null;
    jmpL: T | null;
    lookups: T[] | null;
  },
>(
  blocks: readonly T[],
): T[] {
  const inSet = new Set(blocks);
  const seen = new Set<T>();
  const post: T[] = [];
  const visit = (b: T) => {
    seen.add(b);
    for (const n of [b.jmp0, b.jmp1, ...indirectTargets(b)]) {
      if (n !== null && inSet.has(n) && !seen.has(n)) visit(n);
    }
    post.push(b);
  };
  visit(blocks[0]);
  return post.reverse();
}
