/**
 * Reading a profile (the format is documented in `profile.ts`) record by
 * record, chunk by chunk, plain or gzipped: the one decoder of the format,
 * used by the analyzer (`@oplet/analyze`) and by `--profile-guided`.
 *
 * @module
 */

import { type OpletInfo, opletTableHash } from "./oplet.ts";
import {
  PROFILE_MAGIC,
  PROFILE_TAG,
  PROFILE_VERSION,
  TbPredictor,
} from "./profile.ts";

/** The input is not a profile this reader can use; the message is one line naming the file and offset. */
export class ProfileFormatError extends Error {
  /** The input's name. */
  readonly file: string;
  /** The offset (in the uncompressed stream) where the problem is. */
  readonly offset: number;

  /** Creates the error; `message` is one line. */
  constructor(message: string, file: string, offset: number) {
    super(message);
    this.name = "ProfileFormatError";
    this.file = file;
    this.offset = offset;
  }
}

/** The header: what made the profile. */
export interface HeaderRecord {
  /** Record kind. */
  kind: "header";
  /** Offset of the record in the uncompressed stream. */
  offset: number;
  /** Format version. */
  version: number;
  /** Target name, e.g. "riscv32". */
  target: string;
  /** The oplet table's hash. */
  opletHash: string;
  /** The oplet table, indexed by oplet number. */
  oplets: OpletInfo[];
}

/** A run starts. */
export interface RunRecord {
  /** Record kind. */
  kind: "run";
  /** Offset of the record in the uncompressed stream. */
  offset: number;
  /** The run's index in the file, from 0. */
  run: number;
  /** The guest (its ELF path, as given to the emulator). */
  guest: string;
  /** The guest's argv. */
  argv: string[];
}

/** A TB definition. */
export interface TbRecord {
  /** Record kind. */
  kind: "tb";
  /** Offset of the record in the uncompressed stream. */
  offset: number;
  /** The run it belongs to. */
  run: number;
  /** The TB's id in its run. */
  id: number;
  /** Guest pc of its first instruction. */
  pc: number;
  /** Guest instructions it covers. */
  icount: number;
  /** Its oplet numbers (a fresh array per record). */
  ops: Uint16Array;
}

/** A batch of TB executions. */
export interface ExecutionsRecord {
  /** Record kind. */
  kind: "executions";
  /** Offset of the record in the uncompressed stream. */
  offset: number;
  /** The run it belongs to. */
  run: number;
  /** The executed TB ids are `ids[0..count)`. The buffer is reused: it is valid until the generator is resumed. */
  ids: Uint32Array;
  /** How many ids. */
  count: number;
}

/** The end record: the totals the writer counted. */
export interface EndRecord {
  /** Record kind. */
  kind: "end";
  /** Offset of the record in the uncompressed stream. */
  offset: number;
  /** Runs in the file. */
  runs: number;
  /** TB definitions in the file. */
  tbs: number;
  /** TB executions in the file. */
  executions: number;
}

/** The input ended before the end record; everything before `offset` was complete. */
export interface TruncatedRecord {
  /** Record kind. */
  kind: "truncated";
  /** Offset (uncompressed) of the first incomplete record. */
  offset: number;
  /** Why, as a phrase (e.g. "the file ends inside a record"). */
  reason: string;
}

/** A record of a profile, as {@link readProfile} yields them. */
export type ProfileRecord =
  | HeaderRecord
  | RunRecord
  | TbRecord
  | ExecutionsRecord
  | EndRecord
  | TruncatedRecord;

/** Options for {@link readProfile}. */
export interface ReadProfileOptions {
  /** Refuse a profile for another target. */
  target?: string;
  /** Refuse a profile made with another oplet table (its {@link opletTableHash}). */
  opletHash?: string;
  /** Called with the number of input bytes (compressed, as read) after each chunk, for progress. */
  onBytes?: (bytes: number) => void;
}

const MAX_RECORD = 64 * 1024 * 1024;
const MAX_BATCH = 1 << 24;
const MAX_TB_ID = 1 << 28;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const hex = (n: number) => "0x" + n.toString(16).padStart(2, "0");

