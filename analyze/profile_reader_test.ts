import assert from "node:assert/strict";
import { OPLETS, opletTableHash, TARGET_NAME } from "@oplet/emu";
import {
  ProfileFormatError,
  type ProfileRecord,
  readProfile,
  type ReadProfileOptions,
} from "@oplet/emu";
import {
  profileBytes,
  rng,
  type SyntheticRun,
  syntheticRuns,
} from "./synthetic.ts";

const TINY = [
  { name: "profile", params: 1, exit: true },
  { name: "a", params: 0, exit: false },
  { name: "b", params: 1, exit: false },
  { name: "x", params: 0, exit: true },
];

/** A stream of `bytes` in chunks of the sizes `size()` gives. */
function chunked(
  bytes: Uint8Array,
  size: () => number,
): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(ctl) {
      if (at >= bytes.length) return ctl.close();
      const n = Math.max(1, size());
      ctl.enqueue(bytes.slice(at, at + n));
      at += n;
    },
  });
}

interface Summary {
  records: string[];
  executions: number[][];
}

/** Reads a profile into comparable form (executions per run, records as text). */
async function summarize(
  stream: ReadableStream<Uint8Array>,
  options: ReadProfileOptions = {},
): Promise<Summary> {
  const records: string[] = [];
  const executions: number[][] = [];
  for await (const r of readProfile(stream, "test.profile", options)) {
    if (r.kind === "executions") {
      executions[r.run] ??= [];
      for (let i = 0; i < r.count; i++) executions[r.run].push(r.ids[i]);
    } else records.push(describe(r));
  }
  return { records, executions };
}

function describe(r: ProfileRecord): string {
  switch (r.kind) {
    case "tb":
      return `tb ${r.run} ${r.id} ${r.pc} ${r.icount} ${Array.from(r.ops)}`;
    case "run":
      return `run ${r.run} ${r.guest} ${r.argv}`;
    case "header":
      return `header ${r.target} ${r.opletHash} ${r.oplets.length}`;
    case "end":
      return `end ${r.runs} ${r.tbs} ${r.executions}`;
    case "truncated":
      return `truncated ${r.offset}`;
    default:
      return r.kind;
  }
}

function expected(runs: readonly SyntheticRun[]): Summary {
  const records = [
    `header ${TARGET_NAME} ${opletTableHash(OPLETS)} ${OPLETS.length}`,
  ];
  let tbs = 0, n = 0;
  runs.forEach((run, k) => {
    records.push(`run ${k} ${run.guest} ${run.argv}`);
    const seen = new Set<number>();
    for (const id of run.executions) {
      if (seen.has(id)) continue;
      seen.add(id);
      const t = run.tbs[id];
      records.push(`tb ${k} ${t.id} ${t.pc} ${t.icount} ${t.ops}`);
      tbs++;
    }
    n += run.executions.length;
  });
  records.push(`end ${runs.length} ${tbs} ${n}`);
  return { records, executions: runs.map((r) => Array.from(r.executions)) };
}

Deno.test("definitions and executions round-trip, plain and gzip, in chunks of any size", async () => {
  const runs = syntheticRuns({
    seed: 7,
    runs: 3,
    tbs: 120,
    executions: 30_000,
  });
  const want = expected(runs);
  for (const gzip of [false, true]) {
    const bytes = await profileBytes(runs, { gzip, batch: 4096 });
    const rand = rng(gzip ? 3 : 4);
    for (
      const size of [
        () => bytes.length,
        () => 1,
        () => Math.floor(rand() * 5000),
        () => Math.floor(rand() * 7),
      ]
    ) {
      assert.deepEqual(await summarize(chunked(bytes, size)), want);
    }
  }
});

Deno.test("batches larger than one record and unpredictable traces round-trip", async () => {
  const runs = syntheticRuns({
    seed: 11,
    tbs: 5000,
    executions: 600_000,
    noise: 0.9,
  });
  const bytes = await profileBytes(runs, { batch: 600_000 });
  assert.deepEqual(
    await summarize(chunked(bytes, () => 65536)),
    expected(runs),
  );
});

