import assert from "node:assert/strict";
import * as rv from "./rv_encode.ts";
import { expandCompressed } from "@oplet/emu";
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { Prng } from "./prng.ts";
import {
  auipc,
  branch,
  BRANCH_OPS,
  ebreak,
  ecall,
  fence,
  fenceI,
  hiLo,
  I_ALU_OPS,
  iAlu,
  jal,
  jalr,
  li,
  load,
  LOAD_OPS,
  lui,
  R_OPS,
  rType,
  SHIFT_OPS,
  shiftImm,
  store,
  STORE_OPS,
} from "./rv_encode.ts";

const OBJDUMP = "riscv64-unknown-elf-objdump";
const VMA = 0x200000;

function hasObjdump(): boolean {
  try {
    return new Deno.Command(OBJDUMP, {
      args: ["--version"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
}

const x = (r: number) => `x${r}`;
const hex = (n: number) => "0x" + (n >>> 0).toString(16);
const FENCE_SET = (m: number) =>
  ["i", "o", "r", "w"].filter((_, k) => m & (8 >> k)).join("");

/** Random instructions with the text objdump (no-aliases, numeric) gives for each. */
function cases(seed: number, perOp: number): { word: number; text: string }[] {
  const r = new Prng(seed);
  const out: { word: number; text: string }[] = [];
  const pc = () => VMA + 4 * out.length;
  const reg = () => r.int(0, 31);
  for (let n = 0; n < perOp; n++) {
    for (const op of Object.keys(R_OPS) as (keyof typeof R_OPS)[]) {
      const [d, a, b] = [reg(), reg(), reg()];
      out.push({
        word: rType(op, d, a, b),
        text: `${op} ${x(d)},${x(a)},${x(b)}`,
      });
    }
    for (const op of Object.keys(I_ALU_OPS) as (keyof typeof I_ALU_OPS)[]) {
      const [d, a, i] = [
        reg(),
        reg(),
        r.pick([-2048, 2047, 0, r.int(-2048, 2047)]),
      ];
      out.push({ word: iAlu(op, d, a, i), text: `${op} ${x(d)},${x(a)},${i}` });
    }
    for (const op of Object.keys(SHIFT_OPS) as (keyof typeof SHIFT_OPS)[]) {
      const [d, a, s] = [reg(), reg(), r.int(0, 31)];
      out.push({
        word: shiftImm(op, d, a, s),
        text: `${op} ${x(d)},${x(a)},${hex(s)}`,
      });
    }
    for (const op of Object.keys(LOAD_OPS) as (keyof typeof LOAD_OPS)[]) {
      const [d, a, i] = [reg(), reg(), r.int(-2048, 2047)];
      out.push({
        word: load(op, d, a, i),
        text: `${op} ${x(d)},${i}(${x(a)})`,
      });
    }
    for (const op of Object.keys(STORE_OPS) as (keyof typeof STORE_OPS)[]) {
      const [b, a, i] = [
        reg(),
        reg(),
        r.pick([-2048, 2047, r.int(-2048, 2047)]),
      ];
      out.push({
        word: store(op, b, a, i),
        text: `${op} ${x(b)},${i}(${x(a)})`,
      });
    }
    for (const op of Object.keys(BRANCH_OPS) as (keyof typeof BRANCH_OPS)[]) {
      const [a, b, o] = [
        reg(),
        reg(),
        2 * r.pick([-2048, 2047, r.int(-2048, 2047)]),
      ];
      out.push({
        word: branch(op, a, b, o),
        text: `${op} ${x(a)},${x(b)},${hex(pc() + o)}`,
      });
    }
    const u = r.pick([0, 0xfffff, r.int(0, 0xfffff)]);
    const d = reg();
    out.push({ word: lui(d, u), text: `lui ${x(d)},${hex(u)}` });
    out.push({ word: auipc(d, u), text: `auipc ${x(d)},${hex(u)}` });
    const j = 2 * r.pick([-0x80000, 0x7ffff, r.int(-0x80000, 0x7ffff)]);
    out.push({ word: jal(d, j), text: `jal ${x(d)},${hex(pc() + j)}` });
    const [a, i] = [reg(), r.int(-2048, 2047)];
    out.push({ word: jalr(d, a, i), text: `jalr ${x(d)},${i}(${x(a)})` });
    const [p, s] = [r.int(1, 15), r.int(1, 15)];
    out.push({
      word: fence(p, s),
      text: `fence ${FENCE_SET(p)},${FENCE_SET(s)}`,
    });
  }
  out.push({ word: fenceI(), text: "fence.i" });
  out.push({ word: ecall(), text: "ecall" });
  out.push({ word: ebreak(), text: "ebreak" });
  return out;
}

Deno.test({
  name: "rv_encode: every RV32IM instruction matches objdump's disassembly",
  ignore: !hasObjdump() &&
    (console.warn(
      `skipping the encoder test: ${OBJDUMP} is not installed or --allow-run is not granted`,
    ),
      true),
  fn() {
    const all = cases(1234, 20);
    const dir = Deno.makeTempDirSync({ prefix: "oplet_rv_encode_" });
    try {
      const file = join(dir, "insns.bin");
      const bytes = new Uint8Array(4 * all.length);
      const v = new DataView(bytes.buffer);
      all.forEach((c, k) => v.setUint32(4 * k, c.word, true));
      Deno.writeFileSync(file, bytes);
      const out = new Deno.Command(OBJDUMP, {
        args: [
          "-D",
          "-b",
          "binary",
          "-m",
          "riscv:rv32",
          "-M",
          "no-aliases,numeric",
          `--adjust-vma=${hex(VMA)}`,
          file,
        ],
      }).outputSync();
      strictEqual(out.success, true, new TextDecoder().decode(out.stderr));
      const got: string[] = [];
      for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
        const m = /^\s*[0-9a-f]+:\s+([0-9a-f]{8})\s+(.*)$/.exec(line);
        if (m) {
          got.push(
            `${m[1]} ${m[2].replace(/\s*#.*$/, "").trim().replace(/\s+/, " ")}`,
          );
        }
      }
      const want = all.map((c) =>
        `${c.word.toString(16).padStart(8, "0")} ${c.text}`
      );
      deepStrictEqual(got, want);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
});

Deno.test("rv_encode: li and hiLo rebuild every value", () => {
  const r = new Prng(7);
  for (let n = 0; n < 2000; n++) {
    const v = r.edgy();
    const [hi, lo] = hiLo(v);
    strictEqual(((hi << 12) + lo) | 0, v);
    const words = li(5, v);
    let acc = 0;
    for (const w of words) {
      if ((w & 0x7f) === 0x37) acc = w & 0xfffff000;
      else acc = (((w >>> 15) & 31 ? acc : 0) + (w >> 20)) | 0;
    }
    strictEqual(acc, v);
  }
});

Deno.test("compressed encoders give what GNU as gives, and expand to their 32-bit forms", () => {
  // from riscv64-unknown-elf-as -march=rv32imac, objdump -M no-aliases
  const cases: [number, number][] = [
    [rv.cAddi(10, -32), 0x1501],
    [rv.cLi(15, 31), 0x47fd],
    [rv.cLui(9, -31), 0x7485],
    [rv.cAddi16sp(-512), 0x7101],
    [rv.cAddi16sp(496), 0x617d],
    [rv.cAddi4spn(12, 1020), 0x1ff0],
    [rv.cSlli(31, 31), 0x0ffe],
    [rv.cShiftAndi("c.srli", 8, 17), 0x8045],
    [rv.cShiftAndi("c.srai", 15, 1), 0x8785],
    [rv.cShiftAndi("c.andi", 13, -17), 0x9abd],
    [rv.cAlu("c.sub", 8, 15), 0x8c1d],
    [rv.cAlu("c.xor", 10, 11), 0x8d2d],
    [rv.cAlu("c.or", 9, 12), 0x8cd1],
    [rv.cAlu("c.and", 14, 13), 0x8f75],
    [rv.cMv(5, 31), 0x82fe],
    [rv.cAdd(1, 27), 0x90ee],
    [rv.cJr(6), 0x8302],
    [rv.cJalr(10), 0x9502],
    [rv.cLw(10, 8, 124), 0x5c68],
    [rv.cSw(15, 11, 64), 0xc1bc],
    [rv.cLwsp(1, 252), 0x50fe],
    [rv.cSwsp(27, 132), 0xc36e],
    [rv.cJ(2046), 0xaffd],
    [rv.cJal(-2048), 0x3001],
    [rv.cBranch("c.beqz", 8, 254), 0xcc7d],
    [rv.cBranch("c.bnez", 15, -256), 0xf381],
    [rv.cEbreak(), 0x9002],
  ];
  cases.forEach(([got, want], k) =>
    assert.equal(got.toString(16), want.toString(16), `case ${k}`)
  );
  const expands: [number, number][] = [
    [rv.cAddi(10, -32), rv.iAlu("addi", 10, 10, -32)],
    [rv.cLi(15, 31), rv.iAlu("addi", 15, 0, 31)],
    [rv.cLui(9, -31), rv.lui(9, 0xfffe1)],
    [rv.cAddi16sp(-512), rv.iAlu("addi", 2, 2, -512)],
    [rv.cAddi4spn(12, 1020), rv.iAlu("addi", 12, 2, 1020)],
    [rv.cSlli(31, 31), rv.shiftImm("slli", 31, 31, 31)],
    [rv.cShiftAndi("c.srai", 15, 1), rv.shiftImm("srai", 15, 15, 1)],
    [rv.cShiftAndi("c.andi", 13, -17), rv.iAlu("andi", 13, 13, -17)],
    [rv.cAlu("c.sub", 8, 15), rv.rType("sub", 8, 8, 15)],
    [rv.cAdd(1, 27), rv.rType("add", 1, 1, 27)],
    [rv.cMv(5, 31), rv.rType("add", 5, 0, 31)],
    [rv.cJr(6), rv.jalr(0, 6, 0)],
    [rv.cJalr(10), rv.jalr(1, 10, 0)],
    [rv.cLw(10, 8, 124), rv.load("lw", 10, 8, 124)],
    [rv.cSw(15, 11, 64), rv.store("sw", 15, 11, 64)],
    [rv.cLwsp(1, 252), rv.load("lw", 1, 2, 252)],
    [rv.cSwsp(27, 132), rv.store("sw", 27, 2, 132)],
    [rv.cJ(2046), rv.jal(0, 2046)],
    [rv.cJal(-2048), rv.jal(1, -2048)],
    [rv.cBranch("c.beqz", 8, 254), rv.branch("beq", 8, 0, 254)],
    [rv.cBranch("c.bnez", 15, -256), rv.branch("bne", 15, 0, -256)],
    [rv.cEbreak(), rv.ebreak()],
  ];
  expands.forEach(([h, w], k) =>
    assert.equal(
      expandCompressed(h).toString(16),
      w.toString(16),
      `expansion ${k}`,
    )
  );
  assert.throws(() => rv.cLw(7, 8, 0), /x8\.\.x15/);
  assert.throws(() => rv.cAddi16sp(0), /reserved/);
  assert.throws(() => rv.cBranch("c.beqz", 8, 256), /9 signed bits/);
});

Deno.test("atomic and CSR encoders give what GNU as gives", () => {
  // from riscv64-unknown-elf-as -march=rv32imac_zicsr
  assert.equal(rv.lrW(10, 11).toString(16), "1005a52f");
  assert.equal(rv.scW(10, 11, 12, 1, 1).toString(16), "1ec5a52f");
  assert.equal(rv.amo("amomaxu.w", 5, 6, 7, 1, 0).toString(16), "e47322af");
  assert.equal(rv.amo("amoswap.w", 0, 10, 11).toString(16), "8b5202f");
  assert.equal(rv.csr("csrrs", 10, 0xc02, 0).toString(16), "c0202573");
  assert.equal(rv.csr("csrrci", 10, 0xc81, 3).toString(16), "c811f573");
});
