/**
 * The first pass of the analysis: every distinct translated block ("TB
 * shape": its oplet sequence) of one or more profiles, weighted by how many
 * times TBs of that shape ran.
 *
 * Executions are counted per TB id in a typed array while a run is read and
 * folded into the shapes when the run ends, so memory grows with the number
 * of distinct TBs, never with the number of executions. Several runs and
 * several profiles merge into one table (they must share the oplet table).
 *
 * @module
 */

import type { OpletInfo } from "@oplet/emu";
import {
  ProfileFormatError,
  type ProfileRecord,
  readProfile,
  readProfileFile,
  type ReadProfileOptions,
  type TruncatedRecord,
} from "@oplet/emu";

/** One run of a guest in one of the profiles a table was built from. */
export interface RunSource {
  /** The profile's name (its path). */
  profile: string;
  /** The profile's index in {@link TbTable.profiles}. */
  profileIndex: number;
  /** The run's index within its profile. */
  run: number;
  /** The guest's ELF path, as recorded. */
  guest: string;
  /** The guest's argv. */
  argv: string[];
}

/** What one run executed (see {@link TbTable.runStats}). */
export interface RunStats {
  /** TB definitions of the run. */
  tbs: number;
  /** TB executions of the run. */
  executions: number;
  /** The shapes (indexes in the table) the run executed. */
  shapes: number[];
  /** How many times the run executed each of {@link shapes}. */
  counts: number[];
}

/** What {@link TbTable.addProfile} found. */
export interface AddProfileResult {
  /** The `truncated` record if the profile is cut short, else null. */
  truncated: TruncatedRecord | null;
  /** Runs, TB definitions and executions read from this profile. */
  runs: number;
  /** TB definitions read. */
  tbs: number;
  /** Executions read. */
  executions: number;
}

/** Distinct TB shapes (oplet sequences) with their execution counts. */
export class TbTable {
  /** The target, once a header was read. */
  target: string | null = null;
  /** The oplet table's hash, once a header was read. */
  opletHash: string | null = null;
  /** The oplet table, indexed by oplet number. */
  oplets: OpletInfo[] = [];
  /** The profiles read, in order. */
  readonly profiles: string[] = [];
  /** Every run read, in order. */
  readonly runs: RunSource[] = [];
  /**
   * Per run, in the order of {@link runs}: its TB definitions and executions
   * and the shapes it executed. Grows with the runs' TB definitions, never
   * with executions.
   */
  readonly runStats: RunStats[] = [];
  /** How many shapes there are. */
  size = 0;
  /** TB definitions read. */
  tbDefs = 0;
  /** TB executions read. */
  executions = 0;
  /** All shapes' oplets, back to back; shape `s` is `ops[start[s] .. start[s] + length[s])`. */
  ops: Uint16Array = new Uint16Array(1 << 16);
  /** Where each shape's oplets start in {@link ops}. */
  start: Int32Array = new Int32Array(1024);
  /** Each shape's oplet count. */
  length: Int32Array = new Int32Array(1024);
  /** How many times TBs of each shape ran. */
  weight: Float64Array = new Float64Array(1024);
  /** The guest pc of each shape's first definition. */
  pc: Float64Array = new Float64Array(1024);
  /** The run (index in {@link runs}) of each shape's first definition. */
  runOf: Int32Array = new Int32Array(1024);
  /** The profile offset of each shape's first definition. */
  offset: Float64Array = new Float64Array(1024);
  #opsLen = 0;
  #index = new Map<string, number>();
  #idToShape = new Int32Array(1024).fill(-1);
  #counts = new Float64Array(1024);
  #counts2 = new Float64Array(1024);
  #defined = 0; // 1 + the largest TB id of the current run
  #run = -1; // index in runs of the current run
  #runOffset = 0;
  #profile = -1;

  /** Dispatched oplets in total: the sum over shapes of weight × length. */
  get totalDispatches(): number {
    let n = 0;
    for (let s = 0; s < this.size; s++) n += this.weight[s] * this.length[s];
    return n;
  }

