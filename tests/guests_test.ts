// Every bundled guest, in both builds (rv32im and the way `deno task cc`
// builds it), runs exactly as under qemu-riscv32: the same stdout bytes and
// exit code, unfused and fused, on the switch, paste, call and jit backends,
// and every run ends with the same registers (integer and float, and fflags)
// as the unfused switch one (jit also with the same --stats counts). Where
// qemu-riscv32 is installed, it is also run live, so the expected files
// cannot go stale.
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
  type Guest,
  hasCommand,
  readManifest,
  runSetup,
  stdinOf,
  type Variant,
  VARIANTS,
} from "./guest_io.ts";

const QEMU = hasCommand("qemu-riscv32");
const fused = loadFusedSet<RiscvCpu>(
  DEFAULT_FUSED.opSeq,
  DEFAULT_FUSED.translateSeq,
  OP_HELPERS,
  "default",
);

async function runGuest(
  g: Guest,
  variant: Variant,
  args: string[],
  input: Uint8Array,
  opts: Partial<RunOptions>,
) {
  const io = new CapturedIo(input);
  const setup = runSetup(g, args);
  const path = elfPath(g.name, variant);
  const r = await runElf(Deno.readFileSync(path), {
    argv: [path, ...setup.args],
    envp: setup.envp,
    allowOpen: setup.allowOpen,
    io,
    ...opts,
  });
  return { r, io };
}

for (const variant of VARIANTS) {
  for (const g of readManifest()) {
    const name = `guest ${g.name} (${g.set}, ${variant} build)`;
    Deno.test(`${name}: stdout and exit code equal qemu-riscv32's on every backend`, async () => {
      const want = expected(g.name, false, variant);
      const input = stdinOf(g);
      const base = await runGuest(g, variant, g.args, input, {
        fused: null,
        backend: "switch",
      });
      assert.equal(base.r.exitCode, want.exitCode, "unfused exit code");
      assert.deepEqual(base.io.stdoutBytes, want.stdout, "unfused stdout");
      if (base.r.fault) {
        assert.equal(base.r.fault.exitCode, want.exitCode);
        assert.doesNotMatch(base.r.fault.message(), /\n/);
      }
      assert.deepEqual(base.io.warnings, [], "no unsupported system calls");
      // A guest that reads clocks takes paths that depend on their values.
      const same = !g.readsClocks;
      const fz = await runGuest(g, variant, g.args, input, {
        fused,
        backend: "switch",
      });
      assert.equal(fz.r.exitCode, want.exitCode, "fused exit code");
      assert.deepEqual(fz.io.stdoutBytes, want.stdout, "fused stdout");
      if (same) {
        assert.deepEqual(
          fz.r.machine.cpu.x,
          base.r.machine.cpu.x,
          "fused final registers",
        );
        assert.deepEqual(
          [fz.r.machine.cpu.fw, fz.r.machine.cpu.fflags, fz.r.machine.cpu.frm],
          [
            base.r.machine.cpu.fw,
            base.r.machine.cpu.fflags,
            base.r.machine.cpu.frm,
          ],
          "fused final float registers and fcsr",
        );
        assert.equal(
          fz.r.stats.insns,
          base.r.stats.insns,
          "same instruction count",
        );
      }
      if (same && fused.table.length > 0 && base.r.stats.insns > 10000) {
        assert.ok(
          fz.r.stats.dispatched < base.r.stats.dispatched,
          "fusion dispatches fewer oplets",
        );
      }
      // The paste backend compiles each block on its own, the call backend
      // calls one function per oplet: same results.
      for (const backend of ["paste", "call"] as const) {
        for (const f of [null, fused]) {
          const p = await runGuest(g, variant, g.args, input, {
            fused: f,
            backend,
          });
          const what = `${backend}, ${f ? "fused" : "unfused"}`;
          assert.equal(p.r.exitCode, want.exitCode, `${what} exit code`);
          assert.deepEqual(p.io.stdoutBytes, want.stdout, `${what} stdout`);
          if (same) {
            assert.deepEqual(p.r.machine.cpu.x, base.r.machine.cpu.x, what);
            assert.deepEqual(p.r.machine.cpu.fw, base.r.machine.cpu.fw, what);
            assert.equal(
              p.r.machine.cpu.fflags,
              base.r.machine.cpu.fflags,
              what,
            );
            assert.equal(p.r.stats.insns, base.r.stats.insns, what);
          }
        }
      }
    });

    Deno.test(`${name} on jit: the same stdout, exit code, registers and --stats counts as on switch`, async () => {
      const want = expected(g.name, false, variant);
      const input = stdinOf(g);
      const same = !g.readsClocks;
      for (const f of [null, fused]) {
        const sw = await runGuest(g, variant, g.args, input, {
          fused: f,
          backend: "switch",
        });
        // The default thresholds, then every block hot at once (regions of
        // one block: links are not made yet) and after two runs (regions
        // of many blocks), so that even short guests run compiled code.
        for (const jit of [undefined, { hotAfter: 1 }, { hotAfter: 2 }]) {
          const j = await runGuest(g, variant, g.args, input, {
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
          if (same) {
            assert.deepEqual(j.r.machine.cpu.x, sw.r.machine.cpu.x, what);
            assert.deepEqual(j.r.machine.cpu.fw, sw.r.machine.cpu.fw, what);
            assert.equal(j.r.machine.cpu.fflags, sw.r.machine.cpu.fflags, what);
            assert.deepEqual(j.r.stats, sw.r.stats, `${what} stats`);
          }
        }
      }
    });

    Deno.test({
      name: `${name}: qemu-riscv32 live agrees with the expected files`,
      ignore: !QEMU,
      fn: async () => {
        const want = expected(g.name, false, variant);
        const child = new Deno.Command("qemu-riscv32", {
          args: [elfPath(g.name, variant), ...g.args],
          cwd: new URL(".", new URL(elfPath(g.name), "file:")).pathname +
            "..",
          clearEnv: true,
          env: Object.fromEntries(
            (g.env ?? []).map((e) => [
              e.slice(0, e.indexOf("=")),
              e.slice(e.indexOf("=") + 1),
            ]),
          ),
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
}
