/**
 * The oplet model shared by every target: what an oplet is, how it leaves a
 * translated block, and how a set of oplets is described and fingerprinted.
 *
 * An oplet is a small function `(s, c, i) => next` over a CPU state `s`, the
 * translated block's code array `c` (oplet numbers interleaved with their
 * parameters) and the index `i` of the oplet's own number in `c`. Its
 * parameters are `c[i + 1]`, `c[i + 2]`, ... and it returns the index of the
 * next oplet, `i + 1 + params`. An oplet that leaves the translated block
 * (the seed's `EXIT_TB()`) returns one of the negative `EXIT_*` codes instead.
 *
 * @module
 */

/** Continue at the block chained in slot 0 (direct jump or taken branch). */
export const EXIT_GOTO0: -1 = -1;
/** Continue at the block chained in slot 1 (branch not taken). */
export const EXIT_GOTO1: -2 = -2;
/** Continue at `s.pc`, found through the block cache (indirect jump). */
export const EXIT_LOOKUP: -3 = -3;
/** The guest made a system call; `s.pc` is the pc of the call. */
export const EXIT_SYSCALL: -4 = -4;
/** The guest executed a breakpoint; `s.pc` is its pc. */
export const EXIT_EBREAK: -5 = -5;
/** The guest executed an illegal instruction; `s.pc` is its pc. */
export const EXIT_ILLEGAL: -6 = -6;
/** The profile buffer is full: flush it, then run the same block again. */
export const EXIT_YIELD: -7 = -7;
/**
 * The guest reads a counter CSR: `s.pc` is the pc of the reading
 * instruction (4 bytes long) and `s.trap` holds `csr << 5 | rd`. The loop
 * writes the value, knowing how many instructions have retired.
 */
export const EXIT_CSR: -8 = -8;
/** The guest executed `fence.i` at `s.pc`: drop every translated block, go on after it. */
export const EXIT_FENCE_I: -9 = -9;
/**
 * Compiled code left the block at `s.pc` before running any of it (a
 * guarded version's guard failed): the loop interprets that block once.
 */
export const EXIT_INTERPRET: -10 = -10;

/** The signature every oplet has, base or fused. */
export type OpletFn<S> = (s: S, c: Int32Array, i: number) => number;

/** One entry of an oplet table. */
export interface OpletDef<S> {
  /** The oplet's name, the function's name without the `op_` prefix. */
  readonly name: string;
  /** The function that implements it. */
  readonly fn: OpletFn<S>;
  /** How many parameters follow the oplet's number in the code array. */
  readonly params: number;
  /** Whether it may leave the translated block (the seed's `EXIT_TB`). */
  readonly exit: boolean;
}

/** An entry of an oplet table as a profile or a generated module records it. */
export interface OpletInfo {
  /** The oplet's name. */
  readonly name: string;
  /** How many parameters it takes. */
  readonly params: number;
  /** Whether it may leave the translated block. */
  readonly exit: boolean;
}

/**
 * Declares an oplet for a table, taking its name from the function's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defineOplet } from "@oplet/emu";
 * function op_nop(_s: unknown, _c: Int32Array, i: number): number {
 *   return i + 1;
 * }
 * const def = defineOplet(op_nop, 0);
 * assert.equal(def.name, "nop");
 * ```
 */
export function defineOplet<S>(
  fn: OpletFn<S>,
  params: number,
  exit = false,
): OpletDef<S> {
  if (!fn.name.startsWith("op_")) {
    throw new TypeError(
      `Oplet function name "${fn.name}" must start with "op_"`,
    );
  }
  return { name: fn.name.slice(3), fn, params, exit };
}

/**
 * Fingerprints an oplet table: a 32-bit FNV-1a hash, as 8 hex digits, of
 * every oplet's number, name, parameter count and exit flag. Profiles and
 * generated modules carry it, so that one made for another oplet set is
 * recognised and refused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { opletTableHash } from "@oplet/emu";
 * const h = opletTableHash([{ name: "nop", params: 0, exit: false }]);
 * assert.match(h, /^[0-9a-f]{8}$/);
 * assert.notEqual(h, opletTableHash([{ name: "nop", params: 1, exit: false }]));
 * ```
 */
export function opletTableHash(table: readonly OpletInfo[]): string {
  let h = 0x811c9dc5;
  const text = table.map((o, n) =>
    `${n}:${o.name}/${o.params}${o.exit ? "x" : ""}`
  )
    .join(";");
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

/** Strips an oplet table down to what a profile or a generated module records. */
export function opletInfo(table: readonly OpletInfo[]): OpletInfo[] {
  return table.map(({ name, params, exit }) => ({ name, params, exit }));
}
