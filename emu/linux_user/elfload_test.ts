import assert from "node:assert/strict";
import { ElfError, loadElf, parseElf, readElfSymbols } from "./elfload.ts";
import { MEM_LOW, RiscvCpu } from "../targets/riscv32/cpu.ts";
import {
  elfFlagsProblem,
  EXTENSIONS,
  ISA_NAME,
  rv64Problem,
} from "../targets/riscv32/isa.ts";

const LAYOUT = { memLow: MEM_LOW };

/** A minimal static RV32 executable: one PT_LOAD at 0x10000 holding `code`. */
function tinyElf(
  code: number[] = [0x00000073],
  edit?: (v: DataView) => void,
): Uint8Array {
  const b = new Uint8Array(52 + 32 + code.length * 4);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
  v.setUint16(16, 2, true); // ET_EXEC
  v.setUint16(18, 243, true); // EM_RISCV
  v.setUint32(20, 1, true);
  v.setUint32(24, 0x10054, true); // entry
  v.setUint32(28, 52, true); // phoff
  v.setUint16(40, 52, true);
  v.setUint16(42, 32, true);
  v.setUint16(44, 1, true);
  v.setUint32(52, 1, true); // PT_LOAD
  v.setUint32(56, 0, true);
  v.setUint32(60, 0x10000, true);
  v.setUint32(68, b.length, true);
  v.setUint32(72, b.length + 100, true);
  v.setUint32(76, 5, true);
  code.forEach((w, k) => v.setUint32(84 + 4 * k, w, true));
  edit?.(v);
  return b;
}

const MACHINE = 243;

Deno.test("parseElf accepts a minimal static executable", () => {
  const info = parseElf(tinyElf(), "ok.elf", MACHINE);
  assert.equal(info.entry, 0x10054);
  assert.equal(info.segments.length, 1);
  assert.equal(info.segments[0].memsz - info.segments[0].filesz, 100);
});

