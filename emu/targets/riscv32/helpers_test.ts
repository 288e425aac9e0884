// The helpers' contract with compiled code (see oplet_rules.ts): a helper
// sees the state only through guest memory (the float registers, fflags and
// frm included) and hoisted fields. It never touches the integer registers,
// the temporaries or the number fields that compiled code keeps in wasm
// locals and scratch words, so the jit calls it directly, without writing
// them back and reloading them around the call. Every helper of the riscv32
// target runs here on thousands of argument sets against a state whose
// forbidden fields throw.
import assert from "node:assert/strict";
import { GuestFault } from "../../fault.ts";
import { TEMPS } from "../../oplet_rules.ts";
import { fpPack } from "./fpu.ts";
import { OP_HELPERS, RiscvCpu } from "./target.ts";

/** What compiled code keeps outside guest memory, or in locals. */
const FORBIDDEN = new Set([
  "x",
  ...TEMPS,
  "pc",
  "trap",
  "resAddr",
  "resVal",
  "prof",
  "profLen",
]);

class Touched extends Error {}

function guarded(cpu: RiscvCpu): RiscvCpu {
  return new Proxy(cpu, {
    get(t, k, r) {
      if (typeof k === "string" && FORBIDDEN.has(k)) {
        throw new Touched(`reads s.${k}`);
      }
      return Reflect.get(t, k, r);
    },
    set(t, k, v, r) {
      if (typeof k === "string" && FORBIDDEN.has(k)) {
        throw new Touched(`writes s.${k}`);
      }
      return Reflect.set(t, k, v, r);
    },
  });
}

/** A small deterministic generator (xorshift32). */
function rng(seed: number) {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

const PC = 0x10000;
const BITS = [
  0,
  0x80000000,
  0x3f800000,
  0x7f800000,
  0x7fc00000,
  0x7f800001,
  0x00000001,
  0x7f7fffff,
  0x4f000000,
  0xcf000000,
];

Deno.test("helpers never touch the integer registers, temporaries or number fields kept in locals", () => {
  const helpers = Object.entries(OP_HELPERS).filter(([, v]) =>
    typeof v === "function"
  ) as [string, (...a: unknown[]) => unknown][];
  assert.ok(helpers.length > 20, `${helpers.length} helpers`);
  const r = rng(4242);
  const pick = <T>(a: readonly T[]) => a[r() % a.length];
  const cpu = new RiscvCpu(1 << 20);
  // An illegal-looking word at the pc (a dynamic rm made invalid by frm reads it).
  cpu.m32[PC >> 2] = 0x00007053;
  const s = guarded(cpu);
  const ran = new Map<string, number>();
  for (let k = 0; k < 3000; k++) {
    // Registers: boxed singles, doubles, unboxed words, NaNs, edges.
    for (let f = 0; f < 32; f++) {
      const kind = r() % 3;
      if (kind === 0) {
        cpu.fw[2 * f] = pick(BITS) ^ (r() & 0x7ff);
        cpu.fw[2 * f + 1] = -1;
      } else if (kind === 1) {
        cpu.f[f] = pick([
          0,
          -0,
          1.5,
          -3,
          1e300,
          2 ** -1074,
          Infinity,
          NaN,
          2 ** 31,
          -(2 ** 31) - 0.5,
        ]);
      } else {
        cpu.fw[2 * f] = r();
        cpu.fw[2 * f + 1] = pick(BITS) | (r() & 0xfffff);
      }
    }
    cpu.fflags = r() & 31;
    cpu.frm = r() % 8;
    const p = fpPack(
      r() & 31,
      r() & 31,
      r() & 31,
      r() & 31,
      pick([0, 1, 2, 3, 4, 7]),
    );
    const pool = [
      p,
      PC,
      0,
      1,
      2,
      3,
      4,
      -1,
      0x7fffffff,
      r() | 0,
      0x20000,
      0x20003,
    ];
    for (const [name, h] of helpers) {
      const args: unknown[] = [];
      for (let a = 0; a < h.length; a++) {
        args.push(
          a === 0 ? s : name.startsWith("f") && a === 1 ? p : pick(pool),
        );
      }
      try {
        h(...args);
      } catch (e) {
        if (e instanceof Touched) {
          assert.fail(
            `Helper ${name}(${args.slice(1).join(", ")}) ${e.message}`,
          );
        }
        if (!(e instanceof GuestFault)) throw e;
      }
      ran.set(name, (ran.get(name) ?? 0) + 1);
    }
  }
  assert.equal(ran.size, helpers.length);
});

Deno.test("a helper that touches a register is caught", () => {
  const s = guarded(new RiscvCpu(1 << 20));
  assert.throws(() => s.x[1], Touched);
  assert.throws(() => (s.t0 = 1), Touched);
  assert.doesNotThrow(() => s.fw[3]);
  assert.doesNotThrow(() => (s.fflags = 1));
});
