/**
 * Fuzzing oplet's inputs for robustness: the ELF loader with random and
 * mutated files, and the decoder, translator, execution loop and system
 * calls with random instruction words. Whatever the input, the emulator
 * must answer with a result, an `ElfError` (one line, naming the file and
 * an offset) or a `GuestFault`: never another exception, never a hang.
 *
 * @module
 */

import { ok } from "node:assert/strict";
import {
  CapturedIo,
  cpuExec,
  disassemble,
  ElfError,
  GuestFault,
  LinuxProcess,
  loadElf,
  Machine,
  MEM_LOW,
  parseElf,
  RiscvCpu,
  runElf,
} from "@oplet/emu";
import { wordsToBytes, writeElf } from "./elf_write.ts";
import { Prng } from "./prng.ts";
import { DATA_ADDR, randomProgram } from "./random_program.ts";
import {
  auipc,
  branch,
  BRANCH_OPS,
  ebreak,
  ecall,
  fence,
  fenceI,
  I_ALU_OPS,
  iAlu,
  jal,
  jalr,
  load,
  LOAD_OPS,
  lui,
  OPCODE,
  R_OPS,
  rType,
  SHIFT_OPS,
  shiftImm,
  store,
  STORE_OPS,
} from "./rv_encode.ts";

const MEM = 16 * 1024 * 1024;
const STACK = 1024 * 1024;

/** A valid ELF to mutate: a random program, or a small one with odd segment sizes. */
function validElf(r: Prng): Uint8Array {
  if (r.chance(0.5)) return randomProgram(r.u32()).elf;
  const text = wordsToBytes(
    Array.from({ length: r.int(1, 40) }, () => r.u32()),
  );
  const data = new Uint8Array(r.int(0, 5000)).map(() => r.int(0, 255));
  return writeElf({ text, data, bssSize: r.int(0, 9000) });
}

const HUGE = [
  0,
  1,
  0x7fffffff,
  0x80000000,
  0xffffffff,
  0xfffff000,
  0x1000,
  0xfff,
  MEM,
  MEM - 4,
];

/** Mutates an ELF: truncation, bit flips in the headers, huge fields, random bytes. */
function mutate(r: Prng, elf: Uint8Array): Uint8Array {
  const b = elf.slice();
  const v = new DataView(b.buffer);
  const headers = Math.min(b.length, 52 + 32 * 2);
  for (let n = r.int(1, 4); n > 0; n--) {
    switch (r.int(0, 5)) {
      case 0: // truncate
        return b.subarray(
          0,
          r.chance(0.5) ? r.int(0, headers + 8) : r.int(0, b.length),
        );
      case 1: // flip bits in the headers
        b[r.int(0, headers - 1)] ^= 1 << r.int(0, 7);
        break;
      case 2: { // a huge or edge value in a 32-bit header field (entry, phoff, p_* fields)
        const fields = [
          24,
          28,
          32,
          ...[0, 4, 8, 12, 16, 20, 24, 28].flatMap((f) => [52 + f, 84 + f]),
        ];
        const at = r.pick(fields);
        if (at + 4 <= b.length) {
          v.setUint32(at, r.chance(0.7) ? r.pick(HUGE) : r.u32(), true);
        }
        break;
      }
      case 3: { // a 16-bit field: type, machine, phentsize, phnum
        const at = r.pick([16, 18, 42, 44]);
        v.setUint16(
          at,
          r.pick([0, 1, 2, 3, 32, 243, 0xffff, r.int(0, 0xffff)]),
          true,
        );
        break;
      }
      case 4: // an interpreter or other segment type
        if (b.length >= 84) {
          v.setUint32(
            r.pick([52, 84]),
            r.pick([0, 2, 3, 4, 6, 0x6474e551, r.u32()]),
            true,
          );
        }
        break;
      default: // random bytes anywhere
        for (let k = r.int(1, 16); k > 0; k--) {
          b[r.int(0, b.length - 1)] = r.int(0, 255);
        }
    }
  }
  return b;
}

