/**
 * Reading the analyzer's output (`analysis.json`) and choosing the
 * sequences to fuse. The file is untrusted input: every value the generator
 * takes from it is checked here, and only numbers come out.
 *
 * The shape, as `@oplet/analyze` writes it (sequences ranked best first):
 *
 * ```json
 * { "version": 1, "target": "riscv32", "opletHash": "33901ca6",
 *   "oplets": [{ "name": "profile", "params": 1, "exit": true }, ...],
 *   "profiles": [...], "totalDispatches": 123456,
 *   "sequences": [{ "ops": [1, 27, 3], "names": ["mov_T0_r", "addi", "mov_r_T0"],
 *                   "frequency": 5000, "saved": 10000, "examplePc": 65652 }] }
 * ```
 *
 * @module
 */

import type { OpletInfo } from "@oplet/emu";
import { GenError, quote } from "./gen_error.ts";
import { MAX_FUSED, MAX_SEQ_LENGTH } from "./limits.ts";
import type { SeqNotes } from "./render.ts";

/** The analysis format version this generator reads. */
export const ANALYSIS_VERSION = 1;

export { MAX_FUSED };

/** A sequence chosen for fusing. */
export interface ChosenSequence {
  /** Its base oplet numbers. */
  readonly ops: readonly number[];
  /** What the analysis said about it (checked numbers only). */
  readonly notes: SeqNotes;
}

/** What {@link chooseSequences} picked, and what it passed over. */
export interface Choice {
  /** The sequences to fuse, in rank order. */
  readonly sequences: readonly ChosenSequence[];
  /** Sequences passed over because they end with an exit oplet (without `fuseExits`). */
  readonly skippedExits: number;
  /** Sequences passed over because an earlier one was the same. */
  readonly skippedDuplicates: number;
}

/** What the analysis must match, and how many sequences to take. */
export interface ChooseOptions {
  /** The emulator's target name. */
  readonly target: string;
  /** The emulator's oplet table. */
  readonly table: readonly OpletInfo[];
  /** The emulator's oplet table hash (`opletTableHash(table)`). */
  readonly opletHash: string;
  /** How many sequences to take (at most {@link MAX_FUSED}). */
  readonly count: number;
  /** Take sequences that end with an exit oplet (default false: pass over them). */
  readonly fuseExits?: boolean;
}

/**
 * Checks an analysis (parsed JSON) against the emulator and takes the first
 * `count` usable sequences in rank order. Throws {@link GenError} with a
 * one-line message for anything malformed: a wrong version, target or
 * oplet table hash, a sequence shorter than 2 or longer than 64, an oplet
 * number that is not an integer of the table, an exit oplet before a
 * sequence's end, names that disagree with the table, or a bad number.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { chooseSequences } from "@oplet/gen";
 * const table = [
 *   { name: "a", params: 1, exit: false },
 *   { name: "b", params: 0, exit: false },
 * ];
 * const choice = chooseSequences(
 *   { version: 1, target: "t", opletHash: "0123abcd", sequences: [{ ops: [0, 1] }] },
 *   { target: "t", table, opletHash: "0123abcd", count: 10 },
 * );
 * assert.deepEqual(choice.sequences[0].ops, [0, 1]);
 * ```
 */
