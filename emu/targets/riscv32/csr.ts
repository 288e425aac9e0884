/**
 * The control and status registers (Zicsr) a user-mode RV32 program may
 * reach under qemu-riscv32: the read-only counters `cycle`, `time` and
 * `instret`, with their upper halves (Zicntr). Every other CSR, and every
 * write to these, is an illegal instruction, as under qemu-riscv32.
 *
 * The floating-point CSRs `fflags` (0x001), `frm` (0x002) and `fcsr` (0x003)
 * come with the F and D extensions: they are read and written often, so
 * they belong in oplets of their own (see the SYSTEM case of
 * `translate.ts`), not in the counter exit below.
 *
 * @module
 */

/** The counter CSRs by number, with their names. */
export const COUNTER_CSRS: Readonly<Record<number, string>> = {
  0xc00: "cycle",
  0xc01: "time",
  0xc02: "instret",
  0xc80: "cycleh",
  0xc81: "timeh",
  0xc82: "instreth",
};

/** Whether `csr` is a counter this emulator serves. */
export function isCounterCsr(csr: number): boolean {
  return COUNTER_CSRS[csr] !== undefined;
}

const TWO32 = 4294967296;

/**
 * The value of counter `csr` when `instret` guest instructions have
 * retired before the reading one:
 * - `instret`: exactly that count;
 * - `cycle`: the same count, as on a core that retires one instruction per
 *   cycle (monotonic and reproducible; qemu-riscv32 gives host ticks for
 *   all three counters);
 * - `time`: nanoseconds since the emulator started (a 1 GHz timebase),
 *   from the host's monotonic clock.
 *
 * The `h` forms give the upper 32 bits. Returns the 32-bit value as a
 * signed number, as registers hold it.
 *
 * @example
 * ```ts
 * import { readCounterCsr } from "@oplet/emu";
 * console.log(readCounterCsr(0xc02, 2 ** 32 + 5), readCounterCsr(0xc82, 2 ** 32 + 5)); // 5 1
 * ```
 */
export function readCounterCsr(csr: number, instret: number): number {
  const low = csr & 0x7f;
  const v = low === 1 ? Math.floor(performance.now() * 1e6) : instret;
  return (csr & 0x80 ? Math.floor(v / TWO32) : v % TWO32) | 0;
}
