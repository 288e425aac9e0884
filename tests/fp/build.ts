/**
 * Builds the floating-point harness guest `tests/fp/fpops.elf` from
 * `fpops.c` and the guests' runtime, for `rv32imafdc`/`ilp32d` (needs
 * `riscv64-unknown-elf-gcc` with picolibc). The build is reproducible; with
 * `--check` it writes nothing and fails if a fresh build differs from the
 * committed ELF.
 *
 * Usage: `deno run -A tests/fp/build.ts [--check]`
 *
 * @module
 */

import { join } from "node:path";

const FP_DIR = new URL(".", import.meta.url).pathname;
const GUESTS = join(FP_DIR, "..", "guests");
const check = Deno.args.includes("--check");
const out = check
  ? await Deno.makeTempFile({ suffix: ".elf" })
  : join(FP_DIR, "fpops.elf");

const args = [
  "-march=rv32imafdc",
  "-mabi=ilp32d",
  "-O2",
  "-Wall",
  "-Wextra",
  "-ffunction-sections",
  "-fdata-sections",
  `-ffile-prefix-map=${GUESTS}=.`,
  `-ffile-prefix-map=${FP_DIR}=.`,
  "--specs=picolibc.specs",
  "-DPICOLIBC_INTEGER_PRINTF_SCANF",
  "-static",
  "-nostartfiles",
  "-T",
  "runtime/link.ld",
  "-Wl,--build-id=none",
  "-Wl,--gc-sections",
  "-Wl,--strip-debug",
  "-o",
  out,
  join(FP_DIR, "fpops.c"),
  "runtime/crt0.S",
  "runtime/sys.c",
];
const r = await new Deno.Command("riscv64-unknown-elf-gcc", {
  args,
  cwd: GUESTS,
})
  .output();
if (!r.success) {
  console.error(new TextDecoder().decode(r.stderr));
  console.error("build: riscv64-unknown-elf-gcc failed for tests/fp/fpops.c");
  Deno.exit(1);
}
if (check) {
  const a = await Deno.readFile(out);
  await Deno.remove(out);
  const b = await Deno.readFile(join(FP_DIR, "fpops.elf"));
  if (a.length !== b.length || a.some((v, i) => v !== b[i])) {
    console.error("build: tests/fp/fpops.elf differs from a fresh build");
    Deno.exit(1);
  }
  console.log("build: tests/fp/fpops.elf is up to date");
} else console.log(`build: wrote ${out}`);
