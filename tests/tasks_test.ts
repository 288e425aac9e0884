// Every task's command line: --help works, and a bad option is one line on
// stderr with exit code 2, never a stack trace.
import assert from "node:assert/strict";
import { runDeno } from "./guest_io.ts";

const TASKS = ["demo", "bench", "profile", "gen", "fuzz", "build_guests"];

function run(task: string, ...args: string[]) {
  return runDeno(
    new URL(`../tasks/${task}.ts`, import.meta.url).pathname,
    ...args,
  );
}

for (const task of TASKS) {
  Deno.test(`task ${task}: --help prints a usage, an unknown option is a one-line usage error`, async () => {
    const help = await run(task, "--help");
    assert.equal(help.code, 0, help.stderr);
    assert.match(help.stdout + help.stderr, /usage/i);
    const bad = await run(task, "--no-such-option");
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--no-such-option/);
    assert.equal(bad.stderr.trim().split("\n").length <= 2, true, bad.stderr);
    assert.doesNotMatch(bad.stderr, /^\s+at /m, "no stack trace");
  });
}
