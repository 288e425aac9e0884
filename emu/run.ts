/**
 * Running a guest program from start to end: load the ELF, build the
 * process, run `cpuExec` until the guest exits, faults or hits the
 * instruction limit, and flush the profile on the way out.
 *
 * @module
 */

import { cpuExec } from "./exec.ts";
import { GuestFault } from "./fault.ts";
import { Machine, type MachineOptions, type MachineStats } from "./machine.ts";
import { loadElf, parseElf } from "./linux_user/elfload.ts";
import { type GuestIo, HOST_IO, LinuxProcess } from "./linux_user/syscall.ts";
import { ELF_MACHINE } from "./targets/riscv32/target.ts";
import { elfFlagsProblem, rv64Problem } from "./targets/riscv32/isa.ts";

/** Options for {@link runElf}. */
export interface RunOptions extends MachineOptions {
  /** The guest's argv; `argv[0]` is the program's name. */
  argv: readonly string[];
  /** The guest's environment, as `NAME=value` strings (default none). */
  envp?: readonly string[];
  /** Where guest I/O goes (default the host's streams). */
  io?: GuestIo;
  /** Host files the guest may open read-only. */
  allowOpen?: readonly string[];
  /** Stop after about this many guest instructions (checked per block). */
  maxInsns?: number;
  /** The file's name, for error messages (default `argv[0]`). */
  file?: string;
  /** Entries in the profile buffer between flushes (default 65536). */
  profileBuffer?: number;
  /** Resolves when the run should stop early (Ctrl-C): checked at each profile flush. */
  interrupted?: () => boolean;
}

/** How a run ended. */
export interface RunResult {
  /** The exit code a shell would see: the guest's, 128 + signal after a fault, 130 when interrupted. */
  exitCode: number;
  /** The fault that ended the run, if any. */
  fault: GuestFault | null;
  /** Whether the run stopped at `maxInsns`. */
  limitHit: boolean;
  /** Whether the run was interrupted. */
  interrupted: boolean;
  /** Counters. */
  stats: MachineStats;
  /** Wall time of the run, in milliseconds (loading excluded). */
  wallMs: number;
  /** The machine, for inspection (registers, memory, cache). */
  machine: Machine;
}

/**
 * Loads a static RV32 ELF executable and runs it to the end.
 * Throws `ElfError` for a bad file; guest faults end the run normally.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CapturedIo, HELLO_ELF, runElf } from "@oplet/emu";
 * // Any static RV32 ELF: `await Deno.readFile("prog.elf")`.
 * const io = new CapturedIo();
 * const r = await runElf(HELLO_ELF, { argv: ["hello"], io });
 * assert.equal(r.exitCode, 0);
 * assert.equal(r.fault, null);
 * assert.equal(r.stats.insns, 9);
 * ```
 */
export async function runElf(
  bytes: Uint8Array,
  options: RunOptions,
): Promise<RunResult> {
  const file = options.file ?? options.argv[0] ?? "guest";
  const info = parseElf(bytes, file, ELF_MACHINE, {
    flags: elfFlagsProblem,
    rv64: rv64Problem(),
  });
  const m = new Machine(options);
  const stackSize = 8 * 1024 * 1024;
  const img = loadElf(
    m.cpu,
    bytes,
    info,
    file,
    options.argv,
    options.envp ?? [],
    stackSize,
  );
  const io = options.io ?? HOST_IO;
  const proc = new LinuxProcess(
    io,
    img.brk,
    m.cpu.memSize - stackSize,
    options.allowOpen,
  );
  // Whole pages are executable, as the host maps them: code may run into
  // the zero-filled tail of a segment's last page, as under qemu-riscv32.
  m.execRanges = info.segments.filter((seg) => seg.flags & 1).map((seg) => [
    seg.vaddr & ~4095,
    Math.min(m.cpu.memSize, (seg.vaddr + seg.memsz + 4095) & ~4095),
  ]);
  // Read-only segments below every writable one become read-only memory.
  const writable = info.segments.filter((seg) => seg.flags & 2);
  const firstW = Math.min(...writable.map((seg) => seg.vaddr), m.cpu.memSize);
  const readOnlyEnd = Math.max(
    0,
    ...info.segments.filter((seg) =>
      !(seg.flags & 2) && seg.vaddr + seg.memsz <= firstW
    )
      .map((seg) => seg.vaddr + seg.memsz),
  );
  if (readOnlyEnd > 0 && ((readOnlyEnd + 4095) & ~4095) <= firstW) {
    m.cpu.protectBelow(readOnlyEnd);
  }
  m.cpu.pc = img.entry;
  m.cpu.x[2] = img.sp;
  m.insnLimit = options.maxInsns ?? Infinity;
  const profile = options.profile ?? null;
  if (profile) m.cpu.prof = new Uint32Array(options.profileBuffer ?? 65536);

  let fault: GuestFault | null = null;
  let limitHit = false, interrupted = false;
  const t0 = performance.now();
  let lastTurn = t0;
  try {
    for (;;) {
      const st = cpuExec(m, proc.syscall);
      if (st === "yield") {
        const cpu = m.cpu;
        if (profile!.handOver) {
          cpu.prof = await profile!.handOver(cpu.prof, cpu.profLen);
        } else {
          await profile!.executions(cpu.prof, cpu.profLen);
        }
        m.cpu.profLen = 0;
        // Let the event loop run now and then (a Ctrl-C is delivered there),
        // even when the profile's writes finish without waiting.
        const now = performance.now();
        if (now - lastTurn > 50) {
          await new Promise((r) => setTimeout(r, 0));
          lastTurn = now;
        }
        if (options.interrupted?.()) {
          interrupted = true;
          break;
        }
        continue;
      }
      limitHit = st === "limit";
      break;
    }
  } catch (e) {
    if (!(e instanceof GuestFault)) {
      // Finish the profile (a worker may be writing it) before giving up.
      await profile?.close().catch(() => {});
      throw e;
    }
    fault = e;
  }
  const wallMs = performance.now() - t0;
  if (profile) {
    if (m.cpu.profLen > 0) await profile.executions(m.cpu.prof, m.cpu.profLen);
    m.cpu.profLen = 0;
    await profile.close();
  }
  const exitCode = fault
    ? fault.exitCode
    : interrupted
    ? 130
    : proc.exitCode ?? 0;
  return {
    exitCode,
    fault,
    limitHit,
    interrupted,
    stats: { ...m.stats },
    wallMs,
    machine: m,
  };
}
