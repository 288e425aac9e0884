/**
 * Compiles regions of translated blocks to WebAssembly for the `jit`
 * backend, from the oplets' syntax trees (`oplet_rules.ts`): nothing here
 * knows what an oplet does, so an oplet added to the table compiles
 * without a second copy, or, when its body uses something this compiler
 * does not know, keeps its blocks in the interpreter.
 *
 * A region is one WebAssembly function `(budget, ops, start) -> exit code` over
 * many blocks that keeps their control flow: a loop with a `br_table` over
 * the region's blocks, so that a guest loop stays a loop. Guest registers
 * (constant-indexed cells of a register file kept below the compiled code's
 * scratch words) live in wasm locals within a block: a block loads the
 * cells it uses when it starts and stores those it writes on every way out
 * (its exits, and a fault, through a `try` of its own), so that no value
 * lives from one block into the next (see {@link RegionCompiler.build}).
 * Temporaries are locals. Hoisted fields are constants.
 * Other number fields live in scratch words that the entry copies in and
 * out. Typed-array fields over the guest memory become loads and stores.
 *
 * Values are typed so that every operation means what it means in
 * JavaScript: `i32` (an int32 value), `u32` (a uint32 value in i32 bits),
 * `f64` (any number) and `bool`. Where JavaScript would convert to int32
 * (bitwise operators, typed-array stores) sums of integers are computed
 * with i32 arithmetic, which is exact there. A temporary or number field
 * holds int32 values only (the rules); a value that is not statically one
 * is checked when stored, and a violation stops the run with an internal
 * error rather than a wrong result.
 *
 * Guarded versions: a block with several memory accesses at registers it
 * does not write (stack spills, fields of one structure) is compiled with
 * those accesses' checks folded to their outcome, which holds for each
 * such register in one interval and with its low bits clear; one test at
 * the block's start checks that, and where it fails the block is left to
 * the interpreter (`EXIT_INTERPRET`). The checks are recognised
 * by their form in the oplet bodies, `(a & m) === 0` and
 * `((a - X) >>> 0) < Y` for `const a = (T + k) | 0`, where `T` holds the
 * register, not by what the oplets are.
 *
 * Block exits: a direct goto (`EXIT_GOTO0`/`EXIT_GOTO1` with a constant pc)
 * to a block of the region continues the loop; to another pc it tail-calls
 * that pc's slot of a shared table (the region compiled there, or a stub
 * that returns to the execution loop). `EXIT_LOOKUP` looks the pc up in a
 * small jump cache of region heads kept in scratch memory. Any other exit
 * code, and the end of the instruction budget, returns to the loop.
 *
 * @module
 */

import {
  EXIT_GOTO0,
  EXIT_GOTO1,
  EXIT_INTERPRET,
  EXIT_LOOKUP,
} from "../oplet.ts";
import { mulHigh, mulHighSU, mulHighU } from "../mul_high.ts";
import {
  type Expr,
  forEachChild,
  type Stmt,
  walkExprs,
  walkStmts,
} from "../oplet_source.ts";
import {
  type CheckedOplet,
  offsetFromI,
  paramRef,
  stateField,
  TEMPS,
} from "../oplet_rules.ts";
import {
  ByteBuf,
  encodeModule,
  F64,
  f64bytes,
  FC,
  type FuncType,
  I32,
  Op,
  sleb,
  uleb,
  VOID,
} from "./wasm_encode.ts";

/** An oplet (or a construct in it) that this compiler does not handle. */
export class JitUnsupported extends Error {
  /** Creates the error; `message` says what was not handled. */
  constructor(message: string) {
    super(message);
    this.name = "JitUnsupported";
  }
}

type Ty = "i32" | "u32" | "f64" | "bool";

/** Element kinds of typed arrays over guest memory. */
type Elem = "i8" | "u8" | "i16" | "u16" | "i32" | "u32" | "f32" | "f64";

/** How compiled code reaches one state field. */
export type FieldInfo =
  | { kind: "const"; value: number }
  | { kind: "slot"; addr: number }
  | { kind: "array"; base: number; elem: Elem; regs: boolean };

/** The scratch words compiled code uses (byte addresses in guest memory). */
export interface Scratch {
  /** The pc a region leaves with. */
  readonly pc: number;
  /** The budget left when a region returned (or called a helper). */
  readonly budget: number;
  /** Oplets counted when a region returned (or called a helper). */
  readonly ops: number;
  /** The jump cache: {@link JC_SIZE} pcs of region heads. */
  readonly jc: number;
}

/** Entries of the jump cache of region heads (its table slots come first). */
export const JC_SIZE = 512;

/** A block as the compiler takes it. */
export interface RegionBlock {
  /** Guest pc. */
  readonly pc: number;
  /** Base oplets with their parameters. */
  readonly base: Int32Array;
  /** Guest instructions. */
  readonly icount: number;
  /** Oplets counted per execution (as the interpreter dispatches them). */
  readonly nops: number;
  /** The pcs its indirect exit (`EXIT_LOOKUP`) went to while interpreted, distinct, the last one first. */
  readonly lookups?: readonly number[];
}

/** A helper import that the region needs. */
export interface HelperImport {
  /** The import's name. */
  readonly name: string;
  /** The helper's name in the helpers record. */
  readonly helper: string;
  /** How each argument is passed: `s` the state, `i` int32, `u` uint32, `b` boolean, `f` number. */
  readonly kinds: string;
  /** Whether the result is used. */
  readonly result: boolean;
  /**
   * How the result is returned: `f` a number, `i` its ToInt32 (where the
   * oplet converts it anyway), `I` an int32 checked to be one (a value for
   * a temporary, which holds int32 values only).
   */
  readonly resultKind: "f" | "i" | "I";
}

/** A compiled region, ready to instantiate. */
export interface RegionModule {
  /** The module's bytes. */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Helper imports, by import name. */
  readonly helpers: readonly HelperImport[];
}

/** What the compiler knows about the oplets and the state. */
export interface JitInfo {
  /** How many base oplets there are (numbered from 0). */
  readonly opletCount: number;
  /**
   * Reads and checks base oplet `op` (`readOplet`). Called once per
   * oplet, when a block that uses it is first considered: a run parses
   * only the oplets its hot blocks use.
   */
  readonly readOplet: (op: number) => CheckedOplet;
  /** How each state field is reached; a field not here is unsupported. */
  readonly fields: ReadonlyMap<string, FieldInfo>;
  /** Helper values by name. */
  readonly helpers: Record<string, unknown>;
  /** Scratch words. */
  readonly scratch: Scratch;
  /** Pages of guest memory. */
  readonly memPages: number;
  /** The state field that holds the pc. */
  readonly pcField: string;
}

const REGION_TYPE: FuncType = { params: [I32, I32, I32], results: [I32] };
const ELEM_SIZE: Record<Elem, number> = {
  i8: 1,
  u8: 1,
  i16: 2,
  u16: 2,
  i32: 4,
  u32: 4,
  f32: 4,
  f64: 8,
};
const LOAD: Record<Elem, number> = {
  i8: Op.i32_load8_s,
  u8: Op.i32_load8_u,
  i16: Op.i32_load16_s,
  u16: Op.i32_load16_u,
  i32: Op.i32_load,
  u32: Op.i32_load,
  f32: Op.f32_load,
  f64: Op.f64_load,
};
const STORE: Record<Elem, number> = {
  i8: Op.i32_store8,
  u8: Op.i32_store8,
  i16: Op.i32_store16,
  u16: Op.i32_store16,
  i32: Op.i32_store,
  u32: Op.i32_store,
  f32: Op.f32_store,
  f64: Op.f64_store,
};
const ALIGN: Record<Elem, number> = {
  i8: 0,
  u8: 0,
  i16: 1,
  u16: 1,
  i32: 2,
  u32: 2,
  f32: 2,
  f64: 3,
};

/** Which register-file cells (array field, constant index) an oplet reads and writes, by parameter or literal. */
export interface RegUse {
  /** Cells read. */
  readonly reads: { field: string; param?: number; index?: number }[];
  /** Cells written. */
  readonly writes: { field: string; param?: number; index?: number }[];
}

/**
 * Accesses at a fixed register plus a constant that a block needs for its
 * guarded version (`RegionCompiler.compileVersions`): below this the
 * guard and the version's bytes cost more than its fast paths save
 * (blocks of spill code have 5 to 23 of them, those of the held-out
 * guests mostly 1 to 3).
 */
const GUARD_MIN = 4;

/**
 * How an oplet moves registers into temporaries: `addr`, the temporary
 * `T` of a `const a = (T + k) | 0` it declares (an address); `sets`, the
 * temporaries it assigns, each with the register it copies there if it
 * does.
 */
export interface TempFlow {
  /** The temporary an address is formed from, if any. */
  readonly addr?: string;
  /** Temporaries assigned: [name, register file, parameter naming the register], or [name] for anything else. */
  readonly sets: readonly (readonly [string, string?, number?])[];
}

/**
 * The temporary `T` and the term `k` if `e` is `(T + k) | 0`: the form of
 * an address an oplet forms from a temporary.
 */
function tempPlus(e: Expr): { temp: string; k: Expr } | undefined {
  if (e.k !== "bin" || e.op !== "|" || e.r.k !== "num" || e.r.v !== 0) return;
  if (e.l.k !== "bin" || e.l.op !== "+") return;
  const t = stateField(e.l.l);
  return t !== undefined && TEMPS.includes(t)
    ? { temp: t, k: e.l.r }
    : undefined;
}

/** What a guarded version requires of one base register: `lo <= r < hi` and `(r & mask) === 0`. */
type BaseReq = { lo: number; hi: number; mask: number };

/**
 * A local of the oplet body; `k` is the value of a `const` with a constant
 * initialiser (no wasm local then); in a block's guarded version, `base`
 * and `off` that it holds base register local `base` plus `off`.
 */
type Local = {
  local: number;
  ty: Ty;
  k?: number;
  base?: number;
  off?: number;
};

/** 64-bit opcodes for {@link JIT_INTRINSICS} (not in `wasm_encode.ts`'s table). */
const I64_CONST = 0x42, I64_MUL = 0x7e, I64_SHR_U = 0x88;
const I64_EXTEND_S = 0xac, I64_EXTEND_U = 0xad;

