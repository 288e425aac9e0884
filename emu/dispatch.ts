/**
 * The backends: the ways of running a translated block's oplets, each in
 * its own module under `backends/`, chosen once per machine by
 * {@link createBackend}.
 *
 * - `switch`: one interpreter function with a `switch` over oplet numbers
 *   (`backends/switch.ts`).
 * - `call`: an array of the oplet functions called in a loop
 *   (`backends/call.ts`).
 * - `paste`: each block compiled into one JavaScript function from its
 *   oplets' bodies with the parameters patched in, as dyngen did
 *   (`backends/paste.ts`).
 * - `jit`: the fused `switch` interpreter first; hot regions of many blocks
 *   compiled to WebAssembly from the oplets' syntax trees
 *   (`backends/jit.ts`, `backends/jit_compile.ts`).
 *
 * Every backend reads the oplets through one reader (`oplet_source.ts`)
 * and one set of rules (`oplet_rules.ts`). `deno task bench` runs them side
 * by side.
 *
 * @module
 */

import type { BackendContext, TbBackend } from "./backends/backend.ts";
import type { CpuState } from "./target.ts";
import { CallBackend } from "./backends/call.ts";
import { JitBackend } from "./backends/jit.ts";
import { PasteBackend } from "./backends/paste.ts";
import { SwitchBackend } from "./backends/switch.ts";

export type {
  BackendContext,
  JitTuning,
  RunTb,
  TbBackend,
} from "./backends/backend.ts";
export { InterpreterBackend } from "./backends/backend.ts";
export { callDispatcher } from "./backends/call.ts";
export { switchCase, switchDispatcher } from "./backends/switch.ts";
export { type BlockCompiler, pasteCompiler } from "./backends/paste.ts";
export { JitBackend, type JitOptions, type JitStats } from "./backends/jit.ts";
export { JitCompiler, JitUnsupported } from "./backends/jit_compile.ts";
export { DispatchError } from "./oplet_rules.ts";

/** The backends that exist. */
export const BACKENDS = ["switch", "call", "paste", "jit"] as const;

/** A backend's name. */
export type Backend = typeof BACKENDS[number];

/** Creates the named backend for a machine. */
export function createBackend<S>(
  name: Backend,
  ctx: BackendContext<S>,
): TbBackend<S> {
  switch (name) {
    case "switch":
      return new SwitchBackend(ctx);
    case "call":
      return new CallBackend(ctx);
    case "paste":
      return new PasteBackend(ctx);
    case "jit":
      return new JitBackend(
        ctx as unknown as BackendContext<CpuState>,
        ctx.jit,
      ) as unknown as TbBackend<S>;
  }
}