Deno.test("a profile cut at any byte yields its complete records, then truncated", async () => {
  const runs = syntheticRuns({
    seed: 5,
    runs: 2,
    tbs: 6,
    executions: 40,
    maxOps: 3,
  });
  const bytes = await profileBytes(runs, { batch: 16 });
  const full: ProfileRecord[] = [];
  for await (const r of readProfile(chunked(bytes, () => 1e9), "full")) {
    full.push(
      r.kind === "executions" ? { ...r, ids: r.ids.slice(0, r.count) } : r,
    );
  }
  const starts = full.map((r) => r.offset);
  for (let cut = 0; cut < bytes.length; cut++) {
    const got: ProfileRecord[] = [];
    for await (
      const r of readProfile(chunked(bytes.subarray(0, cut), () => 3), "cut")
    ) {
      got.push(
        r.kind === "executions" ? { ...r, ids: r.ids.slice(0, r.count) } : r,
      );
    }
    const last = got.pop()!;
    assert.equal(last.kind, "truncated", `cut at ${cut}`);
    // Complete records are those that end by the cut.
    const complete = full.filter((_, k) =>
      (k + 1 < full.length ? starts[k + 1] : bytes.length) <= cut
    );
    assert.deepEqual(got, complete, `cut at ${cut}`);
    const next = cut < 9
      ? 0
      : complete.length < full.length
      ? starts[complete.length]
      : cut;
    assert.equal(last.offset, next, `cut at ${cut}`);
  }
});

Deno.test("a cut gzip profile yields its complete records, then truncated", async () => {
  const runs = syntheticRuns({
    seed: 9,
    tbs: 300,
    executions: 200_000,
    noise: 0.5,
  });
  const bytes = await profileBytes(runs, { gzip: true });
  for (
    const cut of [10, 100, Math.floor(bytes.length / 2), bytes.length - 100]
  ) {
    const s = await summarize(chunked(bytes.subarray(0, cut), () => 1000));
    assert.match(s.records[s.records.length - 1], /^truncated \d+$/);
    const n = s.executions.flat().length;
    assert.ok(n < runs[0].executions.length);
    assert.deepEqual(
      s.executions.flat(),
      Array.from(runs[0].executions.subarray(0, n)),
    );
  }
});

async function formatError(
  bytes: Uint8Array,
  options: ReadProfileOptions = {},
): Promise<ProfileFormatError> {
  try {
    await summarize(chunked(bytes, () => 5), options);
  } catch (e) {
    assert.ok(e instanceof ProfileFormatError, String(e));
    assert.ok(!e.message.includes("\n"));
    return e;
  }
  return assert.fail("expected a ProfileFormatError");
}

Deno.test("bad magic, unknown version, another target or oplet table are refused", async () => {
  const good = await profileBytes(syntheticRuns({ tbs: 3, executions: 10 }));
  const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, 0, 0]);
  assert.equal(
    (await formatError(elf)).message,
    'Not an oplet profile: starts with bytes "7f 45 4c 46 01 01 01 00", expected "OPLETPRF" (in "test.profile" at offset 0)',
  );
  const v2 = good.slice();
  v2[8] = 2;
  assert.equal(
    (await formatError(v2)).message,
    'Unknown profile version 2, expected 1 (in "test.profile" at offset 8)',
  );
  const e = await formatError(good, { opletHash: "12345678" });
  assert.equal(e.offset, 9);
  assert.match(
    e.message,
    /made with oplet table [0-9a-f]{8}, expected 12345678/,
  );
  assert.match(
    (await formatError(good, { target: "arm" })).message,
    /^Profile is for target "riscv32", expected "arm" \(in "test.profile" at offset 9\)$/,
  );
  const tiny = await profileBytes(
    syntheticRuns({ tbs: 3, executions: 10, oplets: TINY }),
    {
      oplets: TINY,
    },
  );
  const tampered = tiny.slice();
  const at = indexOf(tampered, [1, 0x61, 0, 0]); // oplet "a", no parameters, flags 0
  tampered[at + 1] = 0x63; // now "c"
  assert.match((await formatError(tampered)).message, /oplet table hashes to/);
});

Deno.test("malformed records are refused with their offset", async () => {
  const good = await profileBytes(syntheticRuns({ tbs: 3, executions: 10 }));
  const endAt = (await records(good)).find((r) => r.kind === "end")!.offset;
  const badEnd = good.slice();
  badEnd[endAt + 4] += 1; // executions total
  const e = await formatError(badEnd);
  assert.equal(e.offset, endAt);
  assert.match(
    e.message,
    /^End record counts 1 runs, \d+ TBs, 11 executions, but the file has/,
  );
  const junk = new Uint8Array(good.length + 1);
  junk.set(good);
  assert.match((await formatError(junk)).message, /after the end record/);
  const tag = good.slice();
  const run = (await records(good)).find((r) => r.kind === "run")!;
  tag[run.offset] = 0x5a;
  assert.match((await formatError(tag)).message, /^Unknown record tag 0x5a/);
});

async function records(bytes: Uint8Array): Promise<ProfileRecord[]> {
  const out: ProfileRecord[] = [];
  for await (const r of readProfile(chunked(bytes, () => 1e9), "x")) {
    out.push(r);
  }
  return out;
}

function indexOf(bytes: Uint8Array, seq: number[]): number {
  for (let k = 0; k + seq.length <= bytes.length; k++) {
    if (seq.every((b, j) => bytes[k + j] === b)) return k;
  }
  return assert.fail(`no ${seq} in the bytes`);
}
