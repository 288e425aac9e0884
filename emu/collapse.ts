/**
 * Collapsing a translated block's oplet sequences into fused oplets: the
 * seed's `gen_collapse_seqs`, called right after translation.
 *
 * @module
 */

import type { SeqEntry } from "./fused.ts";

/**
 * Finds the index in `table` (sorted by `compareSeqs` in `fused.ts`) of the entry equal
 * to `ops[at .. at + len)`, or -1, by binary search.
 */
export function findSeq(
  table: readonly SeqEntry[],
  ops: readonly number[],
  at: number,
  len: number,
): number {
  let lo = 0, hi = table.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = table[mid].seq;
    let cmp = 0;
    const n = Math.min(s.length, len);
    for (let k = 0; k < n && cmp === 0; k++) cmp = s[k] - ops[at + k];
    if (cmp === 0) cmp = s.length - len;
    if (cmp === 0) return mid;
    if (cmp < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/** The longest sequence length in a table. */
export function maxSeqLength(table: readonly SeqEntry[]): number {
  let m = 0;
  for (const e of table) m = Math.max(m, e.seq.length);
  return m;
}

/** What {@link collapseSeqs} and {@link collapseSeqsOptimal} return. */
export interface Collapsed {
  /** The new code: oplet numbers interleaved with parameters. */
  code: number[];
  /** How many oplets one run of the new code dispatches. */
  nops: number;
}

/** Splits a block's code into its oplet numbers and where each starts (plus the end). */
function splitOps(
  code: readonly number[],
  params: readonly number[],
): { ops: number[]; at: number[] } {
  const ops: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < code.length; i += 1 + params[code[i]]) {
    ops.push(code[i]);
    at.push(i);
  }
  at.push(code.length);
  return { ops, at };
}

/**
 * Writes the code for a cover: `take[k]` is the table index of the fused
 * oplet that starts at oplet k (which replaces as many oplets as its
 * sequence is long), or -1 for oplet k kept as it is.
 */
function emitCover(
  code: readonly number[],
  at: readonly number[],
  table: readonly SeqEntry[],
  fusedBase: number,
  take: Int32Array,
): Collapsed {
  const out: number[] = [];
  let nops = 0;
  const n = at.length - 1;
  for (let k = 0; k < n;) {
    const hit = take[k];
    if (hit >= 0) {
      const len = table[hit].seq.length;
      out.push(fusedBase + table[hit].fused);
      for (let j = k; j < k + len; j++) {
        for (let p = at[j] + 1; p < at[j + 1]; p++) out.push(code[p]);
      }
      k += len;
    } else {
      for (let p = at[k]; p < at[k + 1]; p++) out.push(code[p]);
      k++;
    }
    nops++;
  }
  return { code: out, nops };
}

/**
 * Replaces sequences of base oplets in a block's code by fused oplets,
 * greedily: at each position the longest sequence in `table` that matches.
 * Stands for the seed's `gen_collapse_seqs`.
 *
 * `code` holds oplet numbers interleaved with parameters; `params[n]` is how
 * many parameters base oplet `n` takes; fused oplet k gets number
 * `fusedBase + k`, and its parameters are its members' parameters in order.
 * Returns the new code and its oplet count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collapseSeqs } from "@oplet/emu";
 * // base oplets 0 (one parameter) and 1 (none); fused oplet 0 is [0, 1]
 * const table = [{ seq: [0, 1], fused: 0 }];
 * const out = collapseSeqs([0, 7, 1, 1], [1, 0], table, 2, 8);
 * assert.deepEqual([...out.code], [2, 7, 1]);
 * assert.equal(out.nops, 2);
 * ```
 */
export function collapseSeqs(
  code: readonly number[],
  params: readonly number[],
  table: readonly SeqEntry[],
  fusedBase: number,
  maxLen: number,
): Collapsed {
  const { ops, at } = splitOps(code, params);
  const take = new Int32Array(ops.length).fill(-1);
  for (let k = 0; k < ops.length;) {
    let len = Math.min(maxLen, ops.length - k);
    let hit = -1;
    for (; len >= 2; len--) {
      hit = findSeq(table, ops, k, len);
      if (hit >= 0) break;
    }
    take[k] = hit;
    k += hit >= 0 ? len : 1;
  }
  return emitCover(code, at, table, fusedBase, take);
}

/**
 * Like {@link collapseSeqs}, but covers the block with the fewest oplets
 * overall, by dynamic programming over the block's oplets from its end:
 * `best[k]`, the fewest oplets that cover oplets `k..n`, is the least of
 * `1 + best[k + 1]` (oplet k alone) and `1 + best[k + len]` for each
 * sequence of length `len` in `table` that matches at k. Ties go to the
 * longest match at k, as greedy would choose. Same arguments and result;
 * the same work as greedy per position, plus an array of `n` counts.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { collapseSeqs, collapseSeqsOptimal } from "@oplet/emu";
 * // oplets 0..4, none with parameters; greedy takes [0, 1, 2] first
 * const table = [
 *   { seq: [0, 1], fused: 0 },
 *   { seq: [0, 1, 2], fused: 1 },
 *   { seq: [2, 3, 4], fused: 2 },
 * ];
 * const code = [0, 1, 2, 3, 4];
 * const params = [0, 0, 0, 0, 0];
 * assert.equal(collapseSeqs(code, params, table, 5, 3).nops, 3);
 * assert.equal(collapseSeqsOptimal(code, params, table, 5, 3).nops, 2);
 * ```
 */
export function collapseSeqsOptimal(
  code: readonly number[],
  params: readonly number[],
  table: readonly SeqEntry[],
  fusedBase: number,
  maxLen: number,
): Collapsed {
  const { ops, at } = splitOps(code, params);
  const n = ops.length;
  const best = new Int32Array(n + 1);
  const take = new Int32Array(n).fill(-1);
  for (let k = n - 1; k >= 0; k--) {
    let cost = n + 1;
    let choice = -1;
    for (let len = Math.min(maxLen, n - k); len >= 2; len--) {
      if (1 + best[k + len] >= cost) continue;
      const hit = findSeq(table, ops, k, len);
      if (hit >= 0) {
        cost = 1 + best[k + len];
        choice = hit;
      }
    }
    if (1 + best[k + 1] < cost) {
      cost = 1 + best[k + 1];
      choice = -1;
    }
    best[k] = cost;
    take[k] = choice;
  }
  return emitCover(code, at, table, fusedBase, take);
}
