/**
 * The rules a valid oplet follows, checked in one place on the syntax tree
 * from {@link parseOplet}; every backend reads oplets through
 * {@link readOplet}.
 *
 * - It is `function op_NAME(s, c, i) { ... }`.
 * - Its parameters are read as `c[i + N]` (or `c[N + i]`), `1 <= N <= params`,
 *   and `c` and `i` appear nowhere else, except in `return i + N`.
 * - A non-exit oplet returns only `i + 1 + params` (continue with the next
 *   oplet); an exit oplet returns that or an `EXIT_*` code.
 * - The temporaries are the state fields named in {@link TEMPS}; they hold
 *   int32 values and are dead at block boundaries.
 * - Hoisted fields (read once per block by the dispatchers) are never
 *   written.
 * - `s` appears only as `s.FIELD` or as an argument to a helper.
 * - A helper that takes `s` sees the state only through guest memory and
 *   hoisted fields: never the registers, the temporaries or other number
 *   fields (compiled code keeps those in locals and calls helpers without
 *   writing them back). A helper returns a result for the oplet to store,
 *   and takes a register's value as an argument (tested for every helper
 *   of the riscv32 target in `targets/riscv32/helpers_test.ts`).
 * - Its parameters are never written, and the only names it assigns are
 *   its own locals.
 *
 * Pasting several oplets into one function (the generator's fused oplets)
 * needs a few more, checked by {@link checkFusable}.
 *
 * @module
 */

import type { OpletDef } from "./oplet.ts";
import {
  type Expr,
  type OpletAst,
  parseOplet,
  type Stmt,
  walkExprs,
  walkStmts,
} from "./oplet_source.ts";

/** The temporaries (`s.t0`..`s.t2`): int32 values, dead at block boundaries. */
export const TEMPS: readonly string[] = ["t0", "t1", "t2"];

