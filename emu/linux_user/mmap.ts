/**
 * Where the guest's anonymous and file mappings live. Guest memory is one
 * flat buffer; mappings take pages between the program break and the stack,
 * from the top down as Linux places them, and the break may grow only up
 * to the lowest mapping above it. Pages are zeroed when they are mapped and
 * when they are unmapped, so that memory mapped again reads as zero.
 *
 * @module
 */

/** The guest's page size. */
export const PAGE = 4096;

/** Rounds `n` up to a whole number of pages. */
export function pageUp(n: number): number {
  return Math.ceil(n / PAGE) * PAGE;
}

/**
 * The set of mapped page ranges: disjoint, sorted and merged where they
 * touch (protections are not tracked, so neighbours are interchangeable).
 */
export class MmapArea {
  /** Start addresses, ascending. */
  private starts: number[] = [];
  /** End addresses (exclusive), matching `starts`. */
  private ends: number[] = [];

  /** Creates an empty area whose mappings lie below `top` (the stack's bottom). */
  constructor(readonly top: number) {}

  /** The mapped ranges, as `[start, end)` pairs in ascending order. */
  ranges(): [number, number][] {
    return this.starts.map((s, k) => [s, this.ends[k]]);
  }

  /** The lowest start of a mapping at or above `addr`, or `top` if none. */
  lowestFrom(addr: number): number {
    for (let k = 0; k < this.starts.length; k++) {
      if (this.ends[k] > addr) return Math.max(this.starts[k], addr);
    }
    return this.top;
  }

  /** Whether no mapping overlaps `[start, end)`. */
  isFree(start: number, end: number): boolean {
    for (let k = 0; k < this.starts.length; k++) {
      if (this.starts[k] < end && this.ends[k] > start) return false;
    }
    return true;
  }

  /** Whether every page of `[start, end)` is mapped. */
  covers(start: number, end: number): boolean {
    for (let k = 0; k < this.starts.length; k++) {
      if (this.starts[k] <= start && this.ends[k] >= end) return true;
    }
    return false;
  }

  /**
   * The highest page-aligned start of a free range of `len` bytes that lies
   * above `floor` and below `top`, or -1 when none is left.
   */
  findFree(len: number, floor: number): number {
    let hi = this.top;
    for (let k = this.starts.length - 1; k >= -1; k--) {
      const lo = k >= 0 ? this.ends[k] : floor;
      const start = hi - len;
      if (start >= Math.max(lo, floor)) return start;
      if (k >= 0) hi = this.starts[k];
      if (hi - len < floor) return -1;
    }
    return -1;
  }

  /** Marks `[start, end)` mapped. */
  add(start: number, end: number): void {
    this.remove(start, end);
    let k = 0;
    while (k < this.starts.length && this.starts[k] < start) k++;
    this.starts.splice(k, 0, start);
    this.ends.splice(k, 0, end);
    // Merge with touching neighbours.
    if (k + 1 < this.starts.length && this.starts[k + 1] === end) {
      this.ends[k] = this.ends[k + 1];
      this.starts.splice(k + 1, 1);
      this.ends.splice(k + 1, 1);
    }
    if (k > 0 && this.ends[k - 1] === start) {
      this.ends[k - 1] = this.ends[k];
      this.starts.splice(k, 1);
      this.ends.splice(k, 1);
    }
  }

  /**
   * Marks `[start, end)` unmapped; calls `each(s, e)` for every piece that
   * was mapped (so that the caller can zero it).
   */
  remove(
    start: number,
    end: number,
    each?: (s: number, e: number) => void,
  ): void {
    const starts: number[] = [], ends: number[] = [];
    for (let k = 0; k < this.starts.length; k++) {
      const s = this.starts[k], e = this.ends[k];
      if (e <= start || s >= end) {
        starts.push(s);
        ends.push(e);
        continue;
      }
      each?.(Math.max(s, start), Math.min(e, end));
      if (s < start) {
        starts.push(s);
        ends.push(start);
      }
      if (e > end) {
        starts.push(end);
        ends.push(e);
      }
    }
    this.starts = starts;
    this.ends = ends;
  }
}
