// `deno task cc`: flags, running from another folder (INIT_CWD), -march
// overrides, and one-line errors for a missing compiler, a failing compile
// and a bad command line. The builds are skipped, with a message, without
// the cross compiler (CI installs it).
import assert from "node:assert/strict";
import { archFlags, DEFAULT_MABI, DEFAULT_MARCH } from "../tasks/cc.ts";
import { CapturedIo, hasCommand } from "./guest_io.ts";
import { runElf } from "@oplet/emu";

const ROOT = new URL("..", import.meta.url).pathname;
const GCC = hasCommand("riscv64-unknown-elf-gcc");
const CC = `${ROOT}tasks/cc.ts`;

async function run(
  args: string[],
  cwd: string,
  env?: Record<string, string>,
) {
  // deno task sets INIT_CWD only when it is not set yet: a test run by
  // `deno task test` must not pass its own on.
  const base = Deno.env.toObject();
  delete base.INIT_CWD;
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env: { ...base, ...env },
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

Deno.test("cc: -march and -mabi default to what the emulator runs and follow the user's choice", () => {
  assert.deepEqual(archFlags(["x.c"]), [
    `-march=${DEFAULT_MARCH}`,
    `-mabi=${DEFAULT_MABI}`,
  ]);
  // With F and D in the emulator, the default is what most RV32 toolchains
  // build: RV32GC with the double-float ABI.
  assert.deepEqual([DEFAULT_MARCH, DEFAULT_MABI], ["rv32imafdc", "ilp32d"]);
  assert.deepEqual(archFlags(["-march=rv32im"]), [
    "-march=rv32im",
    "-mabi=ilp32",
  ]);
  assert.deepEqual(archFlags(["-march=rv32imafdc"]), [
    "-march=rv32imafdc",
    "-mabi=ilp32d",
  ]);
  assert.deepEqual(archFlags(["-march=rv32gc"]), [
    "-march=rv32gc",
    "-mabi=ilp32d",
  ]);
  assert.deepEqual(archFlags(["-march=rv32imafc_zicsr"]), [
    "-march=rv32imafc_zicsr",
    "-mabi=ilp32f",
  ]);
  assert.deepEqual(archFlags(["-mabi=ilp32", "-march=rv32imafdc"]), [
    "-march=rv32imafdc",
    "-mabi=ilp32",
  ]);
  assert.deepEqual(archFlags(["-march=rv32i", "-march=rv32im"]), [
    "-march=rv32im",
    "-mabi=ilp32",
  ], "the last one wins, as in gcc");
});

Deno.test("cc: no arguments is a usage error; --help prints the usage", async () => {
  const none = await run(["run", "-A", CC], ROOT);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^usage: deno task cc/);
  const help = await run(["run", "-A", CC, "--help"], ROOT);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: deno task cc/);
});

Deno.test("cc: a missing cross compiler is one line naming the Debian packages", async () => {
  const r = await run(["run", "-A", CC, "x.c"], ROOT, { PATH: "/nonexistent" });
  assert.equal(r.code, 1);
  assert.equal(
    r.stderr,
    "cc: riscv64-unknown-elf-gcc not found: install the Debian packages gcc-riscv64-unknown-elf and picolibc-riscv64-unknown-elf\n",
  );
});

