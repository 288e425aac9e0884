// F and D instructions in the emulator, edge by edge, on every backend:
// NaN-boxing, bit-exact moves, loads and stores, the FP CSRs, static and
// dynamic rounding modes, illegal encodings, and the compressed float loads
// and stores. (tests/fp/ runs every arithmetic instruction against
// qemu-riscv32 on thousands of operands; tests/fuzz/ runs random programs.)
import assert from "node:assert/strict";
import { cpuExec } from "../../exec.ts";
import { GuestFault } from "../../fault.ts";
import { Machine } from "../../machine.ts";
import { BACKENDS } from "../../dispatch.ts";
import { expandCompressed } from "./rvc.ts";

const R = (
  f7: number,
  rs2: number,
  rs1: number,
  f3: number,
  rd: number,
  op: number,
) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const S = (imm: number, rs2: number, rs1: number, f3: number, op: number) =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) |
    ((imm & 31) << 7) | op) >>> 0;
const OP_FP = 0x53, LOAD_FP = 0x07, STORE_FP = 0x27, SYSTEM = 0x73;
const fp = (
  f5: number,
  fmt: number,
  rd: number,
  rs1: number,
  rs2: number,
  rm: number,
) => R((f5 << 2) | fmt, rs2, rs1, rm, rd, OP_FP);
const FADD = 0x00, FSGNJ = 0x04, FCLASS_FMVXW = 0x1c, FMVWX = 0x1e;
const csrrwi = (rd: number, csr: number, uimm: number) =>
  I(csr, uimm, 5, rd, SYSTEM);
const csrrw = (rd: number, csr: number, rs1: number) =>
  I(csr, rs1, 1, rd, SYSTEM);
const csrrs = (rd: number, csr: number, rs1: number) =>
  I(csr, rs1, 2, rd, SYSTEM);
const ECALL = 0x73;
const BASE = 0x10000, DATA = 0x20000;

function machine(words: number[], backend: typeof BACKENDS[number]) {
  const m = new Machine({ memSize: 1 << 20, backend });
  [...words, ECALL].forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
  m.cpu.x[10] = DATA;
  m.cpu.pc = BASE;
  return m;
}
function run(
  words: number[],
  backend: typeof BACKENDS[number],
  setup?: (m: Machine) => void,
) {
  const m = machine(words, backend);
  setup?.(m);
  assert.equal(cpuExec(m, () => true), "exit");
  return m;
}
const hex = (v: number) => (v >>> 0).toString(16).padStart(8, "0");
/** Float register r as "hi:lo" hex. */
const freg = (m: Machine, r: number) =>
  `${hex(m.cpu.fw[2 * r + 1])}:${hex(m.cpu.fw[2 * r])}`;

