// Every bundled guest runs exactly as under qemu-riscv32: the same stdout
// bytes and exit code, unfused and fused, on the switch, paste and jit
// backends, and every run ends with the same registers as the unfused
// switch one (jit also with the same --stats counts). Where qemu-riscv32 is installed, it is also run
// live, so the expected files cannot go stale.
import assert from "node:assert/strict";
import {
  DEFAULT_FUSED,
  loadFusedSet,
  OP_HELPERS,
  type RiscvCpu,
  runElf,
  type RunOptions,
} from "@oplet/emu";
import {
  CapturedIo,
  elfPath,
  expected,
  hasCommand,
  readManifest,
  stdinOf,
} from "./guest_io.ts";

const QEMU = hasCommand("qemu-riscv32");
const fused = loadFusedSet<RiscvCpu>(
  DEFAULT_FUSED.opSeq,
  DEFAULT_FUSED.translateSeq,
  OP_HELPERS,
  "default",
);

async function runGuest(
  name: string,
  args: string[],
  input: Uint8Array,
  opts: Partial<RunOptions>,
) {
  const io = new CapturedIo(input);
  const r = await runElf(Deno.readFileSync(elfPath(name)), {
    argv: [elfPath(name), ...args],
    io,
    ...opts,
  });
  return { r, io };
}

for (const g of readManifest()) {
  Deno.test(`guest ${g.name} (${g.set}): stdout and exit code equal qemu-riscv32's`, async () => {
    const want = expected(g.name);
    const input = stdinOf(g);
    const base = await runGuest(g.name, g.args, input, {
      fused: null,
      backend: "switch",
    });
    assert.equal(base.r.exitCode, want.exitCode, "unfused exit code");
    assert.deepEqual(base.io.stdoutBytes, want.stdout, "unfused stdout");
    if (base.r.fault) {
      assert.equal(base.r.fault.exitCode, want.exitCode);
      assert.doesNotMatch(base.r.fault.message(), /\n/);
    }
    const fz = await runGuest(g.name, g.args, input, {
      fused,
      backend: "switch",
    });
    assert.equal(fz.r.exitCode, want.exitCode, "fused exit code");
    assert.deepEqual(fz.io.stdoutBytes, want.stdout, "fused stdout");
    assert.deepEqual(
      fz.r.machine.cpu.x,
      base.r.machine.cpu.x,
      "fused final registers",
    );
    assert.equal(
      fz.r.stats.insns,
      base.r.stats.insns,
      "same instruction count",
    );
    if (fused.table.length > 0 && base.r.stats.insns > 10000) {
      assert.ok(
        fz.r.stats.dispatched < base.r.stats.dispatched,
        "fusion dispatches fewer oplets",
      );
    }
    // The paste backend compiles each block on its own: same results.
    for (const f of [null, fused]) {
      const p = await runGuest(g.name, g.args, input, {
        fused: f,
        backend: "paste",
      });
      const what = `paste, ${f ? "fused" : "unfused"}`;
      assert.equal(p.r.exitCode, want.exitCode, `${what} exit code`);
      assert.deepEqual(p.io.stdoutBytes, want.stdout, `${what} stdout`);
      assert.deepEqual(p.r.machine.cpu.x, base.r.machine.cpu.x, what);
      assert.equal(p.r.stats.insns, base.r.stats.insns, what);
    }
  });

  Deno.test(`guest ${g.name} (${g.set}) on jit: the same stdout, exit code, registers and --stats counts as on switch`, async () => {
    const want = expected(g.name);
    const input = stdinOf(g);
    for (const f of [null, fused]) {
      const sw = await runGuest(g.name, g.args, input, {
        fused: f,
        backend: "switch",
      });
      // The default thresholds, then every block hot at once (regions of
      // one block: links are not made yet) and after two runs (regions
      // of many blocks), so that even short guests run compiled code.
      for (const jit of [undefined, { hotAfter: 1 }, { hotAfter: 2 }]) {
        const j = await runGuest(g.name, g.args, input, {
          fused: f,
          backend: "jit",
          jit,
        });
        const what = `jit ${JSON.stringify(jit)}, ${f ? "fused" : "unfused"}`;
        assert.equal(j.r.exitCode, want.exitCode, `${what} exit code`);
        assert.deepEqual(j.io.stdoutBytes, want.stdout, `${what} stdout`);
        assert.equal(
          j.r.fault?.message(),
          sw.r.fault?.message(),
          `${what} fault`,
        );
        assert.deepEqual(j.r.machine.cpu.x, sw.r.machine.cpu.x, what);
        assert.deepEqual(j.r.stats, sw.r.stats, `${what} stats`);
      }
    }
  });

  Deno.test({
    name: `guest ${g.name}: qemu-riscv32 live agrees with the expected files`,
    ignore: !QEMU,
    fn: async () => {
      const want = expected(g.name);
      const child = new Deno.Command("qemu-riscv32", {
        args: [elfPath(g.name), ...g.args],
        stdin: "piped",
        stdout: "piped",
        stderr: "null",
      }).spawn();
      const w = child.stdin.getWriter();
      await w.write(stdinOf(g));
      await w.close();
      const out = await child.output();
      assert.equal(out.code, want.exitCode);
      assert.deepEqual(out.stdout, want.stdout);
    },
  });
}

Deno.test("the call dispatcher runs a guest like the switch dispatcher", async () => {
  const g = readManifest().find((g) => g.set === "train")!;
  const a = await runGuest(g.name, g.args, stdinOf(g), {
    fused,
    backend: "call",
  });
  const b = await runGuest(g.name, g.args, stdinOf(g), {
    fused,
    backend: "switch",
  });
  assert.deepEqual(a.io.stdoutBytes, b.io.stdoutBytes);
  assert.deepEqual(a.r.machine.cpu.x, b.r.machine.cpu.x);
  assert.deepEqual(a.r.stats, b.r.stats);
});
