// Edge cases of RV32C, A, the counter CSRs and Zifencei, run directly on a
// Machine on every backend (unfused and with the default fused set). What
// qemu-riscv32 does for each was checked with hand-made ELFs; the guests
// rvc_atomic and smc and the fuzzer compare with it live.
import assert from "node:assert/strict";
import {
  BACKENDS,
  cpuExec,
  DEFAULT_FUSED,
  disassemble,
  disassembleCompressed,
  expandCompressed,
  GuestFault,
  loadFusedSet,
  Machine,
  OP_HELPERS,
  type RiscvCpu,
  runElf,
} from "@oplet/emu";
import * as rv from "./fuzz/rv_encode.ts";
import { CapturedIo, elfPath, expected } from "./guest_io.ts";

const BASE = 0x10000;
const DATA = 0x20000;
const A0 = 10, A1 = 11, A2 = 12, S0 = 8, T0 = 5, T1 = 6, RA = 1;
const fused = loadFusedSet<RiscvCpu>(
  DEFAULT_FUSED.opSeq,
  DEFAULT_FUSED.translateSeq,
  OP_HELPERS,
  "default",
);
const CONFIGS = [
  ...BACKENDS.map((backend) => ({ backend, fused: null })),
  ...BACKENDS.map((backend) => ({ backend, fused })),
];

type Piece = number | ["h", number];

/** Little-endian bytes of 32-bit words and ["h", halfword] pieces. */
function code(pieces: Piece[]): Uint8Array {
  const out: number[] = [];
  for (const p of pieces) {
    const [v, n] = typeof p === "number" ? [p, 4] : [p[1], 2];
    for (let k = 0; k < n; k++) out.push((v >>> (8 * k)) & 255);
  }
  return new Uint8Array(out);
}

/** A machine with `pieces` at BASE and registers preset. */
function machine(
  pieces: Piece[],
  cfg: (typeof CONFIGS)[number],
  regs: Record<number, number> = {},
  log?: (l: string) => void,
): Machine {
  const m = new Machine({
    memSize: 1 << 20,
    backend: cfg.backend,
    fused: cfg.fused,
    log: log ? { inAsm: true, write: log } : undefined,
  });
  m.cpu.mu8.set(code(pieces), BASE);
  for (const [r, v] of Object.entries(regs)) m.cpu.x[Number(r)] = v;
  m.cpu.pc = BASE;
  return m;
}

/** Runs until the first ecall; returns the machine. */
function run(
  pieces: Piece[],
  cfg: (typeof CONFIGS)[number],
  regs: Record<number, number> = {},
): Machine {
  const m = machine([...pieces, rv.ecall()], cfg, regs);
  assert.equal(cpuExec(m, () => true), "exit");
  return m;
}

/** Runs expecting a fault; returns it. */
function fault(
  pieces: Piece[],
  cfg: (typeof CONFIGS)[number],
  regs: Record<number, number> = {},
  setup?: (m: Machine) => void,
): GuestFault {
  const m = machine([...pieces, rv.ecall()], cfg, regs);
  setup?.(m);
  try {
    cpuExec(m, () => true);
  } catch (e) {
    if (e instanceof GuestFault) return e;
    throw e;
  }
  throw new Error("no fault");
}

const h = (v: number): ["h", number] => ["h", v];

