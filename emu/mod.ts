/**
 * `@oplet/emu`: a dyngen-style dynamic translator for RV32IM Linux user-mode
 * programs. It loads static ELF32 RISC-V executables, translates guest code
 * into translated blocks of oplets (`genIntermediateCode`), caches them by
 * guest pc, runs them (`cpuExec`), and serves the Linux system calls that
 * static programs use. With a profile sink it records which blocks run; with
 * a fused set it collapses oplet sequences into fused oplets right after
 * translation (`collapseSeqs`). Blocks run on one of the backends
 * (`dispatch.ts`, `backends/`): an interpreter with a `switch` over oplets,
 * one that calls oplet functions, `paste`, which compiles each block from
 * its oplets' bodies with the parameters patched in, as dyngen did, and
 * `jit`, which starts in the fused interpreter and compiles hot regions of
 * blocks to WebAssembly.
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
export * from "./tb_cache.ts";
export * from "./target.ts";
export * from "./oplet_source.ts";
export * from "./oplet_rules.ts";
export * from "./fused.ts";
export * from "./collapse.ts";
export * from "./machine.ts";
export * from "./exec.ts";
export * from "./dispatch.ts";
export type { RegionFn } from "./backends/jit.ts";
export type {
  HelperImport,
  RegionBlock,
  RegionModule,
  RegUse,
} from "./backends/jit_compile.ts";
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
  RISCV32,
  TARGET_NAME,
} from "./targets/riscv32/target.ts";
export { opNumber } from "./targets/riscv32/translate.ts";
export type {
  GuestBlock,
  TranslateOptions,
} from "./targets/riscv32/translate.ts";

if (import.meta.main) {
  const { main } = await import("./cli.ts");
  Deno.exit(await main(Deno.args));
}
