// The README's "Using it on your own program" section, run as written: its
// C files are written out, its `$` commands run in order (`deno task cc`
// builds, `deno task emu` runs), and every output it shows must be what the
// emulator prints and what qemu-riscv32 prints for the same program. The
// section's folder `my/` becomes a temporary folder. Skipped, with a
// message, without the cross compiler (CI installs it).
import assert from "node:assert/strict";
import { hasCommand } from "./guest_io.ts";

const ROOT = new URL("..", import.meta.url).pathname.replace(/\/$/, "");
const GCC = hasCommand("riscv64-unknown-elf-gcc");
const QEMU = hasCommand("qemu-riscv32");

/** The section's text. */
function section(): string {
  const readme = Deno.readTextFileSync(`${ROOT}/README.md`);
  const start = readme.indexOf("## Using it on your own program");
  const end = readme.indexOf("\n## ", start + 1);
  assert.ok(start >= 0 && end > start, "the README has the section");
  return readme.slice(start, end);
}

/** Its fenced blocks, in order. */
function blocks(text: string): { lang: string; body: string }[] {
  const out: { lang: string; body: string }[] = [];
  const re = /```(\w*)\n([\s\S]*?)```/g;
  for (let m; (m = re.exec(text));) out.push({ lang: m[1], body: m[2] });
  return out;
}

/** Splits a command line into words, as sh would for these simple lines. */
function words(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m; (m = re.exec(line));) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(
  cmd: string,
  args: string[],
  opts: { env?: Record<string, string>; clearEnv?: boolean } = {},
): Promise<Ran> {
  // deno task sets INIT_CWD only when it is not set yet: a test run by
  // `deno task test` must not pass its own on.
  const base = Deno.env.toObject();
  delete base.INIT_CWD;
  const out = await new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: opts.clearEnv ? opts.env : { ...base, ...opts.env },
    clearEnv: true,
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

/** Runs a `deno task emu` line's program under qemu-riscv32 the same way. */
function qemuArgs(
  args: string[],
): { argv: string[]; env: Record<string, string> } {
  const env: Record<string, string> = {};
  let k = 0;
  while (args[k]?.startsWith("--")) {
    if (args[k] === "--env") {
      const [name, ...value] = args[k + 1].split("=");
      env[name] = value.join("=");
    }
    k += args[k] === "--stats" ? 1 : 2;
  }
  return { argv: args.slice(k), env };
}

Deno.test({
  name:
    "README: the own-program examples build with deno task cc and print what qemu-riscv32 prints",
  ignore: !GCC,
  fn: async () => {
    const tmp = await Deno.makeTempDir({ prefix: "oplet-readme-" });
    const local = (s: string) => s.replaceAll("my/", `${tmp}/`);
    try {
      let last: Ran | null = null;
      let commands = 0, compared = 0;
      for (const b of blocks(section())) {
        if (b.lang === "c") {
          const first = b.body.split("\n")[0];
          const m = first.match(/^\/\/ (my\/[\w.]+\.c)$/);
          assert.ok(m, `a C block starts with its file name: ${first}`);
          await Deno.writeTextFile(local(m[1]), b.body);
          continue;
        }
        if (b.lang !== "sh" || !b.body.startsWith("$ ")) continue;
        // "$ command" lines, each followed by the output it must give.
        const steps: { line: string; want: string[] }[] = [];
        for (const l of b.body.trimEnd().split("\n")) {
          if (l.startsWith("$ ")) steps.push({ line: l.slice(2), want: [] });
          else steps.at(-1)!.want.push(l);
        }
        for (const { line, want } of steps) {
          commands++;
          const wantText = want.length ? want.join("\n") + "\n" : "";
          if (line === "echo $?") {
            assert.ok(last, "echo $? follows a command");
            assert.equal(`${last.code}\n`, local(wantText), line);
            continue;
          }
          const w = words(local(line));
          if (w[0] === "deno" && w[1] === "task") {
            const r = await run(Deno.execPath(), w.slice(1));
            if (w[2] === "cc") {
              assert.equal(r.code, 0, `${line}: ${r.stderr}`);
              assert.equal(r.stdout, "", line);
            } else {
              assert.equal(w[2], "emu", line);
              assert.equal(r.stdout, local(wantText), line);
              if (QEMU) {
                const q = qemuArgs(w.slice(3));
                const qr = await run("qemu-riscv32", q.argv, {
                  env: q.env,
                  clearEnv: true,
                });
                assert.equal(qr.stdout, r.stdout, `${line} under qemu`);
                assert.equal(qr.code, r.code, `${line}: exit code under qemu`);
                compared++;
              }
            }
            last = r;
          } else {
            // A plain shell line (writing a data file).
            const r = await run("sh", ["-c", local(line)]);
            assert.equal(r.code, 0, `${line}: ${r.stderr}`);
            assert.equal(r.stdout, local(wantText), line);
            last = r;
          }
        }
      }
      assert.ok(commands >= 10, `the section's commands ran (${commands})`);
      if (!QEMU) {
        console.log(
          "readme_cc_test: qemu-riscv32 not installed; compared with the README only",
        );
      } else assert.ok(compared >= 5);
      // The refusal the prose describes: no --allow-open, no file.
      const r = await run(Deno.execPath(), [
        "task",
        "emu",
        `${tmp}/lines.elf`,
        `${tmp}/notes.txt`,
      ]);
      assert.equal(r.code, 1);
      assert.match(
        r.stderr,
        new RegExp(`${tmp}/notes.txt: No such file or directory`),
      );
    } finally {
      await Deno.remove(tmp, { recursive: true });
    }
  },
});

if (!GCC) {
  console.log(
    "readme_cc_test: riscv64-unknown-elf-gcc not installed; the README's own-program examples are not built (install gcc-riscv64-unknown-elf and picolibc-riscv64-unknown-elf)",
  );
}
