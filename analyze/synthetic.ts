/**
 * Synthetic profiles for tests and benchmarks: random translated blocks
 * and a random walk over them that behaves like a program (loops, two-way
 * branches, calls), written with `@oplet/emu`'s profile writer.
 *
 * @module
 */

import {
  type OpletInfo,
  opletInfo,
  OPLETS,
  ProfileWriter,
  TARGET_NAME,
} from "@oplet/emu";

/** One synthetic TB definition. */
export interface SyntheticTb {
  /** Its id in its run. */
  id: number;
  /** Its guest pc. */
  pc: number;
  /** Guest instructions. */
  icount: number;
  /** Its oplet numbers. */
  ops: number[];
}

/** One synthetic run: its TBs and the ids it executes, in order. */
export interface SyntheticRun {
  /** The guest's name. */
  guest: string;
  /** The guest's argv. */
  argv: string[];
  /** The TBs, by id. */
  tbs: SyntheticTb[];
  /** Executed TB ids, in order. */
  executions: Uint32Array;
}

/** Options for {@link syntheticRuns}. */
export interface SyntheticOptions {
  /** Random seed (default 1). */
  seed?: number;
  /** Runs (default 1). */
  runs?: number;
  /** TBs per run (default 50). */
  tbs?: number;
  /** Executions per run (default 10,000). */
  executions?: number;
  /** Most oplets in a TB (default 12). */
  maxOps?: number;
  /** The oplet table (default the emulator's). */
  oplets?: readonly OpletInfo[];
  /** Chance that a TB has an exit oplet in its middle, besides its last (default 0.2). */
  midExit?: number;
  /** Chance that an execution jumps to a random TB instead of a likely successor (default 0.05). */
  noise?: number;
}

/** A small seeded generator (xorshift32). */
export function rng(seed: number): () => number {
  let x = (seed | 0) || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

/** Makes random runs; the same options give the same runs. */
export function syntheticRuns(options: SyntheticOptions = {}): SyntheticRun[] {
  const rand = rng(options.seed ?? 1);
  const oplets = options.oplets ?? opletInfo(OPLETS);
  const nTbs = options.tbs ?? 50, nExec = options.executions ?? 10_000;
  const maxOps = options.maxOps ?? 12, midExit = options.midExit ?? 0.2;
  const noise = options.noise ?? 0.05;
  const body: number[] = [], exits: number[] = [];
  oplets.forEach((o, k) => {
    if (k > 0) (o.exit ? exits : body).push(k);
  });
  // A few common oplets, so that sequences repeat as in real code.
  const common = body.slice(0, Math.min(8, body.length));
  const pick = (a: number[]) => a[Math.floor(rand() * a.length)];
  const out: SyntheticRun[] = [];
  for (let r = 0; r < (options.runs ?? 1); r++) {
    const tbs: SyntheticTb[] = [];
    for (let id = 0; id < nTbs; id++) {
      const n = 1 + Math.floor(rand() * maxOps);
      const ops: number[] = [];
      for (let k = 0; k < n - 1; k++) {
        if (rand() < midExit / n && exits.length > 0) ops.push(pick(exits));
        else {ops.push(
            rand() < 0.7 && common.length > 0 ? pick(common) : pick(body),
          );}
      }
      ops.push(exits.length > 0 ? pick(exits) : pick(body));
      tbs.push({ id, pc: 0x10000 + 64 * id, icount: Math.ceil(n / 3), ops });
    }
    // Each TB has two likely successors.
    const next = tbs.map((_, id) => [
      (id + 1) % nTbs,
      Math.floor(rand() * nTbs),
      rand(),
    ]);
    const ex = new Uint32Array(nExec);
    let at = 0;
    for (let i = 0; i < nExec; i++) {
      ex[i] = at;
      const [a, b, p] = next[at];
      at = rand() < noise ? Math.floor(rand() * nTbs) : rand() < p ? a : b;
    }
    out.push({
      guest: `synthetic${r}.elf`,
      argv: [`synthetic${r}`],
      tbs,
      executions: ex,
    });
  }
  return out;
}

/**
 * Writes runs through a profile writer the way the emulator would: each TB
 * is defined just before its first execution, executions go in batches of
 * `batch`. Starts a run per {@link SyntheticRun} with `beginRun`; does not
 * close the writer.
 */
export async function writeRuns(
  writer: ProfileWriter,
  runs: readonly SyntheticRun[],
  batch = 65536,
): Promise<void> {
  const buf = new Uint32Array(batch);
  for (const run of runs) {
    const sink = writer.beginRun(run.guest, run.argv);
    const defined = new Uint8Array(run.tbs.length);
    let n = 0;
    for (const id of run.executions) {
      if (!defined[id]) {
        defined[id] = 1;
        const t = run.tbs[id];
        sink.defineTb(t.id, t.pc, t.icount, t.ops);
      }
      buf[n++] = id;
      if (n === batch) {
        await sink.executions(buf, n);
        n = 0;
      }
    }
    if (n > 0) await sink.executions(buf, n);
    await sink.close();
  }
}

/** Options for {@link profileBytes}. */
export interface ProfileBytesOptions {
  /** Gzip the profile. */
  gzip?: boolean;
  /** Executions per batch (default 65536). */
  batch?: number;
  /** The oplet table (default the emulator's). */
  oplets?: readonly OpletInfo[];
}

/** Writes runs as a whole profile in memory and returns its bytes. */
export async function profileBytes(
  runs: readonly SyntheticRun[],
  options: ProfileBytesOptions = {},
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const w = new ProfileWriter(
    new WritableStream({ write: (c) => void chunks.push(c.slice()) }),
    "memory",
    {
      gzip: options.gzip,
      target: TARGET_NAME,
      oplets: options.oplets ?? opletInfo(OPLETS),
    },
  );
  await writeRuns(w, runs, options.batch);
  await w.close();
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let k = 0;
  for (const c of chunks) {
    out.set(c, k);
    k += c.length;
  }
  return out;
}
