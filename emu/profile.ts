/**
 * Profiles: the file that a profiling run writes (the seed's
 * `/tmp/qemu.profile`) and {@link ProfileWriter}, the {@link ProfileSink}
 * that streams it. `@oplet/analyze` reads it back.
 *
 * ## Format (version 1)
 *
 * A profile is a byte stream, optionally gzip-compressed as a whole (a
 * reader recognises gzip by its first two bytes `1f 8b`). Uncompressed, it is
 *
 * ```text
 * magic    8 bytes  "OPLETPRF" (4f 50 4c 45 54 50 52 46)
 * version  1 byte   1
 * records  ...      header, then (run, (tb | executions)*)*, then end
 * ```
 *
 * Numbers are unsigned LEB128 varints (`uv`: 7 bits a byte, least
 * significant group first, high bit set on every byte but the last; values
 * up to 2^53). A string (`str`) is `uv` byte length, then UTF-8 bytes. Every
 * record is framed the same way, so a reader can always tell a complete
 * record from a cut one, and can skip a record it does not know:
 *
 * ```text
 * tag      1 byte   the record's kind (below)
 * length   uv       payload byte length
 * payload  length bytes
 * ```
 *
 * | tag | record | payload |
 * | --- | --- | --- |
 * | `48` "H" | header, first and once | target `str`, oplet table hash `str` ({@link opletTableHash}: 8 hex digits), oplet count `uv`, then per oplet in number order: name `str`, parameter count `uv`, flags `uv` (bit 0: exit) |
 * | `52` "R" | run: a guest starts | guest `str` (the ELF's path), argc `uv`, argv `str` × argc |
 * | `54` "T" | TB definition | TB id `uv`, guest pc `uv`, guest instruction count `uv`, oplet count `uv`, oplet numbers `uv` × count (without `op_profile`) |
 * | `58` "X" | executions | execution count `uv`, then tokens (below) |
 * | `45` "E" | end, last | runs `uv`, TB definitions `uv`, executions `uv` (totals over the file) |
 *
 * Several runs may follow each other in one file (several guests, or one
 * guest with several inputs): each starts with its own run record, and TB
 * ids start again from 0 in each run. A TB is defined before its first
 * execution. A file without the end record, or whose end record is cut, is
 * truncated: its complete records are still good.
 *
 * ### Execution tokens
 *
 * The executed TB ids of a run are predicted from the previous one. Every TB
 * keeps two predictions: the TB that last followed it (first) and the one
 * that followed it before that (second). A TB that has not been followed yet
 * predicts the TB with the next id first (blocks are translated in the order
 * they first run) and nothing second; the run's first execution is predicted
 * to be TB 0. A token is one `uv` `t`; `r = floor(t / 4)` executions of the
 * first prediction (hits) come first, then by `t % 4`:
 *
 * - 0: nothing: the record ends here (only the last token);
 * - 1: one execution of the second prediction;
 * - 2: one execution of TB `first + d`, where a `uv` `m` follows and `d` is
 *   the zigzag decoding of `z = m + 1` (`z` odd: `d = -(z + 1) / 2`, `z`
 *   even: `d = z / 2`; `d` is never 0);
 * - 3: reserved (an error).
 *
 * After kinds 1 and 2 the TB just left predicts the executed TB first and
 * its old first prediction second. Each record decodes to exactly its
 * execution count. The predictor state (the previous TB and every TB's
 * predictions) carries over from one executions record to the next and
 * starts afresh with each run record.
 *
 * Loops give long runs of hits, and a conditional branch alternates between
 * a TB's two predictions, so most tokens are one byte for several
 * executions. On guests like the training ones this takes about 135 KB per
 * million TB executions (30 KB gzipped), against 1.9 MB for plain varint
 * ids, 1.0 MB for zigzag deltas, 0.7 MB for deltas with runs of repeats and
 * 0.25 MB for a one-successor predictor (`deno run -A emu/profile_bench.ts`
 * measures the first three).
 *
 * ### Worked example
 *
 * Oplet table `[profile/1 exit, addi/1, goto_tb/1 exit]`, target "rv", guest
 * `a.elf` run as `a`; TB 0 at pc 0x10074 (2 instructions, oplets
 * `addi, goto_tb`) and TB 1 at 0x1007c (1 instruction, `goto_tb`) run in the
 * order 0 0 0 0 1 0. The writer produces these 96 bytes (checked by
 * `profile_test.ts`):
 *
 * ```text
 * 4f 50 4c 45 54 50 52 46 01        magic "OPLETPRF", version 1
 * 48 28                             header, 40 payload bytes:
 *    02 72 76                         target "rv"
 *    08 65 37 63 35 38 37 34 66       oplet table hash "e7c5874f"
 *    03                               3 oplets:
 *    07 70 72 6f 66 69 6c 65 01 01    "profile", 1 parameter, flags 1 (exit)
 *    04 61 64 64 69 01 00             "addi", 1 parameter, flags 0
 *    07 67 6f 74 6f 5f 74 62 01 01    "goto_tb", 1 parameter, exit
 * 52 09 05 61 2e 65 6c 66 01 01 61  run: guest "a.elf", argv ["a"]
 * 54 08 00 f4 80 04 02 02 01 02     TB 0, pc 0x10074, 2 insns, 2 oplets: 1 2
 * 54 07 01 fc 80 04 01 01 02        TB 1, pc 0x1007c, 1 insn, 1 oplet: 2
 * 58 86 80 00 06                    executions, length 6 (padded), 6 ids:
 *    06 00                            1 hit (TB 0), then kind 2 with m = 0:
 *                                     d = -1 from TB 0's first prediction
 *                                     TB 1: TB 0; TB 0 now predicts 0, then 1
 *    09                               2 hits (TB 0, TB 0), then kind 1: the
 *                                     second prediction, TB 1
 *    02 02                            0 hits, kind 2, m = 2: d = -2 from
 *                                     TB 1's first prediction TB 2: TB 0
 * 45 03 01 02 06                    end: 1 run, 2 TBs, 6 executions
 * ```
 *
 * The writer pads an executions record's length to 3 bytes (a non-minimal
 * varint, e.g. `86 80 00` for 6) so that it can encode in place; readers
 * accept any varint length.
 *
 * @module
 */