/** An oplet that breaks a rule of the module doc. */
export class DispatchError extends Error {
  /** Creates the error; `message` is the whole one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "DispatchError";
  }
}

/** An oplet read and checked: its tree and what it touches. */
export interface CheckedOplet {
  /** The oplet's name. */
  readonly name: string;
  /** Its parameter count. */
  readonly params: number;
  /** Whether it may leave the block. */
  readonly exit: boolean;
  /** Its body's syntax tree. */
  readonly body: Stmt[];
  /** The state fields it reads (`s.f` not assigned to). */
  readonly reads: ReadonlySet<string>;
  /** The state fields it assigns (`s.f = ...`; not element writes). */
  readonly writes: ReadonlySet<string>;
  /** Whether it passes the state `s` to a helper. */
  readonly passesState: boolean;
  /** The names its body declares (`const`/`let`), in any block. */
  readonly locals: ReadonlySet<string>;
  /** The other names it uses (helpers, `Math`), besides `s`, `c` and `i`. */
  readonly freeNames: ReadonlySet<string>;
}

/** The parameter number `N` if `e` is `c[i + N]` or `c[N + i]`. */
export function paramRef(e: Expr): number | undefined {
  if (e.k !== "index" || e.obj.k !== "id" || e.obj.name !== "c") return;
  return offsetFromI(e.idx);
}

/** `N` if `e` is `i + N` or `N + i` with a non-negative integer `N`. */
export function offsetFromI(e: Expr): number | undefined {
  if (e.k !== "bin" || e.op !== "+") return;
  // No destructuring: this runs cold, for every index the compiler meets.
  const l = e.l.k === "id";
  const a = l ? e.l : e.r, b = l ? e.r : e.l;
  if (a.k !== "id" || a.name !== "i" || b.k !== "num") return;
  return Number.isInteger(b.v) && b.v >= 0 ? b.v : undefined;
}

/** The field name if `e` is `s.f`. */
export function stateField(e: Expr): string | undefined {
  if (e.k === "member" && e.obj.k === "id" && e.obj.name === "s") return e.prop;
}

const cache = new WeakMap<object, CheckedOplet>();

/**
 * Parses and checks one oplet (see the module doc); `hoisted` are the
 * fields the dispatchers read once per block. Throws {@link DispatchError}
 * naming the oplet and the broken rule.
 *
 * @example
 * ```ts
 * import { defineOplet, readOplet } from "@oplet/emu";
 * function op_addi(s: { t0: number }, c: Int32Array, i: number): number {
 *   s.t0 = (s.t0 + c[i + 1]) | 0;
 *   return i + 2;
 * }
 * const o = readOplet(defineOplet(op_addi, 1));
 * console.log([...o.writes], [...o.reads]); // [ "t0" ] [ "t0" ]
 * ```
 */
export function readOplet<S>(
  o: OpletDef<S>,
  hoisted: readonly string[] = [],
): CheckedOplet {
  const key = o as object;
  let r = cache.get(key);
  if (r === undefined) {
    r = check(o);
    cache.set(key, r);
  }
  for (const f of hoisted) {
    if (r.writes.has(f)) {
      throw new DispatchError(
        `Oplet "${o.name}" writes the hoisted field "s.${f}"`,
      );
    }
  }
  return r;
}

function check<S>(o: OpletDef<S>): CheckedOplet {
  let ast: OpletAst;
  const src = o.fn.toString();
  if (!/^function\b/.test(src.trim())) {
    throw new DispatchError(
      `Oplet "${o.name}" does not start as "function op_NAME(s, c, i) {"`,
    );
  }
  try {
    ast = parseOplet(src, o.name);
  } catch (e) {
    throw new DispatchError((e as Error).message);
  }
  const bad = (what: string) => new DispatchError(`Oplet "${o.name}" ${what}`);
  if (ast.params.join(",") !== "s,c,i") {
    throw bad('does not start as "function op_NAME(s, c, i) {"');
  }
  const next = 1 + o.params;
  const last = ast.body.at(-1);
  if (
    !o.exit &&
    (last?.k !== "return" || !last.e || offsetFromI(last.e) !== next)
  ) {
    throw bad(`does not end with "return i + ${next};"`);
  }
  const writes = new Set<string>();
  // Reads: first the fields compound assignments and updates read, then
  // every other s.f that is not the target of a plain assignment.
  const compoundReads: string[] = [];
  let passesState = false;
  // Every use of c, i and s must be one of the allowed forms: mark the
  // allowed ones, then refuse any other.
  const allowed = new Set<Expr>();
  const returns: Expr[] = [];
  const locals = new Set<string>();
  walkStmts(ast.body, (st) => {
    if (st.k === "return") {
      if (!st.e) throw bad('returns nothing; expected "return i + N;"');
      returns.push(st.e);
    } else if (st.k === "decl") locals.add(st.name);
  });
  for (const e of returns) {
    const n = offsetFromI(e);
    if (n !== undefined) {
      if (n !== next) throw bad(`returns "i + ${n}"; expected "i + ${next}"`);
      allowed.add(e.k === "bin" ? (e.l.k === "id" ? e.l : e.r) : e);
    } else if (!o.exit) {
      throw bad(`returns other than "i + ${next}" but is not an exit oplet`);
    }
  }
  // The targets of plain assignments (their s.f is written, not read).
  const targets = new Set<Expr>();
  walkExprs(ast.body, (e) => {
    if (e.k === "assign" && e.op === "=") targets.add(e.target);
    const n = paramRef(e);
    if (n !== undefined && e.k === "index") {
      if (n < 1 || n > o.params) {
        throw bad(`reads parameter c[i + ${n}] but has ${o.params}`);
      }
      allowed.add(e.obj);
      const idx = e.idx;
      if (idx.k === "bin") allowed.add(idx.l.k === "id" ? idx.l : idx.r);
      return;
    }
    const f = stateField(e);
    if (f !== undefined) {
      allowed.add((e as { obj: Expr }).obj);
      return;
    }
    if (e.k === "assign" || e.k === "update") {
      const t = stateField(e.target);
      if (t !== undefined) {
        writes.add(t);
        if (e.k === "update" || e.op !== "=") compoundReads.push(t);
      }
    }
    if (e.k === "call") {
      for (const a of e.args) {
        if (a.k === "id" && a.name === "s") {
          allowed.add(a);
          passesState = true;
        }
      }
    }
  });
  // One more walk finds the free names and the reads, and the first
  // breach of each remaining rule; an assignment's is reported first.
  const freeNames = new Set<string>();
  const otherReads: string[] = [];
  let assignError: DispatchError | undefined;
  let useError: DispatchError | undefined;
  walkExprs(ast.body, (e) => {
    if (e.k === "assign" || e.k === "update") {
      const t = e.target;
      const n = paramRef(t);
      if (n !== undefined) {
        assignError ??= bad(`writes its parameter c[i + ${n}]`);
      } else if (t.k === "id" && !locals.has(t.name)) {
        assignError ??= bad(
          `assigns to "${t.name}", which is not its own local`,
        );
      }
    } else if (e.k === "id") {
      const name = e.name;
      if (name === "c" || name === "i" || name === "s") {
        if (!allowed.has(e)) {
          useError ??= bad(
            name === "s"
              ? 'uses "s" other than as "s.FIELD" or a helper\'s argument'
              : `uses "${name}" other than as "c[i + N]" or "return i + N"`,
          );
        }
      } else if (!locals.has(name)) freeNames.add(name);
    } else if (e.k === "member" && !targets.has(e)) {
      const f = stateField(e);
      if (f !== undefined) otherReads.push(f);
    }
  });
  if (assignError) throw assignError;
  if (useError) throw useError;
  const reads = new Set(compoundReads);
  for (const f of otherReads) reads.add(f);
  return {
    name: o.name,
    params: o.params,
    exit: o.exit,
    body: ast.body,
    reads,
    writes,
    passesState,
    locals,
    freeNames,
  };
}

/** Whether `name` is a global of the language that an oplet may use (`Math`). */
function isLanguageGlobal(name: string): boolean {
  return name !== "Deno" && name !== "globalThis" && name in globalThis;
}

/**
 * Checks the rules that pasting oplets one after another into one function
 * needs, beyond {@link readOplet}'s (the generator's fused oplets):
 *
 * - a non-exit oplet returns only at its end (its last statement);
 * - every other name it uses is one of `helpers` or a global of the
 *   language (`Math`), and no local takes such a name;
 * - an exit oplet's return expressions assign nothing (the temporaries are
 *   written back before them).
 *
 * Returns the helpers and the globals it uses. Throws {@link DispatchError}
 * naming the oplet and the broken rule.
 *
 * @example
 * ```ts
 * import { checkFusable, defineOplet, readOplet } from "@oplet/emu";
 * function op_abs(s: { t0: number }, c: Int32Array, i: number): number {
 *   s.t0 = Math.abs(s.t0 + c[i + 1]) | 0;
 *   return i + 2;
 * }
 * const used = checkFusable(readOplet(defineOplet(op_abs, 1)), new Set());
 * console.log([...used.globals]); // [ "Math" ]
 * ```
 */
export function checkFusable(
  o: CheckedOplet,
  helpers: ReadonlySet<string>,
): { helpers: ReadonlySet<string>; globals: ReadonlySet<string> } {
  const bad = (what: string) => new DispatchError(`Oplet "${o.name}" ${what}`);
  const last = o.body.at(-1);
  const returns: Expr[] = [];
  walkStmts(o.body, (st, top) => {
    if (
      st.k === "decl" && (helpers.has(st.name) || isLanguageGlobal(st.name))
    ) {
      throw bad(
        `declares "${st.name}", the name of a helper or global that fused oplets use`,
      );
    } else if (st.k === "return") {
      if (!o.exit && !(top && st === last)) {
        throw bad("returns before its end; only an exit oplet may");
      }
      if (st.e) returns.push(st.e);
    }
  });
  for (const e of returns) {
    walkExprs([{ k: "expr", e }], (x) => {
      if (x.k === "assign" || x.k === "update") {
        throw bad("assigns inside its return expression");
      }
    });
  }
  const usedHelpers = new Set<string>(), globals = new Set<string>();
  for (const n of o.freeNames) {
    if (helpers.has(n)) usedHelpers.add(n);
    else if (isLanguageGlobal(n)) globals.add(n);
    else {
      throw bad(
        `uses "${n}", which is not one of the helpers fused oplets get (${
          [...helpers].join(", ") || "none"
        })`,
      );
    }
  }
  return { helpers: usedHelpers, globals };
}
