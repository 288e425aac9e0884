/**
 * The translation cache (QEMU's TB maintenance): translated blocks by guest
 * pc, the direct-mapped jump cache in front of them, and flushing, which
 * unchains every block before dropping it.
 *
 * @module
 */

import type { TranslationBlock } from "./tb.ts";

/** How many entries the direct-mapped jump cache has (QEMU's `tb_jmp_cache`). */
export const JMP_CACHE_SIZE = 4096;

/** Translated blocks by guest pc, with a jump cache in front. */
export class TbCache<S> {
  /** Translated blocks by guest pc. */
  readonly tbs: Map<number, TranslationBlock<S>> = new Map();
  /** Direct-mapped cache in front of {@link tbs}. */
  readonly jmpCache: (TranslationBlock<S> | null)[] = new Array(
    JMP_CACHE_SIZE,
  ).fill(null);

  /** The block for `pc`, or null when it is not translated. */
  lookup(pc: number): TranslationBlock<S> | null {
    const h = (pc >>> 1) & (JMP_CACHE_SIZE - 1);
    const c = this.jmpCache[h];
    if (c !== null && c.pc === pc) return c;
    const tb = this.tbs.get(pc);
    if (tb === undefined) return null;
    this.jmpCache[h] = tb;
    return tb;
  }

  /** Adds a block just translated. */
  insert(tb: TranslationBlock<S>): void {
    this.tbs.set(tb.pc, tb);
    this.jmpCache[(tb.pc >>> 1) & (JMP_CACHE_SIZE - 1)] = tb;
  }

  /** Drops every block (QEMU's `tb_flush`). */
  flush(): void {
    // A chain slot's target never changes, so the loop follows chains
    // without checking them: unchain every block before dropping it, and
    // drop its compiled code.
    for (const tb of this.tbs.values()) {
      tb.jmp0 = tb.jmp1 = tb.jmpL = null;
      tb.lookups = null;
      tb.compiled = null;
    }
    this.tbs.clear();
    this.jmpCache.fill(null);
  }
}
