import assert from "node:assert/strict";
import {
  GuestFault,
  OP_HELPERS,
  type OpletFn,
  OPLETS,
  opNumber,
  RiscvCpu,
} from "@oplet/emu";
import { fuseSequence, printFused } from "./fuse.ts";
import { indexOplets } from "./oplet_index.ts";
import { type RenderInfo, renderOpSeq } from "./render.ts";
import type { FusedOpletCode } from "./fuse.ts";

const INDEX = indexOplets(OPLETS, OPLETS, {
  helpers: Object.keys(OP_HELPERS),
});
const TYPES = { state: new RiscvCpu(0x2000), helpers: OP_HELPERS };

const INFO: RenderInfo = {
  baseHash: "00000000",
  target: "riscv32",
  input: "test",
  command: "deno test",
  sourceName: "ops.ts",
};

/** A small deterministic random generator (mulberry32): `r(n)` is in `[0, n)`. */
function rng(seed: number): (n: number) => number {
  let a = seed >>> 0;
  return (n: number) => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) % n;
  };
}

type FusedFn = OpletFn<RiscvCpu>;

/** Imports generated op_seq text and returns its fused functions. */
async function load(text: string): Promise<FusedFn[]> {
  const url = "data:application/typescript;base64," +
    btoa(String.fromCharCode(...new TextEncoder().encode(text)));
  const mod = await import(url);
  return mod.fusedOplets(OP_HELPERS).map((o: { fn: FusedFn }) => o.fn);
}

const MEM = 0x3000; // guest memory: [0x1000, 0x3000) is mapped
const REG_PARAMS: Record<string, number[]> = {
  mov_T0_r: [0],
  mov_T1_r: [0],
  mov_r_T0: [0],
  mov_r_T1: [0],
  movi_r: [0],
  mov_r_r: [0, 1],
};

/** A random 32-bit value that is often an address, small, or an edge case. */
function value(r: (n: number) => number): number {
  switch (r(6)) {
    case 0:
      return 0x1000 + r(MEM - 0x1000); // mapped, maybe misaligned
    case 1:
      return (0x1000 + r(MEM - 0x1000)) & ~3; // mapped, aligned
    case 2:
      return r(64) - 32;
    case 3:
      return [0, -1, 1, 0x7fffffff, -0x80000000, 31, 32][r(7)];
    default:
      return (r(0x10000) << 16) | r(0x10000);
  }
}

/** Random parameters for base oplet `n`. */
function paramsFor(r: (n: number) => number, n: number): number[] {
  const o = OPLETS[n];
  const out: number[] = [];
  for (let p = 0; p < o.params; p++) {
    if (REG_PARAMS[o.name]?.includes(p)) out.push(r(32));
    else if (/^(ld|st)/.test(o.name) && p === 0) out.push(r(16) - 8);
    else out.push(value(r));
  }
  return out;
}

/** A random CPU state; its memory is `memory` with a few words changed. */
function randomCpu(r: (n: number) => number, memory: Uint8Array): RiscvCpu {
  const s = new RiscvCpu(MEM);
  s.mu8.set(memory);
  for (let k = 0; k < 8; k++) {
    s.m32[(0x1000 >> 2) + r((MEM - 0x1000) >> 2)] = value(r);
  }
  for (let k = 1; k < 32; k++) {
    // Addresses, mostly word-aligned (atomics fault on others).
    s.x[k] = r(16) ? (0x1000 + r(MEM - 0x1000)) & (r(16) ? -4 : -1) : value(r);
  }
  // A reservation now and then, at a register's address, holding what the
  // memory holds there or not.
  s.resAddr = r(2) ? s.x[1 + r(31)] : -1;
  s.resVal = r(2) && (s.resAddr & 3) === 0 && s.resAddr >= 0x1000
    ? s.m32[s.resAddr >> 2]
    : value(r);
  s.t0 = value(r);
  s.t1 = value(r);
  s.t2 = value(r);
  s.pc = value(r);
  s.prof = new Uint32Array(r(3));
  s.profLen = r(s.prof.length + 1);
  return s;
}

