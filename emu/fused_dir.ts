/**
 * Loading a fused set that `@oplet/gen` generated into a folder
 * (`--oplets DIR`).
 *
 * @module
 */

import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import {
  type FusedSet,
  loadFusedSet,
  type OpSeqModule,
  type TranslateSeqModule,
} from "./fused.ts";
import { OP_HELPERS, type RiscvCpu } from "./targets/riscv32/target.ts";

/**
 * Loads the fused set generated into `dir` (its `op_seq.ts` and
 * `translate_seq.ts`), checked against this emulator's oplet table. Throws
 * an error naming the folder when the modules cannot be loaded or do not
 * fit.
 */
export async function loadFusedDir(dir: string): Promise<FusedSet<RiscvCpu>> {
  const base = pathToFileURL(resolve(dir) + "/");
  let opSeq: OpSeqModule, translateSeq: TranslateSeqModule;
  try {
    opSeq = await import(new URL("op_seq.ts", base).href);
    translateSeq = await import(new URL("translate_seq.ts", base).href);
  } catch (e) {
    const why = e instanceof Error ? e.message.split("\n")[0] : String(e);
    throw new Error(
      `${dir}: cannot load op_seq.ts and translate_seq.ts: ${why}`,
    );
  }
  return loadFusedSet(opSeq, translateSeq, OP_HELPERS, dir);
}