  /** The oplets of shape `s` (a view). */
  shapeOps(s: number): Uint16Array {
    return this.ops.subarray(this.start[s], this.start[s] + this.length[s]);
  }

  /**
   * Reads a whole profile into the table: `input` is a path or a stream
   * (then `name` names it). Throws {@link ProfileFormatError} for a bad
   * profile or one made with another oplet table than the table's first.
   */
  async addProfile(
    input: string | ReadableStream<Uint8Array>,
    name: string = typeof input === "string" ? input : "profile",
    options: ReadProfileOptions = {},
  ): Promise<AddProfileResult> {
    const records = typeof input === "string"
      ? readProfileFile(input, options)
      : readProfile(input, name, options);
    this.beginProfile(name);
    const result: AddProfileResult = {
      truncated: null,
      runs: 0,
      tbs: 0,
      executions: 0,
    };
    try {
      for await (const r of records) {
        this.add(r);
        if (r.kind === "executions") result.executions += r.count;
        else if (r.kind === "tb") result.tbs++;
        else if (r.kind === "run") result.runs++;
        else if (r.kind === "truncated") result.truncated = r;
      }
    } finally {
      this.endRun();
    }
    return result;
  }

  /** Starts a profile; {@link add} then takes its records. */
  beginProfile(name: string): void {
    this.endRun();
    this.#profile = this.profiles.length;
    this.profiles.push(name);
  }