/**
 * Reads a profile from `input`, chunk by chunk, and yields its records in
 * order, each with its offset in the uncompressed stream. Gzip (first bytes
 * `1f 8b`) is undone on the fly. `name` names the input in errors.
 *
 * Throws {@link ProfileFormatError} when the input is not a profile, has an
 * unknown version, was made for another target or oplet table than
 * `options` ask for, or is malformed. A truncated input is not an error: the
 * generator yields every complete record, then a `truncated` record.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   CapturedIo,
 *   HELLO_ELF,
 *   opletInfo,
 *   OPLETS,
 *   runElf,
 *   startProfileWriter,
 *   TARGET_NAME,
 *   readProfile,
 * } from "@oplet/emu";
 * const path = await Deno.makeTempFile({ suffix: ".profile" });
 * const w = await startProfileWriter(path, {
 *   target: TARGET_NAME,
 *   oplets: opletInfo(OPLETS),
 *   guest: "hello",
 *   argv: ["hello"],
 * });
 * await runElf(HELLO_ELF, { argv: ["hello"], io: new CapturedIo(), profile: w });
 * const file = await Deno.open(path);
 * let executions = 0;
 * for await (const r of readProfile(file.readable, path)) {
 *   if (r.kind === "executions") executions += r.count;
 *   if (r.kind === "truncated") console.error(`truncated at offset ${r.offset}`);
 * }
 * assert.equal(executions, w.stats.executions);
 * await Deno.remove(path);
 * ```
 */
export async function* readProfile(
  input: ReadableStream<Uint8Array>,
  name: string,
  options: ReadProfileOptions = {},
): AsyncGenerator<ProfileRecord, void, undefined> {
  const src = new ByteSource(input, options.onBytes);
  try {
    yield* parse(src, name, options);
  } finally {
    await src.cancel();
  }
}

/**
 * Opens `path` and reads it with {@link readProfile}. Throws
 * {@link ProfileFormatError} at offset 0 when the file cannot be opened.
 */
export async function* readProfileFile(
  path: string,
  options: ReadProfileOptions = {},
): AsyncGenerator<ProfileRecord, void, undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path);
  } catch (e) {
    throw cannotRead(path, e);
  }
  if ((await file.stat()).isDirectory) {
    file.close();
    throw new ProfileFormatError(
      `Cannot read profile "${path}": expected a file, found a directory`,
      path,
      0,
    );
  }
  yield* readProfile(file.readable, path, options);
}

/** The error for a profile file that cannot be opened. */
function cannotRead(path: string, e: unknown): ProfileFormatError {
  const why = e instanceof Deno.errors.NotFound
    ? "no such file"
    : e instanceof Deno.errors.PermissionDenied
    ? "permission denied"
    : (e as Error).message.split("\n")[0];
  return new ProfileFormatError(
    `Cannot read profile "${path}": ${why}`,
    path,
    0,
  );
}