function copyCpu(a: RiscvCpu): RiscvCpu {
  const b = new RiscvCpu(MEM);
  b.x.set(a.x);
  b.mu8.set(a.mu8);
  b.t0 = a.t0;
  b.t1 = a.t1;
  b.t2 = a.t2;
  b.resAddr = a.resAddr;
  b.resVal = a.resVal;
  b.pc = a.pc;
  b.prof = a.prof.slice();
  b.profLen = a.profLen;
  return b;
}

/** Runs `f`, returning its result or the fault it threw. */
function attempt(f: () => number): number | GuestFault {
  try {
    return f();
  } catch (e) {
    if (e instanceof GuestFault) return e;
    throw e;
  }
}

/** Checks that running fused oplet `fn` equals running `seq` one by one. */
function checkOne(
  r: (n: number) => number,
  memory: Uint8Array,
  seq: readonly number[],
  fn: FusedFn,
  why: string,
): void {
  const params = seq.map((n) => paramsFor(r, n));
  const base: number[] = [];
  seq.forEach((n, k) => base.push(n, ...params[k]));
  const fused = [999, ...params.flat()];
  const a = randomCpu(r, memory);
  const b = copyCpu(a);
  const code = Int32Array.from(base);
  const ra = attempt(() => {
    let i = 0;
    for (const n of seq) {
      i = OPLETS[n].fn(a, code, i);
      if (i < 0) return i;
    }
    return i === code.length ? fused.length : -1000 - i;
  });
  const rb = attempt(() => fn(b, Int32Array.from(fused), 0));
  if (ra instanceof GuestFault || rb instanceof GuestFault) {
    assert.ok(
      ra instanceof GuestFault && rb instanceof GuestFault,
      `${why}: only one faulted`,
    );
    assert.deepEqual(
      [rb.kind, rb.pc, rb.addr, rb.access],
      [ra.kind, ra.pc, ra.addr, ra.access],
      why,
    );
    faults++;
  } else {
    assert.equal(rb, ra, `${why}: return value`);
    assert.equal(b.t0, a.t0, `${why}: t0`);
    assert.equal(b.t1, a.t1, `${why}: t1`);
    assert.equal(b.t2, a.t2, `${why}: t2`);
  }
  assert.deepEqual(b.x, a.x, `${why}: registers`);
  assert.equal(b.pc, a.pc, `${why}: pc`);
  assert.equal(b.resAddr, a.resAddr, `${why}: resAddr`);
  assert.equal(b.resVal, a.resVal, `${why}: resVal`);
  assert.equal(b.profLen, a.profLen, `${why}: profLen`);
  assert.deepEqual(b.prof, a.prof, `${why}: prof`);
  let diff = -1;
  for (let k = 0; k < MEM && diff < 0; k++) if (b.mu8[k] !== a.mu8[k]) diff = k;
  assert.equal(diff, -1, `${why}: memory differs at ${diff}`);
}

let faults = 0;

const NON_EXIT = OPLETS.flatMap((o, n) => (o.exit ? [] : [n]));
const MEMORY_OPS = new Set(
  OPLETS.flatMap((o, n) => (/^(ld|st|lr|sc|amo)/.test(o.name) ? [n] : [])),
);
const ATOMIC_OPS = new Set(
  OPLETS.flatMap((o, n) => (/^(lr|sc|amo)/.test(o.name) ? [n] : [])),
);
const EXIT = OPLETS.flatMap((o, n) => (o.exit ? [n] : []));

Deno.test("fused oplets do what their members do, one after another", async () => {
  for (let seed = 1; seed <= 120; seed++) {
    const r = rng(seed);
    const fuseExits = seed % 3 === 0;
    const seqs: number[][] = [];
    for (let k = 0; k < 24; k++) {
      const len = 2 + r(7);
      const seq: number[] = [];
      while (seq.length < len) {
        const n = NON_EXIT[r(NON_EXIT.length)];
        // Like real code, memory oplets mostly follow mov_T0_r (an address).
        // Atomics always do (they fault on a misaligned address).
        if (MEMORY_OPS.has(n) && (r(4) > 0 || ATOMIC_OPS.has(n))) {
          seq.push(opNumber("mov_T0_r"));
        }
        seq.push(n);
      }
      if (fuseExits && r(2) === 0) seq.push(EXIT[r(EXIT.length)]);
      seqs.push(seq);
    }
    const fused = seqs.map((seq, k) =>
      fuseSequence(INDEX, seq, `seq${k}`, { fuseExits })
    );
    const fns = await load(renderOpSeq(INDEX, fused, INFO, TYPES));
    const memory = new Uint8Array(MEM);
    const words = new Int32Array(memory.buffer);
    for (let k = 0x1000 >> 2; k < MEM >> 2; k++) words[k] = value(r);
    seqs.forEach((seq, k) => {
      const names = seq.map((n) => OPLETS[n].name).join(",");
      for (let trial = 0; trial < 12; trial++) {
        checkOne(
          r,
          memory,
          seq,
          fns[k],
          `seed ${seed}, sequence ${k} [${names}], trial ${trial}`,
        );
      }
    });
  }
  // Most runs must complete: a fault ends a run early and tests less.
  const runs = 120 * 24 * 12;
  assert.ok(faults < runs / 4, `${faults} of ${runs} runs faulted`);
});

