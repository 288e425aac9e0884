/**
 * Indexing the oplets' bodies by name: the seed's "index to the code parts
 * for the different oplets". Every body is read by the emulator's one
 * reader of oplet source and checked by its one set of rules
 * (`readOplet` and `checkFusable` of `@oplet/emu`, in its
 * `oplet_rules.ts`), which parse the oplet's own function.
 *
 * @module
 */

import {
  type CheckedOplet,
  checkFusable,
  type OpletDef,
  type OpletInfo,
  readOplet,
  stateField,
  type Stmt,
  TEMPS,
  walkExprs,
} from "@oplet/emu";
import { GenError } from "./gen_error.ts";

/** The temporaries an oplet body reaches as `s.t0`, `s.t1`, `s.t2`. */
export const DEFAULT_TEMPS: readonly string[] = TEMPS;

/** One oplet's checked body. */
export interface OpletBody {
  /** The oplet's name (its function's name without `op_`). */
  readonly name: string;
  /** Its number in the table. */
  readonly number: number;
  /** How many parameters it takes. */
  readonly params: number;
  /** Whether it may leave the block. */
  readonly exit: boolean;
  /** Its body, as the emulator's reader parsed it. */
  readonly body: readonly Stmt[];
  /** Its local variables' names. */
  readonly locals: ReadonlySet<string>;
  /** The helpers its body uses, by name. */
  readonly helpers: ReadonlySet<string>;
  /** The state fields its body uses as `s.NAME`. */
  readonly stateFields: ReadonlySet<string>;
}

/** Every oplet of a table with its checked body. */
export interface OpletIndex {
  /** The oplet table (numbers, names, parameters, exit flags). */
  readonly table: readonly OpletInfo[];
  /** The bodies, by oplet number. */
  readonly oplets: readonly OpletBody[];
  /** The temporaries (state fields that fused oplets keep in locals). */
  readonly temps: readonly string[];
  /** The helper names the emulator passes to fused oplets. */
  readonly helperNames: ReadonlySet<string>;
  /** The global names (`Math`, ...) that bodies use. */
  readonly globals: ReadonlySet<string>;
}

/** Options for {@link indexOplets}. */
export interface IndexOptions {
  /** The names fused oplets may use besides the state (the target's `OP_HELPERS` keys). */
  readonly helpers: readonly string[];
  /** The temporaries (default {@link DEFAULT_TEMPS}). */
  readonly temps?: readonly string[];
  /** What messages call the oplets' source (default `"the oplet source"`). */
  readonly sourceName?: string;
}

/**
 * Finds each oplet of `table` among `defs` (the oplets' source module's
 * `OPLETS`, by name) and checks its body (see the module doc). Throws
 * {@link GenError} naming the oplet and the first violation.
 *
 * This module is internal to the generator; `oplet_index_test.ts` shows it at work.
 */
export function indexOplets(
  // deno-lint-ignore no-explicit-any
  defs: readonly OpletDef<any>[],
  table: readonly OpletInfo[],
  options: IndexOptions,
): OpletIndex {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const helperNames = new Set(options.helpers);
  const globals = new Set<string>();
  const oplets = table.map((info, number) => {
    const def = byName.get(info.name);
    if (!def || typeof def.fn !== "function") {
      throw new GenError(
        `Oplet "${info.name}" has no function op_${info.name} in ${
          options.sourceName ?? "the oplet source"
        }`,
      );
    }
    return checkOplet({ ...def, ...info }, number, helperNames, globals);
  });
  return {
    table,
    oplets,
    temps: [...(options.temps ?? DEFAULT_TEMPS)],
    helperNames,
    globals,
  };
}

function checkOplet(
  // deno-lint-ignore no-explicit-any
  def: OpletDef<any>,
  number: number,
  helperNames: ReadonlySet<string>,
  globals: Set<string>,
): OpletBody {
  let checked: CheckedOplet;
  let used: { helpers: ReadonlySet<string>; globals: ReadonlySet<string> };
  try {
    checked = readOplet(def);
    used = checkFusable(checked, helperNames);
  } catch (e) {
    throw new GenError((e as Error).message.split("\n")[0]);
  }
  used.globals.forEach((g) => globals.add(g));
  const stateFields = new Set([...checked.reads, ...checked.writes]);
  walkExprs(checked.body, (e) => {
    const f = stateField(e);
    if (f !== undefined) stateFields.add(f);
  });
  return {
    name: def.name,
    number,
    params: def.params,
    exit: def.exit,
    body: checked.body,
    locals: checked.locals,
    helpers: used.helpers,
    stateFields,
  };
}
