/**
 * `@oplet/emu`: a dyngen-style dynamic translator for RV32IMAFDC Linux user-mode
 * programs. It loads static ELF32 RISC-V executables, translates guest code
 * into translated blocks of oplets (`genIntermediateCode`), caches them by
 * guest pc, runs them (`cpuExec`), and serves the Linux system calls that
 * static programs use. With a profile sink it records which blocks run; with
 * a fused set it collapses oplet sequences into fused oplets right after
 * translation (`collapseSeqs`). Blocks run on one of three backends
 * (`dispatch.ts`): an interpreter with a `switch` over oplets (the default),
 * one that calls oplet functions, or `paste`, which compiles each block from
 * its oplets' bodies with the parameters patched in, as dyngen did.
 *
 * Run from the command line:
 *
 * ```sh
 * deno run --allow-read jsr:@oplet/emu --stats tests/guests/bin/sort.elf
 * ```
 *
 * or from a script:
 *
 * @example
 * ```ts ignore
 * import { runElf } from "@oplet/emu";
 * const elf = await Deno.readFile("tests/guests/bin/sort.elf");
 * const result = await runElf(elf, { argv: ["sort"], backend: "paste" });
 * console.log(result.exitCode, result.stats.insns, result.stats.dispatched);
 * ```
 *
 * @module
 */

export * from "./oplet.ts";
export * from "./fault.ts";
export * from "./tb.ts";
export * from "./fused.ts";
export * from "./collapse.ts";
export * from "./machine.ts";
export * from "./exec.ts";
export * from "./dispatch.ts";
export * from "./run.ts";
export type { ProfileSink } from "./profile_sink.ts";
export * from "./profile.ts";
export * from "./profile_thread.ts";
export * from "./linux_user/elfload.ts";
export * from "./linux_user/syscall.ts";
export { loadFusedDir, main, USAGE } from "./cli.ts";
export {
  loadSlow,
  mapped,
  MEM_LOW,
  RiscvCpu,
  storeSlow,
} from "./targets/riscv32/cpu.ts";
export {
  DEFAULT_FUSED,
  disassemble,
  ELF_MACHINE,
  genIntermediateCode,
  HOISTED_FIELDS,
  OP_HELPERS,
  OPLETS,
  OPS_SOURCE_URL,
  TARGET_NAME,
} from "./targets/riscv32/target.ts";
export { opNumber } from "./targets/riscv32/translate.ts";
export {
  expandCompressed,
  insnLength,
  isCompressed,
} from "./targets/riscv32/rvc.ts";
export { disassembleCompressed } from "./targets/riscv32/disas.ts";
export {
  EF_RISCV_FLOAT_ABI,
  EF_RISCV_RVC,
  EF_RISCV_RVE,
  elfFlagsProblem,
  EXTENSIONS,
  FLOAT_ABIS,
  ISA_NAME,
  rv64Problem,
} from "./targets/riscv32/isa.ts";
export {
  COUNTER_CSRS,
  isCounterCsr,
  readCounterCsr,
} from "./targets/riscv32/csr.ts";
export type {
  GuestBlock,
  OpletName,
  TranslateOptions,
} from "./targets/riscv32/translate.ts";

if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