import { type OpletInfo, opletTableHash } from "./oplet.ts";
import type { ProfileSink } from "./profile_sink.ts";

/** The 8 bytes a profile starts with: "OPLETPRF". */
export const PROFILE_MAGIC: Uint8Array = new TextEncoder().encode("OPLETPRF");

/** The format version this module writes. */
export const PROFILE_VERSION = 1;

/** Record tags (the first byte of every record). */
export const PROFILE_TAG = {
  /** The header: target, oplet table and its hash. */
  header: 0x48,
  /** A run starts: guest path and argv. */
  run: 0x52,
  /** A TB definition. */
  tb: 0x54,
  /** A batch of TB executions. */
  executions: 0x58,
  /** The end: totals. */
  end: 0x45,
} as const;

/** How many bytes the writer gathers before handing them to the stream. */
export const PROFILE_CHUNK_BYTES = 256 * 1024;

/** A profile could not be written, or the path to write it to is unusable. */
export class ProfileError extends Error {
  /** Creates the error; `message` is one line. */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ProfileError";
  }
}

/** What a profile records about its emulator and its first run. */
export interface ProfileWriterOptions {
  /** Gzip the whole stream (default false). */
  gzip?: boolean;
  /** The target's name, e.g. "riscv32". */
  target: string;
  /** The oplet table the TB definitions use (oplet 0 is `profile`). */
  oplets: readonly OpletInfo[];
  /** The first run's guest: its ELF path. Omit to start runs with {@link ProfileWriter.beginRun} only. */
  guest?: string;
  /** The first run's argv. */
  argv?: readonly string[];
}

/** Counters of a profile writer; final after `close()`. */
export interface ProfileStats {
  /** Runs written. */
  runs: number;
  /** TB definitions written. */
  tbs: number;
  /** TB executions written. */
  executions: number;
  /** Bytes in the file (compressed size when gzipped; the stream's bytes for a stream writer). */
  bytes: number;
  /** Uncompressed profile bytes. */
  rawBytes: number;
}

const enc = new TextEncoder();

/** "No TB": a second prediction not made yet. */
const NO_TB = 0xffffffff;

