// The published packages, as a JSR user meets them: the workspace is
// published for real with `deno publish` to a small registry on loopback
// (tests/registry/jsr_server.ts), then, in an empty folder with a fresh
// DENO_DIR, the README's JSR commands run in order (profile, analyze, gen,
// fused run), then the README's script, then every `@example` of the
// packages, all through `jsr:` specifiers. (No package depends on npm.)
import assert from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { startRegistry } from "./registry/jsr_server.ts";
import {
  type CodeBlock,
  docExamples,
  markdownBlocks,
  toJsr,
} from "./registry/examples.ts";
import { hasCommand } from "./guest_io.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const PACKAGES = ["emu", "analyze", "gen"] as const;
const dec = new TextDecoder();

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment for a child: ours without INIT_CWD (set by `deno task`), plus `extra`. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.INIT_CWD;
  delete env.DENO_DIR;
  return { ...env, NO_COLOR: "1", ...extra };
}

async function run(
  args: string[],
  cwd: string,
  env: Record<string, string>,
  timeoutMs = 180_000,
): Promise<Ran> {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(timeoutMs),
  }).output();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
  };
}

function ok(r: Ran, what: string): void {
  assert.equal(
    r.code,
    0,
    `${what} failed (exit ${r.code}):\n${r.stderr}\n${r.stdout}`,
  );
}

/** The non-test modules of a package, relative to the repository. */
function modules(pkg: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of Deno.readDirSync(dir)) {
      const p = join(dir, e.name);
      if (e.isDirectory) walk(p);
      else if (
        e.name.endsWith(".ts") && !/_(test|bench)\.ts$/.test(e.name) &&
        e.name !== "synthetic.ts"
      ) out.push(relative(ROOT, p));
    }
  };
  walk(join(ROOT, pkg));
  return out.sort();
}