Deno.test("parseElf names the file, the offset and what was expected", () => {
  const cases: [string, Uint8Array, RegExp][] = [
    [
      "empty",
      new Uint8Array(0),
      /^e\.elf: offset 0x0: expected an ELF header of 52 bytes, found a file of 0$/,
    ],
    [
      "magic",
      tinyElf(undefined, (v) => v.setUint8(1, 0x46)),
      /offset 0x0: expected the ELF magic/,
    ],
    [
      "class",
      tinyElf(undefined, (v) => v.setUint8(4, 2)),
      /offset 0x4: expected ELF class 1 \(32-bit\), found 2/,
    ],
    [
      "endian",
      tinyElf(undefined, (v) => v.setUint8(5, 2)),
      /offset 0x5: expected data encoding 1/,
    ],
    [
      "type",
      tinyElf(undefined, (v) => v.setUint16(16, 3, true)),
      /offset 0x10: expected type 2 \(ET_EXEC.*found 3/,
    ],
    [
      "machine",
      tinyElf(undefined, (v) => v.setUint16(18, 62, true)),
      /offset 0x12: expected machine 243, found 62/,
    ],
    [
      "phnum",
      tinyElf(undefined, (v) => v.setUint16(44, 0, true)),
      /offset 0x2c: expected at least one program header/,
    ],
    [
      "phoff",
      tinyElf(undefined, (v) => v.setUint32(28, 0xffff, true)),
      /offset 0x1c: program headers at 0xffff run past/,
    ],
    [
      "filesz",
      tinyElf(undefined, (v) => v.setUint32(72, 1, true)),
      /offset 0x44: segment file size \d+ exceeds its memory size 1/,
    ],
    [
      "offset",
      tinyElf(undefined, (v) => v.setUint32(56, 0x1000, true)),
      /offset 0x38: segment data 0x1000\+\d+ runs past the end/,
    ],
    [
      "interp",
      tinyElf(undefined, (v) => v.setUint32(52, 3, true)),
      /offset 0x34: expected a static executable, found a PT_INTERP/,
    ],
    [
      "noload",
      tinyElf(undefined, (v) => v.setUint32(52, 4, true)),
      /offset 0x34: expected a PT_LOAD segment, found none/,
    ],
  ];
  for (const [what, bytes, re] of cases) {
    assert.throws(() => parseElf(bytes, "e.elf", MACHINE), (e: unknown) => {
      assert.ok(e instanceof ElfError, what);
      assert.match(e.message, re, what);
      assert.ok(e.message.startsWith("e.elf: "), what);
      assert.ok(!e.message.includes("\n"), what);
      return true;
    });
  }
});

Deno.test("loadElf refuses segments and entry points outside guest memory", () => {
  const cpu = new RiscvCpu(1 << 24);
  const low = tinyElf(undefined, (v) => v.setUint32(60, 0x100, true));
  assert.throws(
    () =>
      loadElf(
        cpu,
        low,
        parseElf(low, "low.elf", MACHINE),
        "low.elf",
        ["low"],
        [],
        LAYOUT,
      ),
    /low\.elf: offset 0x34: segment at 0x100 .* outside guest memory/,
  );
  const entry = tinyElf(undefined, (v) => v.setUint32(24, 0x10, true));
  assert.throws(
    () =>
      loadElf(
        cpu,
        entry,
        parseElf(entry, "en.elf", MACHINE),
        "en.elf",
        ["en"],
        [],
        LAYOUT,
      ),
    /en\.elf: offset 0x18: entry point 0x10 is outside/,
  );
});

Deno.test("loadElf zeroes bss and builds the Linux initial stack", () => {
  const cpu = new RiscvCpu(1 << 24);
  cpu.mu8.fill(0xaa);
  const bytes = tinyElf([0x11111111, 0x22222222]);
  const img = loadElf(
    cpu,
    bytes,
    parseElf(bytes, "x.elf", MACHINE),
    "x.elf",
    [
      "prog",
      "héllo",
      "",
    ],
    ["A=1"],
    LAYOUT,
  );
  assert.equal(cpu.m32[(0x10000 + 84) >> 2], 0x11111111);
  assert.equal(cpu.mu8[0x10000 + bytes.length], 0, "bss zeroed");
  assert.equal(cpu.mu8[0x10000 + bytes.length + 99], 0, "bss zeroed to memsz");
  assert.equal(img.brk % 4096, 0);
  assert.ok(img.brk >= 0x10000 + bytes.length + 100);
  assert.equal(img.sp % 16, 0, "sp is 16-byte aligned");
  const w = (a: number) => cpu.m32[a >>> 2] >>> 0;
  const str = (a: number) => {
    let e = a;
    while (cpu.mu8[e]) e++;
    return new TextDecoder().decode(cpu.mu8.subarray(a, e));
  };
  assert.equal(w(img.sp), 3, "argc");
  assert.deepEqual([1, 2, 3].map((k) => str(w(img.sp + 4 * k))), [
    "prog",
    "héllo",
    "",
  ]);
  assert.equal(w(img.sp + 16), 0, "argv ends with NULL");
  // Linux lays the strings out contiguously, argv then envp, in order.
  assert.equal(w(img.sp + 8), w(img.sp + 4) + "prog".length + 1);
  assert.equal(
    w(img.sp + 12),
    w(img.sp + 8) + new TextEncoder().encode("héllo").length + 1,
  );
  assert.equal(w(img.sp + 20), w(img.sp + 12) + 1);
  assert.equal(str(w(img.sp + 20)), "A=1");
  assert.equal(w(img.sp + 24), 0, "envp ends with NULL");
  const aux = new Map<number, number>();
  for (let p = img.sp + 28; w(p) !== 0; p += 8) aux.set(w(p), w(p + 4));
  assert.equal(aux.get(6), 4096, "AT_PAGESZ");
  assert.equal(aux.get(9), 0x10054, "AT_ENTRY");
  assert.equal(aux.get(5), 1, "AT_PHNUM");
  assert.equal(aux.get(3), 0x10000 + 52, "AT_PHDR");
  assert.ok((aux.get(25) ?? 0) > img.sp, "AT_RANDOM points into the stack");
});

Deno.test("readElfSymbols returns nothing for a file without a symbol table", () => {
  assert.deepEqual(readElfSymbols(tinyElf()), []);
  assert.deepEqual(readElfSymbols(new Uint8Array(3)), []);
});

Deno.test("e_flags: RVC and soft float run; RVE, float ABIs without F/D and RV64 are refused in one line", () => {
  const checks = { flags: elfFlagsProblem, elf64: rv64Problem() };
  const flags = (f: number) =>
    tinyElf(undefined, (v) => v.setUint32(36, f, true));
  for (const ok of [0x0, 0x1, 0x10, 0x11]) {
    assert.equal(parseElf(flags(ok), "p.elf", MACHINE, checks).entry, 0x10054);
  }
  const abi = EXTENSIONS.d ? [] : [
    [
      0x5,
      "p.elf: built for the ilp32d ABI (double-precision float registers, e_flags 0x5); this emulator runs ilp32 programs (RV32IMAC)",
    ],
  ];
  if (!EXTENSIONS.f) {
    abi.push([
      0x3,
      "p.elf: built for the ilp32f ABI (single-precision float registers, e_flags 0x3); this emulator runs ilp32 programs (RV32IMAC)",
    ]);
  }
  const cases: [Uint8Array, string][] = [
    ...abi.map(([f, m]) =>
      [flags(f as number), m as string] as [
        Uint8Array,
        string,
      ]
    ),
    [
      flags(0x6),
      `p.elf: built for the ilp32q ABI (quad-precision float registers, e_flags 0x6); this emulator runs ${
        EXTENSIONS.d ? "ilp32, ilp32f and ilp32d" : "ilp32"
      } programs (${ISA_NAME})`,
    ],
    [
      flags(0x9),
      `p.elf: built for RV32E (EF_RISCV_RVE, 16 registers, e_flags 0x9); this emulator runs RV32I programs (${ISA_NAME})`,
    ],
    [
      tinyElf(undefined, (v) => v.setUint8(4, 2)),
      `p.elf: built for RV64 (ELFCLASS64); this emulator runs RV32 programs (${ISA_NAME})`,
    ],
  ];
  for (const [bytes, message] of cases) {
    assert.throws(
      () => parseElf(bytes, "p.elf", MACHINE, checks),
      (e: unknown) => e instanceof ElfError && e.message === message,
      message,
    );
  }
  // Without checks, a 64-bit file gets the plain header error.
  assert.throws(
    () =>
      parseElf(tinyElf(undefined, (v) => v.setUint8(4, 2)), "p.elf", MACHINE),
    /offset 0x4: expected ELF class 1/,
  );
});

Deno.test("the ISA name follows the extensions", () => {
  assert.equal(
    ISA_NAME,
    `RV32IMA${EXTENSIONS.f ? "F" : ""}${EXTENSIONS.d ? "D" : ""}C`,
  );
});