function fused(names: string[], fuseExits = false): FusedOpletCode {
  return fuseSequence(INDEX, names.map(opNumber), "seq0", { fuseExits });
}

Deno.test("temporaries are loaded only when read first and written back only when written", () => {
  const a = printFused(fused(["mov_T0_r", "addi", "mov_r_T0"]));
  assert.match(a, /let t0 = s\.x\[c\[i \+ 1\]\];/);
  assert.match(a, /t0 = \(t0 \+ c\[i \+ 2\]\) \| 0;/);
  assert.match(a, /s\.x\[c\[i \+ 3\]\] = t0;/);
  assert.match(a, /s\.t0 = t0;\s*return i \+ 4;/);
  assert.doesNotMatch(a, /= s\.t0/);
  assert.doesNotMatch(a, /t1/);

  const b = printFused(fused(["addi", "mov_r_T0"]));
  assert.match(b, /let t0 = s\.t0;/);

  const c = printFused(fused(["mov_T1_r", "mov_r_T0"]));
  assert.match(c, /const t0 = s\.t0;/);
  assert.match(c, /const t1 = s\.x/);
  assert.doesNotMatch(c, /s\.t0 = t0/); // t0 is only read
  assert.match(c, /s\.t1 = t1;/);
});

Deno.test("locals are renamed per member and parameters renumbered", () => {
  const f = fused(["mov_T0_r", "ld32", "ld32", "mov_r_T0"]);
  const text = printFused(f);
  assert.equal(f.params, 1 + 2 + 2 + 1);
  assert.match(text, /const a_2 = \(t0 \+ c\[i \+ 2\]\) \| 0;/);
  assert.match(text, /const a_3 = \(t0 \+ c\[i \+ 4\]\) \| 0;/);
  assert.match(text, /loadSlow\(s, a_3, 4, true, c\[i \+ 5\]\)/);
  assert.match(text, /s\.x\[c\[i \+ 6\]\] = t0;/);
  assert.match(text, /return i \+ 7;\s*\}$/);
  assert.deepEqual([...f.helpers].sort(), ["MEM_LOW", "loadSlow"]);
});

Deno.test("an exit member keeps its returns, after the write-back", () => {
  const f = fused(["mov_T0_r", "mov_T1_r", "br_eq"], true);
  const text = printFused(f);
  assert.equal(f.exit, true);
  assert.match(text, /s\.t1 = t1;\s*return EXIT_GOTO0;/);
  assert.match(text, /s\.t1 = t1;\s*return EXIT_GOTO1;/);
  assert.doesNotMatch(text, /return i/);
  assert.match(text, /s\.pc = c\[i \+ 3\];/);
});

Deno.test("sequences with an exit before the end, or at the end without fuseExits, are refused", () => {
  assert.throws(
    () => fused(["mov_T0_r", "br_eq", "mov_r_T0"], true),
    /exit oplet "br_eq" before its end/,
  );
  assert.throws(
    () => fused(["mov_T0_r", "jmp_T0"]),
    /at its end; use --fuse-exits/,
  );
  assert.throws(() => fused(["addi"]), /has 1 oplets; expected 2 to 64/);
  assert.throws(
    () => fuseSequence(INDEX, [1, OPLETS.length], "seq0"),
    new RegExp(`names oplet ${OPLETS.length}, which is not in the table`),
  );
  assert.throws(() => fuseSequence(INDEX, [1, 1.5], "seq0"), /names oplet 1.5/);
});
