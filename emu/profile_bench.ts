/**
 * Measures profile encodings on real guests: `deno run -A
 * emu/profile_bench.ts [elf...]` (default: the training guests in
 * `tests/guests/bin`) runs each guest, keeps its trace of TB executions, and
 * prints the bytes per million TB executions of several encodings, plain
 * and gzipped, and the writer's encoding speed. The profile format uses the
 * one marked "(used)". `deno bench emu/profile_bench.ts` times the writer on
 * a synthetic trace.
 *
 * @module
 */

import { ProfileWriter } from "./profile.ts";
import type { ProfileSink } from "./profile_sink.ts";
import { runElf } from "./run.ts";
import { OPLETS, TARGET_NAME } from "./targets/riscv32/target.ts";
import { opletInfo } from "./oplet.ts";
import { CapturedIo } from "./captured_io.ts";

/** Collects a run's executions in memory. */
class TraceSink implements ProfileSink {
  ids = new Uint32Array(1 << 20);
  n = 0;
  tbs = 0;
  defineTb(): void {
    this.tbs++;
  }
  executions(ids: Uint32Array, n: number): Promise<void> {
    if (this.n + n > this.ids.length) {
      const b = new Uint32Array(Math.max(2 * this.ids.length, this.n + n));
      b.set(this.ids.subarray(0, this.n));
      this.ids = b;
    }
    this.ids.set(ids.subarray(0, n), this.n);
    this.n += n;
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function uvLen(v: number): number {
  return v < 0x80
    ? 1
    : v < 0x4000
    ? 2
    : v < 0x200000
    ? 3
    : v < 0x10000000
    ? 4
    : 5;
}

const zz = (d: number) => (d < 0 ? -2 * d - 1 : 2 * d);

/** Encodings to compare: each returns the encoded bytes of a trace. */
const ENCODINGS: Record<
  string,
  (ids: Uint32Array, n: number) => Uint8Array | Promise<Uint8Array>
> = {
  "varint ids": (ids, n) =>
    encodeWith(ids, n, (put) => {
      for (let i = 0; i < n; i++) put(ids[i]);
    }),
  "zigzag deltas": (ids, n) =>
    encodeWith(ids, n, (put) => {
      let prev = 0;
      for (let i = 0; i < n; i++) {
        put(zz(ids[i] - prev));
        prev = ids[i];
      }
    }),
  "zigzag deltas + runs of repeats": (ids, n) =>
    encodeWith(ids, n, (put) => {
      let prev = 0;
      for (let i = 0; i < n;) {
        const d = ids[i] - prev;
        put(zz(d));
        prev = ids[i++];
        if (d === 0) {
          let r = 0;
          while (i < n && ids[i] === prev) i++, r++;
          put(r);
        }
      }
    }),
  "two-successor prediction + hit runs (used)": async (ids, n) => {
    // The bytes of a profile with the executions minus those of one without.
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, ids[i]);
    const without = await writeProfile(ids, 0, max);
    const withIds = await writeProfile(ids, n, max);
    const endLen = (e: number) => 2 + 1 + uvLen(max + 1) + uvLen(e);
    return withIds.subarray(
      without.length - endLen(0),
      withIds.length - endLen(n),
    );
  },
};

/** Writes a one-run profile of TBs 0..max and executions ids[0..n) to memory. */
async function writeProfile(
  ids: Uint32Array,
  n: number,
  max: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const w = new ProfileWriter(
    new WritableStream({ write: (c) => void chunks.push(c) }),
    "bench",
    {
      target: "x",
      oplets: [{ name: "profile", params: 1, exit: true }],
      guest: "",
    },
  );
  for (let id = 0; id <= max; id++) w.defineTb(id, 0, 0, []);
  for (let from = 0; from < n; from += 65536) {
    const k = Math.min(65536, n - from);
    await w.executions(ids.subarray(from, from + k), k);
  }
  await w.close();
  return concat(chunks);
}

function encodeWith(
  _ids: Uint32Array,
  n: number,
  body: (put: (v: number) => void) => void,
): Uint8Array {
  const out = new Uint8Array(5 * n + 16);
  let p = 0;
  body((v) => {
    while (v >= 0x80) {
      out[p++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    out[p++] = v;
  });
  return out.subarray(0, p);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let k = 0;
  for (const p of parts) {
    out.set(p, k);
    k += p.length;
  }
  return out;
}

async function gzipSize(bytes: Uint8Array): Promise<number> {
  const s = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
    new CompressionStream("gzip"),
  );
  let n = 0;
  for await (const c of s) n += c.length;
  return n;
}

async function trace(path: string, args: string[]): Promise<TraceSink> {
  const sink = new TraceSink();
  await runElf(await Deno.readFile(path), {
    argv: [path, ...args],
    profile: sink,
    io: new CapturedIo(undefined, { keep: false }),
  });
  return sink;
}

async function guests(): Promise<[string, string[]][]> {
  if (Deno.args.length > 0) return Deno.args.map((p) => [p, []]);
  const dir = new URL("../tests/guests/", import.meta.url);
  const list = JSON.parse(await Deno.readTextFile(new URL("guests.json", dir)));
  const entries = (Array.isArray(list) ? list : list.guests ?? []) as {
    name: string;
    set?: string;
    args?: string[];
  }[];
  return entries.filter((g) => g.set === "train").map((g) => [
    new URL(`bin/${g.name}.elf`, dir).pathname,
    g.args ?? [],
  ]);
}

if (import.meta.main) {
  const rows: string[][] = [];
  const totals = new Map<string, [number, number]>();
  let execs = 0;
  for (const [path, args] of await guests()) {
    const t = await trace(path, args);
    execs += t.n;
    for (const [name, fn] of Object.entries(ENCODINGS)) {
      const b = await fn(t.ids, t.n);
      const g = await gzipSize(b);
      const [p0, g0] = totals.get(name) ?? [0, 0];
      totals.set(name, [p0 + b.length, g0 + g]);
      rows.push([
        path.split("/").pop()!,
        name,
        (1e6 * b.length / t.n).toFixed(0),
        (1e6 * g / t.n).toFixed(0),
      ]);
    }
    console.log(`${path}: ${t.n} executions of ${t.tbs} TBs`);
  }
  for (const [name, [p, g]] of totals) {
    rows.push([
      "all",
      name,
      (1e6 * p / execs).toFixed(0),
      (1e6 * g / execs).toFixed(0),
    ]);
  }
  console.log("\nguest\tencoding\tbytes/M executions\tgzipped");
  for (const r of rows) console.log(r.join("\t"));
  // Encoding speed of the writer.
  const all = new Uint32Array(execs);
  let k = 0;
  for (const [path, args] of await guests()) {
    const t = await trace(path, args);
    all.set(t.ids.subarray(0, t.n), k);
    k += t.n;
  }
  const t0 = performance.now();
  await ENCODINGS["two-successor prediction + hit runs (used)"](all, execs);
  const ms = performance.now() - t0;
  console.log(
    `\nwriter encodes ${(execs / ms / 1000).toFixed(0)} M executions/s`,
  );
}

Deno.bench("ProfileWriter.executions, 1M synthetic ids", async (b) => {
  const ids = new Uint32Array(1 << 20);
  let x = 1;
  for (let i = 0; i < ids.length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    ids[i] = (x >>> 24) % 8 === 0 ? (x >>> 8) % 500 : (i % 50);
  }
  const w = new ProfileWriter(new WritableStream(), "bench", {
    target: TARGET_NAME,
    oplets: opletInfo(OPLETS),
    guest: "bench",
  });
  for (let id = 0; id < 500; id++) w.defineTb(id, 0, 0, [1]);
  b.start();
  for (let from = 0; from < ids.length; from += 65536) {
    await w.executions(ids.subarray(from), 65536);
  }
  b.end();
  await w.close();
});