Deno.test({
  name:
    "cc: builds from another folder with the caller's relative paths; the result runs; -march is honoured",
  ignore: !GCC,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "oplet-cc-" });
    try {
      await Deno.mkdir(`${dir}/src`);
      await Deno.writeTextFile(
        `${dir}/src/main.c`,
        `#include <stdio.h>\n#include <errno.h>\n#include <time.h>\n#include <sys/stat.h>\n#include <unistd.h>\n#include "two.h"\n` +
          `int main(int argc, char **argv) {\n` +
          `  struct timespec t;\n` +
          `  int ok = clock_gettime(CLOCK_MONOTONIC, &t) == 0;\n` +
          `  errno = 0;\n  FILE *f = fopen("/no/such", "r");\n` +
          `  int nf = f == NULL && errno == ENOENT;\n` +
          `  int fs = rename("/no/such", "/no/x") == -1 && errno == ENOENT;\n` +
          `  fs += mkdir("/no/such", 0755) == -1 && errno == ENOENT;\n` +
          `  fs += rmdir("/no/such") == -1 && errno == ENOENT;\n` +
          `  printf("%d %s %d %d %d %d\\n", argc, argv[1], two(), ok, nf, fs);\n` +
          `  return 3;\n}\n`,
      );
      await Deno.writeTextFile(`${dir}/src/two.h`, "int two(void);\n");
      await Deno.writeTextFile(
        `${dir}/src/two.c`,
        "int two(void) { return 2; }\n",
      );
      // deno task runs in the repository's root and passes the caller's
      // folder in INIT_CWD.
      const r = await run([
        "task",
        "--config",
        `${ROOT}deno.json`,
        "cc",
        "-O2",
        "-Wall",
        "-Werror",
        "src/main.c",
        "src/two.c",
        "-o",
        "out.elf",
      ], dir);
      assert.equal(r.code, 0, r.stderr);
      const elf = await Deno.readFile(`${dir}/out.elf`);
      const flags = new DataView(elf.buffer).getUint32(36, true);
      assert.equal(flags & 1, 1, "built with RVC by default");
      const io = new CapturedIo();
      const res = await runElf(elf, { argv: ["out.elf", "hi"], io });
      assert.equal(new TextDecoder().decode(io.stdoutBytes), "2 hi 2 1 1 3\n");
      assert.equal(res.exitCode, 3);
      assert.deepEqual(io.warnings, []);

      const im = await run([
        "task",
        "--config",
        `${ROOT}deno.json`,
        "cc",
        "-march=rv32im",
        "src/main.c",
        "src/two.c",
        "-o",
        "im.elf",
      ], dir);
      assert.equal(im.code, 0, im.stderr);
      const imElf = await Deno.readFile(`${dir}/im.elf`);
      assert.equal(new DataView(imElf.buffer).getUint32(36, true) & 1, 0);

      // -c compiles only: an object file, no runtime, nothing linked.
      const c = await run(
        ["run", "-A", CC, "-c", "src/two.c", "-o", "two.o"],
        dir,
        {
          INIT_CWD: dir,
        },
      );
      assert.equal(c.code, 0, c.stderr);
      assert.equal((await Deno.readFile(`${dir}/two.o`))[16], 1, "ET_REL");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "cc: a failing compile passes gcc's diagnostics through and ends with one line",
  ignore: !GCC,
  fn: async () => {
    const dir = await Deno.makeTempDir({ prefix: "oplet-cc-" });
    try {
      await Deno.writeTextFile(
        `${dir}/bad.c`,
        "int main(void) { return nope; }\n",
      );
      const r = await run(["run", "-A", CC, "bad.c", "-o", "bad.elf"], dir, {
        INIT_CWD: dir,
      });
      assert.equal(r.code, 1);
      assert.match(r.stderr, /bad\.c:1:\d+: error: 'nope' undeclared/);
      assert.match(
        r.stderr,
        /\ncc: riscv64-unknown-elf-gcc failed \(exit code 1\)\n$/,
      );
      assert.doesNotMatch(r.stderr, /^\s+at /m, "no stack trace");
      await assert.rejects(Deno.stat(`${dir}/bad.elf`), Deno.errors.NotFound);
      const missing = await run(["run", "-A", CC, "gone.c"], dir, {
        INIT_CWD: dir,
      });
      assert.equal(missing.code, 1);
      assert.match(missing.stderr, /gone\.c: No such file or directory/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

if (!GCC) {
  console.log(
    "cc_test: riscv64-unknown-elf-gcc not installed; builds not tested (install gcc-riscv64-unknown-elf and picolibc-riscv64-unknown-elf)",
  );
}