async function* parse(
  src: ByteSource,
  name: string,
  options: ReadProfileOptions,
): AsyncGenerator<ProfileRecord, void, undefined> {
  const fail = (offset: number, message: string): never => {
    throw new ProfileFormatError(
      `${message} (in "${name}" at offset ${offset})`,
      name,
      offset,
    );
  };
  // Magic and version.
  while (src.end - src.pos < 9 && await src.more());
  const head = src.buf.subarray(src.pos, Math.min(src.end, src.pos + 9));
  for (let k = 0; k < Math.min(8, head.length); k++) {
    if (head[k] !== PROFILE_MAGIC[k]) {
      const shown = Array.from(
        head.subarray(0, 8),
        (b) => b.toString(16).padStart(2, "0"),
      ).join(" ");
      fail(
        0,
        `Not an oplet profile: starts with bytes "${shown}", expected "OPLETPRF"`,
      );
    }
  }
  if (head.length < 9) {
    yield { kind: "truncated", offset: 0, reason: src.why("in the magic") };
    return;
  }
  if (head[8] !== PROFILE_VERSION) {
    fail(
      8,
      `Unknown profile version ${head[8]}, expected ${PROFILE_VERSION}`,
    );
  }
  src.pos += 9;

  let header: HeaderRecord | null = null;
  let run = -1, runs = 0, tbs = 0, executions = 0;
  const dec = new ExecDecoder();
  let ids = new Uint32Array(1024);
  let ended = false;

  for (;;) {
    // Frame: tag, uv length, payload.
    let at: number, p: number, q: number;
    for (;;) {
      at = src.pos;
      const buf = src.buf, end = src.end;
      if (at === end) {
        if (!await src.more()) {
          if (!ended) {
            yield {
              kind: "truncated",
              offset: src.offset(at),
              reason: src.why("before the end record"),
            };
          }
          return;
        }
        continue;
      }
      if (ended) fail(src.offset(at), "Unexpected data after the end record");
      let len = 0, mul = 1;
      p = at + 1;
      let complete = false;
      while (p < end && p - at <= 8) {
        const b = buf[p++];
        len += (b & 0x7f) * mul;
        mul *= 128;
        if (b < 0x80) {
          complete = true;
          break;
        }
      }
      if (!complete && p - at > 8) {
        fail(
          src.offset(at),
          `Malformed record length at record ${hex(buf[at])}`,
        );
      }
      if (complete && len > MAX_RECORD) {
        fail(
          src.offset(at),
          `Record ${hex(buf[at])} claims ${len} bytes, more than ${MAX_RECORD}`,
        );
      }
      if (complete && p + len <= end) {
        q = p + len;
        break;
      }
      if (!await src.more()) {
        yield {
          kind: "truncated",
          offset: src.offset(at),
          reason: src.why("inside a record"),
        };
        return;
      }
    }
    const buf = src.buf;
    const offset = src.offset(at);
    const tag = buf[at];
    src.pos = q;
    const c = new Cursor(
      buf,
      p,
      q,
      () => fail(offset, `Record ${hex(tag)} is shorter than its contents`),
    );

    if (header === null && tag !== PROFILE_TAG.header) {
      fail(
        offset,
        `Expected the header record (${hex(PROFILE_TAG.header)}), found ${
          hex(tag)
        }`,
      );
    }
    switch (tag) {
      case PROFILE_TAG.header: {
        if (header !== null) fail(offset, "Second header record");
        const target = c.str();
        const opletHash = c.str();
        const n = c.uv();
        if (n > 65536) fail(offset, `Header claims ${n} oplets`);
        const oplets: OpletInfo[] = [];
        for (let k = 0; k < n; k++) {
          const oname = c.str();
          const params = c.uv();
          const flags = c.uv();
          oplets.push({ name: oname, params, exit: (flags & 1) === 1 });
        }
        c.done();
        const actual = opletTableHash(oplets);
        if (actual !== opletHash) {
          fail(
            offset,
            `Header's oplet table hashes to ${actual}, but it says "${opletHash}"`,
          );
        }
        if (options.target !== undefined && options.target !== target) {
          fail(
            offset,
            `Profile is for target "${target}", expected "${options.target}"`,
          );
        }
        if (
          options.opletHash !== undefined && options.opletHash !== opletHash
        ) {
          fail(
            offset,
            `Profile was made with oplet table ${opletHash}, expected ${options.opletHash}; profile the guests again with this emulator`,
          );
        }
        header = {
          kind: "header",
          offset,
          version: PROFILE_VERSION,
          target,
          opletHash,
          oplets,
        };
        yield header;
        break;
      }
      case PROFILE_TAG.run: {
        const guest = c.str();
        const argc = c.uv();
        const argv: string[] = [];
        for (let k = 0; k < argc; k++) argv.push(c.str());
        c.done();
        run = runs++;
        dec.reset();
        yield { kind: "run", offset, run, guest, argv };
        break;
      }
      case PROFILE_TAG.tb: {
        if (run < 0) fail(offset, "TB definition before any run record");
        const id = c.uv(), pc = c.uv(), icount = c.uv(), n = c.uv();
        if (id >= MAX_TB_ID) fail(offset, `TB id ${id} is too large`);
        if (pc > 0xffffffff) fail(offset, `TB pc ${pc} is beyond 32 bits`);
        if (n > q - c.p) {
          fail(offset, `TB claims ${n} oplets in ${q - c.p} bytes`);
        }
        const ops = new Uint16Array(n);
        const nOps = header!.oplets.length;
        for (let k = 0; k < n; k++) {
          const op = c.uv();
          if (op >= nOps) {
            fail(
              offset,
              `TB ${id} uses oplet ${op}, but the table has ${nOps}`,
            );
          }
          ops[k] = op;
        }
        c.done();
        dec.define(id);
        tbs++;
        yield { kind: "tb", offset, run, id, pc, icount, ops };
        break;
      }
      case PROFILE_TAG.executions: {
        if (run < 0) fail(offset, "Executions before any run record");
        const count = c.uv();
        if (count > MAX_BATCH) {
          fail(
            offset,
            `Executions record claims ${count} ids, more than ${MAX_BATCH}`,
          );
        }
        if (ids.length < count) ids = new Uint32Array(count);
        if (!dec.decode(buf, c.p, q, ids, count)) fail(offset, dec.error);
        executions += count;
        yield { kind: "executions", offset, run, ids, count };
        break;
      }
      case PROFILE_TAG.end: {
        const er = c.uv(), et = c.uv(), ee = c.uv();
        c.done();
        if (er !== runs || et !== tbs || ee !== executions) {
          fail(
            offset,
            `End record counts ${er} runs, ${et} TBs, ${ee} executions, but the file has ${runs}, ${tbs}, ${executions}`,
          );
        }
        ended = true;
        yield { kind: "end", offset, runs, tbs, executions };
        break;
      }
      default:
        fail(offset, `Unknown record tag ${hex(tag)}`);
    }
  }
}