/**
 * The model that predicts each block execution from the previous one, kept
 * alike by the writer and every reader: for each TB (indexed by its id + 1;
 * index 0 stands for the start of a run) the two blocks that most recently
 * followed it. A new TB's first prediction is the TB after it (id + 1), its
 * second none. After an execution `id` that was not the first prediction,
 * `first` moves to `second` and `id` becomes `first`.
 */
export class TbPredictor {
  /** `[id + 1]`: the first prediction of what follows TB `id`. */
  first: Uint32Array<ArrayBuffer> = new Uint32Array(0);
  /** `[id + 1]`: the second prediction. */
  second: Uint32Array<ArrayBuffer> = new Uint32Array(0);

  /** Starts with no history, room for 1024 TBs. */
  constructor() {
    this.reset();
  }

  /** Forgets all history (a new run). */
  reset(): void {
    this.first = new Uint32Array(0);
    this.second = new Uint32Array(0);
    this.grow(1024);
  }

  /** Makes room for indexes below `min`, keeping the history. */
  grow(min: number): void {
    const old1 = this.first, old2 = this.second;
    let size = Math.max(1024, old1.length);
    while (size < min) size *= 2;
    const p1 = new Uint32Array(size), p2 = new Uint32Array(size);
    p1.set(old1);
    p2.set(old2);
    for (let k = old1.length; k < size; k++) p1[k] = k;
    p2.fill(NO_TB, old2.length);
    this.first = p1;
    this.second = p2;
  }
}

/** Most executions in one record: 6 bytes each stay under a 3-byte length. */
const MAX_BATCH = 1 << 18;

/**
 * Streams a profile. It is a {@link ProfileSink} for the current run (the
 * one started by `options.guest` or the last {@link beginRun}), and
 * {@link beginRun} hands out a sink per further run, so that several guests
 * can go into one file:
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   CapturedIo,
 *   createProfileWriter,
 *   HELLO_ELF,
 *   OPLETS,
 *   opletInfo,
 *   runElf,
 *   TARGET_NAME,
 * } from "@oplet/emu";
 * const path = await Deno.makeTempFile({ suffix: ".profile" });
 * const w = await createProfileWriter(path, {
 *   target: TARGET_NAME,
 *   oplets: opletInfo(OPLETS),
 * });
 * for (const name of ["first", "second"]) {
 *   const profile = w.beginRun(name, [name]);
 *   await runElf(HELLO_ELF, { argv: [name], io: new CapturedIo(), profile });
 * }
 * await w.close(); // throws ProfileError if a write failed
 * assert.equal(w.stats.runs, 2);
 * await Deno.remove(path);
 * ```
 *
 * With one guest, the writer itself is the sink, and the `close()` that
 * `runElf` calls at the end of the run finishes the file.
 *
 * Records are encoded into a growable buffer that is handed to the stream
 * in chunks of {@link PROFILE_CHUNK_BYTES} or more, waiting for the stream's
 * backpressure; the emulator's hot path only appends ids to its buffer. A
 * failed write does not disturb the guest: the writer drops what follows,
 * keeps the error in {@link error}, and `close()` throws it.
 */
export class ProfileWriter implements ProfileSink {
  /** Counters; final after `close()`. */
  readonly stats: ProfileStats = {
    runs: 0,
    tbs: 0,
    executions: 0,
    bytes: 0,
    rawBytes: 0,
  };
  /** The first write error, if any (the profile is then incomplete). */
  error: ProfileError | null = null;
  /** What error messages call the output. */
  readonly name: string;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #buf = new Uint8Array(2 * PROFILE_CHUNK_BYTES);
  #len = 0;
  #inRun = false;
  #prev1 = 0; // the previous TB id + 1 (0 at the start of a run)
  #pred = new TbPredictor();
  #closing: Promise<void> | null = null;
  #write: Promise<void> = Promise.resolve();
  /** With gzip: the compressed bytes' way to the stream, done when all are written. */
  #piped: Promise<void> = Promise.resolve();
  #gzipped: boolean;