export function chooseSequences(
  analysis: unknown,
  options: ChooseOptions,
): Choice {
  const { table } = options;
  if (
    !Number.isSafeInteger(options.count) || options.count < 0 ||
    options.count > MAX_FUSED
  ) {
    throw new GenError(
      `Count ${
        quote(options.count)
      } is out of range; expected 0 to ${MAX_FUSED}`,
    );
  }
  if (!isRecord(analysis)) {
    throw new GenError(`Analysis is not a JSON object but ${kind(analysis)}`);
  }
  if (analysis.version !== ANALYSIS_VERSION) {
    throw new GenError(
      `Analysis version ${
        quote(analysis.version)
      } is not supported; expected ${ANALYSIS_VERSION}`,
    );
  }
  if (analysis.target !== options.target) {
    throw new GenError(
      `Analysis is for target ${quote(analysis.target)}, but this emulator is ${
        quote(options.target)
      }`,
    );
  }
  if (analysis.opletHash !== options.opletHash) {
    throw new GenError(
      `Analysis was made for oplet table ${
        quote(analysis.opletHash)
      }, but this emulator's is ${
        quote(options.opletHash)
      }; profile and analyze again`,
    );
  }
  const list = analysis.sequences;
  if (!Array.isArray(list)) {
    throw new GenError(
      `Analysis field "sequences" is not an array but ${kind(list)}`,
    );
  }
  const chosen: ChosenSequence[] = [];
  const seen = new Set<string>();
  let skippedExits = 0, skippedDuplicates = 0;
  for (let k = 0; k < list.length && chosen.length < options.count; k++) {
    const where = `Analysis sequence ${k}`;
    const entry: unknown = list[k];
    if (!isRecord(entry)) {
      throw new GenError(`${where} is not an object but ${kind(entry)}`);
    }
    const ops = entry.ops;
    if (!Array.isArray(ops)) {
      throw new GenError(`${where} has "ops" ${quote(ops)}; expected an array`);
    }
    if (ops.length < 2 || ops.length > MAX_SEQ_LENGTH) {
      throw new GenError(
        `${where} has ${ops.length} oplets; expected 2 to ${MAX_SEQ_LENGTH}`,
      );
    }
    const nums: number[] = [];
    for (const [j, n] of ops.entries()) {
      if (
        typeof n !== "number" || !Number.isInteger(n) || n < 0 ||
        n >= table.length
      ) {
        throw new GenError(
          `${where} has oplet ${
            quote(n)
          } at ${j}; expected an oplet number 0 to ${table.length - 1}`,
        );
      }
      nums.push(n);
    }
    const names = entry.names;
    if (names !== undefined) {
      if (!Array.isArray(names) || names.length !== nums.length) {
        throw new GenError(
          `${where} has "names" ${
            quote(names)
          }; expected ${nums.length} oplet names`,
        );
      }
      names.forEach((name, j) => {
        if (name !== table[nums[j]].name) {
          throw new GenError(
            `${where} names oplet ${nums[j]} ${quote(name)}, but it is ${
              quote(table[nums[j]].name)
            }`,
          );
        }
      });
    }
    const notes: SeqNotes = {
      frequency: count(entry, "frequency", where),
      saved: count(entry, "saved", where),
      examplePc: pc(entry, where),
    };
    const exitAt = nums.findIndex((n) => table[n].exit);
    if (exitAt >= 0 && exitAt < nums.length - 1) {
      throw new GenError(
        `${where} has the exit oplet ${
          quote(table[nums[exitAt]].name)
        } before its end`,
      );
    }
    if (exitAt === nums.length - 1 && !options.fuseExits) {
      skippedExits++;
      continue;
    }
    const key = nums.join(",");
    if (seen.has(key)) {
      skippedDuplicates++;
      continue;
    }
    seen.add(key);
    chosen.push({ ops: nums, notes });
  }
  return { sequences: chosen, skippedExits, skippedDuplicates };
}

/**
 * Reads and parses an analysis file. Throws {@link GenError} when it cannot
 * be read or is not JSON.
 */
export async function readAnalysisFile(path: string): Promise<unknown> {
  let text: string;
  try {
    const st = await Deno.stat(path);
    if (!st.isFile) throw new Error("not a file");
    text = await Deno.readTextFile(path);
  } catch (e) {
    const why = e instanceof Deno.errors.NotFound
      ? "no such file"
      : e instanceof Deno.errors.PermissionDenied
      ? "permission denied"
      : (e instanceof Error ? e.message : String(e)).split("\n")[0];
    throw new GenError(`Cannot read the analysis ${quote(path, 200)}: ${why}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GenError(
      `Analysis ${quote(path, 200)} is not valid JSON: ${
        (e instanceof Error ? e.message : String(e)).split("\n")[0]
      }`,
    );
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

function count(
  entry: Record<string, unknown>,
  field: string,
  where: string,
): number | undefined {
  const v = entry[field];
  if (v === undefined) return undefined;
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new GenError(
      `${where} has "${field}" ${quote(v)}; expected a number of at least 0`,
    );
  }
  return v;
}

function pc(entry: Record<string, unknown>, where: string): number | undefined {
  const v = entry.examplePc;
  if (v === undefined) return undefined;
  if (
    typeof v !== "number" || !Number.isInteger(v) || v < -0x80000000 ||
    v > 0xffffffff
  ) {
    throw new GenError(
      `${where} has "examplePc" ${quote(v)}; expected a 32-bit address`,
    );
  }
  return v;
}