/**
 * Helpers compiled inline rather than called: the high word of a 32×32-bit
 * product is one 64-bit multiply, given how each operand widens
 * (`i64.extend_i32_s` or `_u`).
 */
const JIT_INTRINSICS: ReadonlyMap<unknown, readonly [number, number]> = new Map<
  unknown,
  readonly [number, number]
>([
  [mulHigh, [I64_EXTEND_S, I64_EXTEND_S]],
  [mulHighSU, [I64_EXTEND_S, I64_EXTEND_U]],
  [mulHighU, [I64_EXTEND_U, I64_EXTEND_U]],
]);

/**
 * Whether oplet code leaves the fast path: it calls a helper (a slow path
 * such as `loadSlow` or a softfloat routine; not an intrinsic) or throws.
 * The branch of an `if` or `?:` that does, against one that does not, is
 * hinted unlikely.
 */
function leavesFastPath(
  body: readonly Stmt[],
  helpers: Record<string, unknown>,
): boolean {
  let cold = false;
  walkStmts(body, (st) => {
    if (st.k === "throw") cold = true;
  });
  if (!cold) {
    walkExprs(body, (e) => {
      if (
        e.k === "call" && e.callee.k === "id" &&
        !JIT_INTRINSICS.has(helpers[e.callee.name])
      ) cold = true;
    });
  }
  return cold;
}

/**
 * Compiles regions for one machine. Create once; {@link supports} tells
 * which oplets compile, {@link compile} builds a region's module.
 */
export class JitCompiler {
  private readonly info: JitInfo;
  private readonly support = new Map<number, string | null>();
  private readonly regUse: (RegUse | undefined)[] = [];
  private readonly tempFlow: (TempFlow | undefined)[] = [];
  private readonly checked: (CheckedOplet | undefined)[] = [];
  /** The buffer regions are compiled into, reused from one compile to the next (a module copies its code out). */
  readonly code: ByteBuf = new ByteBuf(1 << 15);
  private readonly shape: ({ n: number; label: boolean } | undefined)[] = [];
  /** Whether blocks get guarded versions (see `RegionCompiler.compileVersions`). */
  guards = true;
  /** Blocks (by pc) compiled without a guarded version: theirs failed too often. */
  readonly unguarded: Set<number> = new Set();

  /** A compiler for the given oplets and state layout. */
  constructor(info: JitInfo) {
    this.info = info;
  }

  /** Base oplet `op`, read and checked on first use; undefined if there is none. */
  oplet(op: number): CheckedOplet | undefined {
    let o = this.checked[op];
    if (o === undefined && op >= 0 && op < this.info.opletCount) {
      o = this.checked[op] = this.info.readOplet(op);
    }
    return o;
  }

  /**
   * Null when oplet `op` compiles; otherwise why not (its blocks then stay
   * in the interpreter).
   */
  supports(op: number): string | null {
    let r = this.support.get(op);
    if (r === undefined) {
      const o = this.oplet(op);
      if (o === undefined) r = `unknown oplet ${op}`;
      else {
        try {
          const code = new Int32Array(1 + o.params).fill(1);
          code[0] = op;
          new RegionCompiler(this, this.info, [{
            pc: 0,
            base: code,
            icount: 1,
            nops: 1,
          }]).check();
          r = null;
        } catch (e) {
          if (!(e instanceof JitUnsupported)) throw e;
          r = `oplet "${o.name}": ${e.message}`;
        }
      }
      this.support.set(op, r);
    }
    return r;
  }

  /**
   * Whether a block may be compiled: none of its oplets is known not to
   * compile. An oplet is not checked on its own in advance (that compiled
   * every oplet a second time, cold: a quarter of the compiler's time on
   * fft); {@link compile} finds the ones that do not compile.
   */
  blockSupported(base: Int32Array): boolean {
    for (let i = 0; i < base.length;) {
      const op = base[i];
      const o = this.oplet(op);
      if (o === undefined || this.support.get(op)) return false;
      i += 1 + o.params;
    }
    return true;
  }

  /**
   * How many of oplet `op`'s statements are compiled (all but a final
   * `return i + N`), and whether a `return i + N` is left among them (it
   * then needs a label to go on to the next oplet).
   */
  shapeOf(op: number): { n: number; label: boolean } {
    let r = this.shape[op];
    if (r === undefined) {
      const body = this.oplet(op)!.body, last = body[body.length - 1];
      const n = last?.k === "return" && last.e &&
          offsetFromI(last.e) !== undefined
        ? body.length - 1
        : body.length;
      let label = false;
      walkStmts(body.slice(0, n), (st) => {
        if (
          st.k === "return" && st.e !== null &&
          offsetFromI(st.e) !== undefined
        ) label = true;
      });
      r = { n, label };
      this.shape[op] = r;
    }
    return r;
  }

  /**
   * How base oplet `op` moves registers into temporaries, for a block's
   * guarded version ({@link TempFlow}).
   */
  tempFlowOf(op: number): TempFlow {
    let r = this.tempFlow[op];
    if (r !== undefined) return r;
    const o = this.oplet(op)!;
    let addr: string | undefined;
    const sets: [string, string?, number?][] = [];
    const top = new Set<Expr>();
    for (const st of o.body) {
      if (st.k === "decl" && st.kind === "const") {
        addr = tempPlus(st.init)?.temp ?? addr;
      }
      if (st.k !== "expr" || st.e.k !== "assign" || st.e.op !== "=") continue;
      const t = stateField(st.e.target);
      if (t === undefined || !TEMPS.includes(t)) continue;
      const v = st.e.value;
      const f = v.k === "index" ? stateField(v.obj) : undefined;
      const fi = f === undefined ? undefined : this.info.fields.get(f);
      const p = fi?.kind === "array" && fi.regs && v.k === "index"
        ? paramRef(v.idx)
        : undefined;
      sets.push(p === undefined ? [t] : [t, f, p]);
      top.add(st.e);
    }
    walkExprs(o.body, (e) => {
      if ((e.k !== "assign" && e.k !== "update") || top.has(e)) return;
      const t = stateField(e.target);
      if (t !== undefined && TEMPS.includes(t)) sets.push([t]);
    });
    r = { addr, sets };
    this.tempFlow[op] = r;
    return r;
  }

  /** The register-file cells an oplet touches. */
  regUseOf(op: number): RegUse {
    let r = this.regUse[op];
    if (r === undefined) {
      const reads: RegUse["reads"] = [], writes: RegUse["writes"] = [];
      const o = this.oplet(op)!;
      const cell = (e: Expr) => {
        if (e.k !== "index") return;
        const f = stateField(e.obj);
        const fi = f === undefined ? undefined : this.info.fields.get(f);
        if (fi?.kind !== "array" || !fi.regs) return;
        const p = paramRef(e.idx);
        if (p !== undefined) return { field: f!, param: p };
        if (e.idx.k === "num") return { field: f!, index: e.idx.v };
      };
      const ex = (e: Expr, target = false): void => {
        const c = cell(e);
        if (c) {
          (target ? writes : reads).push(c);
          return ex(e.k === "index" ? e.idx : e);
        }
        if (e.k === "assign") {
          if (e.op !== "=") ex(e.target);
          ex(e.target, true);
          return ex(e.value);
        }
        if (e.k === "update") {
          ex(e.target);
          return ex(e.target, true);
        }
        forEachChild(e, ex);
      };
      walkStmts(o.body, (st) => {
        if (st.k === "decl") ex(st.init);
        else if (st.k === "expr" || st.k === "throw") ex(st.e);
        else if (st.k === "return" && st.e) ex(st.e);
        else if (st.k === "if") ex(st.c);
      });
      r = { reads, writes };
      this.regUse[op] = r;
    }
    return r;
  }

  /**
   * Compiles a region: `blocks[0]` is its entry; `slotFor(pc)` gives the
   * table slot of a pc outside it. Null if an oplet of it does not
   * compile: each of its oplets is then checked on its own
   * ({@link supports}), so that {@link blockSupported} leaves out the
   * blocks that use one that does not, and the region can be formed again.
   */
  compile(
    blocks: readonly RegionBlock[],
    slotFor: (pc: number) => number,
    tableMin: number,
  ): RegionModule | null {
    try {
      return new RegionCompiler(this, this.info, blocks, slotFor, tableMin)
        .build();
    } catch (e) {
      if (!(e instanceof JitUnsupported)) throw e;
      for (const b of blocks) {
        for (let i = 0; i < b.base.length;) {
          const o = this.oplet(b.base[i]);
          if (o === undefined) break;
          this.supports(b.base[i]);
          i += 1 + o.params;
        }
      }
      return null;
    }
  }
}

/** Builds one region's module. */
class RegionCompiler {
  // The compiler's one code buffer, emptied: compiles run one at a time,
  // and a module copies the body out (growing a fresh buffer per region
  // cost: large typed arrays are slow to allocate).
  private readonly out: ByteBuf;
  private readonly locals: number[] = [];
  private readonly hints: [number, number][] = [];
  private depth = 0;
  private readonly types: FuncType[] = [REGION_TYPE];
  private readonly typeKeys = new Map<string, number>([["iii:i", 0]]);
  private readonly imports: { name: string; type: number }[] = [];
  private readonly helperImports: HelperImport[] = [];
  private readonly importIndex = new Map<string, number>();
  // Register-file cells: their locals by field and index, and each local's
  // address; those the block being compiled uses and writes.
  private readonly regLocal = new Map<string, Map<number, number>>();
  private readonly regAddr = new Map<number, number>();
  private blockUsed: number[] = [];
  private blockWritten: number[] = [];
  private readonly cellsOf: { used: number[]; written: number[] }[] = [];
  private readonly tempLocal = new Map<string, number>();
  private readonly blockIndex = new Map<number, number>();
  private readonly lBudget = 0;
  private readonly lOps = 1;
  private lNext = 0;
  private lCode = 0;
  private lSlot = 0;
  private exitDepth = 0;
  private chainDepth = 0;
  private loopDepth = 0;
  private readonly blockLabel: number[] = [];
  private current = 0;
  private selfLabel = 0;
  private selfUsed = false;
  // Helper calls compiled (see build).
  private calls = 0;
  // The guarded version of a block (see compileVersions): the registers it
  // does not write, what its folded tests require of them, and the
  // temporaries that hold one of them.
  private guarded = false;
  private readonly bases = new Set<number>();
  private readonly baseReqs = new Map<number, BaseReq>();
  private folds = 0;
  private readonly tempBase = new Map<string, number>();
  private branchDepth = 0;
  // Per oplet instance.
  private code: Int32Array = new Int32Array(0);
  private at = 0;
  // The oplet's locals in scope, innermost last (a block's are dropped at
  // its end): a stack rather than a Map per scope, since bodies declare few.
  private readonly localNames: string[] = [];
  private readonly localInfo: Local[] = [];
  private nLocals = 0;
  private opDepth = 0;
  private oplet: CheckedOplet | null = null;
  private readonly poolI: number[] = [];
  private readonly poolF: number[] = [];
  private usedI = 0;
  private usedF = 0;
  // Per block.
  private block: RegionBlock | null = null;
  private pcConst: number | undefined;
  /** A constant the pc field holds but its scratch word may not yet. */
  private pcPending: number | undefined;