  /**
   * Starts a profile on any byte stream; {@link createProfileWriter} is the
   * way to write a file. `name` is what error messages call the stream.
   * Writes the magic and the header, and starts a run when `options.guest`
   * is given.
   */
  constructor(
    writable: WritableStream<Uint8Array>,
    name: string,
    options: ProfileWriterOptions,
  ) {
    this.name = name;
    const { target, oplets } = options;
    if (oplets.length === 0 || oplets[0].name !== "profile") {
      throw new ProfileError(
        `Oplet table for profile "${name}" must start with oplet "profile", found "${
          oplets[0]?.name ?? ""
        }"`,
      );
    }
    let sink = writable;
    this.#gzipped = options.gzip ?? false;
    if (options.gzip) {
      const cs = new CompressionStream("gzip");
      const counted = new TransformStream<Uint8Array, Uint8Array>({
        transform: (chunk, ctl) => {
          this.stats.bytes += chunk.length;
          ctl.enqueue(chunk);
        },
      });
      this.#piped = cs.readable.pipeThrough(counted).pipeTo(writable).catch((
        e,
      ) => this.#fail(e));
      sink = cs.writable as WritableStream<Uint8Array>;
    }
    this.#writer = sink.getWriter();
    this.#bytes(PROFILE_MAGIC);
    this.#byte(PROFILE_VERSION);
    const start = this.#open(PROFILE_TAG.header);
    this.#str(target);
    this.#str(opletTableHash(oplets));
    this.#uv(oplets.length);
    for (const o of oplets) {
      this.#str(o.name);
      this.#uv(o.params);
      this.#uv(o.exit ? 1 : 0);
    }
    this.#close(start);
    if (options.guest !== undefined) {
      this.#startRun(options.guest, options.argv ?? [options.guest]);
    }
  }

  /**
   * Starts the next run (a guest whose TB ids start again from 0) and
   * returns a sink for it: its `defineTb` and `executions` are this
   * writer's, its `close()` only ends the run. Close the writer itself
   * after the last run.
   */
  beginRun(guest: string, argv: readonly string[]): ProfileSink {
    this.#startRun(guest, argv);
    return {
      defineTb: (id, pc, icount, ops) => this.defineTb(id, pc, icount, ops),
      executions: (ids, n) => this.executions(ids, n),
      close: () => this.#flush(),
    };
  }

  /** Records a TB definition in the current run. */
  defineTb(
    id: number,
    pc: number,
    icount: number,
    ops: readonly number[],
  ): void {
    this.#needRun();
    this.#ensure(32 + 5 * ops.length);
    const start = this.#open(PROFILE_TAG.tb);
    this.#uv(id);
    this.#uv(pc >>> 0);
    this.#uv(icount);
    this.#uv(ops.length);
    for (let k = 0; k < ops.length; k++) this.#uv(ops[k]);
    this.#close(start);
    this.stats.tbs++;
    if (id + 2 > this.#pred.first.length) this.#pred.grow(id + 2);
  }

  /** Records executions `ids[0..n)` of the current run's TBs, in order. */
  executions(ids: Uint32Array, n: number): Promise<void> {
    this.#needRun();
    for (let from = 0; from < n; from += MAX_BATCH) {
      this.#encode(ids, from, Math.min(n, from + MAX_BATCH));
    }
    if (n > 0) this.stats.executions += n;
    return this.#len >= PROFILE_CHUNK_BYTES ? this.#flush() : Promise.resolve();
  }

  /** Encodes `ids[from..to)` as one executions record (see the module doc). */
  #encode(ids: Uint32Array, from: number, to: number): void {
    // A token takes at most 1 + 5 bytes; the frame 1 + 3, the count at most 3.
    this.#ensure(8 + 6 * (to - from));
    const buf = this.#buf;
    const tag = this.#len;
    buf[tag] = PROFILE_TAG.executions;
    let p = putUv(buf, tag + 4, to - from);
    let prev1 = this.#prev1;
    let p1 = this.#pred.first, p2 = this.#pred.second;
    let hits = 0;
    for (let i = from; i < to; i++) {
      const id = ids[i];
      if (id + 2 > p1.length) {
        this.#pred.grow(id + 2);
        p1 = this.#pred.first;
        p2 = this.#pred.second;
      }
      const first = p1[prev1];
      if (id === first) {
        hits++;
      } else {
        if (id === p2[prev1]) {
          p = putUv(buf, p, hits * 4 + 1);
        } else {
          const d = id - first;
          p = putUv(buf, p, hits * 4 + 2);
          p = putUv(buf, p, (d < 0 ? -2 * d - 1 : 2 * d) - 1);
        }
        p2[prev1] = first;
        p1[prev1] = id;
        hits = 0;
      }
      prev1 = id + 1;
    }
    if (hits > 0) p = putUv(buf, p, hits * 4);
    this.#prev1 = prev1;
    // The length is written as a padded 3-byte varint: payloads stay under
    // 2^21 bytes because batches are at most MAX_BATCH ids.
    const len = p - tag - 4;
    buf[tag + 1] = (len & 0x7f) | 0x80;
    buf[tag + 2] = ((len >>> 7) & 0x7f) | 0x80;
    buf[tag + 3] = len >>> 14;
    this.#len = p;
  }

  /**
   * Ends the current run, writes the end record and closes the stream.
   * Throws {@link ProfileError} when a write failed. Calling it again
   * returns the same promise.
   */
  close(): Promise<void> {
    this.#closing ??= this.#finish();
    return this.#closing;
  }

  /** Gives up: drops what is buffered and aborts the stream (no end record). */
  async abort(): Promise<void> {
    this.#len = 0;
    this.#closing ??= Promise.resolve();
    await this.#writer.abort().catch(() => {});
  }

  /** Finishes the stream; a subclass may then move the file into place. */
  protected async finishStream(): Promise<void> {
    const start = this.#open(PROFILE_TAG.end);
    this.#uv(this.stats.runs);
    this.#uv(this.stats.tbs);
    this.#uv(this.stats.executions);
    this.#close(start);
    this.#inRun = false;
    await this.#flush();
    if (!this.error) {
      await this.#writer.close().catch((e) => this.#fail(e));
      // Closing the gzip side ends the pipe; wait until the last
      // compressed bytes have reached the stream.
      await this.#piped;
    }
    if (this.error) {
      await this.#writer.abort().catch(() => {});
      throw this.error;
    }
  }

  async #finish(): Promise<void> {
    await this.finishStream();
  }

  #needRun(): void {
    if (!this.#inRun) {
      throw new ProfileError(
        `Profile "${this.name}" has no run in progress; call beginRun() first`,
      );
    }
    if (this.#closing) {
      throw new ProfileError(`Profile "${this.name}" is already closed`);
    }
  }

  #startRun(guest: string, argv: readonly string[]): void {
    if (this.#closing) {
      throw new ProfileError(`Profile "${this.name}" is already closed`);
    }
    const start = this.#open(PROFILE_TAG.run);
    this.#str(guest);
    this.#uv(argv.length);
    for (const a of argv) this.#str(a);
    this.#close(start);
    this.stats.runs++;
    this.#inRun = true;
    this.#prev1 = 0;
    this.#pred.reset();
  }

  /** Hands the buffered bytes to the stream and waits for backpressure. */
  async #flush(): Promise<void> {
    const n = this.#len;
    if (n === 0) return;
    const chunk = this.#buf.subarray(0, n);
    this.#buf = new Uint8Array(Math.max(2 * PROFILE_CHUNK_BYTES, n));
    this.#len = 0;
    this.stats.rawBytes += n;
    if (this.error) return;
    if (!this.#gzipped) this.stats.bytes += n;
    const w = this.#writer;
    this.#write = w.write(chunk).catch((e) => this.#fail(e));
    // Let one chunk be written while the guest goes on; wait beyond that.
    if ((w.desiredSize ?? 1) <= 0) await this.#write;
  }

  #fail(e: unknown): void {
    if (this.error) return;
    const why = e instanceof Error ? e.message : String(e);
    this.error = new ProfileError(
      `Cannot write profile "${this.name}": ${why.split("\n")[0]}`,
      { cause: e },
    );
  }

  #ensure(n: number): void {
    if (this.#len + n <= this.#buf.length) return;
    const b = new Uint8Array(Math.max(2 * this.#buf.length, this.#len + n));
    b.set(this.#buf.subarray(0, this.#len));
    this.#buf = b;
  }

  #byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#len++] = b;
  }

  #bytes(b: Uint8Array): void {
    this.#ensure(b.length);
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  #uv(v: number): void {
    this.#ensure(8);
    this.#len = putUv(this.#buf, this.#len, v);
  }

  #str(s: string): void {
    const b = enc.encode(s);
    this.#uv(b.length);
    this.#bytes(b);
  }

  /** Starts a record whose payload length is not known yet. */
  #open(tag: number): number {
    this.#ensure(1);
    this.#buf[this.#len++] = tag;
    return this.#len;
  }

  /** Inserts the payload length of the record opened at `start`. */
  #close(start: number): void {
    const len = this.#len - start;
    const head = uvLength(len);
    this.#ensure(head);
    this.#buf.copyWithin(start + head, start, this.#len);
    putUv(this.#buf, start, len);
    this.#len += head;
  }
}