for (const cfg of CONFIGS) {
  const name = `${cfg.backend}${cfg.fused ? " fused" : ""}`;

  Deno.test(`${name}: a block mixes 16- and 32-bit instructions; links are pc+2 after compressed calls`, () => {
    const m = run([
      h(rv.cLi(A0, 5)), // 0x10000
      rv.iAlu("addi", A0, A0, 100), // 0x10002: 32-bit at a 2-aligned pc
      h(rv.cSlli(A0, 2)), // 0x10006
      h(rv.cJal(4)), // 0x10008 -> 0x1000c, ra = 0x1000a
      h(rv.cJ(8)), // 0x1000a -> 0x10012
      h(rv.cMv(A1, RA)), // 0x1000c
      rv.jalr(0, RA, 0), // 0x1000e: back to 0x1000a
      h(rv.cAddi(A0, -1)), // 0x10012
    ], cfg);
    assert.equal(m.cpu.x[A0], 420 - 1);
    assert.equal(m.cpu.x[A1], BASE + 0xa);
    assert.equal(m.stats.insns, 9);
  });

  Deno.test(`${name}: c.jalr links pc+2 and reads its target first; c.jr through ra`, () => {
    const m = run([
      rv.auipc(RA, 0), // 0x10000: ra = 0x10000
      h(rv.cAddi(RA, 12)), // 0x10004: ra = 0x1000c
      h(rv.cJalr(RA)), // 0x10006 -> 0x1000c, ra = 0x10008
      h(rv.cJ(6)), // 0x10008 -> 0x1000e (the ecall)
      h(rv.cNop()), // 0x1000a: skipped
      h(rv.cJr(RA)), // 0x1000c -> 0x10008
    ], cfg);
    assert.equal(m.cpu.x[RA], BASE + 8);
    assert.equal(m.cpu.pc, BASE + 0xe);
    assert.equal(m.stats.insns, 6);
  });

  Deno.test(`${name}: jumps to a 2-aligned pc inside a 32-bit word run the halfword there`, () => {
    // jal +6 lands on the upper half of addi a0, a0, 80 (0x05050513):
    // 0x0505 is c.addi a0, 1.
    const m = run([rv.jal(0, 6), 0x05050513], cfg, {
      [A0]: 1,
    });
    assert.equal(m.cpu.x[A0], 2);
  });

  Deno.test(`${name}: a 32-bit instruction whose second half is not mapped faults at its pc`, () => {
    const m = machine([], cfg);
    const end = m.cpu.memSize;
    m.cpu.mu16[(end - 2) >>> 1] = 0x0513; // first half of addi a0, a0, ...
    m.cpu.pc = end - 2;
    assert.throws(() => cpuExec(m, () => true), (e: unknown) => {
      assert.ok(e instanceof GuestFault);
      assert.equal(e.exitCode, 139);
      assert.equal(e.pc, end - 2);
      assert.equal(e.addr, end);
      return true;
    });
  });

  // (the compressed FP loads and stores run since F and D landed: fpu_test.ts)
  Deno.test(`${name}: reserved compressed encodings are illegal, shown as 16 bits`, () => {
    for (
      const w of [
        0x0000,
        0x8002,
        0x9001,
        0x6081,
      ]
    ) {
      const e = fault([h(rv.cNop()), h(w)], cfg);
      assert.equal(e.kind, "illegal instruction");
      assert.equal(e.exitCode, 132);
      assert.equal(e.pc, BASE + 2);
      assert.equal(
        e.message(),
        `oplet-emu: illegal instruction 0x${
          w.toString(16).padStart(4, "0")
        } at pc 0x00010002`,
      );
    }
    const e = fault([h(rv.cEbreak())], cfg);
    assert.equal(e.exitCode, 133);
  });

  Deno.test(`${name}: every amo*.w returns the old word and stores the result`, () => {
    const cases: [rv.AmoOp, number, number, number][] = [
      ["amoswap.w", 5, -1, -1],
      ["amoadd.w", 0x7fffffff, 1, -0x80000000],
      ["amoxor.w", 0xff00, 0x0ff0, 0xf0f0],
      ["amoand.w", 0xff00, 0x0ff0, 0x0f00],
      ["amoor.w", 0xff00, 0x0ff0, 0xfff0],
      ["amomin.w", -1, 1, -1],
      ["amomax.w", -1, 1, 1],
      ["amominu.w", -1, 1, 1],
      ["amomaxu.w", -1, 1, -1],
      ["amomin.w", -0x80000000, 0x7fffffff, -0x80000000],
      ["amomaxu.w", -0x80000000, 0x7fffffff, -0x80000000],
    ];
    for (const [op, mem, v, want] of cases) {
      const m = machine([rv.amo(op, A0, T0, T1, 1, 1), rv.ecall()], cfg, {
        [T0]: DATA,
        [T1]: v,
      });
      m.cpu.m32[DATA >> 2] = mem;
      cpuExec(m, () => true);
      assert.equal(m.cpu.x[A0], mem | 0, `${op} old`);
      assert.equal(m.cpu.m32[DATA >> 2], want | 0, `${op} new`);
    }
  });

  Deno.test(`${name}: lr.w/sc.w follow qemu-riscv32's single-hart rules`, () => {
    const m = run(
      [
        rv.scW(A0, T0, T1), // no reservation: fails
        rv.lrW(A1, T0),
        rv.store("sw", A1, T0, 0), // the same value again
        rv.scW(A2, T0, T1), // succeeds: address and value match
        rv.scW(S0, T0, T1), // the reservation is gone
      ],
      cfg,
      { [T0]: DATA, [T1]: 77 },
    );
    assert.deepEqual([m.cpu.x[A0], m.cpu.x[A2], m.cpu.x[S0]], [1, 0, 1]);
    assert.equal(m.cpu.m32[DATA >> 2], 77);
    const n = run(
      [
        rv.store("sw", T1, T0, 0),
        rv.lrW(A1, T0),
        rv.store("sw", 0, T0, 0), // another value: sc fails, memory untouched
        rv.scW(A2, T0, T1),
        rv.iAlu("addi", T0, T0, 2),
        rv.scW(A0, T0, T1), // misaligned, unreserved: fails without faulting
      ],
      cfg,
      { [T0]: DATA, [T1]: 77 },
    );
    assert.deepEqual([n.cpu.x[A2], n.cpu.x[A0]], [1, 1]);
    assert.equal(n.cpu.m32[DATA >> 2], 0);
  });

  Deno.test(`${name}: misaligned atomics die of SIGBUS, atomics on read-only memory of SIGSEGV`, () => {
    for (const insn of [rv.lrW(A0, T0), rv.amo("amoadd.w", A0, T0, T1)]) {
      for (const addr of [DATA + 1, DATA + 2, 0x3, 0xfff00002]) {
        const e = fault([insn], cfg, { [T0]: addr });
        assert.equal(e.exitCode, 135, `${addr.toString(16)}`);
        assert.equal(e.kind, "bus error");
      }
    }
    const ro = (m: Machine) => m.cpu.protectBelow(DATA);
    const e = fault([rv.amo("amoswap.w", A0, T0, T1)], cfg, { [T0]: BASE }, ro);
    assert.equal(e.exitCode, 139);
    const s = fault([rv.lrW(A0, T0), rv.scW(A0, T0, T1)], cfg, {
      [T0]: DATA - 8,
    }, ro);
    assert.equal(s.exitCode, 139);
    assert.equal(s.pc, BASE + 4, "the lr.w from read-only memory works");
  });

  Deno.test(`${name}: instret counts the instructions retired before the read, exactly`, () => {
    const READ = rv.csr("csrrs", A0, 0xc02, 0);
    // a loop of 10 iterations of 2 instructions, then the read
    const loop = run([
      rv.iAlu("addi", A1, 0, 10), // 1
      rv.iAlu("addi", A1, A1, -1), // 0x10004
      rv.branch("bne", A1, 0, -4), // 0x10008
      READ, // after 1 + 20 instructions
      rv.csr("csrrc", A2, 0xc82, 0), // instreth
      rv.csr("csrrsi", S0, 0xc00, 0), // cycle: the same count here
    ], cfg);
    assert.equal(loop.cpu.x[A0], 21);
    assert.equal(loop.cpu.x[A2], 0);
    assert.equal(loop.cpu.x[S0], 23);
    // across a system call: the ecall retires too
    const m2 = machine([
      rv.ecall(),
      h(rv.cNop()),
      READ,
      rv.ecall(),
    ], cfg);
    let calls = 0;
    cpuExec(m2, () => ++calls === 2);
    assert.equal(m2.cpu.x[A0], 2);
    // time advances and its halves read
    const t = run([
      rv.csr("csrrs", A0, 0xc01, 0),
      rv.csr("csrrs", A1, 0xc81, 0),
    ], cfg);
    assert.ok(t.cpu.x[A0] !== 0 || t.cpu.x[A1] !== 0);
  });

  Deno.test(`${name}: writes to counters and any other CSR are illegal`, () => {
    const cases = [
      rv.csr("csrrw", A0, 0xc00, 0),
      rv.csr("csrrw", 0, 0xc02, 0),
      rv.csr("csrrs", A0, 0xc01, T0), // t0 holds 1: a write
      rv.csr("csrrc", A0, 0xc82, T0),
      rv.csr("csrrwi", A0, 0xc00, 0),
      rv.csr("csrrsi", A0, 0xc02, 1),
      rv.csr("csrrs", A0, 0xc03, 0), // hpmcounter3
      rv.csr("csrrs", A0, 0x300, 0), // mstatus
      rv.csr("csrrs", A0, 0xf14, 0), // mhartid
    ];
    for (const w of cases) {
      const e = fault([w], cfg, { [T0]: 1 });
      assert.equal(e.kind, "illegal instruction", w.toString(16));
      assert.equal(e.addr, w);
    }
    // csrrs/csrrc with a mask register holding 0 write nothing: a read, as
    // qemu-riscv32 decides it at run time (with a fuzzer-found seed).
    const m = run(
      [
        rv.csr("csrrs", A0, 0xc02, T0),
        rv.csr("csrrc", A1, 0xc82, T0),
        rv.csr("csrrs", 0, 0xc00, T0),
        rv.csr("csrrc", A2, 0xc02, T0),
      ],
      cfg,
      { [T0]: 0 },
    );
    assert.deepEqual([m.cpu.x[A0], m.cpu.x[A1], m.cpu.x[A2]], [0, 0, 3]);
    const e = fault([rv.csr("csrrc", A0, 0xc00, T0)], cfg, { [T0]: -1 });
    assert.equal(e.exitCode, 132);
    assert.equal(e.pc, BASE);
  });

  Deno.test(`${name}: after fence.i, rewritten code runs as written`, () => {
    // main: call DATA twice, rewriting it in between; fence.i each time
    const addi = (k: number) => rv.iAlu("addi", A0, A0, k);
    const m = machine(
      [
        rv.lui(T0, DATA >>> 12),
        rv.jalr(RA, T0, 0), // a0 += 1
        rv.jalr(RA, T0, 0), // a0 += 1 (hot: translated once)
        rv.store("sw", T1, T0, 0), // rewrite to a0 += 100
        rv.fenceI(),
        rv.jalr(RA, T0, 0),
        rv.store("sw", A2, T0, 0), // rewrite to c.addi a0, 3; c.nop
        rv.fenceI(),
        rv.jalr(RA, T0, 0),
        rv.ecall(),
      ],
      cfg,
      { [T1]: addi(100), [A2]: (0x0001 << 16) | rv.cAddi(A0, 3) },
    );
    m.cpu.m32[DATA >> 2] = addi(1);
    m.cpu.m32[(DATA >> 2) + 1] = rv.jalr(0, RA, 0);
    cpuExec(m, () => true);
    assert.equal(m.cpu.x[A0], 1 + 1 + 100 + 3);
    assert.ok(m.stats.tbs > 4, "blocks were translated again");
  });

  Deno.test(`${name}: counters and fence.i end the block; the instruction count stays exact`, () => {
    const m = run([
      rv.fenceI(),
      rv.fenceI(),
      rv.csr("csrrs", A0, 0xc02, 0),
    ], cfg);
    assert.equal(m.cpu.x[A0], 2);
    assert.equal(m.stats.insns, 4);
  });
}

