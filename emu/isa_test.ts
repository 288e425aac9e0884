import assert from "node:assert/strict";
import { cpuExec } from "./exec.ts";
import { GuestFault } from "./fault.ts";
import { Machine, type MachineOptions } from "./machine.ts";
import { BACKENDS } from "./dispatch.ts";

// A few encoders, enough to write the cases below (the fuzzer has a full one).
const R = (
  f7: number,
  rs2: number,
  rs1: number,
  f3: number,
  rd: number,
  op = 0x33,
) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const S = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    ((imm & 31) << 7) |
    0x23) >>> 0;
const ECALL = 0x73;

const BASE = 0x10000;
const DATA = 0x20000;

/**
 * The backends under test; `jit` twice: as it runs short code (all
 * interpreted) and with every block compiled before its first run.
 */
const VARIANTS: [string, MachineOptions][] = [
  ...BACKENDS.map((b): [string, MachineOptions] => [b, { backend: b }]),
  ["jit (compiled at once)", { backend: "jit", jit: { hotAfter: 1 } }],
];

/** Runs `words` then an ecall, with registers preset; returns the machine. */
function run(
  words: number[],
  regs: Record<number, number>,
  backend: MachineOptions,
) {
  const m = new Machine({ memSize: 1 << 20, ...backend });
  [...words, ECALL].forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
  for (const [r, v] of Object.entries(regs)) m.cpu.x[Number(r)] = v;
  m.cpu.pc = BASE;
  assert.equal(cpuExec(m, () => true), "exit");
  return m;
}

const OP = {
  add: [0, 0],
  sub: [0x20, 0],
  sll: [0, 1],
  slt: [0, 2],
  sltu: [0, 3],
  xor: [0, 4],
  srl: [0, 5],
  sra: [0x20, 5],
  or: [0, 6],
  and: [0, 7],
  mul: [1, 0],
  mulh: [1, 1],
  mulhsu: [1, 2],
  mulhu: [1, 3],
  div: [1, 4],
  divu: [1, 5],
  rem: [1, 6],
  remu: [1, 7],
} as const;

const MIN = -0x80000000;
// [op, a, b, expected] — expected values from the RISC-V unprivileged spec.
const CASES: [keyof typeof OP, number, number, number][] = [
  ["div", 7, 0, -1],
  ["divu", 7, 0, -1],
  ["rem", 7, 0, 7],
  ["remu", 7, 0, 7],
  ["div", MIN, -1, MIN],
  ["rem", MIN, -1, 0],
  ["div", -7, 2, -3],
  ["rem", -7, 2, -1],
  ["divu", -7, 2, 0x7ffffffc],
  ["remu", -7, 2, 1],
  ["div", 7, -2, -3],
  ["rem", 7, -2, 1],
  ["sll", 1, 32, 1],
  ["sll", 1, 33, 2],
  ["srl", MIN, 63, 1],
  ["sra", MIN, 31, -1],
  ["sra", MIN, 32, MIN],
  ["mul", 0x7fffffff, 0x7fffffff, 1],
  ["mulh", MIN, MIN, 0x40000000],
  ["mulh", -1, -1, 0],
  ["mulh", MIN, 0x7fffffff, -0x40000000],
  ["mulhu", -1, -1, -2],
  ["mulhu", MIN, 2, 1],
  ["mulhsu", -1, -1, -1],
  ["mulhsu", MIN, -1, MIN],
  ["mulhsu", 0x7fffffff, -1, 0x7ffffffe],
  ["slt", -1, 0, 1],
  ["sltu", -1, 0, 0],
  ["add", 0x7fffffff, 1, MIN],
  ["sub", MIN, 1, 0x7fffffff],
];

