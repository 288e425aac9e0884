import assert from "node:assert/strict";
import { cpuExec } from "./exec.ts";
import { Machine, type MachineOptions } from "./machine.ts";
import { opletInfo, opletTableHash } from "./oplet.ts";
import { createProfileWriter } from "./profile.ts";
import { type ProfileGuide, readProfileGuide } from "./profile_guide.ts";
import { ProfileFormatError } from "./profile_reader.ts";
import { OPLETS, TARGET_NAME } from "./targets/riscv32/target.ts";
import type { JitBackend } from "./backends/jit.ts";
import type { CpuState } from "./target.ts";

const BASE = 0x10000;
const OPTS = { target: TARGET_NAME, opletHash: opletTableHash(OPLETS) };

/** Writes a profile of the given runs: each a list of [id, pc] TBs and the executed ids. */
async function profile(
  runs: { tbs: [number, number][]; ids: number[] }[],
): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".profile" });
  const w = await createProfileWriter(path, {
    target: TARGET_NAME,
    oplets: opletInfo(OPLETS),
    guest: "synthetic",
    argv: ["synthetic"],
  });
  for (const [k, r] of runs.entries()) {
    if (k > 0) w.beginRun("synthetic", ["synthetic"]);
    for (const [id, pc] of r.tbs) w.defineTb(id, pc, 1, [1]);
    await w.executions(new Uint32Array(r.ids), r.ids.length);
  }
  await w.close();
  return path;
}

Deno.test("readProfileGuide counts each block's executions and successors by pc", async () => {
  const path = await profile([{
    tbs: [[0, 0x100], [1, 0x200], [2, 0x300]],
    ids: [0, 1, 1, 1, 2, 0, 1, 2],
  }]);
  try {
    const g = await readProfileGuide(path, OPTS);
    assert.deepEqual(
      [...g.executions],
      [[0x100, 2], [0x200, 4], [0x300, 2]],
    );
    const succ = (pc: number) => [...g.successors.get(pc) ?? []];
    assert.deepEqual(succ(0x100), [[0x200, 2]]);
    assert.deepEqual(succ(0x200), [[0x200, 2], [0x300, 2]]);
    assert.deepEqual(succ(0x300), [[0x100, 1]]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readProfileGuide sums runs, whose TB ids start again from 0", async () => {
  const path = await profile([
    { tbs: [[0, 0x100], [1, 0x200]], ids: [0, 1, 1] },
    { tbs: [[0, 0x200], [1, 0x300]], ids: [0, 1, 0] },
  ]);
  try {
    const g = await readProfileGuide(path, OPTS);
    assert.deepEqual(
      [...g.executions].sort((a, b) => a[0] - b[0]),
      [[0x100, 1], [0x200, 4], [0x300, 1]],
    );
    // No edge runs from one run's last block to the next run's first.
    assert.deepEqual([...g.successors.get(0x200)!], [[0x200, 1], [0x300, 1]]);
    assert.deepEqual([...g.successors.get(0x300)!], [[0x200, 1]]);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readProfileGuide keeps an indirect jump's many successors", async () => {
  // Block 0 is followed by six different blocks (more than its own slots).
  const tbs: [number, number][] = [[0, 0x100]];
  const ids: number[] = [];
  for (let k = 1; k <= 6; k++) {
    tbs.push([k, 0x100 + 16 * k]);
    for (let n = 0; n < k; n++) ids.push(0, k);
  }
  const path = await profile([{ tbs, ids }]);
  try {
    const g = await readProfileGuide(path, OPTS);
    const s = g.successors.get(0x100)!;
    for (let k = 1; k <= 6; k++) assert.equal(s.get(0x100 + 16 * k), k);
    assert.equal(g.executions.get(0x100), 21);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("readProfileGuide refuses what is not a profile, naming the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const text = `${dir}/text.profile`;
    await Deno.writeTextFile(text, "not a profile");
    const cases: [string, RegExp][] = [
      [
        `${dir}/missing.profile`,
        /^Cannot read profile ".*missing.profile": no such file$/,
      ],
      [dir, /^Cannot read profile ".*": expected a file, found a directory$/],
      [
        text,
        /^Not an oplet profile: starts with bytes "6e 6f .*", expected "OPLETPRF" \(in ".*text.profile" at offset 0\)$/,
      ],
    ];
    for (const [path, message] of cases) {
      await assert.rejects(
        () => readProfileGuide(path, OPTS),
        (e: unknown) =>
          e instanceof ProfileFormatError && message.test(e.message),
        path,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// t0 = n; loop: t1 += t0; t0 -= 1; bnez t0, loop; ecall. The loop's block
// starts at BASE + 4.
const LOOP = (n: number) => [
  ((n & 0xfff) << 20) | (5 << 7) | 0x13,
  (5 << 20) | (6 << 15) | (6 << 7) | 0x33,
  (0xfff << 20) | (5 << 15) | (5 << 7) | 0x13,
  0xfe029ce3,
  0x73,
];

function run(n: number, options: MachineOptions): Machine {
  const m = new Machine({ memSize: 1 << 20, ...options });
  LOOP(n).forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
  m.cpu.pc = BASE;
  if (options.profile) m.cpu.prof = new Uint32Array(1 << 16);
  assert.equal(cpuExec(m, () => true), "exit");
  return m;
}

Deno.test("jit: a guiding profile makes a loop's head compile early, with the interpreter's results", () => {
  const guide: ProfileGuide = {
    file: "synthetic",
    executions: new Map([[BASE, 1], [BASE + 4, 5000], [BASE + 16, 1]]),
    successors: new Map([
      [BASE, new Map([[BASE + 4, 1]])],
      [BASE + 4, new Map([[BASE + 4, 4999], [BASE + 16, 1]])],
    ]),
  };
  const sw = run(300, { backend: "switch" });
  const counters = run(300, { backend: "jit" });
  const guided = run(300, { backend: "jit", jit: { guide } });
  const jit = (m: Machine) => m.backend as unknown as JitBackend<CpuState>;
  // 300 iterations: too few for the counters, enough for the profile's head.
  assert.equal(jit(counters).stats.regions, 0);
  assert.equal(jit(guided).stats.regions, 1);
  assert.notEqual(guided.tbs.get(BASE + 4)!.compiled, null);
  assert.equal(guided.cpu.x[6], 300 * 301 / 2);
  assert.deepEqual(guided.cpu.x, sw.cpu.x);
  assert.deepEqual(guided.stats, sw.stats);
  // While profiling the guide is ignored (every block is interpreted).
  const profiled = run(300, {
    backend: "jit",
    jit: { guide },
    profile: {
      defineTb() {},
      executions: () => Promise.resolve(),
      close: () => Promise.resolve(),
    },
  });
  assert.equal(jit(profiled).stats.regions, 0);
});
