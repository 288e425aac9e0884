/**
 * `deno task test`: the project's checks in order — `deno fmt --check`,
 * `deno lint`, `deno check`, `deno test` — stopping at the first that fails.
 * Ends with Deno's own test summary as a line `N passed, N failed`.
 *
 * The tests get a temporary folder of their own (`TMPDIR`), and fail if
 * they leave anything in it, so that a run leaves nothing in `/tmp`.
 *
 * @module
 */

import { taskArgs } from "./task_args.ts";

const USAGE = `Usage: oplet-test (deno task test) [deno test options...]

Runs deno fmt --check, deno lint, deno check --doc and every test (with any
options given passed on to deno test), stopping at the first that fails, and
ends with a line "N passed, N failed".

Exit status: 0 when everything passed, 1 otherwise.`;
if (Deno.args.some((a) => ["-h", "--help", "--version"].includes(a))) {
  taskArgs("test", USAGE, Deno.args, {});
}

async function step(
  name: string,
  args: string[],
  capture = false,
  env: Record<string, string> = {},
): Promise<{ ok: boolean; out: string }> {
  console.error(`\n== ${name}: deno ${args.join(" ")}`);
  const cmd = new Deno.Command(Deno.execPath(), {
    args,
    env,
    stdout: capture ? "piped" : "inherit",
    stderr: "inherit",
  });
  if (!capture) {
    const { code } = await cmd.output();
    return { ok: code === 0, out: "" };
  }
  const child = cmd.spawn();
  let out = "";
  const dec = new TextDecoder();
  for await (const chunk of child.stdout) {
    const text = dec.decode(chunk, { stream: true });
    out += text;
    await Deno.stdout.write(chunk);
  }
  const { code } = await child.status;
  return { ok: code === 0, out };
}

const extra = Deno.args;
const checks: [string, string[]][] = [
  ["format", ["fmt", "--check"]],
  ["lint", ["lint"]],
  ["type check", ["check", "--doc", "."]],
];
// Each package's documentation, on its own (its exports' entry points), as
// JSR checks it: every export documented, no private type in a public one.
for (const pkg of ["emu", "analyze", "gen"]) {
  const cfg = JSON.parse(
    Deno.readTextFileSync(new URL(`../${pkg}/deno.json`, import.meta.url)),
  );
  const entries = Object.values(cfg.exports as Record<string, string>)
    .map((e) => `${pkg}/${e.replace(/^\.\//, "")}`);
  checks.push([`doc lint (${pkg})`, ["doc", "--lint", ...entries]]);
}
for (const [name, args] of checks) {
  if (!(await step(name, args)).ok) {
    console.log(`0 passed, 1 failed`);
    console.error(`${name} failed`);
    Deno.exit(1);
  }
}
const tmp = await Deno.makeTempDir({ prefix: "oplet-test-" });
const test = await step(
  "tests",
  [
    "test",
    "-A",
    "--doc",
    "--parallel",
    ".",
    "README.md",
    ...extra,
  ],
  true,
  { TMPDIR: tmp },
);
const left = [...Deno.readDirSync(tmp)].map((e) => e.name).sort();
await Deno.remove(tmp, { recursive: true });
if (left.length > 0) {
  console.error(
    `oplet-test: the tests left ${left.length} file(s) in their temporary folder: ${
      left.slice(0, 10).join(", ")
    }`,
  );
}
// deno test ends with e.g. "ok | 41 passed (3 steps) | 0 failed | 2 ignored (4s)".
// deno-lint-ignore no-control-regex
const plain = test.out.replace(/\x1b\[[0-9;]*m/g, "");
const m = plain.match(
  /\|\s*(\d+) passed[^|]*\|\s*(\d+) failed(?:\s*\|\s*(\d+) ignored)?/,
);
if (m) {
  console.log(
    `${m[1]} passed, ${m[2]} failed${m[3] ? `, ${m[3]} skipped` : ""}`,
  );
} else {
  console.log(`0 passed, 1 failed`);
}
Deno.exit(test.ok && left.length === 0 ? 0 : 1);
