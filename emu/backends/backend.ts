/**
 * The interface every backend implements: how a translated block's code is
 * run. The machine chooses its backend once, when it is created
 * ({@link createBackend} in `dispatch.ts`), and asks it for each new block's
 * run function; the execution loop tells it when a block turns hot and the
 * translation cache tells it when blocks are dropped.
 *
 * @module
 */

import type { OpletDef } from "../oplet.ts";
import type { ProfileGuide } from "../profile_guide.ts";
import type { TranslationBlock } from "../tb.ts";

/** Tuning of the `jit` backend (`JitOptions`), as machines pass it on. */
export interface JitTuning {
  /** Executions of a block (interpreted) after which it is compiled (default 1000). */
  hotAfter?: number;
  /** Most blocks in one region (default 16, `MAX_BLOCKS`). */
  maxBlocks?: number;
  /** A block joins a region only after `hotAfter / warmDiv` executions (default 8). */
  warmDiv?: number;
  /**
   * A profile of an earlier run (`--profile-guided`): a block that a loop's
   * back edge reached at least 1000 times in it turns hot after 64
   * executions, and regions follow only the edges it saw, the most taken
   * first.
   */
  guide?: ProfileGuide | null;
}

/** Runs one block's code from its first oplet; returns the exit code. */
export type RunTb<S> = (s: S, code: Int32Array) => number;

/** What a backend is built from. */
export interface BackendContext<S> {
  /** Every oplet the blocks may use: the base table, then the fused ones. */
  readonly oplets: readonly OpletDef<S>[];
  /** How many of {@link oplets} are base oplets (the rest are fused). */
  readonly baseCount: number;
  /** The names the oplets' bodies use besides the state. */
  readonly helpers: Record<string, unknown>;
  /** The state's fields that never change while blocks run. */
  readonly hoisted: readonly string[];
  /** The CPU state blocks run on. */
  readonly cpu: S;
  /** Whether the run is profiled (every block must then be interpreted). */
  readonly profiling: boolean;
  /** Tuning of the `jit` backend (hot threshold, region size). */
  readonly jit?: JitTuning;
}

/** A backend: turns blocks into something that runs. */
export interface TbBackend<S> {
  /** The function that runs a block with this code (`name` names it in errors). */
  runFor(code: Int32Array, name: string): RunTb<S>;
  /**
   * How many executions of a block make it hot; `hot` is then called once
   * (a backend that never compiles later answers a count it never reaches).
   */
  readonly hotAfter: number;
  /** How many executions make the block at `pc` of `icount` instructions hot, if not {@link hotAfter} for every block. */
  heatOf?(pc: number, icount: number): number;
  /** Called by the execution loop when a block's count reaches {@link hotAfter}. */
  hot(tb: TranslationBlock<S>): void;
  /** Called when the translation cache drops every block. */
  flush(): void;
  /**
   * Called when compiled code returned `EXIT_INTERPRET` for the block at
   * `pc`; true when every block's compiled code should be dropped (the
   * backend compiles that block differently from then on).
   */
  guardFailed?(pc: number): boolean;
}

/** A backend that only interprets: never hot, nothing to flush. */
export abstract class InterpreterBackend<S> implements TbBackend<S> {
  /** Never reached: 2^53 executions of one block. */
  readonly hotAfter: number = Number.MAX_SAFE_INTEGER;
  /** See {@link TbBackend.runFor}. */
  abstract runFor(code: Int32Array, name: string): RunTb<S>;
  /** Never called. */
  hot(_tb: TranslationBlock<S>): void {}
  /** Nothing to drop. */
  flush(): void {}
}
