/**
 * A profile from an earlier run as a guide for the `jit` backend
 * (`--profile-guided FILE`): how often each block (by guest pc) ran, and
 * which block followed which how often. The profile's executed block
 * sequence gives both; the jit compiles the blocks it says are hot early and
 * shapes their regions along the edges it saw.
 *
 * @module
 */

import { readProfileFile, type ReadProfileOptions } from "./profile_reader.ts";

/** Successors of a block kept in its own slots (an indirect jump's others go to a map). */
const SUCC = 4;

/** What a profile says about the blocks of a program, by guest pc. */
export interface ProfileGuide {
  /** Executions of the block at each pc, summed over the profile's runs. */
  readonly executions: ReadonlyMap<number, number>;
  /** For the block at each pc: how often each pc followed it. */
  readonly successors: ReadonlyMap<number, ReadonlyMap<number, number>>;
  /** The profile's file name. */
  readonly file: string;
}

/**
 * Reads a profile into a {@link ProfileGuide}. `options` should name the
 * target and oplet table (`readProfile` then refuses another's profile).
 * Throws `ProfileFormatError` (one line naming the file and offset) when
 * the file cannot be read or is not a profile; a truncated profile guides
 * with what it holds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   CapturedIo,
 *   HELLO_ELF,
 *   opletInfo,
 *   OPLETS,
 *   readProfileGuide,
 *   runElf,
 *   startProfileWriter,
 *   TARGET_NAME,
 * } from "@oplet/emu";
 * const path = await Deno.makeTempFile({ suffix: ".profile" });
 * const w = await startProfileWriter(path, {
 *   target: TARGET_NAME,
 *   oplets: opletInfo(OPLETS),
 *   guest: "hello",
 *   argv: ["hello"],
 * });
 * await runElf(HELLO_ELF, { argv: ["hello"], io: new CapturedIo(), profile: w });
 * const guide = await readProfileGuide(path, { target: TARGET_NAME });
 * assert.equal([...guide.executions.values()].reduce((a, b) => a + b), 2);
 * // The guide then steers the jit: runElf(elf, { jit: { guide }, ... }).
 * await Deno.remove(path);
 * ```
 */
export async function readProfileGuide(
  path: string,
  options: ReadProfileOptions = {},
): Promise<ProfileGuide> {
  const b = new GuideBuilder();
  for await (const r of readProfileFile(path, options)) {
    if (r.kind === "run") b.endRun();
    else if (r.kind === "tb") b.define(r.id, r.pc);
    else if (r.kind === "executions") b.batch(r.ids, r.count);
  }
  b.endRun();
  const { executions, successors } = b;
  return { executions, successors, file: path };
}

/**
 * Counts one run's executions by TB id in typed arrays (a profile holds
 * millions): per id its pc (-1: not defined), its executions, and the
 * first {@link SUCC} ids that followed it with their counts (more in a
 * map); turned into pcs when the run ends.
 */
class GuideBuilder {
  readonly executions = new Map<number, number>();
  readonly successors = new Map<number, Map<number, number>>();
  private cap = 0;
  private pcOf = new Float64Array(0);
  private count = new Float64Array(0);
  private sId = new Int32Array(0);
  private sCount = new Float64Array(0);
  private extra = new Map<number, Map<number, number>>();
  private prev = -1;

  define(id: number, pc: number): void {
    if (id >= this.cap) this.grow(id);
    this.pcOf[id] = pc;
  }

  private grow(id: number): void {
    let n = Math.max(1024, this.cap);
    while (n <= id) n *= 2;
    const p = new Float64Array(n).fill(-1);
    p.set(this.pcOf);
    this.pcOf = p;
    const c = new Float64Array(n);
    c.set(this.count);
    this.count = c;
    const si = new Int32Array(n * SUCC).fill(-1);
    si.set(this.sId);
    this.sId = si;
    const sc = new Float64Array(n * SUCC);
    sc.set(this.sCount);
    this.sCount = sc;
    this.cap = n;
  }

  batch(ids: Uint32Array, n: number): void {
    const cap = this.cap, pcOf = this.pcOf, count = this.count;
    const sId = this.sId, sCount = this.sCount;
    let prev = this.prev;
    for (let k = 0; k < n; k++) {
      const id = ids[k];
      if (id >= cap || pcOf[id] < 0) {
        prev = -1; // an id without a definition: not counted
        continue;
      }
      count[id]++;
      if (prev >= 0) {
        let j = prev * SUCC;
        const end = j + SUCC;
        while (j < end && sId[j] !== id && sId[j] >= 0) j++;
        if (j < end) {
          sId[j] = id;
          sCount[j]++;
        } else {
          let m = this.extra.get(prev);
          if (m === undefined) this.extra.set(prev, m = new Map());
          m.set(id, (m.get(id) ?? 0) + 1);
        }
      }
      prev = id;
    }
    this.prev = prev;
  }

  endRun(): void {
    const { pcOf, count, sId, sCount } = this;
    for (let id = 0; id < this.cap; id++) {
      const n = count[id];
      if (n === 0) continue;
      const pc = pcOf[id];
      this.executions.set(pc, (this.executions.get(pc) ?? 0) + n);
      let s = this.successors.get(pc);
      const add = (to: number, k: number) => {
        if (s === undefined) this.successors.set(pc, s = new Map());
        const tpc = pcOf[to];
        s.set(tpc, (s.get(tpc) ?? 0) + k);
      };
      for (let j = id * SUCC; j < id * SUCC + SUCC && sId[j] >= 0; j++) {
        add(sId[j], sCount[j]);
      }
      for (const [to, k] of this.extra.get(id) ?? []) add(to, k);
    }
    this.cap = 0;
    this.pcOf = new Float64Array(0);
    this.count = new Float64Array(0);
    this.sId = new Int32Array(0);
    this.sCount = new Float64Array(0);
    this.extra = new Map();
    this.prev = -1;
  }
}