for (const backend of BACKENDS) {
  Deno.test(`${backend}: a single read from a register without a NaN box is the canonical NaN`, () => {
    const m = run(
      [
        I(0, 10, 3, 1, LOAD_FP), // fld f1, 0(a0): the double 1.0 (no box)
        fp(FADD, 0, 2, 1, 1, 0), // fadd.s f2, f1, f1
        fp(FCLASS_FMVXW, 0, 5, 1, 0, 1), // fclass.s t0, f1
        fp(FCLASS_FMVXW, 0, 6, 1, 0, 0), // fmv.x.w t1, f1: the raw low word
        fp(FSGNJ, 0, 3, 4, 1, 1), // fsgnjn.s f3, f4, f1 (f4 boxed -2.5)
        S(8, 1, 10, 2, STORE_FP), // fsw f1, 8(a0): the raw low word
      ],
      backend,
      (m) => {
        m.cpu.m32[DATA >> 2] = 0;
        m.cpu.m32[(DATA >> 2) + 1] = 0x3ff00000;
        m.cpu.m32[(DATA >> 2) + 2] = -1;
        m.cpu.fw[8] = 0xc0200000 | 0; // f4 = -2.5, boxed
        m.cpu.fw[9] = -1;
      },
    );
    assert.equal(freg(m, 2), "ffffffff:7fc00000");
    assert.equal(m.cpu.x[5], 0x200, "quiet NaN class");
    assert.equal(m.cpu.x[6], 0);
    // sign of f1's canonical NaN is +, so fsgnjn gives a negative magnitude 2.5
    assert.equal(freg(m, 3), "ffffffff:c0200000");
    assert.equal(m.cpu.m32[(DATA >> 2) + 2], 0);
    assert.equal(m.cpu.fflags, 0, "a quiet NaN raises nothing");
  });

  Deno.test(`${backend}: moves, loads and stores keep signalling NaN payloads bit for bit`, () => {
    const m = run(
      [
        fp(FMVWX, 0, 1, 5, 0, 0), // fmv.w.x f1, t0
        fp(FCLASS_FMVXW, 0, 6, 1, 0, 0), // fmv.x.w t1, f1
        I(0, 10, 3, 2, LOAD_FP), // fld f2, 0(a0)
        S(8, 2, 10, 3, STORE_FP), // fsd f2, 8(a0)
        fp(FSGNJ, 1, 3, 2, 2, 0), // fmv.d f3, f2
        fp(FSGNJ, 1, 4, 2, 2, 1), // fneg.d f4, f2
        I(20, 10, 2, 7, LOAD_FP), // flw f7, 20(a0): misaligned for a double, fine for a word
        fp(FCLASS_FMVXW, 0, 7, 1, 0, 1), // fclass.s t2, f1
      ],
      backend,
      (m) => {
        m.cpu.x[5] = 0x7f800001;
        m.cpu.m32[DATA >> 2] = 0x00000001;
        m.cpu.m32[(DATA >> 2) + 1] = 0x7ff00000; // a signalling double NaN
        m.cpu.m32[(DATA >> 2) + 5] = 0x12345678;
      },
    );
    assert.equal(freg(m, 1), "ffffffff:7f800001");
    assert.equal(m.cpu.x[6], 0x7f800001);
    assert.equal(freg(m, 2), "7ff00000:00000001");
    assert.deepEqual([m.cpu.m32[(DATA >> 2) + 2], m.cpu.m32[(DATA >> 2) + 3]], [
      1,
      0x7ff00000,
    ]);
    assert.equal(freg(m, 3), "7ff00000:00000001");
    assert.equal(freg(m, 4), "fff00000:00000001");
    assert.equal(freg(m, 7), "ffffffff:12345678");
    assert.equal(m.cpu.x[7], 0x100, "signalling NaN class");
    assert.equal(m.cpu.fflags, 0);
  });

  Deno.test(`${backend}: fflags, frm and fcsr through the CSR instructions`, () => {
    const m = run(
      [
        csrrwi(0, 2, 3), // frm = RUP
        I(0, 10, 3, 1, LOAD_FP), // fld f1 = 1.0
        I(8, 10, 3, 2, LOAD_FP), // fld f2 = 2^-60
        fp(FADD, 1, 3, 1, 2, 7), // fadd.d f3, f1, f2, dyn (RUP): 1 + 2^-52, NX
        fp(FADD, 1, 4, 1, 2, 0), // fadd.d f4, f1, f2, rne: 1, NX
        csrrs(5, 3, 0), // t0 = fcsr
        csrrw(6, 1, 7), // t1 = fflags; fflags = t2 (0xff: only 5 bits kept)
        csrrs(28, 3, 0), // t3 = fcsr
        csrrwi(29, 3, 0), // t4 = fcsr; fcsr = 0
        csrrs(30, 2, 0), // t5 = frm
      ],
      backend,
      (m) => {
        m.cpu.m32[(DATA >> 2) + 1] = 0x3ff00000;
        m.cpu.m32[(DATA >> 2) + 3] = 0x3c300000;
        m.cpu.x[7] = 0xff;
      },
    );
    assert.equal(freg(m, 3), "3ff00000:00000001");
    assert.equal(freg(m, 4), "3ff00000:00000000");
    assert.equal(m.cpu.x[5], (3 << 5) | 1);
    assert.equal(m.cpu.x[6], 1);
    assert.equal(m.cpu.x[28], (3 << 5) | 31);
    assert.equal(m.cpu.x[29], (3 << 5) | 31);
    assert.equal(m.cpu.x[30], 0);
    assert.equal(m.cpu.fflags, 0);
  });

  Deno.test(`${backend}: rounding modes 5 and 6 are illegal, and so is a dynamic one while frm is 5..7`, () => {
    for (
      const [words, at] of [
        [[fp(FADD, 0, 1, 1, 1, 5)], BASE], // static rm 5
        [[fp(FADD, 1, 1, 1, 1, 6)], BASE], // static rm 6
        // frm = 7, then a static rm runs and a dynamic one traps
        [
          [csrrwi(0, 2, 7), fp(FADD, 0, 1, 1, 1, 1), fp(FADD, 0, 1, 1, 1, 7)],
          BASE + 8,
        ],
        // frm = 5 through fcsr; fcvt.d.s is exact, but its dynamic rm counts
        [
          [I(0xa0, 0, 0, 5, 0x13), csrrw(0, 3, 5), R(0x21, 0, 1, 7, 1, OP_FP)],
          BASE + 8,
        ],
      ] as const
    ) {
      const m = machine([...words], backend);
      assert.throws(() => cpuExec(m, () => true), (e: unknown) => {
        assert.ok(e instanceof GuestFault, String(e));
        assert.equal(e.kind, "illegal instruction");
        assert.equal(e.pc, at);
        assert.equal(e.addr, words[(at - BASE) >> 2]);
        assert.equal(e.exitCode, 132);
        return true;
      });
    }
  });

  Deno.test(`${backend}: reserved FP encodings are illegal`, () => {
    for (
      const word of [
        fp(FADD, 2, 1, 1, 1, 0), // fmt H
        fp(FADD, 3, 1, 1, 1, 0), // fmt Q
        fp(0x0b, 0, 1, 1, 1, 0), // fsqrt.s with rs2 = 1
        fp(FSGNJ, 0, 1, 1, 1, 3), // fsgnj funct3 3
        fp(0x05, 1, 1, 1, 1, 2), // fmin/fmax funct3 2
        fp(0x14, 0, 1, 1, 1, 3), // compare funct3 3
        fp(0x18, 0, 1, 1, 2, 0), // fcvt.w.s with rs2 = 2
        fp(0x08, 0, 1, 1, 0, 0), // fcvt.s.s
        fp(FCLASS_FMVXW, 1, 1, 1, 0, 0), // fmv.x.d (RV64 only)
        fp(FMVWX, 1, 1, 1, 0, 0), // fmv.d.x (RV64 only)
        I(0, 10, 1, 1, LOAD_FP), // flh (Zfh)
        S(0, 1, 10, 4, STORE_FP), // fsq
        R(0x02, 1, 1, 0, 1, 0x43), // fmadd with fmt H
      ]
    ) {
      const m = machine([word], backend);
      assert.throws(() => cpuExec(m, () => true), (e: unknown) => {
        assert.ok(
          e instanceof GuestFault && e.kind === "illegal instruction",
          hex(word),
        );
        assert.equal(e.addr, word);
        return true;
      });
    }
  });

  Deno.test(`${backend}: conversions write integer registers, and x0 stays 0 while the flags still rise`, () => {
    const m = run(
      [
        I(0, 10, 3, 1, LOAD_FP), // fld f1 = 2.5
        R(0x61, 0, 1, 0, 5, OP_FP), // fcvt.w.d t0, f1, rne: 2, NX
        R(0x61, 0, 1, 4, 6, OP_FP), // fcvt.w.d t1, f1, rmm: 3
        R(0x61, 1, 1, 1, 0, OP_FP), // fcvt.wu.d x0, f1, rtz
        R(0x69, 0, 7, 0, 2, OP_FP), // fcvt.d.w f2, t2
        R(0x68, 1, 7, 1, 3, OP_FP), // fcvt.s.wu f3, t2, rtz
      ],
      backend,
      (m) => {
        m.cpu.m32[(DATA >> 2) + 1] = 0x40040000;
        m.cpu.x[7] = -1;
      },
    );
    assert.deepEqual([m.cpu.x[5], m.cpu.x[6], m.cpu.x[0]], [2, 3, 0]);
    assert.equal(freg(m, 2), "bff00000:00000000");
    assert.equal(freg(m, 3), "ffffffff:4f7fffff");
    assert.equal(m.cpu.fflags, 1);
  });
}

