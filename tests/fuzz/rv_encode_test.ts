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
