import assert from "node:assert/strict";
import {
  createProfileWriter,
  PROFILE_CHUNK_BYTES,
  ProfileError,
  ProfileWriter,
} from "./profile.ts";
import { opletInfo } from "./oplet.ts";
import { OPLETS, TARGET_NAME } from "./targets/riscv32/target.ts";

const TINY = [
  { name: "profile", params: 1, exit: true },
  { name: "addi", params: 1, exit: false },
  { name: "goto_tb", params: 1, exit: true },
];

function memory(): {
  stream: WritableStream<Uint8Array>;
  bytes: () => Uint8Array;
} {
  const chunks: Uint8Array[] = [];
  return {
    stream: new WritableStream({ write: (c) => void chunks.push(c.slice()) }),
    bytes: () => {
      const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
      let k = 0;
      for (const c of chunks) out.set(c, k), k += c.length;
      return out;
    },
  };
}

const hex = (b: Uint8Array) =>
  Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

Deno.test("the worked example of the module doc is byte for byte what the writer writes", async () => {
  const m = memory();
  const w = new ProfileWriter(m.stream, "mem", {
    target: "rv",
    oplets: TINY,
    guest: "a.elf",
    argv: ["a"],
  });
  w.defineTb(0, 0x10074, 2, [1, 2]);
  w.defineTb(1, 0x1007c, 1, [2]);
  await w.executions(new Uint32Array([0, 0, 0, 0, 1, 0]), 6);
  await w.close();
  const doc = await Deno.readTextFile(new URL("./profile.ts", import.meta.url));
  const block = doc.slice(
    doc.indexOf("4f 50 4c 45"),
    doc.indexOf("end: 1 run, 2 TBs"),
  );
  const expected = block.split("\n")
    .map((l) => l.replace(/^\s*\*\s*/, "").split(/\s{2,}/)[0])
    .filter((l) => /^([0-9a-f]{2} ?)+$/.test(l.trim()))
    .join(" ").replace(/\s+/g, " ").trim();
  assert.equal(hex(m.bytes()), expected);
  assert.deepEqual(w.stats, {
    runs: 1,
    tbs: 2,
    executions: 6,
    bytes: 96,
    rawBytes: 96,
  });
});

Deno.test("a file profile appears at its path only when closed, with no temporary left", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/qemu.profile`;
    const w = await createProfileWriter(path, {
      target: TARGET_NAME,
      oplets: opletInfo(OPLETS),
      guest: "g.elf",
      argv: ["g"],
    });
    w.defineTb(0, 0x10000, 1, [1, 2]);
    const ids = new Uint32Array(200_000);
    await w.executions(ids, ids.length);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
    await w.close();
    await w.close(); // a second close is harmless
    const files = [...Deno.readDirSync(dir)].map((e) => e.name);
    assert.deepEqual(files, ["qemu.profile"]);
    assert.equal((await Deno.stat(path)).size, w.stats.bytes);
    assert.equal(w.stats.executions, 200_000);
    assert.equal(w.error, null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an unwritable path fails at once with a one-line ProfileError", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const opts = {
      target: TARGET_NAME,
      oplets: opletInfo(OPLETS),
      guest: "g",
      argv: [],
    };
    await assert.rejects(
      createProfileWriter(`${dir}/missing/x.profile`, opts),
      (e: unknown) => {
        assert.ok(e instanceof ProfileError);
        assert.equal(
          e.message,
          `Cannot write profile "${dir}/missing/x.profile": directory "${dir}/missing" does not exist`,
        );
        return true;
      },
    );
    try {
      await createProfileWriter(dir, opts);
      assert.fail("expected an error");
    } catch (e) {
      assert.ok(e instanceof ProfileError);
      assert.equal(
        e.message,
        `Cannot write profile "${dir}": it is a directory`,
      );
    }
    assert.deepEqual([...Deno.readDirSync(dir)], []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a failed write leaves the guest alone and close() reports it", async () => {
  let writes = 0;
  const full = new WritableStream<Uint8Array>({
    write: () => {
      writes++;
      throw new Error("No space left on device (os error 28)\nmore detail");
    },
  });
  const w = new ProfileWriter(full, "/full/qemu.profile", {
    target: TARGET_NAME,
    oplets: opletInfo(OPLETS),
    guest: "g",
  });
  for (let id = 0; id < 1000; id++) w.defineTb(id, 0x10000 + 4 * id, 1, [1, 2]);
  const ids = new Uint32Array(65536);
  let x = 1;
  for (let k = 0; k < 20; k++) {
    for (let i = 0; i < ids.length; i++) {
      ids[i] = (x = (x * 48271) % 2147483647) % 1000;
    }
    await w.executions(ids, ids.length); // never throws
  }
  assert.ok(w.stats.rawBytes > 2 * PROFILE_CHUNK_BYTES);
  await assert.rejects(w.close(), (e: unknown) => {
    assert.ok(e instanceof ProfileError);
    assert.equal(
      e.message,
      'Cannot write profile "/full/qemu.profile": No space left on device (os error 28)',
    );
    return true;
  });
  assert.ok(w.error instanceof ProfileError);
  assert.equal(writes, 1); // nothing more is tried after the first failure
});

Deno.test("a failed write to a file removes the temporary and leaves no target", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/p.profile`;
    const w = await createProfileWriter(path, {
      target: TARGET_NAME,
      oplets: opletInfo(OPLETS),
      guest: "g",
    });
    // Make the temporary file's directory vanish under the writer: the
    // rename on close fails, as a full disk would make the writes fail.
    for (const e of Deno.readDirSync(dir)) {
      await Deno.remove(`${dir}/${e.name}`);
    }
    await Deno.remove(dir);
    await assert.rejects(w.close(), ProfileError);
    await assert.rejects(Deno.stat(path), Deno.errors.NotFound);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
});

