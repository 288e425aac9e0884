/**
 * Fused oplets as the emulator loads them: the generated `op_seq` module (the
 * fused oplets' code) and `translate_seq` module (the sorted sequence table),
 * the seed's `op_seq.h` and `translate-seq.h`.
 *
 * @module
 */

import type { OpletDef } from "./oplet.ts";

/** A fused oplet: an oplet that does what a sequence of base oplets does. */
export interface FusedOplet<S> extends OpletDef<S> {
  /** The base oplet numbers it replaces, in order. */
  readonly seq: readonly number[];
}

/** An entry of the sequence table. */
export interface SeqEntry {
  /** A sequence of base oplet numbers. */
  readonly seq: readonly number[];
  /** The index of the fused oplet that replaces it. */
  readonly fused: number;
}

/** A loaded set of fused oplets. */
export interface FusedSet<S> {
  /** The hash of the base oplet table the set was generated for. */
  readonly baseHash: string;
  /** The fused oplets; fused oplet k gets number `base.length + k`. */
  readonly oplets: readonly FusedOplet<S>[];
  /** The sequence table, sorted by sequence (lexicographically, numerically). */
  readonly table: readonly SeqEntry[];
}

/** What the generated `op_seq` module exports. */
export interface OpSeqModule {
  /** The base oplet table hash it was generated for. */
  readonly BASE_HASH: string;
  /**
   * Creates the fused oplets, given the helpers their bodies use (by name).
   * Each is checked by {@link loadFusedSet} to have the shape of a {@link FusedOplet}.
   */
  fusedOplets(helpers: Record<string, unknown>): readonly object[];
}

/** What the generated `translate_seq` module exports. */
export interface TranslateSeqModule {
  /** The base oplet table hash it was generated for. */
  readonly BASE_HASH: string;
  /** The sorted sequence table. */
  readonly SEQ_TABLE: readonly SeqEntry[];
}

/** Compares two oplet sequences lexicographically (a proper prefix sorts first). */
export function compareSeqs(
  a: readonly number[],
  b: readonly number[],
): number {
  const n = Math.min(a.length, b.length);
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return a[k] - b[k];
  return a.length - b.length;
}

/**
 * Builds a {@link FusedSet} from the two generated modules, checking that
 * they were generated together and giving the fused oplets the helpers
 * their pasted bodies use. `where` names them in errors.
 */
export function loadFusedSet<S>(
  opSeq: OpSeqModule,
  translateSeq: TranslateSeqModule,
  helpers: Record<string, unknown>,
  where: string,
): FusedSet<S> {
  if (opSeq.BASE_HASH !== translateSeq.BASE_HASH) {
    throw new Error(
      `${where}: op_seq was generated for oplet table ${opSeq.BASE_HASH} but translate_seq for ${translateSeq.BASE_HASH}; expected one generation`,
    );
  }
  const oplets = opSeq.fusedOplets(helpers) as FusedOplet<S>[];
  oplets.forEach((o, k) => {
    if (
      typeof o.name !== "string" || typeof o.fn !== "function" ||
      !Number.isInteger(o.params) ||
      typeof o.exit !== "boolean" || !Array.isArray(o.seq) || o.seq.length < 2
    ) {
      throw new Error(
        `${where}: fused oplet ${k} is malformed; expected {name, fn, params, exit, seq}`,
      );
    }
  });
  for (const e of translateSeq.SEQ_TABLE) {
    if (!(e.fused >= 0 && e.fused < oplets.length)) {
      throw new Error(
        `${where}: sequence table names fused oplet ${e.fused}, but there are ${oplets.length}`,
      );
    }
  }
  return { baseHash: opSeq.BASE_HASH, oplets, table: translateSeq.SEQ_TABLE };
}
