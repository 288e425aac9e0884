/**
 * Pasting oplets' bodies together into one fused oplet: the seed's "cut the
 * respective code of the oplets, and paste them together".
 *
 * For a sequence of base oplets the fused function is flat code: each
 * member's statements in order, with
 * - its parameters renumbered (`c[i + n]` of the k-th member becomes
 *   `c[i + off + n]`, `off` being the earlier members' parameter count);
 * - its locals renamed (`a` of the second member becomes `a_2`), so that
 *   members cannot clash;
 * - the temporaries `s.t0`..`s.t2` kept in local variables: loaded from the
 *   state only when read before written, written back only when written,
 *   at the end and before every return of an exit member;
 * - the members' `return i + n;` dropped for one final
 *   `return i + 1 + params;`, unless the last member is an exit oplet
 *   (allowed with `fuseExits`), whose returns are kept.
 *
 * The code stays flat (no block per member): with every local renamed,
 * members cannot see each other's names, and V8 handles flat code best.
 * Keeping temporaries in locals relies on two facts of the oplet model:
 * helpers that get `s` (`loadSlow`, `storeSlow`) never touch `s.t0`..`s.t2`,
 * and temporaries are dead between guest instructions, so a fault thrown
 * in the middle of a fused oplet (before the write-back) loses nothing.
 *
 * It works on the syntax trees of the emulator's one reader of oplet
 * source (`parseOplet`, `readOplet` of `@oplet/emu`), and prints with its
 * printer (`printStmts`).
 *
 * @module
 */

import {
  type Expr,
  mapChildren,
  offsetFromI,
  paramRef,
  printStmts,
  stateField,
  type Stmt,
  walkExprs,
} from "@oplet/emu";
import { GenError } from "./gen_error.ts";
import { MAX_SEQ_LENGTH, STATE_TYPE_NAME } from "./limits.ts";

export { MAX_SEQ_LENGTH, STATE_TYPE_NAME };
import type { OpletBody, OpletIndex } from "./oplet_index.ts";

/** Options for {@link fuseSequence}. */
export interface FuseOptions {
  /** Allow an exit oplet as the last member (default false). */
  readonly fuseExits?: boolean;
}

/** What a fused oplet is, apart from its code. */
export interface FusedOpletInfo {
  /** The fused oplet's name, as the oplet table shows it. */
  readonly name: string;
  /** Its function's name: `op_` and its name. */
  readonly fnName: string;
  /** The base oplet numbers it replaces. */
  readonly seq: readonly number[];
  /** How many parameters it takes (its members' together). */
  readonly params: number;
  /** Whether it may leave the block (its last member is an exit oplet). */
  readonly exit: boolean;
  /** The helpers its body uses. */
  readonly helpers: ReadonlySet<string>;
  /** The state fields its body uses as `s.NAME`. */
  readonly stateFields: ReadonlySet<string>;
}

/** A fused oplet's code, ready to print. */
export interface FusedOpletCode extends FusedOpletInfo {
  /** The body of its function `function op_NAME(s, c, i)`, as a syntax tree. */
  readonly body: readonly Stmt[];
}

/**
 * Checks that `seq` (base oplet numbers) can be fused: at least two
 * members, each an oplet of the table, no exit oplet except, with
 * `fuseExits`, the last. Throws {@link GenError} if not.
 */
export function checkSequence(
  index: OpletIndex,
  seq: readonly number[],
  options: FuseOptions = {},
): void {
  const shown = () =>
    `[${seq.slice(0, 8).join(", ")}${seq.length > 8 ? ", ..." : ""}]`;
  if (seq.length < 2 || seq.length > MAX_SEQ_LENGTH) {
    throw new GenError(
      `Sequence ${shown()} has ${seq.length} oplets; expected 2 to ${MAX_SEQ_LENGTH}`,
    );
  }
  seq.forEach((n, k) => {
    if (!Number.isInteger(n) || n < 0 || n >= index.table.length) {
      throw new GenError(
        `Sequence ${shown()} names oplet ${n}, which is not in the table (0 to ${
          index.table.length - 1
        })`,
      );
    }
    const o = index.table[n];
    if (o.exit && (k < seq.length - 1 || !options.fuseExits)) {
      throw new GenError(
        `Sequence ${shown()} has the exit oplet "${o.name}" ${
          k < seq.length - 1
            ? "before its end"
            : "at its end; use --fuse-exits to fuse it"
        }`,
      );
    }
  });
}