for (const [name, backend] of VARIANTS) {
  Deno.test(`${name}: R-type edge cases follow the spec`, () => {
    for (const [op, a, b, want] of CASES) {
      const [f7, f3] = OP[op];
      const m = run([R(f7, 6, 5, f3, 7)], { 5: a, 6: b }, backend);
      assert.equal(m.cpu.x[7], want | 0, `${op} ${a}, ${b}`);
    }
  });

  Deno.test(`${name}: writes to x0 are ignored and x0 reads as 0`, () => {
    const m = run(
      [
        I(5, 0, 0, 0, 0x13), // addi x0, x0, 5
        R(0, 6, 5, 0, 0), // add x0, t0, t1
        0x00000037 | (0x12345 << 12), // lui x0, 0x12345
        I(0, 0, 0, 7, 0x13), // addi t2, x0, 0
      ],
      { 5: 3, 6: 4 },
      backend,
    );
    assert.equal(m.cpu.x[0], 0);
    assert.equal(m.cpu.x[7], 0);
  });

  Deno.test(`${name}: loads sign- and zero-extend; misaligned accesses work`, () => {
    const m = new Machine({ memSize: 1 << 20, ...backend });
    m.cpu.m32[DATA >> 2] = 0x8081f0ff | 0;
    const words = [
      I(0, 5, 0, 10, 0x03), // lb a0, 0(t0)
      I(0, 5, 4, 11, 0x03), // lbu a1
      I(0, 5, 1, 12, 0x03), // lh a2
      I(0, 5, 5, 13, 0x03), // lhu a3
      I(1, 5, 2, 14, 0x03), // lw a4, 1(t0) (misaligned)
      S(5, 6, 5, 2), // sw t1, 5(t0) (misaligned)
      I(5, 5, 2, 15, 0x03), // lw a5, 5(t0)
      S(3, 6, 5, 1), // sh t1, 3(t0) (misaligned)
      I(3, 5, 5, 16, 0x03), // lhu a6, 3(t0)
      ECALL,
    ];
    words.forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
    m.cpu.x[5] = DATA;
    m.cpu.x[6] = 0x12345678;
    m.cpu.pc = BASE;
    cpuExec(m, () => true);
    const x = m.cpu.x;
    assert.deepEqual([x[10], x[11], x[12], x[13]], [
      -1,
      0xff,
      0xfffff0ff | 0,
      0xf0ff,
    ]);
    assert.equal(x[14] >>> 0, 0x008081f0); // bytes 1..4: f0 81 80 00
    assert.equal(x[15], 0x12345678);
    assert.equal(x[16], 0x5678);
  });

  Deno.test(`${name}: an unmapped load, store and fetch fault with the pc and address`, () => {
    for (
      const [word, addr, access] of [
        [I(0, 0, 2, 10, 0x03), 0, "load"], // lw a0, 0(zero)
        [S(0, 5, 5, 2), 0xdeadbeef, "store"], // sw t0, 0(t0)
        [I(0x7ff, 0, 4, 0, 0x03), 0x7ff, "load"], // lbu x0, 0x7ff(zero): faults though rd is x0
      ] as const
    ) {
      const m = new Machine({ memSize: 1 << 20, ...backend });
      m.cpu.m32[BASE >> 2] = word;
      m.cpu.x[5] = 0xdeadbeef | 0;
      m.cpu.pc = BASE;
      assert.throws(() => cpuExec(m, () => true), (e: unknown) => {
        assert.ok(e instanceof GuestFault);
        assert.equal(e.kind, "segmentation fault");
        assert.equal(e.pc, BASE);
        assert.equal(e.addr, addr >>> 0);
        assert.equal(e.exitCode, 139);
        assert.match(
          e.message(),
          new RegExp(
            `${access} of address 0x${addr.toString(16).padStart(8, "0")}`,
          ),
        );
        return true;
      });
    }
    const m = new Machine({ memSize: 1 << 20, ...backend });
    m.cpu.pc = 0x500000; // beyond memory
    assert.throws(
      () => cpuExec(m, () => true),
      (e: unknown) => e instanceof GuestFault && e.exitCode === 139,
    );
  });

  Deno.test(`${name}: illegal instructions and ebreak trap with 132 and 133`, () => {
    for (
      const [word, code, kind] of [
        [0, 132, "illegal instruction"],
        [0xffffffff, 132, "illegal instruction"],
        [R(0x20, 1, 1, 1, 1), 132, "illegal instruction"], // "sub" with funct3 1
        [0x00100073, 133, "breakpoint"],
      ] as const
    ) {
      const m = new Machine({ memSize: 1 << 20, ...backend });
      m.cpu.m32[(BASE >> 2) + 1] = word;
      m.cpu.m32[BASE >> 2] = I(1, 0, 0, 10, 0x13); // addi a0, zero, 1
      m.cpu.pc = BASE;
      assert.throws(() => cpuExec(m, () => true), (e: unknown) => {
        assert.ok(e instanceof GuestFault, String(e));
        assert.equal(e.kind, kind);
        assert.equal(e.pc, BASE + 4);
        assert.equal(e.exitCode, code);
        if (kind === "illegal instruction") assert.equal(e.addr, word >>> 0);
        return true;
      });
      assert.equal(m.cpu.x[10], 1, "the instruction before the trap ran");
    }
  });
}