  constructor(
    private readonly jit: JitCompiler,
    private readonly info: JitInfo,
    private readonly blocks: readonly RegionBlock[],
    private readonly slotFor: (pc: number) => number = () => 0,
    private readonly tableMin = JC_SIZE,
  ) {
    this.out = jit.code;
    this.out.length = 0;
    blocks.forEach((b, k) => {
      if (!this.blockIndex.has(b.pc)) this.blockIndex.set(b.pc, k);
    });
    this.import("notInt", "f", false);
    this.import("toInt32", "f", true, "i");
  }

  private fail(what: string): never {
    throw new JitUnsupported(what);
  }

  private emit(a: number, b?: number, c?: number): void {
    this.out.push(a);
    if (b !== undefined) this.out.push(b);
    if (c !== undefined) this.out.push(c);
  }
  private i32c(v: number): void {
    this.out.push(Op.i32_const);
    sleb(this.out, v | 0);
  }
  private f64c(v: number): void {
    this.out.push(Op.f64_const);
    f64bytes(this.out, v);
  }
  private get(l: number): void {
    this.out.push(Op.local_get);
    uleb(this.out, l);
  }
  private set(l: number): void {
    this.out.push(Op.local_set);
    uleb(this.out, l);
  }
  private tee(l: number): void {
    this.out.push(Op.local_tee);
    uleb(this.out, l);
  }
  private newLocal(t: number): number {
    this.locals.push(t);
    return 3 + this.locals.length - 1;
  }
  /**
   * A local that lives within one oplet instance: the next oplet reuses
   * it (fewer locals make smaller frames for V8's baseline compiler).
   */
  private opLocal(t: number): number {
    const pool = t === F64 ? this.poolF : this.poolI;
    const k = t === F64 ? this.usedF++ : this.usedI++;
    if (k === pool.length) pool.push(this.newLocal(t));
    return pool[k];
  }
  /** Marks the `if` emitted next likely (1) or unlikely (0). */
  private hint(likely: number | undefined): void {
    if (likely !== undefined) this.hints.push([this.out.length, likely]);
  }
  private open(op: number, bt: number): number {
    this.out.push(op);
    this.out.push(bt);
    return ++this.depth;
  }
  private end(): void {
    this.out.push(Op.end);
    this.depth--;
  }
  private br(label: number): void {
    this.out.push(Op.br);
    uleb(this.out, this.depth - label);
  }
  private mem(op: number, align: number, offset = 0): void {
    this.out.push(op);
    uleb(this.out, align);
    uleb(this.out, offset);
  }
  private typeIndex(params: number[], results: number[]): number {
    const key = params.map((p) => p === F64 ? "f" : "i").join("") + ":" +
      results.map((p) => p === F64 ? "f" : "i").join("");
    let t = this.typeKeys.get(key);
    if (t === undefined) {
      t = this.types.length;
      this.types.push({ params, results });
      this.typeKeys.set(key, t);
    }
    return t;
  }
  /** An import's function index; `kinds` of the wasm parameters. */
  private import(
    name: string,
    kinds: string,
    result: boolean,
    resultKind: "f" | "i" | "I" = "f",
  ): number {
    const key = `${name}/${kinds}/${result}/${resultKind}`;
    let ix = this.importIndex.get(key);
    if (ix === undefined) {
      ix = this.imports.length;
      const params = [...kinds].filter((k) => k !== "s").map((k) =>
        k === "f" ? F64 : I32
      );
      const results = result ? [resultKind === "f" ? F64 : I32] : [];
      const imp = `h${ix}`;
      this.imports.push({ name: imp, type: this.typeIndex(params, results) });
      this.importIndex.set(key, ix);
      this.helperImports.push({
        name: imp,
        helper: name,
        kinds,
        result,
        resultKind,
      });
    }
    return ix;
  }
  private call(ix: number): void {
    this.out.push(Op.call);
    uleb(this.out, ix);
  }

  // ---- Region assembly ----

  /**
   * Compiles the blocks' oplets as {@link build} does, without the code
   * around them or the module: throws {@link JitUnsupported} exactly when
   * `build` would (what {@link JitCompiler.supports} needs).
   */
  check(): void {
    this.setUpLocals();
    for (const b of this.blocks) this.compileBlock(b);
  }

  /** Notes the register-file cells and makes the locals every region has. */
  private setUpLocals(): void {
    // Register-file cells every block touches: one local each, shared by
    // the blocks (each loads and stores its own, noted here).
    const inUsed: number[] = [], inWritten: number[] = [];
    this.blocks.forEach((b, k) => {
      const used: number[] = [], written: number[] = [];
      for (let i = 0; i < b.base.length;) {
        const op = b.base[i];
        const o = this.jit.oplet(op);
        if (o === undefined) this.fail(`unknown oplet ${op}`);
        const use = this.jit.regUseOf(op);
        for (const c of use.reads) {
          const l = this.cell(c, b.base, i);
          if (inUsed[l] !== k) used.push(l);
          inUsed[l] = k;
        }
        for (const c of use.writes) {
          const l = this.cell(c, b.base, i);
          if (inUsed[l] !== k) used.push(l);
          if (inWritten[l] !== k) written.push(l);
          inUsed[l] = inWritten[l] = k;
        }
        i += 1 + o.params;
      }
      this.cellsOf.push({ used, written });
    });
    this.lNext = 2;
    this.lCode = this.newLocal(I32);
    this.lSlot = this.newLocal(I32);
    for (const t of TEMPS) this.tempLocal.set(t, this.newLocal(I32));
  }

  /**
   * The region's module. Registers are kept in locals block by block, not
   * across the region: with every register live through the whole loop
   * (and at every call, for the one handler that wrote them back on a
   * fault), register allocation was 59% of V8's optimising compile of
   * libsecp256k1's 360 regions (`--turbo-stats-wasm`), and hot regions run
   * in baseline code until it is done. Block by block it is 42% less, for
   * a load of each register a block uses and a store of each it writes.
   * Whole runs, median of 3: lz4 0.88x the time, a Lua script 0.92x, the
   * other outside programs and the bench guests 0.96-1.01x.
   */
  build(): RegionModule {
    const n = this.blocks.length;
    this.setUpLocals();
    this.chainDepth = this.open(Op.block, VOID);
    this.exitDepth = this.open(Op.block, VOID);
    this.loopDepth = this.open(Op.loop, VOID);
    for (let k = n - 1; k >= 0; k--) {
      this.blockLabel[k] = this.open(Op.block, VOID);
    }
    this.get(this.lNext);
    this.out.push(Op.br_table);
    uleb(this.out, n);
    for (let k = 0; k < n; k++) uleb(this.out, k);
    uleb(this.out, 0);
    for (let k = 0; k < n; k++) {
      this.end();
      this.current = k;
      this.noteCells(k);
      // A helper that throws (a guest fault) unwinds through here: write
      // back the block's registers and the counters, then let it go on.
      // A block that calls none has a plain `block` instead.
      const at = this.out.length, calls = this.calls;
      this.open(Op.try, VOID);
      this.compileVersions(this.blocks[k]);
      this.emit(Op.unreachable);
      if (this.calls === calls) this.out.setByte(at, Op.block);
      else {
        this.emit(Op.catch_all);
        this.storeRegs();
        this.spill();
        this.emit(Op.rethrow, 0);
      }
      this.end();
      this.emit(Op.unreachable);
    }
    this.end(); // loop
    this.emit(Op.unreachable);
    this.end(); // exit
    this.spill();
    this.get(this.lCode);
    this.emit(Op.return);
    this.end(); // chain
    this.get(this.lBudget);
    this.get(this.lOps);
    this.i32c(0); // a region called through the table starts at its head
    this.get(this.lSlot);
    this.emit(Op.return_call_indirect);
    uleb(this.out, 0);
    uleb(this.out, 0);
    const bytes = encodeModule({
      types: this.types,
      funcs: this.imports,
      memPages: this.info.memPages,
      tableMin: this.tableMin,
      locals: this.locals,
      body: this.out.bytes(),
      hints: this.hints,
    });
    return { bytes, helpers: this.helperImports };
  }

  /** Notes a register-file cell used at oplet index `i` of `base`; its local. */
  private cell(
    c: { field: string; param?: number; index?: number },
    base: Int32Array,
    i: number,
  ): number {
    const fi = this.info.fields.get(c.field) as Extract<
      FieldInfo,
      { kind: "array" }
    >;
    const idx = c.param !== undefined ? base[i + c.param] : c.index!;
    const addr = fi.base + idx * ELEM_SIZE[fi.elem];
    let cells = this.regLocal.get(c.field);
    if (cells === undefined) {
      cells = new Map();
      this.regLocal.set(c.field, cells);
    }
    let local = cells.get(idx);
    if (local === undefined) {
      if (fi.elem !== "i32" || idx < 0 || idx !== (idx | 0)) {
        this.fail(`register file "${c.field}" is not an Int32Array`);
      }
      local = this.newLocal(I32);
      cells.set(idx, local);
      this.regAddr.set(local, addr);
    }
    return local;
  }

