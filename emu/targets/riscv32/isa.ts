/**
 * What this emulator runs, in one place: the extensions it implements and
 * the checks of an executable's ELF header flags (`e_flags`) against them.
 * When F and D land, flipping {@link EXTENSIONS} makes ilp32f and ilp32d
 * programs acceptable (and the messages and ISA name follow).
 *
 * @module
 */

/** The optional extensions implemented: F and D. */
export const EXTENSIONS: { readonly f: boolean; readonly d: boolean } = {
  f: true,
  d: true,
};

/** The ISA this emulator runs, as the RISC-V naming convention writes it. */
export const ISA_NAME: string = `RV32IMA${EXTENSIONS.f ? "F" : ""}${
  EXTENSIONS.d ? "D" : ""
}C`;

/** `e_flags` bit: the program uses compressed instructions. */
export const EF_RISCV_RVC = 0x1;
/** `e_flags` bits: the float ABI. */
export const EF_RISCV_FLOAT_ABI = 0x6;
/** `e_flags` bit: the program is for RV32E (16 registers). */
export const EF_RISCV_RVE = 0x8;

/** The float ABIs by their `e_flags` bits, and whether they run here. */
export const FLOAT_ABIS: readonly {
  readonly bits: number;
  readonly name: string;
  readonly what: string;
  readonly runs: boolean;
}[] = [
  { bits: 0x0, name: "ilp32", what: "soft float", runs: true },
  {
    bits: 0x2,
    name: "ilp32f",
    what: "single-precision float registers",
    runs: EXTENSIONS.f,
  },
  {
    bits: 0x4,
    name: "ilp32d",
    what: "double-precision float registers",
    runs: EXTENSIONS.d,
  },
  {
    bits: 0x6,
    name: "ilp32q",
    what: "quad-precision float registers",
    runs: false,
  },
];

/** "ilp32", "ilp32 and ilp32f", ...: the ABIs that run. */
function runnableAbis(): string {
  const n = FLOAT_ABIS.filter((a) => a.runs).map((a) => a.name);
  return n.length < 2
    ? n.join("")
    : `${n.slice(0, -1).join(", ")} and ${n[n.length - 1]}`;
}

/**
 * Why an RV32 executable with these `e_flags` cannot run here, as the end
 * of a one-line message ("built for ...; this emulator runs ..."), or null
 * when it can. RVC is accepted (compressed instructions always run, as on
 * qemu-riscv32); RVE and float ABIs whose extension is missing are not.
 *
 * @example
 * ```ts
 * import { elfFlagsProblem } from "@oplet/emu";
 * console.log(elfFlagsProblem(0x1)); // null
 * console.log(elfFlagsProblem(0x5)?.startsWith("built for the ilp32d ABI")); // true
 * ```
 */
export function elfFlagsProblem(flags: number): string | null {
  if (flags & EF_RISCV_RVE) {
    return `built for RV32E (EF_RISCV_RVE, 16 registers, e_flags ${
      hex(flags)
    }); this emulator runs RV32I programs (${ISA_NAME})`;
  }
  const abi = FLOAT_ABIS.find((a) => a.bits === (flags & EF_RISCV_FLOAT_ABI))!;
  if (!abi.runs) {
    return `built for the ${abi.name} ABI (${abi.what}, e_flags ${
      hex(flags)
    }); this emulator runs ${runnableAbis()} programs (${ISA_NAME})`;
  }
  return null;
}

/** The line for a 64-bit RISC-V executable. */
export function rv64Problem(): string {
  return `built for RV64 (ELFCLASS64); this emulator runs RV32 programs (${ISA_NAME})`;
}

const hex = (n: number) => "0x" + (n >>> 0).toString(16);
