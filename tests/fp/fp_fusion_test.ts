// FP oplets are ordinary oplets: a profile of the FP training guest (nbody)
// makes the generator paste FP oplet bodies into fused oplets, and the FP
// guests (nbody, and fft, held out) still print what qemu-riscv32 printed
// with that set, on every backend.
import { equal, ok } from "node:assert/strict";
import { join } from "node:path";

const ROOT = new URL("../../", import.meta.url).pathname;
const GUESTS = join(ROOT, "tests", "guests");

async function deno(
  args: string[],
): Promise<{ code: number; stdout: Uint8Array; stderr: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  return {
    code: r.code,
    stdout: r.stdout,
    stderr: new TextDecoder().decode(r.stderr),
  };
}

Deno.test("a fused set trained on nbody fuses FP oplets, and FP guests run as under qemu-riscv32 with it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "oplet_fp_fused_" });
  try {
    const profile = join(dir, "nbody.profile");
    const p = await deno([
      "run",
      "-A",
      "emu/mod.ts",
      `--profile=${profile}`,
      join(GUESTS, "bin/nbody.elf"),
      "300",
    ]);
    equal(p.code, 0, p.stderr);
    const g = await deno([
      "run",
      "-A",
      "tasks/gen.ts",
      profile,
      "--count",
      "24",
      "--out",
      dir,
    ]);
    equal(g.code, 0, g.stderr);
    const src = await Deno.readTextFile(join(dir, "op_seq.ts"));
    ok(
      /fFma[SD]|fMul[SD]|fAdd[SD]|s\.fw\[/.test(src),
      "the fused oplets hold FP oplet bodies",
    );
    for (const [name, arg] of [["nbody", "1000"], ["fft", "4"]]) {
      const want = await Deno.readFile(
        join(GUESTS, "expected", `${name}.stdout`),
      );
      for (const backend of ["switch", "call", "paste"]) {
        const r = await deno([
          "run",
          "-A",
          "emu/mod.ts",
          "--oplets",
          dir,
          "--backend",
          backend,
          join(GUESTS, "bin", `${name}.elf`),
          arg,
        ]);
        equal(r.code, 0, `${name} on ${backend}: ${r.stderr}`);
        equal(
          new TextDecoder().decode(r.stdout),
          new TextDecoder().decode(want),
          `${name} on ${backend}`,
        );
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