  /** Stores the registers the current block writes. */
  private storeRegs(): void {
    for (const l of this.blockWritten) {
      this.i32c(this.regAddr.get(l)!);
      this.get(l);
      this.mem(Op.i32_store, 2);
    }
  }

  /** Loads the registers the current block uses. */
  private loadRegs(): void {
    for (const l of this.blockUsed) {
      this.i32c(this.regAddr.get(l)!);
      this.mem(Op.i32_load, 2);
      this.set(l);
    }
  }

  /** Stores a pending constant pc in its word. */
  private flushPc(): void {
    if (this.pcPending === undefined) return;
    this.i32c(this.info.scratch.pc);
    this.i32c(this.pcPending);
    this.mem(Op.i32_store, 2);
  }

  /** Writes back the budget and oplet count (before returning). */
  private spill(): void {
    const s = this.info.scratch;
    this.i32c(s.budget);
    this.get(this.lBudget);
    this.mem(Op.i32_store, 2);
    this.i32c(s.ops);
    this.get(this.lOps);
    this.mem(Op.i32_store, 2);
  }

  /**
   * Notes the register cells block `k` uses and writes, and in
   * {@link bases} those it reads and never writes.
   */
  private noteCells(k: number): void {
    const { used, written } = this.cellsOf[k];
    this.blockUsed = used;
    this.blockWritten = written;
    this.bases.clear();
    for (const l of used) if (!written.includes(l)) this.bases.add(l);
  }

  /**
   * Whether block `b` has {@link GUARD_MIN} accesses at one of the
   * {@link bases} plus a constant (its guarded version is then worth
   * trying).
   */
  private findBases(b: RegionBlock): boolean {
    if (this.bases.size === 0) return false;
    // The accesses at a base, counted as the guarded version will see them.
    const src = new Map<string, number>();
    let n = 0;
    for (let i = 0; i < b.base.length;) {
      const op = b.base[i];
      const flow = this.jit.tempFlowOf(op);
      if (flow.addr !== undefined && src.has(flow.addr)) n++;
      for (const [t, f, p] of flow.sets) {
        const cell = f === undefined
          ? undefined
          : this.regLocal.get(f)?.get(b.base[i + p!]);
        if (cell !== undefined && this.bases.has(cell)) src.set(t, cell);
        else src.delete(t);
      }
      i += 1 + this.jit.oplet(op)!.params;
    }
    return n >= GUARD_MIN;
  }

  /**
   * Compiles block `b`, as a guarded version where that pays. Memory accesses
   * are checked one by one, and the slow path each check keeps in line
   * made the host's code for register-hungry code (spills, 64-bit
   * arithmetic on limbs) twice as large as its fast paths: an unrolled
   * multiply ran 1.7x slower than with no slow paths. An access at a
   * register the block does not write plus a constant passes its checks
   * exactly when that register lies in one interval and has its low bits
   * clear. The block is compiled with such checks folded to their
   * outcome (the guarded version), the intervals and alignments noted; one
   * test at the block's start checks them and otherwise leaves the block to
   * the interpreter, once. The usual version used to follow there, for
   * guards that, in every program measured, never failed; without it
   * libsecp256k1 compiles 37% fewer bytes. A block whose guard fails
   * `GUARD_FAILS` times is compiled without one from then on.
   */
  private compileVersions(b: RegionBlock): void {
    // Every register the block uses, written ones included: a fault
    // stores the written ones whether or not they were reached.
    this.loadRegs();
    if (
      !this.jit.guards || this.jit.unguarded.has(b.pc) || !this.findBases(b)
    ) return this.compileBlock(b);
    const start = this.out.length, h0 = this.hints.length;
    this.guarded = true;
    this.baseReqs.clear();
    this.folds = 0;
    this.tempBase.clear();
    this.depth++; // inside the `if` emitted below
    try {
      this.compileBlock(b);
    } finally {
      this.guarded = false;
      this.depth--;
    }
    const body = this.out.bytes().slice(start);
    const moved = this.hints.splice(h0);
    this.out.length = start;
    const reqs = [...this.baseReqs];
    if (
      this.folds < 2 * GUARD_MIN || reqs.some(([_, r]) => !(r.lo < r.hi))
    ) {
      return this.compileBlock(b);
    }
    reqs.forEach(([local, r], n) => {
      this.get(local);
      this.i32c(r.lo);
      this.emit(Op.i32_sub);
      this.i32c(r.hi - r.lo);
      this.emit(Op.i32_lt_u);
      if (r.mask !== 0) {
        this.get(local);
        this.i32c(r.mask);
        this.emit(Op.i32_and);
        this.emit(Op.i32_eqz);
        this.emit(Op.i32_and);
      }
      if (n > 0) this.emit(Op.i32_and);
    });
    this.hint(1);
    this.open(Op.if, VOID);
    const shift = this.out.length - start;
    this.out.append(body);
    for (const [at, likely] of moved) this.hints.push([at + shift, likely]);
    // Where it fails, the loop interprets the block once.
    this.emit(Op.else);
    this.i32c(this.info.scratch.pc);
    this.i32c(b.pc);
    this.mem(Op.i32_store, 2);
    this.i32c(EXIT_INTERPRET);
    this.set(this.lCode);
    this.br(this.exitDepth);
    this.end();
  }

  /**
   * In a guarded version: the outcome of an access check on a base
   * register plus a constant, `(a & m) === 0` (`m` a mask of low bits) or
   * `((a - X) >>> 0) < Y`, noting what it requires of the register.
   */
  private guardFold(e: Extract<Expr, { k: "bin" }>): boolean | undefined {
    if (
      (e.op === "===" || e.op === "!==") && this.constOf(e.r) === 0 &&
      e.l.k === "bin" && e.l.op === "&"
    ) {
      const a = this.baseOf(e.l.l), m = this.constInt32(e.l.r);
      if (a === undefined || m === undefined) return;
      if (m < 0 || m > 0xffff || (m & (m + 1)) !== 0) return;
      this.reqOf(a.base).mask |= m;
      this.folds++;
      return ((a.off & m) === 0) === (e.op === "===");
    }
    if (
      e.op === "<" && e.l.k === "bin" && e.l.op === ">>>" &&
      this.constOf(e.l.r) === 0 && e.l.l.k === "bin" && e.l.l.op === "-"
    ) {
      const a = this.baseOf(e.l.l.l), x = this.constInt32(e.l.l.r);
      const y = this.constOf(e.r);
      if (a === undefined || x === undefined || y === undefined) return;
      if (!Number.isInteger(y) || y <= 0 || y > 2 ** 32) return;
      // (r + off - x) >>> 0 < y for every r in [x - off, x - off + y).
      const r = this.reqOf(a.base);
      r.lo = Math.max(r.lo, x - a.off);
      r.hi = Math.min(r.hi, x - a.off + y);
      this.folds++;
      return true;
    }
  }

  /** In a guarded version: the base register and offset that local `e` holds, if known. */
  private baseOf(e: Expr): { base: number; off: number } | undefined {
    if (e.k !== "id") return;
    const l = this.lookup(e.name);
    return l?.base === undefined ? undefined : { base: l.base, off: l.off! };
  }

  /** What the guarded version requires of base register local `base`. */
  private reqOf(base: number): BaseReq {
    let r = this.baseReqs.get(base);
    if (r === undefined) {
      r = { lo: 0, hi: 2 ** 31, mask: 0 };
      this.baseReqs.set(base, r);
    }
    return r;
  }

  private compileBlock(b: RegionBlock): void {
    this.block = b;
    // At a block boundary the pc field holds the block's pc.
    this.pcConst = b.pc;
    this.pcPending = b.pc;
    // A block that jumps to itself loops here, its registers kept in
    // locals (the label becomes a loop when it does; see exit).
    const at = this.out.length;
    this.selfLabel = this.open(Op.block, VOID);
    this.selfUsed = false;
    for (let i = 0; i < b.base.length;) {
      const o = this.jit.oplet(b.base[i])!;
      this.code = b.base;
      this.at = i;
      this.oplet = o;
      this.nLocals = 0;
      this.usedI = this.usedF = 0;
      const { n, label } = this.jit.shapeOf(b.base[i]);
      // The final `return i + N` is where the block goes on anyway; a label
      // for an early one only where the body has one (a third of a region's
      // bytes were such wrappers).
      if (label) this.opDepth = this.open(Op.block, VOID);
      this.stmts(o.body, n);
      if (label) this.end();
      i += 1 + o.params;
    }
    this.end();
    if (this.selfUsed) this.out.setByte(at, Op.loop);
  }

  // ---- Statements ----

  /** Compiles statements; returns whether they always leave (return). */
  /** Compiles the first `n` statements of a scope; returns whether they always leave (return). */
  private stmts(body: readonly Stmt[], n = body.length): boolean {
    const mark = this.nLocals;
    let r = false;
    for (let k = 0; k < n && !r; k++) r = this.stmt(body[k]);
    this.nLocals = mark;
    return r;
  }

  /** Declares a local of the oplet body in the innermost scope. */
  private declare(name: string, l: Local): void {
    this.localNames[this.nLocals] = name;
    this.localInfo[this.nLocals++] = l;
  }