Deno.test("--log in_asm shows compressed instructions as such, with 4 hex digits", () => {
  const lines: string[] = [];
  const m = machine(
    [
      h(rv.cAddi(A0, 1)),
      rv.iAlu("addi", A0, A0, 1),
      h(rv.cLw(A0, S0, 4)),
      rv.amo("amoadd.w", A0, T0, T1, 1, 0),
      rv.csr("csrrs", A0, 0xc02, 0),
      rv.ecall(),
    ],
    CONFIGS[0],
    { [S0]: DATA, [T0]: DATA },
    (l) => lines.push(l),
  );
  cpuExec(m, () => true);
  const text = lines.join("\n");
  assert.match(text, /^0x00010000: {2}0505 {6}c\.addi a0, 1$/m);
  assert.match(text, /^0x00010002: {2}00150513 {2}addi a0, a0, 1$/m);
  assert.match(text, /^0x00010006: {2}4048 {6}c\.lw a0, 4\(s0\)$/m);
  assert.match(
    text,
    /^0x00010008: {2}[0-9a-f]{8} {2}amoadd\.w\.aq a0, t1, \(t0\)$/m,
  );
  assert.match(text, /csrrs a0, instret, zero$/m);
});

Deno.test("the disassembler names every compressed instruction by its compressed mnemonic", () => {
  const cases: [number, string][] = [
    [rv.cAddi4spn(A0, 16), "c.addi4spn a0, sp, 16"],
    [rv.cLw(A0, S0, 124), "c.lw a0, 124(s0)"],
    [rv.cSw(A1, S0, 8), "c.sw a1, 8(s0)"],
    [rv.cNop(), "c.nop"],
    [rv.cAddi(A0, -32), "c.addi a0, -32"],
    [rv.cJal(-2), "c.jal 0xfffe"],
    [rv.cLi(A0, 31), "c.li a0, 31"],
    [rv.cAddi16sp(-64), "c.addi16sp sp, -64"],
    [rv.cLui(A0, -1), "c.lui a0, 0xfffff"],
    [rv.cShiftAndi("c.srli", A0, 3), "c.srli a0, 3"],
    [rv.cShiftAndi("c.srai", A0, 31), "c.srai a0, 31"],
    [rv.cShiftAndi("c.andi", A0, -2), "c.andi a0, -2"],
    [rv.cAlu("c.sub", A0, A1), "c.sub a0, a1"],
    [rv.cAlu("c.and", A0, A1), "c.and a0, a1"],
    [rv.cJ(8), "c.j 0x10008"],
    [rv.cBranch("c.beqz", S0, -4), "c.beqz s0, 0xfffc"],
    [rv.cSlli(T0, 1), "c.slli t0, 1"],
    [rv.cLwsp(RA, 12), "c.lwsp ra, 12(sp)"],
    [rv.cJr(RA), "c.jr ra"],
    [rv.cMv(A0, A1), "c.mv a0, a1"],
    [rv.cEbreak(), "c.ebreak"],
    [rv.cJalr(T0), "c.jalr t0"],
    [rv.cAdd(A0, A1), "c.add a0, a1"],
    [rv.cAdd(0, A1), "c.add zero, a1"],
    [rv.cMv(0, A1), "c.mv zero, a1"],
    [rv.cSwsp(RA, 252), "c.swsp ra, 252(sp)"],
    [0x6000, "c.flw fs0, 0(s0)"],
  ];
  for (const [w, want] of cases) {
    assert.equal(disassemble(w, BASE), want);
  }
});