/** Loads (and, if it loads, runs briefly) one file; returns the error message or "". */
async function tryElf(bytes: Uint8Array, name: string): Promise<string> {
  try {
    const info = parseElf(bytes, name, 243);
    loadElf(new RiscvCpu(MEM), bytes, info, name, [name], [], {
      memLow: MEM_LOW,
      stackSize: STACK,
    });
    const io = new CapturedIo();
    await runElf(bytes, { argv: [name], io, memSize: MEM, maxInsns: 5000 });
    return "";
  } catch (e) {
    if (!(e instanceof ElfError)) {
      throw new Error(
        `${name}: expected an ElfError, got ${
          e instanceof Error ? e.stack : String(e)
        }`,
      );
    }
    ok(
      !e.message.includes("\n"),
      `${name}: ElfError message is not one line: ${e.message}`,
    );
    ok(
      e.message.startsWith(`${name}: `),
      `${name}: ElfError does not name the file: ${e.message}`,
    );
    return e.message;
  }
}

Deno.test("inputs fuzz: the ELF loader answers random and mutated files with a result or an ElfError", async () => {
  const r = new Prng(0xe1f);
  let rejected = 0, loaded = 0;
  for (let n = 0; n < 1000; n++) {
    let bytes: Uint8Array;
    const kind = r.int(0, 9);
    if (kind === 0) {
      bytes = new Uint8Array(r.int(0, 300)).map(() => r.int(0, 255));
      if (r.chance(0.5) && bytes.length >= 4) {
        bytes.set([0x7f, 0x45, 0x4c, 0x46, 1, 1].slice(0, bytes.length));
      }
    } else {
      bytes = mutate(r, validElf(r));
    }
    const msg = await tryElf(bytes, `fuzz${n}.elf`);
    if (msg === "") loaded++;
    else rejected++;
  }
  ok(
    rejected > 100 && loaded > 100,
    `expected both outcomes, got ${loaded} loaded, ${rejected} rejected`,
  );
});

Deno.test({
  name:
    'BUG inputs fuzz: every ElfError names an offset (loadElf\'s "segment at ... lies outside guest memory" has none)',
  ignore: true,
  async fn() {
    const r = new Prng(0xe1f0);
    for (let n = 0; n < 1000; n++) {
      const msg = await tryElf(mutate(r, validElf(r)), `fuzz${n}.elf`);
      ok(msg === "" || /offset 0x[0-9a-f]+/.test(msg), msg);
    }
  },
});

/**
 * Random instruction words: raw, near-valid (a real opcode, random fields),
 * valid RV32IM, two random compressed halfwords, random A-extension and
 * Zicsr words.
 */