  private stmt(st: Stmt): boolean {
    switch (st.k) {
      case "decl": {
        const k = st.kind === "const" ? this.constOf(st.init) : undefined;
        if (k !== undefined) {
          // Folded where used: index arithmetic on parameters, mostly.
          this.declare(st.name, { local: -1, ty: "f64", k });
          return false;
        }
        const ty = this.typeOf(st.init);
        const l = this.opLocal(ty === "f64" ? F64 : I32);
        this.exprAs(st.init, ty);
        this.set(l);
        const a = st.kind === "const" && this.guarded
          ? this.basePlus(st.init)
          : undefined;
        this.declare(st.name, { local: l, ty, base: a?.base, off: a?.off });
        return false;
      }
      case "expr":
        this.exprStmt(st.e);
        return false;
      case "block":
        return this.stmts(st.body);
      case "if": {
        const kc = this.constTest(st.c);
        if (kc !== undefined) {
          // Only the branch taken is compiled.
          const taken = kc ? st.t : st.f;
          if (!taken) return false;
          return this.stmts(taken);
        }
        this.test(st.c);
        this.hint(this.hintFor(st.t, st.f ?? []));
        this.open(Op.if, VOID);
        this.branchDepth++;
        const before = this.pcConst, pending = this.pcPending;
        const lt = this.stmts(st.t);
        // A branch that goes on must leave the pc as it found it.
        if (!lt && this.pcPending !== pending) {
          this.fail("the pc assigned in a branch that goes on");
        }
        const pt = this.pcConst;
        this.pcConst = before;
        this.pcPending = pending;
        let lf = false;
        this.emit(Op.else);
        if (st.f) lf = this.stmts(st.f);
        if (!lf && this.pcPending !== pending) {
          this.fail("the pc assigned in a branch that goes on");
        }
        this.pcPending = pending;
        const pf = this.pcConst;
        this.end();
        this.branchDepth--;
        // The pc both branches that go on agree on, if any.
        this.pcConst = lt
          ? (lf ? undefined : pf)
          : lf || pt === pf
          ? pt
          : undefined;
        return lt && lf;
      }
      case "return": {
        const n = st.e ? offsetFromI(st.e) : undefined;
        if (n !== undefined) {
          this.br(this.opDepth);
          return true;
        }
        this.exit(st.e!);
        return true;
      }
      case "throw":
        this.fail("throw is not compiled");
    }
  }

  /** In a guarded version: the base and offset if `e` is `(T + k) | 0` for a temporary `T` that holds a base register. */
  private basePlus(e: Expr): { base: number; off: number } | undefined {
    const a = tempPlus(e);
    if (a === undefined) return;
    const base = this.tempBase.get(a.temp);
    if (base === undefined) return;
    const off = this.constInt32(a.k);
    return off !== undefined && Math.abs(off) < 2 ** 20
      ? { base, off }
      : undefined;
  }

  private exprStmt(e: Expr): void {
    if (e.k === "assign") {
      const value: Expr = e.op === "="
        ? e.value
        : { k: "bin", op: e.op.slice(0, -1), l: e.target, r: e.value };
      return this.assign(e.target, value);
    }
    if (e.k === "update") {
      return this.assign(e.target, {
        k: "bin",
        op: e.op === "++" ? "+" : "-",
        l: e.target,
        r: { k: "num", v: 1 },
      });
    }
    if (e.k === "call") {
      const t = this.callExpr(e, false);
      if (t !== null) this.emit(Op.drop);
      return;
    }
    this.fail("an expression statement other than an assignment or a call");
  }

  private lookup(name: string): Local | undefined {
    for (let k = this.nLocals - 1; k >= 0; k--) {
      if (this.localNames[k] === name) return this.localInfo[k];
    }
  }

  private assign(target: Expr, value: Expr): void {
    if (target.k === "id") {
      const l = this.lookup(target.name);
      if (!l) this.fail(`assignment to "${target.name}"`);
      const vt = this.typeOf(value);
      if (
        l.ty === "f64" ||
        vt === l.ty ||
        (l.ty === "i32" && this.constInt32(value) !== undefined)
      ) {
        this.exprAs(value, l.ty);
        this.set(l.local);
        return;
      }
      this.fail(`local "${target.name}" holding another type`);
    }
    const f = stateField(target);
    if (f !== undefined) {
      const tl = this.tempLocal.get(f);
      if (tl !== undefined) {
        this.intSlot(value);
        this.set(tl);
        const cell = this.guarded && this.branchDepth === 0
          ? this.regCell(value)
          : undefined;
        if (cell !== undefined && this.bases.has(cell)) {
          this.tempBase.set(f, cell);
        } else this.tempBase.delete(f);
        return;
      }
      const fi = this.info.fields.get(f);
      if (fi?.kind !== "slot") this.fail(`assignment to field "${f}"`);
      if (f === this.info.pcField) {
        const k = this.constInt32(value);
        this.pcConst = k;
        if (k !== undefined) {
          // Stored only if the pc leaves the region.
          this.pcPending = k;
          return;
        }
        this.pcPending = undefined;
      }
      this.i32c(fi.addr);
      this.intSlot(value, true);
      this.mem(Op.i32_store, 2);
      return;
    }
    if (target.k === "index") {
      const reg = this.regCell(target);
      if (reg !== undefined) {
        this.int(value);
        this.set(reg);
        return;
      }
      const a = this.arrayOf(target);
      this.address(target.idx, a.elem);
      if (a.elem === "f64") this.f64(value);
      else if (a.elem === "f32") {
        this.f64(value);
        this.emit(Op.f32_demote_f64);
      } else this.int(value);
      this.mem(STORE[a.elem], ALIGN[a.elem], a.base);
      return;
    }
    this.fail("assignment to something other than a local, field or element");
  }

  /** Leaves the block with exit code `e` (see the module doc). */
  private exit(e: Expr): void {
    const b = this.block!;
    const k = this.constOf(e);
    // A direct goto: its target is known.
    const to = (k === EXIT_GOTO0 || k === EXIT_GOTO1)
      ? this.pcConst
      : undefined;
    const self = to !== undefined && this.blockIndex.get(to) === this.current;
    // Back to its own start the block keeps its registers in locals.
    if (!self) this.storeRegs();
    // The block completes: count it.
    this.get(this.lBudget);
    this.i32c(b.icount);
    this.emit(Op.i32_sub);
    this.set(this.lBudget);
    this.get(this.lOps);
    this.i32c(b.nops);
    this.emit(Op.i32_add);
    this.set(this.lOps);
    if (to !== undefined) {
      this.get(this.lBudget);
      this.i32c(0);
      this.emit(Op.i32_le_s);
      this.hint(0); // The budget runs out once per entry.
      this.open(Op.if, VOID);
      if (self) this.storeRegs();
      this.flushPc();
      this.i32c(k!); // EXIT_GOTO0 or EXIT_GOTO1
      this.set(this.lCode);
      this.br(this.exitDepth);
      this.end();
      const j = this.blockIndex.get(to);
      if (self) {
        this.selfUsed = true;
        this.br(this.selfLabel);
      } else if (j !== undefined && j > this.current) {
        // Forward: straight to the block's code.
        this.br(this.blockLabel[j]);
      } else if (j !== undefined) {
        this.i32c(j);
        this.set(this.lNext);
        this.br(this.loopDepth);
      } else {
        this.flushPc();
        this.i32c(this.slotFor(to));
        this.set(this.lSlot);
        this.br(this.chainDepth);
      }
      return;
    }
    this.flushPc();
    if (k === EXIT_LOOKUP) {
      // A region head in the jump cache: chain to it.
      const s = this.info.scratch;
      this.get(this.lBudget);
      this.i32c(0);
      this.emit(Op.i32_gt_s);
      this.open(Op.if, VOID);
      // Where it went while interpreted (the last target first), if in the
      // region: stay in the region.
      for (const t of b.lookups ?? []) {
        const j = this.blockIndex.get(t);
        if (j === undefined) continue;
        this.i32c(s.pc);
        this.mem(Op.i32_load, 2);
        this.i32c(t);
        this.emit(Op.i32_eq);
        this.open(Op.if, VOID);
        if (j > this.current) this.br(this.blockLabel[j]);
        else {
          this.i32c(j);
          this.set(this.lNext);
          this.br(this.loopDepth);
        }
        this.end();
      }
      this.i32c(s.pc);
      this.mem(Op.i32_load, 2);
      this.i32c(2);
      this.emit(Op.i32_shr_u);
      this.i32c(JC_SIZE - 1);
      this.emit(Op.i32_and);
      this.tee(this.lSlot);
      this.i32c(2);
      this.emit(Op.i32_shl);
      this.mem(Op.i32_load, 2, s.jc);
      this.i32c(s.pc);
      this.mem(Op.i32_load, 2);
      this.emit(Op.i32_eq);
      this.open(Op.if, VOID);
      this.br(this.chainDepth);
      this.end();
      this.end();
    }
    this.int(e);
    this.set(this.lCode);
    this.br(this.exitDepth);
  }

  // ---- Expressions ----

  /** The value of `e` if it is a constant. */
  private constOf(e: Expr): number | undefined {
    switch (e.k) {
      case "num":
        return e.v;
      case "index": {
        const p = paramRef(e);
        if (p !== undefined) return this.code[this.at + p];
        return;
      }
      case "id": {
        const l = this.lookup(e.name);
        if (l) return l.k;
        const v = this.info.helpers[e.name];
        return typeof v === "number" ? v : undefined;
      }
      case "member": {
        const f = stateField(e);
        if (f === undefined || this.tempLocal.has(f)) return;
        const fi = this.info.fields.get(f);
        return fi?.kind === "const" ? fi.value : undefined;
      }
      case "un": {
        const v = this.constOf(e.e);
        if (v === undefined) return;
        if (e.op === "-") return -v;
        if (e.op === "~") return ~v;
        if (e.op === "+") return v;
        return;
      }
      case "bin": {
        const l = this.constOf(e.l);
        if (l === undefined) return;
        const r = this.constOf(e.r);
        if (r === undefined) return;
        switch (e.op) {
          case "+":
            return l + r;
          case "-":
            return l - r;
          case "*":
            return l * r;
          case "|":
            return l | r;
          case "&":
            return l & r;
          case "^":
            return l ^ r;
          case "<<":
            return l << r;
          case ">>":
            return l >> r;
          case ">>>":
            return l >>> r;
        }
        return;
      }
    }
  }

  private constInt32(e: Expr): number | undefined {
    const v = this.constOf(e);
    return v !== undefined && v === (v | 0) && !Object.is(v, -0)
      ? v
      : undefined;
  }