  /** Takes one record of the current profile (see {@link beginProfile}). */
  add(r: ProfileRecord): void {
    switch (r.kind) {
      case "executions":
        countIds(this.#counts, this.#counts2, r.ids, r.count);
        this.executions += r.count;
        if (this.#run >= 0) this.runStats[this.#run].executions += r.count;
        return;
      case "tb":
        return this.#defineTb(r.id, r.pc, r.ops, r.offset);
      case "run":
        this.endRun();
        this.#run = this.runs.length;
        this.#runOffset = r.offset;
        this.runStats.push({
          tbs: 0,
          executions: 0,
          shapes: [],
          counts: [],
        });
        this.runs.push({
          profile: this.profiles[this.#profile],
          profileIndex: this.#profile,
          run: r.run,
          guest: r.guest,
          argv: r.argv,
        });
        return;
      case "header":
        return this.#header(r.target, r.opletHash, r.oplets, r.offset);
      case "end":
      case "truncated":
        return this.endRun();
    }
  }

  /** Folds the current run's execution counts into the shapes. */
  endRun(): void {
    if (this.#run < 0) return;
    const counts = this.#counts, counts2 = this.#counts2, map = this.#idToShape;
    const stats = this.runStats[this.#run];
    for (let id = 0; id < this.#defined; id++) {
      const c = counts[id] + counts2[id];
      if (c === 0) continue;
      const s = map[id];
      if (s < 0) {
        const name = this.profiles[this.#profile];
        throw new ProfileFormatError(
          `Run executes TB ${id}, which it never defines (in "${name}" at offset ${this.#runOffset})`,
          name,
          this.#runOffset,
        );
      }
      this.weight[s] += c;
      stats.shapes.push(s);
      stats.counts.push(c);
    }
    this.#counts.fill(0, 0, this.#defined);
    this.#counts2.fill(0, 0, this.#defined);
    this.#idToShape.fill(-1, 0, this.#defined);
    this.#defined = 0;
    this.#run = -1;
  }

  /** Adds another table's shapes and weights to this one (same oplet table). */
  merge(other: TbTable): void {
    this.endRun();
    if (other.opletHash !== null) {
      this.#header(other.target!, other.opletHash, other.oplets, 0);
    }
    const runBase = this.runs.length, profBase = this.profiles.length;
    this.profiles.push(...other.profiles);
    for (const r of other.runs) {
      this.runs.push({ ...r, profileIndex: r.profileIndex + profBase });
    }
    const shapeOf = new Int32Array(other.size);
    for (let s = 0; s < other.size; s++) {
      const t = shapeOf[s] = this.#intern(
        other.shapeOps(s),
        other.pc[s],
        other.runOf[s] + runBase,
        other.offset[s],
      );
      this.weight[t] += other.weight[s];
    }
    for (const r of other.runStats) {
      this.runStats.push({
        ...r,
        shapes: r.shapes.map((s) => shapeOf[s]),
        counts: [...r.counts],
      });
    }
    this.tbDefs += other.tbDefs;
    this.executions += other.executions;
  }

  #header(
    target: string,
    hash: string,
    oplets: OpletInfo[],
    offset: number,
  ): void {
    if (this.opletHash === null) {
      this.target = target;
      this.opletHash = hash;
      this.oplets = oplets;
      return;
    }
    if (this.opletHash !== hash || this.target !== target) {
      const name = this.profiles[this.#profile] ?? "profile";
      throw new ProfileFormatError(
        `Profile was made for "${target}" with oplet table ${hash}, but "${
          this.profiles[0]
        }" for "${this.target}" with ${this.opletHash}; cannot merge them (in "${name}" at offset ${offset})`,
        name,
        offset,
      );
    }
  }

  #defineTb(id: number, pc: number, ops: Uint16Array, offset: number): void {
    this.tbDefs++;
    if (this.#run >= 0) this.runStats[this.#run].tbs++;
    if (id >= this.#defined) {
      this.#defined = id + 1;
      if (id >= this.#counts.length) {
        let size = this.#counts.length;
        while (size <= id) size *= 2;
        const c = new Float64Array(size), c2 = new Float64Array(size);
        c.set(this.#counts);
        c2.set(this.#counts2);
        this.#counts = c;
        this.#counts2 = c2;
        const m = new Int32Array(size).fill(-1);
        m.set(this.#idToShape);
        this.#idToShape = m;
      }
    }
    this.#idToShape[id] = this.#intern(ops, pc, this.#run, offset);
  }

  #intern(ops: Uint16Array, pc: number, run: number, offset: number): number {
    const key = String.fromCharCode.apply(null, ops as unknown as number[]);
    const known = this.#index.get(key);
    if (known !== undefined) return known;
    const s = this.size++;
    if (s >= this.start.length) this.#grow();
    if (this.#opsLen + ops.length > this.ops.length) {
      let size = this.ops.length;
      while (size < this.#opsLen + ops.length) size *= 2;
      const o = new Uint16Array(size);
      o.set(this.ops.subarray(0, this.#opsLen));
      this.ops = o;
    }
    this.ops.set(ops, this.#opsLen);
    this.start[s] = this.#opsLen;
    this.length[s] = ops.length;
    this.#opsLen += ops.length;
    this.pc[s] = pc;
    this.runOf[s] = run;
    this.offset[s] = offset;
    this.#index.set(key, s);
    return s;
  }

  #grow(): void {
    const n = this.start.length * 2;
    const g = <T extends Int32Array | Float64Array>(
      a: T,
      make: (n: number) => T,
    ): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.start = g(this.start, (k) => new Int32Array(k));
    this.length = g(this.length, (k) => new Int32Array(k));
    this.weight = g(this.weight, (k) => new Float64Array(k));
    this.pc = g(this.pc, (k) => new Float64Array(k));
    this.runOf = g(this.runOf, (k) => new Int32Array(k));
    this.offset = g(this.offset, (k) => new Float64Array(k));
  }
}

/** Counts ids into two arrays in turn (halving the chains of dependent increments when a TB repeats). */
function countIds(
  c0: Float64Array,
  c1: Float64Array,
  ids: Uint32Array,
  n: number,
): void {
  let i = 0;
  for (; i + 1 < n; i += 2) {
    c0[ids[i]]++;
    c1[ids[i + 1]]++;
  }
  if (i < n) c0[ids[i]]++;
}
