/**
 * A profile writer whose encoding and writing run on a worker thread
 * (`profile_worker.ts`), beside the guest. The guest's thread only hands
 * each full buffer of TB ids over (transferred, not copied) and goes on
 * with an empty one; the worker encodes it with a
 * {@link ProfileWriter}, so the file is the same, byte for byte, as one
 * written on the guest's thread. At most {@link PROFILE_BATCHES_IN_FLIGHT}
 * batches wait for the worker; beyond that the guest waits (backpressure).
 *
 * Encoding costs about 3 ns per TB execution, which on the guest's thread
 * was most of what `--profile` cost; see the README's measurements.
 *
 * @module
 */

import {
  createProfileWriter,
  ProfileError,
  type ProfileStats,
  type ProfileWriterOptions,
} from "./profile.ts";
import type { ProfileSink } from "./profile_sink.ts";

/**
 * Never called: names the worker's module in a form that `deno cache` and
 * `deno publish` follow, so that the worker is part of the package's cached
 * module graph (a `new Worker(url)` alone is not followed) and a profile
 * can be written on a thread offline.
 */
export function profileWorkerModule(): Promise<unknown> {
  return import("./profile_worker.ts");
}

/** How many batches of TB ids may wait for the worker before the guest waits. */
export const PROFILE_BATCHES_IN_FLIGHT = 4;

/** A message to the profile worker. */
export type ProfileRequest =
  | { kind: "open"; path: string; options: ProfileWriterOptions }
  | { kind: "run"; guest: string; argv: readonly string[] }
  | { kind: "batch"; defs: number[]; ids: Uint32Array<ArrayBuffer>; n: number }
  | { kind: "close" }
  | { kind: "abort" };

/** The profile worker's answer to one {@link ProfileRequest}, in order. */
export type ProfileResponse =
  | { kind: "ok"; stats?: ProfileStats; ids?: Uint32Array<ArrayBuffer> }
  | { kind: "error"; message: string; worker?: boolean };

/**
 * What {@link startProfileWriter} returns: a {@link ProfileSink} for the
 * current run, with the writer's counters and the way to start further
 * runs. Both {@link ProfileWriter} and {@link ProfileThreadWriter} are one.
 */
export interface ProfileOutput extends ProfileSink {
  /** What error messages call the output (its path). */
  readonly name: string;
  /** Counters; `bytes` and `rawBytes` are final after `close()`. */
  readonly stats: ProfileStats;
  /** Starts the next run; see {@link ProfileWriter.beginRun}. */
  beginRun(guest: string, argv: readonly string[]): ProfileSink;
  /** Gives up: no end record, and no file is left behind. */
  abort(): Promise<void>;
}

/**
 * The guest's side of a profile written on a worker thread; create it with
 * {@link startProfileWriter}.
 */
export class ProfileThreadWriter implements ProfileOutput {
  /** The profile's path. */
  readonly name: string;
  /** Counters; `bytes` and `rawBytes` are final after `close()`. */
  readonly stats: ProfileStats = {
    runs: 0,
    tbs: 0,
    executions: 0,
    bytes: 0,
    rawBytes: 0,
  };
  /** The first error the worker reported, if any. */
  error: ProfileError | null = null;
  #worker: Worker;
  #answers: ((r: ProfileResponse) => void)[] = [];
  #defs: number[] = [];
  #free: Uint32Array<ArrayBuffer>[] = [];
  #inFlight = 0;
  #wakers: (() => void)[] = [];
  #closing: Promise<void> | null = null;
  #dead: ProfileResponse | null = null;

  private constructor(worker: Worker, name: string) {
    this.#worker = worker;
    this.name = name;
    worker.onmessage = (e: MessageEvent<ProfileResponse>) => {
      this.#answers.shift()?.(e.data);
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      const message = `Cannot write profile "${name}": ${
        String(e.message).split("\n")[0]
      }`;
      // The worker is gone: answer what waits, and all that follows.
      this.#dead = { kind: "error", message, worker: true };
      for (const answer of this.#answers.splice(0)) answer(this.#dead);
    };
  }

  /**
   * Starts the worker and opens `path` there; see {@link startProfileWriter}.
   * Returns null when the worker cannot start (no permission to load its
   * module, say).
   */
  static async open(
    path: string,
    options: ProfileWriterOptions,
  ): Promise<ProfileThreadWriter | null> {
    const url = new URL("./profile_worker.ts", import.meta.url);
    // Loading a local worker needs read access to its file: ask first, so
    // that a run without it falls back quietly.
    if (
      url.protocol === "file:" &&
      Deno.permissions.querySync({ name: "read", path: url }).state !==
        "granted"
    ) {
      return null;
    }
    let worker: Worker;
    try {
      worker = new Worker(url.href, { type: "module" });
    } catch {
      return null;
    }
    const w = new ProfileThreadWriter(worker, path);
    const r = await w.#request({ kind: "open", path, options });
    if (r.kind === "error") {
      worker.terminate();
      if (r.worker) return null;
      throw new ProfileError(r.message);
    }
    if (options.guest !== undefined) w.stats.runs++;
    return w;
  }

  #request(m: ProfileRequest, transfer: Transferable[] = []) {
    if (this.#dead) return Promise.resolve(this.#dead);
    return new Promise<ProfileResponse>((resolve) => {
      this.#answers.push(resolve);
      this.#worker.postMessage(m, transfer);
    });
  }

  #note(r: ProfileResponse): void {
    if (r.kind === "error" && !this.error) {
      this.error = new ProfileError(r.message);
    }
  }