  /** The type {@link expr} gives `e`, without emitting it. */
  private typeOf(e: Expr): Ty {
    const k = this.constOf(e);
    if (k !== undefined) {
      return this.isInt32(k)
        ? "i32"
        : Number.isInteger(k) && k >= 0 && k < 4294967296
        ? "u32"
        : "f64";
    }
    switch (e.k) {
      case "bool":
        return "bool";
      case "id":
        return this.lookup(e.name)?.ty ?? "f64";
      case "member":
        return "i32";
      case "index": {
        const f = stateField(e.obj);
        const fi = f === undefined ? undefined : this.info.fields.get(f);
        if (fi?.kind !== "array" || fi.regs) return "i32";
        return fi.elem === "f32" || fi.elem === "f64"
          ? "f64"
          : fi.elem === "u32"
          ? "u32"
          : "i32";
      }
      case "call": {
        const c = e.callee;
        if (
          c.k === "member" && c.obj.k === "id" && c.obj.name === "Math" &&
          (c.prop === "imul" || c.prop === "clz32")
        ) return "i32";
        return this.isIntrinsicCall(e) ? "i32" : "f64";
      }
      case "un": {
        if (e.op === "~") return "i32";
        if (e.op === "!") return "bool";
        if (e.op === "+") {
          const t = this.typeOf(e.e);
          return t === "bool" ? "i32" : t;
        }
        return "f64";
      }
      case "bin":
        switch (e.op) {
          case "|":
          case "&":
          case "^":
          case "<<":
          case ">>":
            return "i32";
          case ">>>":
            return "u32";
          case "+":
          case "-":
          case "*":
          case "/":
          case "%":
            return "f64";
        }
        return "bool";
      case "cond": {
        const kc = this.constTest(e.c);
        if (kc !== undefined) return this.typeOf(kc ? e.t : e.f);
        const tt = this.typeOf(e.t), tf = this.typeOf(e.f);
        return tt === tf ? tt : "f64";
      }
    }
    return "f64";
  }

  /** The truth of condition `e` if it is known at compile time. */
  private constTest(e: Expr): boolean | undefined {
    if (e.k === "bool") return e.v;
    if (e.k === "un" && e.op === "!") {
      const v = this.constTest(e.e);
      return v === undefined ? undefined : !v;
    }
    if (e.k === "bin") {
      if (e.op === "&&" || e.op === "||") {
        const l = this.constTest(e.l);
        if (l === undefined) return;
        if (e.op === "&&" ? !l : l) return l;
        return this.constTest(e.r);
      }
      if (this.guarded) {
        const f = this.guardFold(e);
        if (f !== undefined) return f;
      }
      const l = this.constOf(e.l), r = this.constOf(e.r);
      if (l === undefined || r === undefined) return;
      switch (e.op) {
        case "===":
        case "==":
          return l === r;
        case "!==":
        case "!=":
          return l !== r;
        case "<":
          return l < r;
        case ">":
          return l > r;
        case "<=":
          return l <= r;
        case ">=":
          return l >= r;
      }
      return;
    }
    const k = this.constOf(e);
    return k === undefined ? undefined : k !== 0 && k === k;
  }

  private constant(v: number): Ty {
    if (v === (v | 0) && !Object.is(v, -0)) {
      this.i32c(v);
      return "i32";
    }
    if (Number.isInteger(v) && v >= 0 && v < 4294967296) {
      this.i32c(v | 0);
      return "u32";
    }
    this.f64c(v);
    return "f64";
  }

  /** Emits `e` converted to type `ty` (a widening: to f64, or the same). */
  private exprAs(e: Expr, ty: Ty): void {
    if (ty === "f64") return this.f64(e);
    const t = this.expr(e);
    if (t !== ty && !(ty === "i32" && t === "bool")) {
      this.fail(`a ${t} value where ${ty} is needed`);
    }
  }

  private f64(e: Expr): void {
    const t = this.expr(e);
    if (t === "i32") this.emit(Op.f64_convert_i32_s);
    else if (t === "u32" || t === "bool") this.emit(Op.f64_convert_i32_u);
  }

  /** Emits a truth value of `e` (nonzero i32 is true). */
  private test(e: Expr): void {
    const t = this.expr(e);
    if (t === "f64") {
      this.emit(Op.f64_abs);
      this.f64c(0);
      this.emit(Op.f64_gt);
    }
  }

  /** Whether `e`'s value is an integer small enough that i32 arithmetic on it is exact modulo 2^32. */
  private intish(e: Expr, d = 0): boolean {
    if (d > 6) return false;
    const k = this.constOf(e);
    if (k !== undefined) return Number.isInteger(k) && Math.abs(k) <= 2 ** 32;
    if (e.k === "bin" && (e.op === "+" || e.op === "-")) {
      return this.intish(e.l, d + 1) && this.intish(e.r, d + 1);
    }
    if (e.k === "un" && e.op === "-") return this.intish(e.e, d + 1);
    const t = this.typeOf(e);
    return t === "i32" || t === "u32" || t === "bool";
  }

  /** Emits ToInt32(e) as i32 bits (what a bitwise operator or an Int32Array store sees). */
  private int(e: Expr): void {
    const k = this.constOf(e);
    if (k !== undefined) {
      this.i32c(toInt32(k));
      return;
    }
    if (e.k === "bin" && (e.op === "+" || e.op === "-") && this.intish(e)) {
      this.int(e.l);
      // x + 0 and x - 0: ToInt32(x).
      if (this.constOf(e.r) !== 0) {
        this.int(e.r);
        this.emit(e.op === "+" ? Op.i32_add : Op.i32_sub);
      }
      return;
    }
    if (e.k === "un" && e.op === "-" && this.intish(e.e)) {
      this.i32c(0);
      this.int(e.e);
      this.emit(Op.i32_sub);
      return;
    }
    if (e.k === "cond") {
      const kc = this.constTest(e.c);
      if (kc !== undefined) return this.int(kc ? e.t : e.f);
      if (this.condNoBranch(e)) return;
      this.test(e.c);
      this.hint(this.hintFor([{ k: "expr", e: e.t }], [{ k: "expr", e: e.f }]));
      this.open(Op.if, I32);
      this.int(e.t);
      this.emit(Op.else);
      this.int(e.f);
      this.end();
      return;
    }
    if (
      e.k === "bin" && e.op === "%" && this.typeOf(e.l) === "i32" &&
      this.typeOf(e.r) === "i32"
    ) {
      // ToInt32(l % r): 0 when r is 0 (NaN), else the remainder.
      const l = this.opLocal(I32), r = this.opLocal(I32);
      this.expr(e.l);
      this.set(l);
      this.expr(e.r);
      this.tee(r);
      this.emit(Op.i32_eqz);
      this.open(Op.if, I32);
      this.i32c(0);
      this.emit(Op.else);
      this.get(l);
      this.get(r);
      this.emit(Op.i32_rem_s);
      this.end();
      return;
    }
    if (this.isHelperCall(e)) {
      // The import returns ToInt32 of the helper's result.
      this.callExpr(e, true, "i");
      return;
    }
    const t = this.expr(e);
    if (t === "f64") this.f64ToInt32();
  }

  /**
   * Emits ToInt32 of `c ? t : f` without a branch where that is cheaper
   * than one that guest data may make unpredictable (a carry, a compare
   * of hashes): `c ? 1 : 0` is the test itself, `c ? 0 : 1` its negation,
   * and two int32 arms that cannot trap or call out are both computed and
   * picked by `select`. Returns false, having emitted nothing, otherwise.
   */
  private condNoBranch(e: Extract<Expr, { k: "cond" }>): boolean {
    const kt = this.constOf(e.t), kf = this.constOf(e.f);
    if ((kt === 1 && kf === 0) || (kt === 0 && kf === 1)) {
      // A test is 0 or 1 when it is a comparison or a number's truth.
      const tc = this.typeOf(e.c);
      this.test(e.c);
      const is01 = tc === "bool" || tc === "f64";
      if (!is01) this.emit(Op.i32_eqz);
      if ((kt === 1) !== is01) this.emit(Op.i32_eqz);
      return true;
    }
    const cheap = (a: Expr) =>
      this.pure(a, 5) && this.intish(a, 4) && !this.isIntrinsicCall(a);
    if (!cheap(e.t) || !cheap(e.f) || !this.pure(e.c, 5)) return false;
    this.int(e.t);
    this.int(e.f);
    this.test(e.c);
    this.emit(Op.select);
    return true;
  }

  /** f64 on the stack to ToInt32 bits. */
  private f64ToInt32(): void {
    const f = this.opLocal(F64);
    this.tee(f);
    this.emit(Op.f64_abs);
    this.f64c(2 ** 63);
    this.emit(Op.f64_lt);
    this.hint(1);
    this.open(Op.if, I32);
    this.get(f);
    this.emit(0xfc, FC.i64_trunc_sat_f64_s, Op.i32_wrap_i64);
    this.emit(Op.else);
    this.get(f);
    this.call(this.import("toInt32", "f", true, "i"));
    this.end();
  }

  /**
   * Emits `e` for an int32 slot. A temporary holds int32 values (the
   * rules): a value not statically int32 is checked when stored. A number
   * field may hold any number: there (`strict`) such a value is not
   * compiled, and the oplet stays in the interpreter.
   */
  private intSlot(e: Expr, strict = false): void {
    if (e.k === "cond") {
      const kc = this.constTest(e.c);
      if (kc !== undefined) return this.intSlot(kc ? e.t : e.f, strict);
      if (this.condNoBranch(e)) return;
      this.test(e.c);
      this.hint(this.hintFor([{ k: "expr", e: e.t }], [{ k: "expr", e: e.f }]));
      this.open(Op.if, I32);
      this.intSlot(e.t, strict);
      this.emit(Op.else);
      this.intSlot(e.f, strict);
      this.end();
      return;
    }
    const k = this.constOf(e);
    if (k !== undefined) {
      if (this.constInt32(e) === undefined) {
        this.fail(`the non-int32 constant ${k} in an int32 slot`);
      }
      this.i32c(k);
      return;
    }
    if (strict && this.typeOf(e) !== "i32") {
      this.fail("a value that may not be int32 in a number field");
    }
    if (this.isHelperCall(e)) {
      // The import checks that the result is an int32 and returns it.
      this.callExpr(e, true, "I");
      return;
    }
    const t = this.expr(e);
    if (t === "i32") return;
    if (t === "bool") this.fail("a boolean in an int32 slot");
    const f = this.opLocal(F64), i = this.opLocal(I32);
    if (t === "u32") this.emit(Op.f64_convert_i32_u);
    this.tee(f);
    this.emit(0xfc, FC.i32_trunc_sat_f64_s);
    this.tee(i);
    this.emit(Op.f64_convert_i32_s);
    this.get(f);
    this.emit(Op.f64_ne);
    this.hint(0);
    this.open(Op.if, VOID);
    this.get(f);
    this.call(this.import("notInt", "f", false));
    this.end();
    this.get(i);
  }

