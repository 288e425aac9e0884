import assert, { deepEqual as assertEquals } from "node:assert/strict";
import {
  collapseSeqs,
  collapseSeqsOptimal,
  findSeq,
  maxSeqLength,
} from "./collapse.ts";
import { compareSeqs, type SeqEntry } from "./fused.ts";

/** A small deterministic random generator (mulberry32). */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (((t ^ (t >>> 14)) >>> 0) % n);
  };
}

/** Builds a sorted table where fused oplet k replaces `seqs[k]`. */
function tableOf(seqs: number[][]): SeqEntry[] {
  return seqs.map((seq, fused) => ({ seq, fused }))
    .sort((a, b) => compareSeqs(a.seq, b.seq));
}

/** Expands collapsed code back into base oplets with their parameters. */
function decode(
  code: readonly number[],
  params: readonly number[],
  seqs: readonly number[][],
): number[] {
  const out: number[] = [];
  for (let i = 0; i < code.length;) {
    const op = code[i++];
    const members = op < params.length ? [op] : seqs[op - params.length];
    for (const m of members) {
      out.push(m);
      for (let p = 0; p < params[m]; p++) out.push(code[i++]);
    }
  }
  return out;
}

/** Counts the oplets of code. */
function countOps(
  code: readonly number[],
  params: readonly number[],
  seqs: readonly number[][],
): number {
  let n = 0;
  for (let i = 0; i < code.length; n++) {
    const op = code[i];
    const members = op < params.length ? [op] : seqs[op - params.length];
    i += 1 + members.reduce((a, m) => a + params[m], 0);
  }
  return n;
}

/** The fewest oplets that cover `ops`, by trying every cover. */
function bruteForce(ops: readonly number[], seqs: readonly number[][]): number {
  const memo = new Map<number, number>();
  const go = (k: number): number => {
    if (k === ops.length) return 0;
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    let best = 1 + go(k + 1);
    for (const s of seqs) {
      if (s.every((o, j) => ops[k + j] === o)) {
        best = Math.min(best, 1 + go(k + s.length));
      }
    }
    memo.set(k, best);
    return best;
  };
  return go(0);
}

Deno.test("collapseSeqs takes the longest match at each position", () => {
  // base oplets: 0 (1 param), 1 (0), 2 (2 params)
  const params = [1, 0, 2];
  const seqs = [[0, 1], [0, 1, 2]];
  const table = tableOf(seqs);
  const code = [0, 7, 1, 2, 8, 9, 0, 5];
  const out = collapseSeqs(code, params, table, 3, maxSeqLength(table));
  assertEquals(out, { code: [4, 7, 8, 9, 0, 5], nops: 2 });
  assertEquals(decode(out.code, params, seqs), code);
});

Deno.test("collapseSeqsOptimal beats greedy where greedy is short-sighted", () => {
  const params = [0, 1, 0, 0, 1];
  // A B C D E: greedy takes A B C, then D, E (3); optimal A B + C D E (2).
  const seqs = [[0, 1], [0, 1, 2], [2, 3, 4]];
  const table = tableOf(seqs);
  const code = [0, 1, 11, 2, 3, 4, 44];
  const g = collapseSeqs(code, params, table, 5, 3);
  const o = collapseSeqsOptimal(code, params, table, 5, 3);
  assertEquals(g, { code: [6, 11, 3, 4, 44], nops: 3 });
  assertEquals(o, { code: [5, 11, 7, 44], nops: 2 });
  assertEquals(decode(o.code, params, seqs), code);

  // A B A B A B A with overlapping sequences: optimal is the true minimum.
  const seqs2 = [[0, 1, 0], [1, 0, 1], [0, 1]];
  const table2 = tableOf(seqs2);
  const code2 = [0, 1, 5, 0, 1, 6, 0, 1, 7, 0]; // A B A B A B A
  const g2 = collapseSeqs(code2, params, table2, 5, 3);
  const o2 = collapseSeqsOptimal(code2, params, table2, 5, 3);
  assert(o2.nops <= g2.nops);
  assertEquals(o2.nops, bruteForce([0, 1, 0, 1, 0, 1, 0], seqs2));
  assertEquals(decode(o2.code, params, seqs2), code2);
});

Deno.test("collapseSeqsOptimal prefers the longest match on a tie", () => {
  const params = [0, 0, 0];
  const seqs = [[0, 1], [1, 2]];
  const table = tableOf(seqs);
  // A B C: A B + C or A + B C, both 2; greedy and optimal both take A B.
  const g = collapseSeqs([0, 1, 2], params, table, 3, 2);
  const o = collapseSeqsOptimal([0, 1, 2], params, table, 3, 2);
  assertEquals(o, g);
  assertEquals(o.code, [3, 2]);
});

Deno.test("collapse leaves code alone without a table or a match", () => {
  const params = [1, 0];
  const code = [0, 3, 1, 0, 4];
  for (const f of [collapseSeqs, collapseSeqsOptimal]) {
    assertEquals(f(code, params, [], 2, 0), { code, nops: 3 });
    assertEquals(f(code, params, tableOf([[1, 1]]), 2, 2), { code, nops: 3 });
    assertEquals(f([], params, tableOf([[1, 1]]), 2, 2), { code: [], nops: 0 });
  }
});

Deno.test("findSeq finds exactly the entries of a sorted table", () => {
  const r = rng(7);
  for (let round = 0; round < 50; round++) {
    const seqs: number[][] = [];
    for (let k = 0; k < 1 + r(30); k++) {
      seqs.push(Array.from({ length: 2 + r(4) }, () => r(4)));
    }
    const table = tableOf(seqs);
    for (let q = 0; q < 50; q++) {
      const ops = Array.from({ length: 8 }, () => r(4));
      const at = r(4), len = 2 + r(4);
      const want = table.findIndex((e) =>
        compareSeqs(e.seq, ops.slice(at, at + len)) === 0
      );
      const got = findSeq(table, ops, at, len);
      if (want < 0) assertEquals(got, -1);
      else {assertEquals(
          compareSeqs(table[got].seq, ops.slice(at, at + len)),
          0,
        );}
    }
  }
});

Deno.test("greedy and optimal covers decode to the same oplets; optimal is never worse", () => {
  for (let seed = 1; seed <= 400; seed++) {
    const r = rng(seed);
    const nBase = 2 + r(5);
    const params = Array.from({ length: nBase }, () => r(3));
    const seqs: number[][] = [];
    const seen = new Set<string>();
    for (let k = 0; k < r(12); k++) {
      const s = Array.from({ length: 2 + r(4) }, () => r(nBase));
      if (!seen.has(s.join())) {
        seen.add(s.join());
        seqs.push(s);
      }
    }
    const table = tableOf(seqs);
    const maxLen = maxSeqLength(table);
    const ops = Array.from({ length: r(40) }, () => r(nBase));
    const code: number[] = [];
    for (const o of ops) {
      code.push(o);
      for (let p = 0; p < params[o]; p++) code.push(r(1000) - 500);
    }
    const g = collapseSeqs(code, params, table, nBase, maxLen);
    const o = collapseSeqsOptimal(code, params, table, nBase, maxLen);
    const msg = `seed ${seed}`;
    assertEquals(decode(g.code, params, seqs), code, msg);
    assertEquals(decode(o.code, params, seqs), code, msg);
    assertEquals(g.nops, countOps(g.code, params, seqs), msg);
    assertEquals(o.nops, countOps(o.code, params, seqs), msg);
    assert(o.nops <= g.nops, msg);
    assertEquals(o.nops, bruteForce(ops, seqs), msg);
  }
});
