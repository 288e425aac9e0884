/**
 * Collapsing a translated block's oplet sequences into fused oplets: the
 * seed's `gen_collapse_seqs`, called right after translation.
 *
 * @module
 */

import { compareSeqs, type SeqEntry } from "./fused.ts";

/**
 * Finds the index in `table` (sorted by {@link compareSeqs}) of the entry equal
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
 * import { collapseSeqs } from "@oplet/emu";
 * // base oplets 0 (one parameter) and 1 (none); fused oplet 0 is [0, 1]
 * const table = [{ seq: [0, 1], fused: 0 }];
 * const out = collapseSeqs([0, 7, 1, 1], [1, 0], table, 2, 8);
 * console.log(out.code, out.nops); // [2, 7, 1] 2
 * ```
 */
export function collapseSeqs(
  code: readonly number[],
  params: readonly number[],
  table: readonly SeqEntry[],
  fusedBase: number,
  maxLen: number,
): { code: number[]; nops: number } {
  const ops: number[] = [];
  const at: number[] = [];
  for (let i = 0; i < code.length; i += 1 + params[code[i]]) {
    ops.push(code[i]);
    at.push(i);
  }
  at.push(code.length);
  const out: number[] = [];
  let nops = 0;
  for (let k = 0; k < ops.length;) {
    let len = Math.min(maxLen, ops.length - k);
    let hit = -1;
    for (; len >= 2; len--) {
      hit = findSeq(table, ops, k, len);
      if (hit >= 0) break;
    }
    if (hit >= 0) {
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

export { compareSeqs };