Deno.test("every backend counts the same instructions, blocks and oplets", () => {
  const words = [I(100, 0, 0, 5, 0x13), I(-1, 5, 0, 5, 0x13), 0xfe029ee3 >>> 0]; // loop: addi t0,-1; bnez t0
  const stats = VARIANTS.map(([_n, b]) => run(words, {}, b).stats);
  for (const st of stats) assert.deepEqual(st, stats[0]);
  assert.equal(stats[0].insns, 1 + 2 * 100 + 1);
});

for (const [name, backend] of VARIANTS) {
  Deno.test(`${name}: stores below the lowest writable address fault; loads there work`, () => {
    const m = new Machine({ memSize: 1 << 20, ...backend });
    m.cpu.protectBelow(DATA);
    m.cpu.m32[(DATA >> 2) - 1] = 77;
    const words = [
      I(-4, 5, 2, 10, 0x03), // lw a0, -4(t0): read-only memory reads
      S(0, 10, 5, 2), // sw a0, 0(t0): the first writable word
      S(-1, 10, 5, 0), // sb a0, -1(t0): the last read-only byte
    ];
    words.forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
    m.cpu.x[5] = DATA;
    m.cpu.pc = BASE;
    assert.throws(() => cpuExec(m, () => true), (e: unknown) => {
      assert.ok(e instanceof GuestFault);
      assert.equal(e.addr, DATA - 1);
      assert.equal(e.pc, BASE + 8);
      return true;
    });
    assert.equal(m.cpu.x[10], 77);
    assert.equal(m.cpu.m32[DATA >> 2], 77);
  });
}

Deno.test("translation follows direct jumps unless told not to; the result is the same", () => {
  const J = (off: number) =>
    // jal x0, off
    ((((off >> 20) & 1) << 31) | (((off >> 1) & 0x3ff) << 21) |
      (((off >> 11) & 1) << 20) |
      (((off >> 12) & 0xff) << 12) | 0x6f) >>> 0;
  const words = [
    I(1, 0, 0, 5, 0x13), // addi t0, zero, 1
    J(8), // j +8 (over the next)
    I(100, 5, 0, 5, 0x13), // addi t0, t0, 100 (skipped)
    I(2, 5, 0, 5, 0x13), // addi t0, t0, 2
    ECALL,
  ];
  for (const followJumps of [true, false]) {
    const m = new Machine({ memSize: 1 << 20, followJumps });
    words.forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
    m.cpu.pc = BASE;
    cpuExec(m, () => true);
    assert.equal(m.cpu.x[5], 3);
    assert.equal(m.stats.insns, 4);
    assert.equal(m.stats.tbs, followJumps ? 1 : 2);
  }
});