Deno.test("the published packages work from an empty folder: README commands, script and examples", async (t) => {
  const tmp = await Deno.makeTempDir({ prefix: "oplet-registry-" });
  const token = crypto.randomUUID();
  const registry = startRegistry({
    token,
    maxRequests: 5000,
    timeoutMs: 15 * 60_000,
  });
  try {
    await t.step(
      "deno publish publishes each package, without tests or benches",
      async () => {
        const r = await run(
          ["publish", "--token", token, "--no-provenance", "--allow-dirty"],
          ROOT,
          childEnv({ JSR_URL: registry.url, DISABLE_JSR_PROVENANCE: "1" }),
        );
        ok(r, "deno publish");
        for (const pkg of PACKAGES) {
          const files = registry.published.get(`@oplet/${pkg}@0.1.0`);
          assert.ok(files, `@oplet/${pkg} was not published`);
          for (const need of ["/README.md", "/deno.json", "/mod.ts"]) {
            assert.ok(files.includes(need), `@oplet/${pkg} lacks ${need}`);
          }
          const stray = files.filter((f) =>
            /_(test|bench)\.ts$|\/synthetic\.ts$/.test(f)
          );
          assert.deepEqual(stray, [], `@oplet/${pkg} publishes ${stray}`);
        }
      },
    );

    const work = join(tmp, "work");
    await Deno.mkdir(work);
    await Deno.mkdir(join(tmp, "tmp"));
    const env = childEnv({
      JSR_URL: registry.url,
      DENO_DIR: join(tmp, "deno_dir"),
      TMPDIR: join(tmp, "tmp"),
    });
    await Deno.copyFile(
      join(ROOT, "tests/guests/bin/sort.elf"),
      join(work, "prog.elf"),
    );
    const readme = await Deno.readTextFile(join(ROOT, "README.md"));

    await t.step(
      "every CLI answers --help and --version with no permissions",
      async () => {
        for (const pkg of PACKAGES) {
          const help = await run(
            ["run", "--no-prompt", `jsr:@oplet/${pkg}`, "--help"],
            work,
            env,
          );
          ok(help, `oplet-${pkg} --help`);
          assert.match(help.stdout, new RegExp(`^Usage: oplet-${pkg} `));
          assert.match(help.stdout, /Exit status: /);
          const version = await run(
            ["run", "--no-prompt", `jsr:@oplet/${pkg}`, "--version"],
            work,
            env,
          );
          ok(version, `oplet-${pkg} --version`);
          assert.equal(version.stdout, `oplet-${pkg} 0.1.0\n`);
        }
      },
    );

    await t.step(
      "the profile worker is part of the cached module graph",
      async () => {
        ok(await run(["cache", "jsr:@oplet/emu"], work, env), "deno cache");
        const r = await run(["info", "jsr:@oplet/emu"], work, env);
        ok(r, "deno info jsr:@oplet/emu");
        assert.match(r.stdout, /profile_worker\.ts/);
      },
    );

    await t.step(
      "offline after deno cache, the emulator writes profiles on its worker thread",
      async () => {
        await Deno.writeTextFile(
          join(work, "thread.ts"),
          `import { opletInfo, OPLETS, ProfileThreadWriter, startProfileWriter, TARGET_NAME } from "jsr:@oplet/emu";
const w = await startProfileWriter("thread.profile", { target: TARGET_NAME, oplets: opletInfo(OPLETS) });
await w.close();
console.log(w instanceof ProfileThreadWriter ? "worker" : "main thread");
await Deno.remove("thread.profile");
`,
        );
        const r = await run(
          [
            "run",
            "--cached-only",
            "--allow-read",
            "--allow-write=.",
            "thread.ts",
          ],
          work,
          env,
        );
        ok(r, "thread.ts");
        assert.equal(r.stdout, "worker\n");
        await Deno.remove(join(work, "thread.ts"));
      },
    );

    await t.step("the README's JSR commands run in order", async () => {
      const block = markdownBlocks("README.md", readme, "sh").find((b) =>
        b.code.includes("jsr:@oplet/gen")
      );
      assert.ok(block, "README.md has no sh block with jsr:@oplet/gen");
      const commands = block.code.split("\n").filter((l) =>
        l.startsWith("deno ")
      );
      assert.equal(commands.length, 4, block.code);
      const results: Ran[] = [];
      for (const line of commands) {
        const words = line.replace(/\s+#.*$/, "").trim().split(/\s+/);
        assert.equal(words[0], "deno");
        const r = await run(words.slice(1), work, env);
        ok(r, line);
        results.push(r);
      }
      const [profile, analyze, gen, fused] = results;
      assert.match(profile.stderr, /^oplet-emu: wrote prog\.profile: \d+ TBs/m);
      assert.ok((await Deno.stat(join(work, "prog.profile"))).size > 0);
      assert.match(analyze.stdout, /^rank\s+sequence/m);
      const analysis = JSON.parse(
        await Deno.readTextFile(join(work, "analysis.json")),
      );
      assert.ok(analysis.sequences.length >= 32);
      assert.match(gen.stderr, /^oplet-gen: wrote 32 fused oplets to fused/m);
      assert.match(
        await Deno.readTextFile(join(work, "fused/op_seq.ts")),
        /\/\/ Command: deno run -A jsr:@oplet\/gen --from analysis\.json/,
      );
      // The fused run prints what the profiling run printed, and what
      // qemu-riscv32 prints where it is installed.
      assert.equal(fused.stdout, profile.stdout);
      assert.match(fused.stderr, /oplet-emu: \d+ insns, \d+ TBs/);
      if (hasCommand("qemu-riscv32")) {
        const q = await new Deno.Command("qemu-riscv32", {
          args: [join(work, "prog.elf")],
          stdout: "piped",
          stderr: "null",
        }).output();
        assert.equal(fused.stdout, dec.decode(q.stdout));
      }
    });

    await t.step("the README's script runs", async () => {
      const scripts = markdownBlocks("README.md", readme, "ts").filter((b) =>
        b.code.includes("jsr:@oplet/emu") &&
        b.code.includes("jsr:@oplet/analyze")
      );
      assert.equal(scripts.length, 1, "one README script uses both packages");
      await Deno.writeTextFile(join(work, "script.ts"), scripts[0].code);
      const r = await run(
        ["run", "--allow-read", "--allow-write", "script.ts"],
        work,
        env,
      );
      ok(r, "README script.ts");
    });

    await t.step(
      "every @example type-checks and runs, and leaves no file",
      async () => {
        const blocks: CodeBlock[] = [];
        for (const pkg of PACKAGES) {
          for (const file of modules(pkg)) {
            blocks.push(
              ...docExamples(file, await Deno.readTextFile(join(ROOT, file))),
            );
          }
        }
        for (const pkg of PACKAGES) {
          const file = `${pkg}/README.md`;
          const text = await Deno.readTextFile(join(ROOT, file));
          blocks.push(...markdownBlocks(file, text, "ts"));
        }
        assert.ok(blocks.length >= 20, `only ${blocks.length} examples`);
        const dir = join(tmp, "examples");
        await Deno.mkdir(dir);
        const names: string[] = [];
        for (const [k, b] of blocks.entries()) {
          assert.doesNotMatch(
            b.code,
            /from\s+["']\.\.?\//,
            `${b.file}:${b.line}: an example imports by relative path`,
          );
          const name = `ex${String(k).padStart(3, "0")}.ts`;
          names.push(name);
          await Deno.writeTextFile(
            join(dir, name),
            `// ${b.file}:${b.line}\n${toJsr(b.code)}`,
          );
        }
        ok(await run(["check", ...names], dir, env), "deno check (examples)");
        const runner = names.map((n) =>
          `try { await import("./${n}"); } catch (e) { failed.push("${n}: " + e); }`
        );
        await Deno.writeTextFile(
          join(dir, "run_all.ts"),
          `const failed: string[] = [];\n${runner.join("\n")}\n` +
            `if (failed.length) { console.error(failed.join("\\n")); Deno.exit(1); }\n`,
        );
        const before = [...Deno.readDirSync(join(tmp, "tmp"))].length;
        const r = await run(["run", "-A", "run_all.ts"], dir, env);
        ok(r, "the examples");
        assert.equal([...Deno.readDirSync(join(tmp, "tmp"))].length, before);
        assert.deepEqual(
          [...Deno.readDirSync(dir)].map((e) => e.name).sort(),
          [...names, "run_all.ts"].sort(),
        );
      },
    );
  } finally {
    await registry.close();
    await Deno.remove(tmp, { recursive: true });
  }
});