/**
 * Decodes executions records: the predictor state of the current run (see
 * the token format in `@oplet/emu`'s `profile.ts`).
 */
class ExecDecoder {
  /** The prediction model, shared with the writer. */
  pred: TbPredictor = new TbPredictor();
  /** The previous TB id + 1 (0 at the start of a run). */
  prev1 = 0;
  /** 1 + the largest TB id defined in this run. */
  defined = 0;
  /** Why {@link decode} failed. */
  error = "";

  constructor() {
    this.reset();
  }

  reset(): void {
    this.pred.reset();
    this.prev1 = 0;
    this.defined = 0;
  }

  define(id: number): void {
    if (id < this.defined) return;
    this.defined = id + 1;
    if (id + 2 > this.pred.first.length) this.pred.grow(id + 2);
  }

  /** Decodes the tokens in `buf[p..q)` into `ids[0..count)`; false (and {@link error}) when they are malformed. */
  decode(
    buf: Uint8Array,
    p: number,
    q: number,
    ids: Uint32Array,
    count: number,
  ): boolean {
    const p1 = this.pred.first, p2 = this.pred.second, lim = this.defined;
    let prev1 = this.prev1, k = 0, i = p;
    while (i < q) {
      let t = buf[i++];
      if (t >= 0x80) {
        t = this.#uv(buf, i - 1, q);
        if (t < 0) return this.#bad("Executions record ends inside a token");
        i = this.#end;
      }
      const kind = t & 3;
      let r = t > 0x7fffffff ? (t - kind) / 4 : t >>> 2;
      if (k + r + (kind === 0 ? 0 : 1) > count) {
        return this.#bad(
          `Executions record decodes to more than its ${count} ids`,
        );
      }
      for (; r > 0; r--) {
        const id = p1[prev1];
        if (id >= lim) return this.#bad(`Execution of undefined TB ${id}`);
        ids[k++] = id;
        prev1 = id + 1;
      }
      if (kind === 0) {
        if (i !== q) {
          return this.#bad("Executions record goes on after its last token");
        }
        break;
      }
      const first = p1[prev1];
      let id: number;
      if (kind === 1) {
        id = p2[prev1];
      } else if (kind === 2) {
        if (i >= q) return this.#bad("Executions record ends inside a token");
        let m = buf[i++];
        if (m >= 0x80) {
          m = this.#uv(buf, i - 1, q);
          if (m < 0) return this.#bad("Executions record ends inside a token");
          i = this.#end;
        }
        if (m > 0x3fffffff) {
          return this.#bad(`Execution token distance ${m} is too large`);
        }
        // m + 1 is the zigzag code of the distance from the first prediction.
        id = (m & 1) === 0 ? first - (m >> 1) - 1 : first + ((m + 1) >> 1);
      } else {
        return this.#bad(`Reserved execution token ${t}`);
      }
      if (!(id >= 0 && id < lim)) {
        return this.#bad(`Execution of undefined TB ${id}`);
      }
      p2[prev1] = first;
      p1[prev1] = id;
      ids[k++] = id;
      prev1 = id + 1;
    }
    if (k !== count) {
      return this.#bad(
        `Executions record decodes to ${k} ids, but says ${count}`,
      );
    }
    this.prev1 = prev1;
    return true;
  }

  #end = 0;

  /** Reads a multi-byte uv at `p`, setting #end; -1 when it is cut or too long. */
  #uv(buf: Uint8Array, p: number, q: number): number {
    if (p + 2 <= q && buf[p + 1] < 0x80) {
      this.#end = p + 2;
      return (buf[p] & 0x7f) | (buf[p + 1] << 7);
    }
    let v = 0, mul = 1;
    for (let n = 0; n < 7; n++, mul *= 128) {
      if (p >= q) return -1;
      const b = buf[p++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.#end = p;
        return v;
      }
    }
    return -1;
  }

  #bad(why: string): false {
    this.error = why;
    return false;
  }
}