  /** The local of a register-file cell `s.R[c[i + N]]`, if `e` is one. */
  private regCell(e: Expr): number | undefined {
    if (e.k !== "index") return;
    const f = stateField(e.obj);
    if (f === undefined) return;
    const fi = this.info.fields.get(f);
    if (fi?.kind !== "array" || !fi.regs) return;
    const idx = this.constOf(e.idx);
    if (idx === undefined) {
      this.fail(`register file "${f}" with a variable index`);
    }
    const l = this.regLocal.get(f)?.get(idx);
    if (l === undefined) {
      this.fail(`register file "${f}" with a computed index`);
    }
    return l;
  }

  private arrayOf(e: Extract<Expr, { k: "index" }>) {
    const f = stateField(e.obj);
    const fi = f === undefined ? undefined : this.info.fields.get(f);
    if (fi?.kind !== "array") {
      this.fail(
        `element of something other than a typed array over guest memory`,
      );
    }
    return fi;
  }

  /** Emits the byte address of element `idx` (without the array's base, which is the access's offset). */
  private address(idx: Expr, elem: Elem): void {
    const size = ELEM_SIZE[elem];
    const shift = Math.log2(size);
    if (
      shift > 0 && idx.k === "bin" && idx.op === ">>>" &&
      this.constOf(idx.r) === shift
    ) {
      // a >>> k, scaled back: a with its low bits cleared.
      this.int(idx.l);
      this.i32c(-size);
      this.emit(Op.i32_and);
      return;
    }
    const k = this.constOf(idx);
    if (
      k !== undefined && Number.isInteger(k) && k >= 0 && k * size < 2 ** 31
    ) {
      // A constant index (a float register's, mostly): its byte address.
      this.i32c(k * size);
      return;
    }
    const t = this.typeOf(idx);
    if (t === "i32" || t === "u32") this.expr(idx);
    else if (this.intish(idx)) {
      // An integer sum: its int32 bits, scaled, are the byte address
      // modulo 2^32 (an index in range never wraps).
      this.int(idx);
    } else this.fail("an element index that is not an integer");
    if (shift > 0) {
      this.i32c(shift);
      this.emit(Op.i32_shl);
    }
  }

  /** Emits `e`; returns its type. */
  private expr(e: Expr): Ty {
    const k = this.constOf(e);
    if (k !== undefined) return this.constant(k);
    switch (e.k) {
      case "bool":
        this.i32c(e.v ? 1 : 0);
        return "bool";
      case "id": {
        const l = this.lookup(e.name);
        if (!l) this.fail(`the name "${e.name}"`);
        this.get(l.local);
        return l.ty;
      }
      case "member": {
        const f = stateField(e);
        if (f === undefined) {
          this.fail("a member of something other than the state");
        }
        const tl = this.tempLocal.get(f);
        if (tl !== undefined) {
          this.get(tl);
          return "i32";
        }
        const fi = this.info.fields.get(f);
        if (fi?.kind !== "slot") this.fail(`the field "${f}" as a value`);
        if (f === this.info.pcField && this.pcConst !== undefined) {
          this.i32c(this.pcConst);
          return "i32";
        }
        this.i32c(fi.addr);
        this.mem(Op.i32_load, 2);
        return "i32";
      }
      case "index": {
        const reg = this.regCell(e);
        if (reg !== undefined) {
          this.get(reg);
          return "i32";
        }
        const a = this.arrayOf(e);
        this.address(e.idx, a.elem);
        this.mem(LOAD[a.elem], ALIGN[a.elem], a.base);
        if (a.elem === "f32") {
          this.emit(Op.f64_promote_f32);
          return "f64";
        }
        return a.elem === "f64" ? "f64" : a.elem === "u32" ? "u32" : "i32";
      }
      case "call": {
        const t = this.callExpr(e, true);
        return t!;
      }
      case "un":
        return this.unary(e);
      case "bin":
        return this.binary(e);
      case "cond": {
        const kc = this.constTest(e.c);
        if (kc !== undefined) return this.expr(kc ? e.t : e.f);
        const tt = this.typeOf(e.t), tf = this.typeOf(e.f);
        const ty: Ty = tt === tf ? tt : "f64";
        if (ty === "i32" && this.condNoBranch(e)) return ty;
        this.test(e.c);
        this.hint(
          this.hintFor([{ k: "expr", e: e.t }], [{ k: "expr", e: e.f }]),
        );
        this.open(Op.if, ty === "f64" ? F64 : I32);
        this.exprAs(e.t, ty);
        this.emit(Op.else);
        this.exprAs(e.f, ty);
        this.end();
        return ty;
      }
    }
    this.fail(`the expression kind "${e.k}"`);
  }

  private unary(e: Extract<Expr, { k: "un" }>): Ty {
    switch (e.op) {
      case "-":
        this.f64(e.e);
        this.emit(Op.f64_neg);
        return "f64";
      case "+": {
        const t = this.expr(e.e);
        return t === "bool" ? "i32" : t;
      }
      case "~":
        this.int(e.e);
        this.i32c(-1);
        this.emit(Op.i32_xor);
        return "i32";
      case "!":
        this.test(e.e);
        this.emit(Op.i32_eqz);
        return "bool";
    }
    this.fail(`the operator "${e.op}"`);
  }

  private binary(e: Extract<Expr, { k: "bin" }>): Ty {
    const op = INT_OP[e.op];
    if (op !== undefined) {
      this.int(e.l);
      // x | 0, x ^ 0 and shifts by 0 leave ToInt32(x)'s bits as they are.
      if (e.op === "&" || this.constOf(e.r) !== 0) {
        this.int(e.r);
        this.emit(op);
      }
      return e.op === ">>>" ? "u32" : "i32";
    }
    const fop = F64_OP[e.op];
    if (fop !== undefined) {
      this.f64(e.l);
      this.f64(e.r);
      this.emit(fop);
      return "f64";
    }
    if (e.op === "%") {
      const tl = this.typeOf(e.l), tr = this.typeOf(e.r);
      if ((tl === "i32" && tr === "i32") || (tl === "u32" && tr === "u32")) {
        const l = this.opLocal(I32), r = this.opLocal(I32);
        this.expr(e.l);
        this.set(l);
        this.expr(e.r);
        this.tee(r);
        this.emit(Op.i32_eqz);
        this.open(Op.if, F64);
        this.f64c(NaN);
        this.emit(Op.else);
        this.get(l);
        this.get(r);
        this.emit(tl === "i32" ? Op.i32_rem_s : Op.i32_rem_u);
        this.emit(tl === "i32" ? Op.f64_convert_i32_s : Op.f64_convert_i32_u);
        this.end();
        return "f64";
      }
      this.fail("% on values that are not both int32 or both uint32");
    }
    if (e.op === "&&" || e.op === "||") {
      if (this.typeOf(e.l) !== "bool" || this.typeOf(e.r) !== "bool") {
        this.fail(`${e.op} on values that are not booleans`);
      }
      if (e.op === "&&" && this.alignedBelow(e.l, e.r)) return "bool";
      const kr = this.constTest(e.r);
      if (kr === (e.op === "&&")) {
        // x && true, x || false: x.
        this.expr(e.l);
        return "bool";
      }
      if (this.pure(e.r)) {
        // Both sides, then one i32 operation: no branch (a pure right side
        // has no effect and cannot trap).
        this.expr(e.l);
        this.expr(e.r);
        this.emit(e.op === "&&" ? Op.i32_and : Op.i32_or);
        return "bool";
      }
      this.expr(e.l);
      this.open(Op.if, I32);
      if (e.op === "&&") this.expr(e.r);
      else this.i32c(1);
      this.emit(Op.else);
      if (e.op === "&&") this.i32c(0);
      else this.expr(e.r);
      this.end();
      return "bool";
    }
    const cmp = CMP_OP[e.op];
    if (cmp !== undefined) {
      const tl = this.typeOf(e.l), tr = this.typeOf(e.r);
      const kl = this.constOf(e.l), kr = this.constOf(e.r);
      if (tl === "bool" || tr === "bool") {
        if (tl === tr && cmp[0] === cmp[1]) {
          this.expr(e.l);
          this.expr(e.r);
          this.emit(cmp[0]);
          return "bool";
        }
        this.fail("a comparison of a boolean with a number");
      }
      const isU = (t: Ty, k: number | undefined) =>
        k !== undefined
          ? Number.isInteger(k) && k >= 0 && k < 2 ** 32
          : t === "u32";
      const isS = (t: Ty, k: number | undefined) =>
        k !== undefined ? this.isInt32(k) : t === "i32";
      if (isS(tl, kl) && isS(tr, kr)) {
        this.int(e.l);
        this.int(e.r);
        this.emit(cmp[0]);
      } else if (isU(tl, kl) && isU(tr, kr)) {
        this.int(e.l);
        this.int(e.r);
        this.emit(cmp[1]);
      } else {
        this.f64(e.l);
        this.f64(e.r);
        this.emit(cmp[2]);
      }
      return "bool";
    }
    this.fail(`the operator "${e.op}"`);
  }