for (const guest of ["smc", "rvc_atomic"]) {
  for (const cfg of CONFIGS) {
    Deno.test(
      `guest ${guest} on ${cfg.backend}${
        cfg.fused ? " fused" : ""
      } prints what qemu-riscv32 printed`,
      async () => {
        const want = expected(guest);
        const io = new CapturedIo(new Uint8Array(0));
        const r = await runElf(Deno.readFileSync(elfPath(guest)), {
          argv: [elfPath(guest)],
          io,
          backend: cfg.backend,
          fused: cfg.fused,
        });
        assert.equal(r.exitCode, want.exitCode);
        assert.deepEqual(io.stdoutBytes, want.stdout);
      },
    );
  }
}

const OBJDUMP = "riscv64-unknown-elf-objdump";

/** Whether GNU objdump for RISC-V can be run. */
function hasObjdump(): boolean {
  try {
    return new Deno.Command(OBJDUMP, { args: ["--version"], stdout: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

Deno.test({
  name:
    "every compressed halfword decodes and disassembles as GNU objdump has it, but for qemu-riscv32's departures",
  ignore: !hasObjdump(),
  fn() {
    const halves: number[] = [];
    for (let h = 0; h < 0x10000; h++) if ((h & 3) !== 3) halves.push(h);
    const dir = Deno.makeTempDirSync({ prefix: "oplet_rvc_" });
    let out;
    try {
      const file = `${dir}/all.bin`;
      const b = new Uint8Array(2 * halves.length);
      halves.forEach((h, k) => (b[2 * k] = h & 255, b[2 * k + 1] = h >> 8));
      Deno.writeFileSync(file, b);
      out = new Deno.Command(OBJDUMP, {
        args: [
          "-D",
          "-b",
          "binary",
          "-m",
          "riscv:rv32",
          "-M",
          "no-aliases",
          file,
        ],
      }).outputSync();
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    // Numbers in decimal, no spaces; objdump's forms of the shift hints.
    const norm = (t: string) =>
      t.replace(/#.*/, "").replace(/\s+/g, "").replace(
        /0x[0-9a-f]+/g,
        (x) => String(Number(x)),
      )
        .replace(/^c\.(s[lr][la]i)64(\w+)$/, "c.$1$2,0")
        .replace(/^c\.addizero,0$/, "c.nop");
    let compared = 0;
    const departures = new Map<string, number>();
    for (const line of new TextDecoder().decode(out.stdout).split("\n")) {
      const m = /^\s*([0-9a-f]+):\s+([0-9a-f]{4})\s+(\S+)\s*(.*)$/.exec(line);
      if (!m) continue;
      const pc = parseInt(m[1], 16), h = parseInt(m[2], 16);
      const theirs = /^(\.2byte|\.insn|c\.unimp)/.test(m[3])
        ? null
        : norm(`${m[3]} ${m[4]}`);
      const ours = expandCompressed(h) === 0
        ? null
        : norm(disassembleCompressed(h, pc));
      compared++;
      if (theirs === ours) continue;
      // Where we and objdump part, it is qemu-riscv32's decoder we follow
      // (each checked with a hand-made ELF): shifts by 32..63 and
      // c.addi16sp 0 are illegal there. The float loads and stores agree
      // with objdump since F and D run.
      const why = ours !== null
        ? `${m[2]}: objdump has no instruction, oplet ${ours}`
        : /^c\.s[lr][la]i$/.test(m[3]) &&
            /,(3[2-9]|[4-5]\d|6[0-3])$/.test(theirs!)
        ? "shift >= 32"
        : m[2] === "6101"
        ? "c.addi16sp 0"
        : `${m[2]}: objdump ${theirs}, oplet ${ours}`;
      departures.set(why, (departures.get(why) ?? 0) + 1);
    }
    assert.equal(compared, 49152);
    assert.deepEqual(
      Object.fromEntries(departures),
      { "shift >= 32": 1536, "c.addi16sp 0": 1 },
    );
  },
});
