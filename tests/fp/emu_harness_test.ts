// The emulator runs the FP harness guest (tests/fp/fpops.elf, every F and D
// instruction with the rounding mode from frm) on the fixed seeded record
// set and prints exactly what qemu-riscv32 printed, on every backend,
// unfused and fused.
import { deepStrictEqual, strictEqual } from "node:assert/strict";
import {
  DEFAULT_FUSED,
  loadFusedSet,
  OP_HELPERS,
  type RiscvCpu,
  runElf,
} from "@oplet/emu";
import { CapturedIo } from "../guest_io.ts";
import { formatRecord, HARNESS_ELF, seededRecords } from "./fp_ops.ts";
import { readRecorded, RECORDED_PER_OP, RECORDED_SEED } from "./recorded.ts";

const fused = loadFusedSet<RiscvCpu>(
  DEFAULT_FUSED.opSeq,
  DEFAULT_FUSED.translateSeq,
  OP_HELPERS,
  "default",
);
const input = new TextEncoder().encode(
  seededRecords(RECORDED_SEED, RECORDED_PER_OP).map(formatRecord).join("\n") +
    "\n",
);
const elf = Deno.readFileSync(HARNESS_ELF);

for (
  const [backend, f] of [
    ["switch", null],
    ["switch", fused],
    ["call", null],
    ["paste", null],
  ] as const
) {
  Deno.test(`fpops.elf on ${backend}${f ? ", fused" : ""}: every record as qemu-riscv32 computed it`, async () => {
    const io = new CapturedIo(input);
    const r = await runElf(elf, {
      argv: ["fpops.elf"],
      io,
      backend,
      fused: f,
    });
    strictEqual(r.exitCode, 0);
    const got = new TextDecoder().decode(io.stdoutBytes).split("\n");
    got.pop();
    const want = await readRecorded();
    strictEqual(got.length, want.length);
    const bad = got.flatMap((g, k) =>
      g === want[k] ? [] : [`record ${k}: ${g} vs qemu ${want[k]}`]
    );
    deepStrictEqual(bad.slice(0, 10), []);
  });
}