/** Reads varints and strings from one record's payload. */
class Cursor {
  constructor(
    readonly buf: Uint8Array,
    public p: number,
    readonly q: number,
    readonly short: () => never,
  ) {}

  uv(): number {
    let v = 0, mul = 1;
    for (let n = 0; n < 8; n++) {
      if (this.p >= this.q) this.short();
      const b = this.buf[this.p++];
      v += (b & 0x7f) * mul;
      if (b < 0x80) return v;
      mul *= 128;
    }
    return this.short();
  }

  str(): string {
    const n = this.uv();
    if (this.p + n > this.q) this.short();
    const s = this.buf.subarray(this.p, this.p + n);
    this.p += n;
    try {
      return utf8.decode(s);
    } catch {
      return this.short();
    }
  }

  done(): void {
    if (this.p !== this.q) this.short();
  }
}

/** A growable window on a byte stream, with gzip detection. */
class ByteSource {
  buf = new Uint8Array(1 << 20);
  pos = 0;
  end = 0;
  /** Stream offset of `buf[0]`. */
  base = 0;
  #reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  #input: ReadableStream<Uint8Array>;
  #onBytes?: (bytes: number) => void;
  #raw = 0;
  #error: string | null = null;

  constructor(
    input: ReadableStream<Uint8Array>,
    onBytes?: (n: number) => void,
  ) {
    this.#input = input;
    this.#onBytes = onBytes;
  }

  offset(at: number): number {
    return this.base + at;
  }

  /** Why the stream ended early, for a `truncated` record. */
  why(where: string): string {
    return this.#error ?? `the input ends ${where}`;
  }

  /** Appends the next chunk; false at the end of the stream. */
  async more(): Promise<boolean> {
    if (this.#reader === null) this.#reader = await this.#open();
    let chunk: Uint8Array;
    try {
      const r = await this.#reader.read();
      if (r.done) return false;
      chunk = r.value;
    } catch (e) {
      this.#error = `the gzip stream is cut or corrupt (${
        (e as Error).message.split("\n")[0]
      })`;
      return false;
    }
    this.#append(chunk);
    return true;
  }

  async cancel(): Promise<void> {
    await this.#reader?.cancel().catch(() => {});
  }

  #append(chunk: Uint8Array): void {
    const live = this.end - this.pos;
    if (this.end + chunk.length > this.buf.length) {
      if (live + chunk.length > this.buf.length) {
        let size = this.buf.length;
        while (size < live + chunk.length) size *= 2;
        const b = new Uint8Array(size);
        b.set(this.buf.subarray(this.pos, this.end));
        this.buf = b;
      } else {
        this.buf.copyWithin(0, this.pos, this.end);
      }
      this.base += this.pos;
      this.pos = 0;
      this.end = live;
    }
    this.buf.set(chunk, this.end);
    this.end += chunk.length;
  }

  /** Peeks at the first bytes and puts a DecompressionStream behind gzip. */
  async #open(): Promise<ReadableStreamDefaultReader<Uint8Array>> {
    const raw = this.#input.getReader();
    const first: Uint8Array[] = [];
    let have = 0;
    while (have < 2) {
      const r = await raw.read();
      if (r.done) break;
      first.push(r.value);
      have += r.value.length;
      this.#count(r.value.length);
    }
    const count = (n: number) => this.#count(n);
    const stream = new ReadableStream<Uint8Array>({
      pull: async (ctl) => {
        const b = first.shift();
        if (b) return ctl.enqueue(b);
        const r = await raw.read();
        if (r.done) return ctl.close();
        count(r.value.length);
        ctl.enqueue(r.value);
      },
      cancel: (why) => raw.cancel(why),
    }, { highWaterMark: 4 }); // read ahead while records are parsed
    const head = first.length > 0
      ? concat(first).subarray(0, 2)
      : new Uint8Array(0);
    if (head.length === 2 && head[0] === 0x1f && head[1] === 0x8b) {
      return stream.pipeThrough(
        new DecompressionStream("gzip") as unknown as TransformStream<
          Uint8Array,
          Uint8Array
        >,
      ).getReader();
    }
    return stream.getReader();
  }

  #count(n: number): void {
    this.#raw += n;
    this.#onBytes?.(this.#raw);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  n = 0;
  for (const p of parts) {
    out.set(p, n);
    n += p.length;
  }
  return out;
}
