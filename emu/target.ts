/**
 * What the target-independent core needs from a target (a guest ISA): its
 * oplets, the helpers their bodies use, its CPU state and its front end.
 * `Machine` takes one; `targets/riscv32/target.ts` provides `RISCV32`.
 *
 * @module
 */

import type { OpletDef } from "./oplet.ts";
import type { LinuxAbi, LinuxCpu } from "./linux_user/abi.ts";

/** The CPU state fields every target has. */
export interface CpuState {
  /** The guest pc at block boundaries. */
  pc: number;
  /** The value an exit oplet leaves for the loop (an illegal instruction's word). */
  trap: number;
  /** Profile buffer: TB ids appended by the profiling oplet. */
  prof: Uint32Array<ArrayBuffer>;
  /** How many ids `prof` holds. */
  profLen: number;
  /** Size of guest memory in bytes. */
  readonly memSize: number;
  /** Guest memory: every typed-array view of the state over it shares this buffer. */
  readonly memory: WebAssembly.Memory;
  /** Byte offset in {@link memory} where compiled code may keep its own words (below mapped guest memory). */
  readonly scratch: number;
  /** Where those words must end (state the target keeps in memory starts there). */
  readonly scratchEnd: number;
}

/** One block as a target's front end translates it. */
export interface TargetBlock {
  /** Oplet numbers interleaved with their parameters. */
  code: number[];
  /** How many oplets `code` holds. */
  nops: number;
  /** How many guest instructions the block covers. */
  icount: number;
  /** The instruction words, for logging. */
  words: number[];
  /** Their guest pcs. */
  pcs: number[];
}

/** A guest ISA as the core sees it. */
export interface Target<S extends CpuState & LinuxCpu> {
  /** The target's name, as profiles record it. */
  readonly name: string;
  /** The oplet table. */
  readonly oplets: readonly OpletDef<S>[];
  /** The names oplet bodies use besides the state. */
  readonly helpers: Record<string, unknown>;
  /** State fields that never change while blocks run. */
  readonly hoisted: readonly string[];
  /** Creates a CPU state with `memSize` bytes of zeroed guest memory. */
  createCpu(memSize: number): S;
  /** Translates the block at `pc` (QEMU's `gen_intermediate_code`). */
  genIntermediateCode(
    s: S,
    pc: number,
    prefix: readonly number[],
    opts: {
      maxInsns: number;
      followJumps?: boolean;
      executable?: (pc: number, len: number) => boolean;
    },
  ): TargetBlock;
  /** Disassembles one instruction word. */
  disassemble(word: number, pc: number): string;
  /**
   * Serves a counter read that ended its block (`EXIT_CSR`): `instret` is
   * how many instructions retired before it; the value goes where the
   * exit oplet said (`s.trap`).
   */
  readCounter(s: S, instret: number): void;
  /** What the ELF loader and the system calls need (`linux_user/abi.ts`). */
  readonly linux: LinuxAbi<S>;
}
