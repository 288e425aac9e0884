/**
 * Fused oplet sets made by composition, for fuzzing the collapsing and the
 * fused dispatch independently of the generator: a fused oplet here simply
 * calls its members' functions in order, so it is correct by construction,
 * and any difference between a fused and an unfused run points at
 * `collapseSeqs`, the covering or the machine, not at pasted bodies. Its
 * functions are closures, so they run on the `call` dispatcher only (the
 * `switch` dispatcher pastes oplet source text).
 *
 * @module
 */

import {
  compareSeqs,
  type FusedOplet,
  type FusedSet,
  type Machine,
  OPLETS,
  opletTableHash,
  type RiscvCpu,
  type SeqEntry,
} from "@oplet/emu";

/**
 * A fused oplet that runs the base oplets `seq` one after the other. The
 * parameters of fused code are the members' parameters in order, so member
 * k finds its own at the index where the previous member's return value
 * says the next oplet number would be, less one.
 */
export function composeOplet(seq: readonly number[]): FusedOplet<RiscvCpu> {
  const defs = seq.map((n) => OPLETS[n]);
  if (defs.length < 2 || defs.some((d) => d === undefined)) {
    throw new RangeError(`Sequence [${seq}] is not two or more base oplets`);
  }
  if (defs.slice(0, -1).some((d) => d.exit)) {
    throw new RangeError(`Sequence [${seq}] has an exit oplet before its end`);
  }
  const fns = defs.map((d) => d.fn);
  const last = fns.length - 1;
  const fn = (s: RiscvCpu, c: Int32Array, i: number): number => {
    let j = i;
    for (let k = 0; k < last; k++) j = fns[k](s, c, j) - 1;
    return fns[last](s, c, j);
  };
  return {
    name: defs.map((d) => d.name).join("__"),
    fn,
    params: defs.reduce((n, d) => n + d.params, 0),
    exit: defs[last].exit,
    seq: [...seq],
  };
}

/** A fused set of composed oplets for the given base sequences (duplicates are dropped). */
export function composeFusedSet(
  seqs: readonly (readonly number[])[],
): FusedSet<RiscvCpu> {
  const unique = new Map<string, readonly number[]>();
  for (const s of seqs) unique.set(s.join(","), s);
  const list = [...unique.values()];
  const oplets = list.map(composeOplet);
  const table: SeqEntry[] = list.map((seq, fused) => ({ seq, fused })).sort((
    a,
    b,
  ) => compareSeqs(a.seq, b.seq));
  return { baseHash: opletTableHash(OPLETS), oplets, table };
}

/**
 * Every run of 2..`maxLen` base oplets in the blocks a machine translated
 * (exit oplets only last), in a deterministic order.
 */
export function blockSequences(m: Machine, maxLen: number): number[][] {
  const out: number[][] = [];
  const tbs = [...m.tbs.values()].sort((a, b) => a.pc - b.pc);
  for (const tb of tbs) {
    const ops: number[] = [];
    for (let i = 0; i < tb.code.length; i += 1 + OPLETS[tb.code[i]].params) {
      if (tb.code[i] >= OPLETS.length) return out; // already fused: not a base machine
      ops.push(tb.code[i]);
    }
    for (let k = 0; k < ops.length; k++) {
      for (let len = 2; len <= maxLen && k + len <= ops.length; len++) {
        if (OPLETS[ops[k + len - 2]].exit) break;
        out.push(ops.slice(k, k + len));
      }
    }
  }
  return out;
}
