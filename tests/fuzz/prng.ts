/**
 * A small deterministic pseudo-random number generator for the fuzzer
 * (mulberry32): the same seed gives the same sequence on every machine, so
 * that a seed is a complete reproducer.
 *
 * @example
 * ```ts
 * import { Prng } from "./prng.ts";
 * const r = new Prng(42);
 * console.log(r.int(1, 6)); // the same number every time
 * ```
 *
 * @module
 */

/** A seeded generator of 32-bit pseudo-random numbers. */
export class Prng {
  private state: number;

  /** Creates a generator; any integer seed is accepted (taken modulo 2^32). */
  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** The next 32-bit value, unsigned. */
  u32(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** The next 32-bit value, signed. */
  i32(): number {
    return this.u32() | 0;
  }

  /** An integer in `[lo, hi]` (both inclusive). */
  int(lo: number, hi: number): number {
    return lo + Math.floor((this.u32() / 4294967296) * (hi - lo + 1));
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.u32() / 4294967296 < p;
  }

  /** An element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(0, items.length - 1)];
  }

  /** A key of an object, for the encoder's instruction tables. */
  key<K extends string>(table: Record<K, unknown>): K {
    return this.pick(Object.keys(table) as K[]);
  }

  /** An "interesting" 32-bit value: often an edge case (0, ±1, INT_MIN, INT_MAX, powers of two), else random. */
  edgy(): number {
    switch (this.int(0, 9)) {
      case 0:
        return this.pick([0, 1, -1, 2, -2]);
      case 1:
        return this.pick([-0x80000000, 0x7fffffff, -0x7fffffff, 0x7ffffffe]);
      case 2:
        return (1 << this.int(0, 31)) + this.int(-1, 1) | 0;
      case 3:
        return this.int(-2048, 2047);
      case 4:
        return this.int(0, 255);
      default:
        return this.i32();
    }
  }
}