function randomWord(r: Prng): number {
  const k = r.int(0, 25);
  if (k >= 20) {
    if (k < 23) {
      // two halfwords that are compressed instructions (low bits not 11)
      return ((r.u32() & ~0x00030003) | r.int(0, 2) | (r.int(0, 2) << 16)) >>>
        0;
    }
    if (k < 25) {
      const f3 = r.chance(0.8) ? 0x2000 : r.u32() & 0x7000;
      return ((r.u32() & ~0x707f) | f3 | 0x2f) >>> 0; // AMO
    }
    const csr = r.chance(0.7)
      ? r.pick([0xc00, 0xc01, 0xc02, 0xc80, 0xc81, 0xc82])
      : r.int(0, 0xfff);
    return ((csr << 20) | (r.u32() & 0xff000) | (r.int(0, 31) << 7) | 0x73) >>>
      0;
  }
  if (k === 0) return r.u32();
  if (k === 1) {
    return r.pick([
      0,
      0xffffffff,
      0x00000073,
      0x00100073,
      0x0000100f,
      0x8000000f,
    ]);
  }
  if (k < 6) {
    const op = r.pick(Object.values(OPCODE));
    let w = (r.u32() & ~0x7f) | op;
    if (r.chance(0.5)) w = (w & 0x01ffffff) | (r.pick([0, 1, 0x20]) << 25); // a funct7 that may decode
    return w >>> 0;
  }
  const reg = () => r.int(0, 31);
  switch (r.int(0, 9)) {
    case 0:
    case 1:
      return rType(r.key(R_OPS), reg(), reg(), reg());
    case 2:
      return iAlu(r.key(I_ALU_OPS), reg(), reg(), r.int(-2048, 2047));
    case 3:
      return shiftImm(r.key(SHIFT_OPS), reg(), reg(), r.int(0, 31));
    case 4:
      return load(r.key(LOAD_OPS), reg(), reg(), r.int(-2048, 2047));
    case 5:
      return store(r.key(STORE_OPS), reg(), reg(), r.int(-2048, 2047));
    case 6:
      return branch(r.key(BRANCH_OPS), reg(), reg(), 2 * r.int(-8, 40));
    case 7:
      return r.chance(0.5)
        ? jal(reg(), 2 * r.int(-8, 40))
        : jalr(reg(), reg(), r.int(-64, 64));
    case 8:
      return r.chance(0.5)
        ? lui(reg(), r.int(0, 0xfffff))
        : auipc(reg(), r.int(0, 0xfffff));
    default:
      return r.chance(0.8) ? ecall() : r.pick([ebreak(), fence(), fenceI()]);
  }
}

Deno.test("inputs fuzz: random instruction words give a result or a GuestFault, never an exception or a hang", () => {
  const r = new Prng(0xdec0de);
  const TEXT = 0x10000, WORDS = 16;
  let faults = 0, exits = 0, limits = 0, runs = 0, insns = 0;
  for (let batch = 0; batch < 40; batch++) {
    const m = new Machine({
      memSize: MEM,
      backend: r.pick(["switch", "call", "paste"] as const),
    });
    for (let n = 0; n < 100; n++, runs++) {
      const words = Array.from({ length: WORDS }, () => randomWord(r));
      for (const w of words) disassemble(w, TEXT); // must not throw either
      m.cpu.m32.set(words, TEXT >>> 2);
      m.cpu.m32[(TEXT >>> 2) + WORDS] = 0; // then an illegal word, should control fall through
      m.tbFlush();
      for (let k = 1; k < 32; k++) {
        m.cpu.x[k] = r.chance(0.2)
          ? r.edgy()
          : r.chance(0.8)
          ? DATA_ADDR + r.int(-4096, 4096)
          : TEXT + 4 * r.int(0, WORDS);
      }
      m.cpu.x[2] = MEM - 4096;
      m.cpu.x[17] = r.chance(0.5)
        ? r.int(0, 300)
        : r.pick([63, 64, 66, 56, 80, 214, 278, 403, 93]);
      m.cpu.pc = TEXT;
      m.insnLimit = m.stats.insns + 2000;
      insns -= m.stats.insns;
      const proc = new LinuxProcess(new CapturedIo(), 0x200000, MEM - STACK);
      const label = `batch ${batch} run ${n}: words ${
        words.map((w) => w.toString(16).padStart(8, "0")).join(" ")
      }`;
      try {
        const st = cpuExec(m, proc.syscall);
        if (st === "limit") limits++;
        else if (st === "exit") exits++;
        else {throw new Error(
            `${label}: cpuExec returned "${st}" without a profile`,
          );}
      } catch (e) {
        if (!(e instanceof GuestFault)) {
          throw new Error(
            `${label}: expected a GuestFault, got ${
              e instanceof Error ? e.stack : String(e)
            }`,
          );
        }
        faults++;
      }
      insns += m.stats.insns;
    }
  }
  ok(
    faults > 0 && exits + limits > 0 && insns > 10 * runs,
    `${runs} runs: ${faults} faults, ${exits} exits, ${limits} limits, ${insns} instructions`,
  );
});