const id = (name: string): Expr => ({ k: "id", name });
const iPlus = (n: number): Expr =>
  n === 0 ? id("i") : { k: "bin", op: "+", l: id("i"), r: { k: "num", v: n } };
const stateRef = (f: string): Expr => ({ k: "member", obj: id("s"), prop: f });

/**
 * Pastes the bodies of the base oplets `seq` into one fused oplet named
 * `name` (see the module doc). Throws {@link GenError} when the sequence
 * cannot be fused ({@link checkSequence}).
 *
 * This module is internal to the generator; `fuse_test.ts` shows it at work.
 */
export function fuseSequence(
  index: OpletIndex,
  seq: readonly number[],
  name: string,
  options: FuseOptions = {},
): FusedOpletCode {
  checkSequence(index, seq, options);
  const members = seq.map((n) => index.oplets[n]);
  const offsets: number[] = [];
  let params = 0;
  for (const m of members) {
    offsets.push(params);
    params += m.params;
  }
  const last = members[members.length - 1];
  const exit = last.exit;
  const fnName = "op_" + name;
  const temps = new Set(index.temps);

  // Names a renamed local must not take.
  const taken = new Set<string>([
    "s",
    "c",
    "i",
    "helpers",
    fnName,
    ...index.temps,
    ...index.helperNames,
    ...index.globals,
  ]);
  const renames = members.map((m, k) => {
    const map = new Map<string, string>();
    for (const local of m.locals) {
      let fresh = `${local}_${k + 1}`;
      while (taken.has(fresh)) fresh += "_";
      taken.add(fresh);
      map.set(local, fresh);
    }
    return map;
  });

  const tempOf = (e: Expr): string | null => {
    const f = stateField(e);
    return f !== undefined && temps.has(f) ? f : null;
  };

  /** The temporaries `body` mentions, and those it writes (with a count). */
  const tempsIn = (body: readonly Stmt[]) => {
    const seen = new Set<string>();
    const written: string[] = [];
    walkExprs(body, (e) => {
      const t = tempOf(e);
      if (t) seen.add(t);
      if (e.k === "assign" || e.k === "update") {
        const w = tempOf(e.target);
        if (w) written.push(w);
      }
    });
    return { seen, written };
  };

  /** The temporary that `st` definitely writes first (`s.tN = expr;`), if any. */
  const definiteWrite = (st: Stmt) => {
    if (st.k !== "expr" || st.e.k !== "assign" || st.e.op !== "=") return null;
    const t = tempOf(st.e.target);
    return t ? { temp: t, value: st.e.value } : null;
  };

  // Where each temporary is first declared: loaded at the top, or at the
  // statement that definitely writes it first; and how often it is written.
  type Pos = readonly [member: number, statement: number];
  const loaded = new Set<string>();
  const declaredAt = new Map<string, Pos>();
  const writes = new Map<string, number>();
  const declare = (t: string) => {
    if (!loaded.has(t) && !declaredAt.has(t)) loaded.add(t);
  };
  const count = (list: readonly string[]) => {
    for (const t of list) writes.set(t, (writes.get(t) ?? 0) + 1);
  };
  members.forEach((m, k) => {
    m.body.forEach((st, j) => {
      const dw = definiteWrite(st);
      if (dw) {
        const inValue = tempsIn([{ k: "expr", e: dw.value }]);
        inValue.seen.forEach(declare);
        count(inValue.written);
        if (!loaded.has(dw.temp) && !declaredAt.has(dw.temp)) {
          declaredAt.set(dw.temp, [k, j]);
        }
        count([dw.temp]);
      } else {
        const found = tempsIn([st]);
        found.seen.forEach(declare);
        count(found.written);
      }
    });
  });
  const ordered = index.temps.filter((t) => loaded.has(t) || declaredAt.has(t));
  const before = (a: Pos, b: Pos) =>
    a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const writeBack = (at: Pos | null): Stmt[] =>
    ordered
      .filter((t) => writes.has(t))
      .filter((t) =>
        at === null || loaded.has(t) || before(declaredAt.get(t)!, at)
      )
      .map((t) => ({
        k: "expr",
        e: { k: "assign", op: "=", target: stateRef(t), value: id(t) },
      }));
  const declareTemp = (t: string, value: Expr): Stmt => ({
    k: "decl",
    kind: (writes.get(t) ?? 0) > (loaded.has(t) ? 0 : 1) ? "let" : "const",
    name: t,
    init: value,
  });

  const out: Stmt[] = [];
  for (const t of ordered) {
    if (loaded.has(t)) out.push(declareTemp(t, stateRef(t)));
  }

  members.forEach((m: OpletBody, k) => {
    const rename = renames[k];
    const off = offsets[k];
    let pos: Pos = [k, 0];
    const expr = (e: Expr): Expr => {
      const t = tempOf(e);
      if (t) return id(t);
      const n = paramRef(e);
      if (n !== undefined) {
        return { ...e, k: "index", obj: id("c"), idx: iPlus(off + n) };
      }
      if (e.k !== "id") return mapChildren(e, expr);
      const to = rename.get(e.name);
      return to ? { ...e, name: to } : e;
    };
    const returnOf = (st: Stmt & { k: "return" }): Stmt => {
      const n = offsetFromI(st.e!);
      return { k: "return", e: n !== undefined ? iPlus(off + n) : expr(st.e!) };
    };
    const statements = (list: readonly Stmt[]): Stmt[] =>
      list.flatMap((st) =>
        st.k === "return" ? [...writeBack(pos), returnOf(st)] : [stmt(st)]
      );
    const stmt = (st: Stmt): Stmt => {
      switch (st.k) {
        case "decl":
          return {
            ...st,
            name: rename.get(st.name) ?? st.name,
            init: expr(st.init),
          };
        case "expr":
        case "throw":
          return { ...st, e: expr(st.e) };
        case "if":
          return {
            k: "if",
            c: expr(st.c),
            t: statements(st.t),
            f: st.f && statements(st.f),
          };
        case "block":
          return { k: "block", body: statements(st.body) };
        case "return":
          return { k: "block", body: statements([st]) };
      }
    };
    m.body.forEach((st, j) => {
      pos = [k, j];
      if (!m.exit && st.k === "return") return; // the final return i + n
      const dw = definiteWrite(st);
      const decl = dw && declaredAt.get(dw.temp);
      if (dw && decl && decl[0] === k && decl[1] === j) {
        out.push(declareTemp(dw.temp, expr(dw.value)));
      } else out.push(...statements([st]));
    });
  });
  if (!exit) {
    out.push(...writeBack(null), { k: "return", e: iPlus(1 + params) });
  }

  const helpers = new Set<string>();
  const stateFields = new Set<string>(ordered);
  for (const m of members) {
    m.helpers.forEach((h) => helpers.add(h));
    m.stateFields.forEach((x) => temps.has(x) || stateFields.add(x));
  }
  return {
    name,
    fnName,
    seq: [...seq],
    params,
    exit,
    body: out,
    helpers,
    stateFields,
  };
}

/** Prints a fused oplet's function as TypeScript text (unformatted). */
export function printFused(fused: FusedOpletCode): string {
  return `function ${fused.fnName}(s: ${STATE_TYPE_NAME}, c: Int32Array, i: number): number {\n${
    printStmts(fused.body, {}, "minimal")
  }\n}`;
}