Deno.test("compressed float loads and stores expand to flw, fsw, fld and fsd", () => {
  // encodings checked with riscv64-unknown-elf-as -march=rv32imafdc
  const cases: [number, number, string][] = [
    [0x2004, I(0, 8, 3, 9, LOAD_FP), "c.fld fs1, 0(s0)"],
    [0x3c24, I(120, 8, 3, 9, LOAD_FP), "c.fld fs1, 120(s0)"],
    [0x6004, I(0, 8, 2, 9, LOAD_FP), "c.flw fs1, 0(s0)"],
    [0x7c64, I(124, 8, 2, 9, LOAD_FP), "c.flw fs1, 124(s0)"],
    [0xa004, S(0, 9, 8, 3, STORE_FP), "c.fsd fs1, 0(s0)"],
    [0xe004, S(0, 9, 8, 2, STORE_FP), "c.fsw fs1, 0(s0)"],
    [0x2522, I(8, 2, 3, 10, LOAD_FP), "c.fldsp fa0, 8(sp)"],
    [0x3ffe, I(504, 2, 3, 31, LOAD_FP), "c.fldsp ft11, 504(sp)"],
    [0x6002, I(0, 2, 2, 0, LOAD_FP), "c.flwsp ft0, 0(sp)"],
    [0x7ffe, I(252, 2, 2, 31, LOAD_FP), "c.flwsp ft11, 252(sp)"],
    [0xa42a, S(8, 10, 2, 3, STORE_FP), "c.fsdsp fa0, 8(sp)"],
    [0xbffe, S(504, 31, 2, 3, STORE_FP), "c.fsdsp ft11, 504(sp)"],
    [0xe02a, S(0, 10, 2, 2, STORE_FP), "c.fswsp fa0, 0(sp)"],
    [0xfffe, S(252, 31, 2, 2, STORE_FP), "c.fswsp ft11, 252(sp)"],
  ];
  for (const [h, w, what] of cases) {
    assert.equal(hex(expandCompressed(h)), hex(w), what);
  }
});
