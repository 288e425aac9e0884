import assert from "node:assert/strict";
import { cpuExec } from "../exec.ts";
import { Machine } from "../machine.ts";
import { JitCompiler } from "./jit_compile.ts";
import { encodeModule, I32, Op } from "./wasm_encode.ts";

/** Reads an unsigned LEB128 at `at`: [value, next offset]. */
function uleb(b: Uint8Array, at: number): [number, number] {
  let v = 0, shift = 0;
  for (;;) {
    const x = b[at++];
    v += (x & 0x7f) * 2 ** shift;
    shift += 7;
    if ((x & 0x80) === 0) return [v, at];
  }
}

/** The module's sections in order: id, custom name, payload offsets. */
function sections(b: Uint8Array) {
  const out: { id: number; name?: string; start: number; end: number }[] = [];
  let at = 8;
  while (at < b.length) {
    const id = b[at];
    const [size, p] = uleb(b, at + 1);
    const end = p + size;
    if (id === 0) {
      const [n, q] = uleb(b, p);
      out.push({
        id,
        name: new TextDecoder().decode(b.subarray(q, q + n)),
        start: q + n,
        end,
      });
    } else out.push({ id, start: p, end });
    at = end;
  }
  return out;
}

/** The hints of a one-function module: [function index, [offset, value][]], and the function body's bytes. */
function hintsOf(b: Uint8Array) {
  const ss = sections(b);
  const hs = ss.findIndex((s) => s.name === "metadata.code.branch_hint");
  const cs = ss.findIndex((s) => s.id === 10);
  assert.ok(hs >= 0, "no branch-hint section");
  assert.ok(hs < cs, "the branch-hint section must precede the code section");
  let at = ss[hs].start;
  let n: number, fidx: number, count: number;
  [n, at] = uleb(b, at);
  assert.equal(n, 1);
  [fidx, at] = uleb(b, at);
  [count, at] = uleb(b, at);
  const hints: [number, number][] = [];
  for (let k = 0; k < count; k++) {
    let off: number, size: number;
    [off, at] = uleb(b, at);
    [size, at] = uleb(b, at);
    assert.equal(size, 1);
    hints.push([off, b[at++]]);
  }
  assert.equal(at, ss[hs].end);
  // The code section: one body, its offsets counted from after its size.
  let p = ss[cs].start;
  [n, p] = uleb(b, p);
  assert.equal(n, 1);
  let size: number;
  [size, p] = uleb(b, p);
  return { fidx, hints, body: b.subarray(p, p + size) };
}

Deno.test("wasm_encode: branch hints go before the code, at their ifs' offsets in the body", () => {
  // (i32) -> i32: if (p0) { 1 } else { 2 }, hinted likely.
  const body = [
    Op.local_get,
    0,
    Op.if,
    I32,
    Op.i32_const,
    1,
    Op.else,
    Op.i32_const,
    2,
    Op.end,
  ];
  const bytes = encodeModule({
    types: [{ params: [I32], results: [I32] }, { params: [], results: [] }],
    funcs: [{ name: "h", type: 1 }],
    memPages: 1,
    tableMin: null,
    locals: [I32, I32],
    body: new Uint8Array(body),
    hints: [[2, 1]],
  });
  assert.ok(WebAssembly.validate(bytes));
  const { fidx, hints, body: fn } = hintsOf(bytes);
  // The function follows its one import.
  assert.equal(fidx, 1);
  assert.deepEqual(hints.map(([, v]) => v), [1]);
  assert.equal(fn[hints[0][0]], Op.if);
  // Without hints, no section.
  const plain = encodeModule({
    types: [{ params: [I32], results: [I32] }],
    funcs: [],
    memPages: 1,
    tableMin: null,
    locals: [],
    body: new Uint8Array(body),
  });
  assert.ok(
    !sections(plain).some((s) => s.name === "metadata.code.branch_hint"),
  );
  const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
    e: { mem: new WebAssembly.Memory({ initial: 1, maximum: 1 }), h() {} },
  });
  const f = inst.exports.f as (x: number) => number;
  assert.equal(f(1), 1);
  assert.equal(f(0), 2);
});

const I = (imm: number, rs1: number, f3: number, rd: number, op: number) =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | op) >>> 0;
const R = (f7: number, rs2: number, rs1: number, f3: number, rd: number) =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | 0x33) >>>
  0;
const B = (imm: number, rs2: number, rs1: number, f3: number) =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (rs2 << 20) |
    (rs1 << 15) | (f3 << 12) | (((imm >> 1) & 0xf) << 8) |
    (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
const BASE = 0x10000;

Deno.test("jit: a load's slow path and the budget's exit are hinted unlikely in compiled regions", () => {
  // t0 = 100; t3 = BASE; loop: t2 = [t3]; t1 += t2; t0 -= 1; bnez t0; ecall.
  const words = [
    I(100, 0, 0, 5, 0x13),
    ((BASE >>> 12) << 12 | (28 << 7) | 0x37) >>> 0,
    I(0, 28, 2, 7, 0x03),
    R(0, 7, 6, 0, 6),
    I(-1, 5, 0, 5, 0x13),
    B(-12, 0, 5, 1),
    0x73,
  ];
  const m = new Machine({
    memSize: 1 << 20,
    backend: "jit",
    jit: { hotAfter: 10 },
  });
  words.forEach((w, k) => (m.cpu.m32[(BASE >> 2) + k] = w));
  m.cpu.pc = BASE;
  const modules: Uint8Array[] = [];
  const orig = JitCompiler.prototype.compile;
  JitCompiler.prototype.compile = function (...args) {
    const r = orig.apply(this, args);
    if (r !== null) modules.push(r.bytes);
    return r;
  };
  try {
    cpuExec(m, () => true);
  } finally {
    JitCompiler.prototype.compile = orig;
  }
  // The loop ran compiled, with the interpreter's sum.
  assert.ok(modules.length > 0);
  assert.equal(m.cpu.x[6], Math.imul(words[0] | 0, 100));
  for (const bytes of modules) {
    const { hints, body } = hintsOf(bytes);
    for (const [off] of hints) assert.equal(body[off], Op.if);
    // The word load's check keeps the load on the likely side; the
    // budget's exit is unlikely.
    assert.ok(hints.some(([, v]) => v === 1));
    assert.ok(hints.some(([, v]) => v === 0));
  }
});