  /** Starts the next run (TB ids start again from 0); see {@link ProfileWriter.beginRun}. */
  beginRun(guest: string, argv: readonly string[]): ProfileSink {
    this.#post(null, 0);
    this.#request({ kind: "run", guest, argv }).then((r) => this.#note(r));
    this.stats.runs++;
    return {
      defineTb: (id, pc, icount, ops) => this.defineTb(id, pc, icount, ops),
      executions: (ids, n) => this.executions(ids, n),
      handOver: (ids, n) => this.handOver(ids, n),
      close: () => this.#drain(),
    };
  }

  /** Records a TB definition; it goes to the worker with the next batch. */
  defineTb(
    id: number,
    pc: number,
    icount: number,
    ops: readonly number[],
  ): void {
    this.#defs.push(id, pc >>> 0, icount, ops.length, ...ops);
    this.stats.tbs++;
  }

  /** Posts executions `ids[0..n)` (a copy); waits only when the worker is behind. */
  executions(ids: Uint32Array, n: number): Promise<void> {
    // Batches travel in buffers that the worker hands back: no allocation.
    let copy = this.#free.pop() ?? new Uint32Array(Math.max(n, 65536));
    if (copy.length < n) copy = new Uint32Array(n);
    copy.set(ids.subarray(0, n));
    this.#post(copy, n);
    return this.#below(PROFILE_BATCHES_IN_FLIGHT);
  }

  /**
   * Posts `ids` itself to the worker (no copy; `ids` is detached) and
   * resolves to an empty buffer of the same length, once the worker is not
   * too far behind.
   */
  async handOver(
    ids: Uint32Array<ArrayBuffer>,
    n: number,
  ): Promise<Uint32Array<ArrayBuffer>> {
    const size = ids.length;
    this.#post(ids, n);
    await this.#below(PROFILE_BATCHES_IN_FLIGHT);
    let next = this.#free.pop();
    while (next !== undefined && next.length !== size) next = this.#free.pop();
    return next ?? new Uint32Array(size);
  }

  /** Posts what is pending: definitions, and `ids[0..n)` (transferred). */
  #post(ids: Uint32Array<ArrayBuffer> | null, n: number): void {
    if (n === 0 && this.#defs.length === 0) return;
    const batch = ids ?? new Uint32Array(0);
    const defs = this.#defs;
    this.#defs = [];
    this.stats.executions += n;
    this.#inFlight++;
    this.#request({ kind: "batch", defs, ids: batch, n }, [batch.buffer]).then(
      (r) => {
        this.#note(r);
        if (r.kind === "ok" && r.ids) this.#free.push(r.ids);
        this.#inFlight--;
        for (const wake of this.#wakers.splice(0)) wake();
      },
    );
  }

  async #below(limit: number): Promise<void> {
    while (this.#inFlight > limit) {
      await new Promise<void>((resolve) => this.#wakers.push(resolve));
    }
  }

  /** Waits until the worker has encoded everything posted so far. */
  async #drain(): Promise<void> {
    this.#post(null, 0);
    await this.#below(0);
  }

  /**
   * Ends the last run, writes the end record, moves the file into place and
   * stops the worker. Throws {@link ProfileError} when a write failed.
   * Calling it again returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#finish("close");
    return this.#closing;
  }

  /** Gives up: drops what is queued, removes the temporary file, stops the worker. */
  abort(): Promise<void> {
    this.#defs = [];
    this.#closing ??= this.#finish("abort").catch(() => {});
    return this.#closing;
  }

  async #finish(kind: "close" | "abort"): Promise<void> {
    if (kind === "close") await this.#drain();
    const r = await this.#request({ kind });
    this.#worker.terminate();
    if (r.kind === "ok" && r.stats) {
      this.stats.bytes = r.stats.bytes;
      this.stats.rawBytes = r.stats.rawBytes;
    }
    this.#note(r);
    if (this.error) throw this.error;
  }
}

/**
 * Creates the profile writer that `--profile` uses: a
 * {@link ProfileThreadWriter} when a worker can be started, else (or with
 * `thread: false`) a {@link ProfileWriter} on the guest's thread, from
 * {@link createProfileWriter}. Either way the file is written beside
 * `path` and renamed into place when closed, and a `path` that cannot be
 * written is a {@link ProfileError} before any guest runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { OPLETS, opletInfo, startProfileWriter, TARGET_NAME } from "@oplet/emu";
 * const path = await Deno.makeTempFile({ suffix: ".profile" });
 * const w = await startProfileWriter(path, {
 *   target: TARGET_NAME,
 *   oplets: opletInfo(OPLETS),
 *   guest: "hello.elf",
 * });
 * w.defineTb(0, 0x10074, 3, [5, 27, 50]);
 * await w.executions(new Uint32Array([0, 0, 0]), 3);
 * await w.close();
 * assert.equal(w.stats.executions, 3);
 * await Deno.remove(path);
 * ```
 */
export async function startProfileWriter(
  path: string,
  options: ProfileWriterOptions & { thread?: boolean },
): Promise<ProfileOutput> {
  const { thread = true, ...rest } = options;
  if (thread && typeof Worker === "function") {
    const w = await ProfileThreadWriter.open(path, rest);
    if (w) return w;
  }
  return createProfileWriter(path, rest);
}