Deno.test("gzip writes the same profile, compressed", async () => {
  const write = async (gzip: boolean) => {
    const m = memory();
    const w = new ProfileWriter(m.stream, "mem", {
      gzip,
      target: TARGET_NAME,
      oplets: opletInfo(OPLETS),
      guest: "g",
    });
    for (let id = 0; id < 100; id++) {
      w.defineTb(id, 0x10000 + 16 * id, 4, [1, 9, 27, 50]);
    }
    const ids = new Uint32Array(100_000);
    for (let i = 0; i < ids.length; i++) ids[i] = (i * i) % 100;
    await w.executions(ids, ids.length);
    await w.close();
    return { bytes: m.bytes(), stats: w.stats };
  };
  const plain = await write(false), gz = await write(true);
  assert.deepEqual([gz.bytes[0], gz.bytes[1]], [0x1f, 0x8b]);
  const back = new Uint8Array(
    await new Response(
      new Blob([gz.bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(
        new DecompressionStream("gzip"),
      ),
    ).arrayBuffer(),
  );
  assert.deepEqual(back, plain.bytes);
  assert.equal(gz.stats.bytes, gz.bytes.length);
  assert.equal(gz.stats.rawBytes, plain.bytes.length);
});

Deno.test("a gzipped profile has reached a slow stream entirely when close() resolves", async () => {
  const chunks: Uint8Array[] = [];
  const slow = new WritableStream<Uint8Array>({
    write: async (c) => {
      await new Promise((r) => setTimeout(r, 5));
      chunks.push(c.slice());
    },
  });
  const w = new ProfileWriter(slow, "slow", {
    gzip: true,
    target: TARGET_NAME,
    oplets: opletInfo(OPLETS),
    guest: "g",
  });
  w.defineTb(0, 0x10000, 1, [1]);
  await w.executions(new Uint32Array(1000), 1000);
  await w.close();
  const got = chunks.reduce((n, c) => n + c.length, 0);
  assert.ok(got > 0);
  assert.equal(got, w.stats.bytes, "every compressed byte was written");
  const back = await new Response(
    new Blob(chunks as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(
      new DecompressionStream("gzip"),
    ),
  ).bytes();
  assert.equal(back.length, w.stats.rawBytes);
});

Deno.test("several runs go into one file; each run's sink only ends its run", async () => {
  const m = memory();
  const w = new ProfileWriter(m.stream, "mem", { target: "rv", oplets: TINY });
  assert.throws(() => w.defineTb(0, 0, 1, [1]), ProfileError);
  for (const guest of ["a.elf", "b.elf"]) {
    const sink = w.beginRun(guest, [guest]);
    sink.defineTb(0, 0x10000, 1, [1, 2]);
    await sink.executions(new Uint32Array([0, 0, 0]), 3);
    await sink.close();
  }
  await w.close();
  assert.deepEqual(w.stats, {
    runs: 2,
    tbs: 2,
    executions: 6,
    bytes: 122,
    rawBytes: 122,
  });
  const text = new TextDecoder().decode(m.bytes());
  assert.ok(text.includes("a.elf") && text.includes("b.elf"));
  assert.throws(() => w.beginRun("c", []), ProfileError);
});

Deno.test("a table without the profile oplet first is refused", () => {
  assert.throws(
    () =>
      new ProfileWriter(new WritableStream(), "x", {
        target: "rv",
        oplets: TINY.slice(1),
      }),
    /must start with oplet "profile", found "addi"/,
  );
});
