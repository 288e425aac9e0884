/**
 * The execution loop (QEMU's `cpu_exec`), apart from translation: run a
 * block's oplets, follow its exit to the next block through the chain slots
 * or the cache, and hand system calls and traps to the caller.
 *
 * @module
 */

import { GuestFault } from "./fault.ts";
import type { Machine } from "./machine.ts";
import {
  EXIT_CSR,
  EXIT_EBREAK,
  EXIT_FENCE_I,
  EXIT_GOTO0,
  EXIT_GOTO1,
  EXIT_ILLEGAL,
  EXIT_INTERPRET,
  EXIT_LOOKUP,
  EXIT_SYSCALL,
  EXIT_YIELD,
} from "./oplet.ts";
import type { RiscvCpu } from "./targets/riscv32/cpu.ts";
import { type CompiledEntry, noteLookup, type TranslationBlock } from "./tb.ts";

/** Why {@link cpuExec} returned. */
export type ExecStatus = "exit" | "yield" | "limit";

/**
 * Serves a system call: `m.cpu.pc` is the pc of the `ecall`. Returns true
 * when the guest process has exited.
 */
export type SyscallHandler = (m: Machine) => boolean;

/**
 * Runs the guest from `m.cpu.pc` until it exits (`"exit"`), the profile
 * buffer must be flushed (`"yield"`: call again to go on), or
 * `m.insnLimit` instructions have run (`"limit"`). Faults are thrown as
 * {@link GuestFault}. Stands for QEMU's `cpu_exec`.
 *
 * The loop allocates nothing and creates no closures: per block it only
 * dispatches oplets, counts the block's executions down to hot (see
 * `TbBackend.hot`) and adds two counters. A block that is the entry of
 * compiled code ({@link TranslationBlock.compiled}) enters it instead; the
 * compiled code returns the exit code of the last block it ran, which the
 * loop serves as if that block had been interpreted.
 */
export function cpuExec(m: Machine, syscall: SyscallHandler): ExecStatus {
  const s = m.cpu;
  const stats = m.stats;
  const limit = m.insnLimit;
  let insns = stats.insns;
  let dispatched = stats.dispatched;
  const backend = m.backend;
  let tb: TranslationBlock<RiscvCpu> = m.tbFind(s.pc);
  let entered: CompiledEntry | null = null;
  // The block is interpreted even if compiled (see EXIT_INTERPRET).
  let once = false;
  try {
    for (;;) {
      let i: number;
      const cc = once ? null : tb.compiled;
      once = false;
      if (cc === null) {
        if (--tb.heat === 0) {
          backend.hot(tb);
          if (tb.compiled !== null) continue;
        }
        i = tb.run(s, tb.code);
        if (i === EXIT_YIELD) {
          s.pc = tb.pc;
          return "yield";
        }
        insns += tb.icount;
        dispatched += tb.nops;
      } else {
        entered = cc;
        i = cc.enter(limit - insns);
        entered = null;
        insns += cc.insns;
        dispatched += cc.ops;
        // The compiled code ran other blocks than tb: their chain slots are
        // not tb's, so the next block is looked up by pc.
        if (i === EXIT_GOTO0 || i === EXIT_GOTO1) i = EXIT_LOOKUP;
      }
      let next: TranslationBlock<RiscvCpu> | null;
      if (i === EXIT_GOTO0) {
        next = tb.jmp0;
        if (next === null) next = tb.jmp0 = m.tbFind(s.pc);
      } else if (i === EXIT_GOTO1) {
        next = tb.jmp1;
        if (next === null) next = tb.jmp1 = m.tbFind(s.pc);
      } else if (i === EXIT_LOOKUP) {
        next = m.tbFind(s.pc);
        if (cc === null && tb.jmpL !== next) {
          tb.jmpL = next;
          noteLookup(tb, next);
        }
      } else if (i === EXIT_SYSCALL) {
        stats.insns = insns;
        stats.dispatched = dispatched;
        if (syscall(m)) return "exit";
        s.pc = (s.pc + 4) | 0;
        next = m.tbFind(s.pc);
      } else if (i === EXIT_CSR) {
        // The block ends with the reading instruction: all the others
        // before it have retired.
        m.arch.readCounter(s, insns - 1);
        s.pc = (s.pc + 4) | 0;
        next = m.tbFind(s.pc);
      } else if (i === EXIT_INTERPRET) {
        if (backend.guardFailed?.(s.pc)) m.dropCompiled();
        else once = true;
        next = m.tbFind(s.pc);
      } else if (i === EXIT_FENCE_I) {
        m.tbFlush();
        s.pc = (s.pc + 4) | 0;
        next = m.tbFind(s.pc);
      } else if (i === EXIT_EBREAK) {
        insns -= 1;
        throw new GuestFault("breakpoint", s.pc, s.pc, "ebreak");
      } else if (i === EXIT_ILLEGAL) {
        insns -= 1;
        throw new GuestFault("illegal instruction", s.pc, s.trap, "decode");
      } else {
        throw new Error(
          `Oplet returned unknown exit code ${i} in block at pc ${s.pc >>> 0}`,
        );
      }
      if (insns >= limit) {
        s.pc = next.pc;
        return "limit";
      }
      tb = next;
    }
  } catch (e) {
    // A fault inside compiled code: count the blocks it completed.
    if (entered !== null) {
      insns += entered.insns;
      dispatched += entered.ops;
    }
    throw e;
  } finally {
    stats.insns = insns;
    stats.dispatched = dispatched;
  }
}