  /**
   * `(X & M) === 0 && ((X - K) >>> 0) < S` with constants M = 2^k - 1 and
   * K a multiple of 2^k (an aligned access within a range, as the memory
   * oplets check it): emitted as one comparison, `rotr(X - K, k) <u
   * ceil(S / 2^k)`. A misaligned X - K keeps low bits, which the rotation
   * makes high bits, so the comparison fails; an aligned one is below S
   * exactly when its quotient by 2^k is below ceil(S / 2^k). Returns
   * whether it matched (and was emitted).
   */
  private alignedBelow(l: Expr, r: Expr): boolean {
    if (
      l.k !== "bin" || l.op !== "===" || l.l.k !== "bin" || l.l.op !== "&" ||
      this.constOf(l.r) !== 0 || r.k !== "bin" || r.op !== "<" ||
      r.l.k !== "bin" || r.l.op !== ">>>" || this.constOf(r.l.r) !== 0 ||
      r.l.l.k !== "bin" || r.l.l.op !== "-"
    ) return false;
    const x = l.l.l, mask = this.constOf(l.l.r);
    const k = mask === 1 ? 1 : mask === 3 ? 2 : mask === 7 ? 3 : 0;
    const base = this.constOf(r.l.l.r), below = this.constOf(r.r);
    if (
      k === 0 || base === undefined || below === undefined ||
      !Number.isInteger(base) || base % (1 << k) !== 0 ||
      !Number.isInteger(below) || below < 0 || below >= 2 ** 32 ||
      !sameName(x, r.l.l.l) || !this.pure(x) || this.typeOf(x) !== "i32"
    ) return false;
    this.int(x);
    this.i32c(base);
    this.emit(Op.i32_sub);
    this.i32c(k);
    this.emit(I32_ROTR);
    this.i32c(Math.ceil(below / (1 << k)));
    this.emit(Op.i32_lt_u);
    return true;
  }

  /**
   * Whether evaluating `e` has no effect and cannot trap or call out:
   * constants, locals, temporaries, scratch words, elements at constant
   * indices of arrays over guest memory (registers, float registers),
   * `Math.*` of such, and operators on them other than division and
   * remainder (which may trap on int32).
   */
  private pure(e: Expr, d = 0): boolean {
    if (d > 8) return false;
    if (this.constOf(e) !== undefined) return true;
    switch (e.k) {
      case "bool":
        return true;
      case "id":
        return this.lookup(e.name) !== undefined;
      case "member": {
        const f = stateField(e);
        if (f === undefined) return false;
        if (this.tempLocal.has(f)) return true;
        const k = this.info.fields.get(f)?.kind;
        return k === "slot" || k === "const";
      }
      case "index": {
        const f = stateField(e.obj);
        const fi = f === undefined ? undefined : this.info.fields.get(f);
        return fi?.kind === "array" && this.constOf(e.idx) !== undefined;
      }
      case "un":
        return e.op !== "-" && this.pure(e.e, d + 1);
      case "bin":
        return (PURE_BIN.has(e.op) || e.op === "*") &&
          this.pure(e.l, d + 1) && this.pure(e.r, d + 1);
      case "call": {
        const c = e.callee;
        return (this.isIntrinsicCall(e) ||
          c.k === "member" && c.obj.k === "id" && c.obj.name === "Math" &&
            !this.lookup("Math")) && e.args.every((a) => this.pure(a, d + 1));
      }
    }
    return false;
  }

  /** The hint for an `if` whose branches are `t` and `f`: 1 likely, 0 unlikely. */
  private hintFor(t: readonly Stmt[], f: readonly Stmt[]): number | undefined {
    const ct = leavesFastPath(t, this.info.helpers);
    const cf = leavesFastPath(f, this.info.helpers);
    return ct === cf ? undefined : cf ? 1 : 0;
  }

  private isInt32(k: number): boolean {
    return k === (k | 0) && !Object.is(k, -0);
  }

  /** A call: `Math.*` or a helper. Returns the result type, or null for none. */
  private callExpr(
    e: Extract<Expr, { k: "call" }>,
    value: boolean,
    resultKind: "f" | "i" | "I" = "f",
  ): Ty | null {
    const c = e.callee;
    if (
      c.k === "member" && c.obj.k === "id" && c.obj.name === "Math" &&
      !this.lookup("Math")
    ) {
      return this.math(c.prop, e.args);
    }
    if (c.k !== "id" || typeof this.info.helpers[c.name] !== "function") {
      this.fail("a call of something other than Math.* or a helper");
    }
    const widen = JIT_INTRINSICS.get(this.info.helpers[c.name]);
    if (widen !== undefined) {
      if (e.args.length !== 2) this.fail(`${c.name} without 2 arguments`);
      this.int(e.args[0]);
      this.emit(widen[0]);
      this.int(e.args[1]);
      this.emit(widen[1], I64_MUL);
      this.emit(I64_CONST, 32, I64_SHR_U);
      this.emit(Op.i32_wrap_i64);
      if (!value) this.emit(Op.drop);
      return value ? "i32" : null;
    }
    let kinds = "";
    const args: Expr[] = [];
    for (const a of e.args) {
      if (a.k === "id" && a.name === "s") {
        kinds += "s";
        continue;
      }
      const t = this.typeOf(a);
      kinds += t === "i32" ? "i" : t === "u32" ? "u" : t === "bool" ? "b" : "f";
      args.push(a);
    }
    const ix = this.import(c.name, kinds, value, value ? resultKind : "f");
    // Helpers see guest memory and the number fields, not the registers
    // held in locals (the rules); a fault they throw is caught around the
    // block, which writes back its registers and the counters.
    const argKinds = kinds.length === args.length
      ? kinds
      : kinds.replaceAll("s", "");
    for (let n = 0; n < args.length; n++) {
      if (argKinds[n] === "f") this.f64(args[n]);
      else this.expr(args[n]);
    }
    this.call(ix);
    this.calls++;
    return value ? (resultKind === "f" ? "f64" : "i32") : null;
  }

  /** Whether `e` calls a helper (not `Math.*`, not an intrinsic). */
  private isHelperCall(e: Expr): e is Extract<Expr, { k: "call" }> {
    return e.k === "call" && e.callee.k === "id" &&
      typeof this.info.helpers[e.callee.name] === "function" &&
      !this.isIntrinsicCall(e);
  }

  /** Whether `e` calls a helper that compiles inline ({@link JIT_INTRINSICS}). */
  private isIntrinsicCall(e: Expr): boolean {
    return e.k === "call" && e.callee.k === "id" &&
      JIT_INTRINSICS.has(this.info.helpers[e.callee.name]);
  }

  private math(name: string, args: readonly Expr[]): Ty {
    const one = (op: number): Ty => {
      if (args.length !== 1) {
        this.fail(`Math.${name} with ${args.length} arguments`);
      }
      this.f64(args[0]);
      this.emit(op);
      return "f64";
    };
    switch (name) {
      case "imul":
        if (args.length !== 2) this.fail("Math.imul without 2 arguments");
        this.int(args[0]);
        this.int(args[1]);
        this.emit(Op.i32_mul);
        return "i32";
      case "clz32":
        if (args.length !== 1) this.fail("Math.clz32 without 1 argument");
        this.int(args[0]);
        this.emit(Op.i32_clz);
        return "i32";
      case "abs":
        return one(Op.f64_abs);
      case "floor":
        return one(Op.f64_floor);
      case "ceil":
        return one(Op.f64_ceil);
      case "trunc":
        return one(Op.f64_trunc);
      case "sqrt":
        return one(Op.f64_sqrt);
      case "fround":
        this.f64(args[0]);
        this.emit(Op.f32_demote_f64, Op.f64_promote_f32);
        if (args.length !== 1) this.fail("Math.fround without 1 argument");
        return "f64";
      case "min":
      case "max":
        if (args.length !== 2) this.fail(`Math.${name} without 2 arguments`);
        this.f64(args[0]);
        this.f64(args[1]);
        this.emit(name === "min" ? Op.f64_min : Op.f64_max);
        return "f64";
      case "round": {
        // JavaScript rounds half up: floor(x), plus one when x - floor(x) >= 0.5.
        if (args.length !== 1) this.fail("Math.round without 1 argument");
        const x = this.opLocal(F64), r = this.opLocal(F64);
        this.f64(args[0]);
        this.tee(x);
        this.emit(Op.f64_floor);
        this.set(r);
        this.get(r);
        this.f64c(1);
        this.emit(Op.f64_add);
        this.get(r);
        this.get(x);
        this.get(r);
        this.emit(Op.f64_sub);
        this.f64c(0.5);
        this.emit(Op.f64_ge);
        this.emit(Op.select);
        return "f64";
      }
    }
    this.fail(`Math.${name}`);
  }
}

/** Bitwise operators on int32 (ToInt32 of each side). */
const INT_OP: Record<string, number> = {
  "|": Op.i32_or,
  "&": Op.i32_and,
  "^": Op.i32_xor,
  "<<": Op.i32_shl,
  ">>": Op.i32_shr_s,
  ">>>": Op.i32_shr_u,
};

/** Arithmetic on numbers. */
const F64_OP: Record<string, number> = {
  "+": Op.f64_add,
  "-": Op.f64_sub,
  "*": Op.f64_mul,
  "/": Op.f64_div,
};

/** Comparisons: on int32, on uint32, on numbers. */
const CMP_OP: Record<string, [number, number, number]> = {
  "<": [Op.i32_lt_s, Op.i32_lt_u, Op.f64_lt],
  ">": [Op.i32_gt_s, Op.i32_gt_u, Op.f64_gt],
  "<=": [Op.i32_le_s, Op.i32_le_u, Op.f64_le],
  ">=": [Op.i32_ge_s, Op.i32_ge_u, Op.f64_ge],
  "===": [Op.i32_eq, Op.i32_eq, Op.f64_eq],
  "==": [Op.i32_eq, Op.i32_eq, Op.f64_eq],
  "!==": [Op.i32_ne, Op.i32_ne, Op.f64_ne],
  "!=": [Op.i32_ne, Op.i32_ne, Op.f64_ne],
};

/** `i32.rotr` (not in `wasm_encode.ts`'s table). */
const I32_ROTR = 0x78;

/** Whether `a` and `b` are the same local or state field by name. */
function sameName(a: Expr, b: Expr): boolean {
  if (a.k === "id" && b.k === "id") return a.name === b.name;
  const fa = stateField(a);
  return fa !== undefined && fa === stateField(b);
}

/** Binary operators that cannot trap or call out, on any operand types. */
const PURE_BIN = new Set([
  "|",
  "&",
  "^",
  "<<",
  ">>",
  ">>>",
  "+",
  "-",
  "<",
  ">",
  "<=",
  ">=",
  "===",
  "!==",
  "==",
  "!=",
  "&&",
  "||",
]);

/** JavaScript's ToInt32. */
function toInt32(v: number): number {
  return v | 0;
}
