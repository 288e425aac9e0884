import assert from "node:assert/strict";
import { createProfileWriter, ProfileError } from "./profile.ts";
import {
  PROFILE_BATCHES_IN_FLIGHT,
  ProfileThreadWriter,
  startProfileWriter,
} from "./profile_thread.ts";
import { opletInfo } from "./oplet.ts";
import { OPLETS, TARGET_NAME } from "./targets/riscv32/target.ts";

const OPTS = { target: TARGET_NAME, oplets: opletInfo(OPLETS) };

/** Feeds the same runs, definitions and executions to a writer. */
async function feed(
  w: Awaited<ReturnType<typeof startProfileWriter>>,
  seed: number,
): Promise<void> {
  let x = seed;
  const next = (n: number) => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return (x >>> 8) % n;
  };
  for (const guest of ["a.elf", "b.elf", "c.elf"]) {
    const sink = w.beginRun(guest, [guest, "1"]);
    let ids = new Uint32Array(70000);
    let tbs = 0;
    for (let batch = 0; batch < 3 * PROFILE_BATCHES_IN_FLIGHT; batch++) {
      // New blocks appear between batches, as they do in a run.
      for (let k = 0, n = 1 + next(20); k < n; k++, tbs++) {
        sink.defineTb(tbs, 0x80000000 + 4 * tbs, 1 + next(9), [1, 2, 3, 42]);
      }
      const n = next(ids.length);
      for (let k = 0; k < n; k++) {
        ids[k] = next(4) === 0 ? next(tbs) : (k % tbs);
      }
      if (sink.handOver && batch % 2 === 1) {
        // Every other batch is handed over rather than copied.
        ids = await sink.handOver(ids, n);
        assert.equal(ids.length, 70000);
      } else {
        await sink.executions(ids, n);
      }
    }
    await sink.close();
  }
}

Deno.test("the worker writes the same bytes as the writer on the guest's thread, copied or handed over", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const files = [];
    for (const thread of [true, false]) {
      const path = `${dir}/${thread}.profile`;
      const w = await startProfileWriter(path, { ...OPTS, thread });
      assert.equal(w instanceof ProfileThreadWriter, thread);
      await feed(w, 7);
      await w.close();
      files.push({ bytes: await Deno.readFile(path), stats: w.stats });
    }
    assert.ok(files[0].bytes.length > 100000);
    assert.deepEqual(files[0].bytes, files[1].bytes);
    assert.deepEqual(files[0].stats, files[1].stats);
    assert.equal(files[0].stats.runs, 3);
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
      "false.profile",
      "true.profile",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the worker's writer refuses an unwritable path before any guest runs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      startProfileWriter(`${dir}/missing/x.profile`, OPTS),
      (e: unknown) =>
        e instanceof ProfileError &&
        e.message ===
          `Cannot write profile "${dir}/missing/x.profile": directory "${dir}/missing" does not exist`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an aborted worker profile leaves no file behind", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const w = await startProfileWriter(`${dir}/x.profile`, {
      ...OPTS,
      guest: "g",
    });
    w.defineTb(0, 0x10000, 1, [1]);
    await w.executions(new Uint32Array([0, 0]), 2);
    await w.abort();
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the thread and in-thread writers report the same first error text", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const messages = [];
    for (const open of [startProfileWriter, createProfileWriter]) {
      try {
        await open(dir, OPTS);
      } catch (e) {
        messages.push((e as Error).message);
      }
    }
    assert.deepEqual(messages, [
      `Cannot write profile "${dir}": it is a directory`,
      `Cannot write profile "${dir}": it is a directory`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
