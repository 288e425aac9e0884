/**
 * The default guest memory gives a heap as large as qemu-riscv32's: its
 * stack's top is at 0x40800000 and `brk` grows up to 0x40000000, so a static
 * program can `malloc` 1023 MiB there. With the former 256 MiB default, a
 * program that allocated more than 247 MiB (Lua's `string.rep("x", 300 MiB)`)
 * ran out of memory in oplet only.
 *
 * @module
 */

import { strictEqual } from "node:assert/strict";
import { join } from "node:path";
import { CapturedIo, DEFAULT_MEM_SIZE, runElf } from "@oplet/emu";
import { hasQemu, runQemu } from "./fuzz/differential.ts";
import { wordsToBytes, writeElf } from "./fuzz/elf_write.ts";
import * as rv from "./fuzz/rv_encode.ts";

/**
 * A guest that asks `brk` for `grow` bytes more than its first break, writes
 * the new break's last byte and reads it back, and exits 42 when all went
 * well, 7 when `brk` refused, 8 when the byte did not read back.
 */
function brkGuest(grow: number): Uint8Array {
  const exit = (
    code: number,
  ) => [...rv.li(10, code), ...rv.li(17, 93), rv.ecall()];
  const text = wordsToBytes([
    ...rv.li(17, 214), // brk(0)
    ...rv.li(10, 0),
    rv.ecall(),
    rv.iAlu("addi", 8, 10, 0), // s0 = first break
    ...rv.li(5, grow),
    rv.rType("add", 9, 8, 5), // s1 = s0 + grow
    rv.iAlu("addi", 10, 9, 0),
    rv.ecall(), // brk(s1)
    rv.branch("beq", 10, 9, 4 * 4), // refused: exit 7
    ...exit(7), // 3 words
    ...rv.li(6, 0x5a),
    rv.store("sb", 6, 9, -1),
    rv.load("lbu", 7, 9, -1),
    rv.branch("beq", 6, 7, 4 * 4),
    ...exit(8),
    ...exit(42),
  ]);
  return writeElf({ text });
}

const GROWS: [string, number][] = [
  ["300 MiB", 300 << 20],
  ["1000 MiB", 1000 << 20],
];

/** qemu-riscv32's exit code for `elf`, or null without qemu-riscv32. */
async function qemuExit(elf: Uint8Array): Promise<number | null> {
  if (!hasQemu()) return null;
  const dir = await Deno.makeTempDir({ prefix: "oplet_heap_" });
  try {
    const path = join(dir, "brk.elf");
    await Deno.writeFile(path, elf, { mode: 0o755 });
    return (await runQemu(path, 20_000, dir)).exitCode;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const [name, grow] of GROWS) {
  Deno.test(`brk grows the heap by ${name} under the default guest memory, as under qemu-riscv32`, async () => {
    const elf = brkGuest(grow);
    const io = new CapturedIo();
    const r = await runElf(elf, { argv: ["brk"], io });
    strictEqual(r.exitCode, 42, io.stderrText);
    strictEqual(r.machine.cpu.memSize, DEFAULT_MEM_SIZE);
    const q = await qemuExit(elf);
    if (q !== null) strictEqual(q, 42, "qemu-riscv32");
  });
}

Deno.test("brk refuses a heap past qemu-riscv32's limit (0x40000000) under the default guest memory", async () => {
  const elf = brkGuest(1040 << 20);
  const r = await runElf(elf, { argv: ["brk"], io: new CapturedIo() });
  strictEqual(r.exitCode, 7);
  const q = await qemuExit(elf);
  if (q !== null) strictEqual(q, 7, "qemu-riscv32");
});
