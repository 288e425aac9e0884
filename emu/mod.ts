/**
 * `@oplet/emu`: a dyngen-style dynamic translator for RV32IMAFDC Linux user-mode
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
 * Run a program from the command line (`--help` lists the options):
 *
 * ```sh
 * deno run --allow-read jsr:@oplet/emu --stats prog.elf arg1 arg2
 * deno run --allow-read --allow-write=. jsr:@oplet/emu --profile prog.profile prog.elf
 * ```
 *
 * or from a script, with its output captured:
 *
 * @example Run a guest and capture its output
 * ```ts
 * import assert from "node:assert/strict";
 * import { CapturedIo, HELLO_ELF, runElf } from "@oplet/emu";
 *
 * const io = new CapturedIo();
 * const result = await runElf(HELLO_ELF, { argv: ["hello"], io, backend: "paste" });
 * assert.equal(result.exitCode, 0);
 * assert.equal(io.stdoutText, "hello, world\n");
 * assert.ok(result.stats.insns >= 9);
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
export * from "./mul_high.ts";
export * from "./fused.ts";
export * from "./collapse.ts";
export * from "./machine.ts";
export * from "./exec.ts";
export {
  type Backend,
  type BackendContext,
  BACKENDS,
  type BlockCompiler,
  callDispatcher,
  DispatchError,
  type JitOptions,
  type JitStats,
  type JitTuning,
  pasteCompiler,
  type RunTb,
  switchDispatcher,
  type TbBackend,
} from "./dispatch.ts";
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
export * from "./profile_reader.ts";
export * from "./profile_guide.ts";
export * from "./profile_thread.ts";
export * from "./linux_user/elfload.ts";
export * from "./linux_user/syscall.ts";
export * from "./linux_user/abi.ts";
export * from "./fused_dir.ts";
export * from "./captured_io.ts";
export * from "./hello_elf.ts";
export * from "./linux_user/open_policy.ts";
export { VERSION } from "./cli_kit.ts";
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
  NR,
  OP_HELPERS,
  OPLETS,
  OPS_SOURCE_URL,
  RISCV32,
  TARGET_NAME,
} from "./targets/riscv32/target.ts";
export { RISCV32_LINUX } from "./targets/riscv32/linux.ts";
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