/** Writes `v` (0 <= v < 2^53) as an unsigned LEB128 varint at `p`; returns the end. */
function putUv(buf: Uint8Array, p: number, v: number): number {
  if (v < 0x80) {
    buf[p] = v;
    return p + 1;
  }
  while (v >= 0x80) {
    buf[p++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[p] = v;
  return p + 1;
}

function uvLength(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}

/** A profile writer to a temporary file that is renamed into place on close. */
class FileProfileWriter extends ProfileWriter {
  readonly #tmp: string;

  constructor(
    file: Deno.FsFile,
    tmp: string,
    path: string,
    options: ProfileWriterOptions,
  ) {
    super(file.writable, path, options);
    this.#tmp = tmp;
  }

  protected override async finishStream(): Promise<void> {
    try {
      await super.finishStream();
      this.stats.bytes = (await Deno.stat(this.#tmp)).size;
      await Deno.rename(this.#tmp, this.name);
    } catch (e) {
      await Deno.remove(this.#tmp).catch(() => {});
      if (e instanceof ProfileError) throw e;
      throw new ProfileError(
        `Cannot write profile "${this.name}": ${firstLine(e)}`,
        { cause: e },
      );
    }
  }

  override async abort(): Promise<void> {
    await super.abort();
    await Deno.remove(this.#tmp).catch(() => {});
  }
}

/**
 * Creates a {@link ProfileWriter} that writes `path`: it writes a temporary
 * file beside it (`.NAME.PID.RANDOM.tmp`) and renames it to `path` when
 * closed, so `path` never holds a half-written profile. Throws
 * {@link ProfileError} at once when `path` cannot be written (missing
 * directory, no permission, a directory in the way), before any guest runs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { createProfileWriter, opletInfo, OPLETS, TARGET_NAME } from "@oplet/emu";
 * const path = await Deno.makeTempFile({ suffix: ".profile" });
 * const w = await createProfileWriter(path, {
 *   target: TARGET_NAME,
 *   oplets: opletInfo(OPLETS),
 *   guest: "hello.elf",
 *   argv: ["hello"],
 * });
 * w.defineTb(0, 0x10074, 3, [5, 27, 50]);
 * await w.executions(new Uint32Array([0, 0, 0]), 3);
 * await w.close();
 * assert.equal(w.stats.executions, 3);
 * await Deno.remove(path);
 * ```
 */
export async function createProfileWriter(
  path: string,
  options: ProfileWriterOptions,
): Promise<ProfileWriter> {
  const bad = (why: string, cause?: unknown) =>
    new ProfileError(`Cannot write profile "${path}": ${why}`, { cause });
  try {
    if ((await Deno.stat(path)).isDirectory) throw bad("it is a directory");
  } catch (e) {
    if (e instanceof ProfileError) throw e;
    if (!(e instanceof Deno.errors.NotFound)) throw bad(firstLine(e), e);
  }
  const dir = dirname(path);
  const rand = Math.floor(Math.random() * 0x100000000).toString(16);
  const tmp = `${dir}/.${basename(path)}.${Deno.pid}.${rand}.tmp`;
  let file: Deno.FsFile;
  try {
    file = await Deno.open(tmp, { write: true, createNew: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      throw bad(`directory "${dir}" does not exist`, e);
    }
    if (e instanceof Deno.errors.PermissionDenied) {
      throw bad(`permission denied in directory "${dir}"`, e);
    }
    throw bad(firstLine(e), e);
  }
  try {
    return new FileProfileWriter(file, tmp, path, options);
  } catch (e) {
    file.close();
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

function dirname(path: string): string {
  const k = path.lastIndexOf("/");
  return k < 0 ? "." : k === 0 ? "/" : path.slice(0, k);
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}
