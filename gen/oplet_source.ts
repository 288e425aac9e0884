/**
 * Loading the oplets' source (the seed's `op.E`) with the TypeScript compiler:
 * the file is parsed, bound and type-checked together with the modules it
 * imports, so that the generator can tell every name in an oplet's body
 * apart (parameter, local, import, global) and name the types of the state
 * and the helpers in the generated module.
 *
 * @module
 */

import ts from "typescript";
import { basename, dirname, resolve } from "node:path";
import { GenError } from "./gen_error.ts";

/** The oplets' source, parsed and bound. */
export interface OpletSource {
  /** The source file's absolute path. */
  readonly fileName: string;
  /** The parsed file. */
  readonly sourceFile: ts.SourceFile;
  /** The program made of the file and what it imports. */
  readonly program: ts.Program;
  /** The type checker, for resolving names and types. */
  readonly checker: ts.TypeChecker;
}

const LIB_CACHE = new Map<string, ts.SourceFile>();

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  noEmit: true,
  strict: true,
  skipLibCheck: true,
  types: [],
  lib: ["lib.es2022.d.ts"],
};

/**
 * Parses the oplets' source at `path` (read from disk unless `text` is
 * given) into an {@link OpletSource}. The modules it imports are taken from
 * `files` (file name to text; for a source fetched from a registry) or read
 * from disk when they exist; only the file's own syntax must be valid.
 *
 * Throws {@link GenError} when the file cannot be read or does not parse.
 *
 * This module is internal to the generator; `oplet_index_test.ts` shows it at work.
 */
export function loadOpletSource(
  path: string,
  text?: string,
  files: ReadonlyMap<string, string> = new Map(),
): OpletSource {
  const fileName = resolve(path);
  text ??= files.get(fileName);
  if (text === undefined) {
    try {
      text = Deno.readTextFileSync(fileName);
    } catch (e) {
      throw new GenError(
        `Cannot read the oplet source "${path}": ${firstLine(e)}`,
      );
    }
  }
  const host = ts.createCompilerHost(COMPILER_OPTIONS, true);
  const own = ts.createSourceFile(
    fileName,
    text,
    ts.ScriptTarget.ES2022,
    true,
    ts.ScriptKind.TS,
  );
  const getSourceFile = host.getSourceFile.bind(host);
  const libDir = resolve(host.getDefaultLibLocation?.() ?? "/nonexistent");
  host.getSourceFile = (name, lang, onError, create) => {
    const path = resolve(name);
    if (path === fileName) return own;
    const fetched = files.get(path);
    if (fetched !== undefined) {
      return ts.createSourceFile(path, fetched, ts.ScriptTarget.ES2022, true);
    }
    if (!path.startsWith(libDir)) {
      return getSourceFile(name, lang, onError, create);
    }
    // The standard library's declarations are the same for every source:
    // parse them once.
    let sf = LIB_CACHE.get(path);
    if (!sf) {
      sf = getSourceFile(name, lang, onError, create);
      if (sf) LIB_CACHE.set(path, sf);
    }
    return sf;
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) =>
    resolve(name) === fileName || files.has(resolve(name)) || fileExists(name);
  if (files.size > 0) {
    // Fetched modules live in folders that exist only in `files`.
    const dirs = new Set<string>();
    for (const f of files.keys()) {
      for (let d = dirname(f); !dirs.has(d); d = dirname(d)) {
        dirs.add(d);
        if (dirname(d) === d) break;
      }
    }
    const directoryExists = host.directoryExists?.bind(host);
    host.directoryExists = (d) =>
      dirs.has(resolve(d)) || (directoryExists?.(d) ?? false);
    const realpath = host.realpath?.bind(host);
    host.realpath = (p) =>
      files.has(resolve(p)) || dirs.has(resolve(p)) ? p : realpath?.(p) ?? p;
  }
  const readFile = host.readFile.bind(host);
  host.readFile = (name) =>
    resolve(name) === fileName
      ? text
      : files.get(resolve(name)) ?? readFile(name);
  const program = ts.createProgram([fileName], COMPILER_OPTIONS, host);
  const diags = program.getSyntacticDiagnostics(own);
  if (diags.length > 0) {
    const d = diags[0];
    const line = d.start === undefined
      ? 0
      : own.getLineAndCharacterOfPosition(d.start).line + 1;
    throw new GenError(
      `Oplet source ${basename(fileName)}:${line} does not parse: ${
        ts.flattenDiagnosticMessageText(d.messageText, " ")
      }`,
    );
  }
  return {
    fileName,
    sourceFile: own,
    program,
    checker: program.getTypeChecker(),
  };
}

/** The 1-based line of `node` in its file, for messages. */
export function lineOf(node: ts.Node): number {
  const sf = node.getSourceFile();
  return sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
}

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0];
}
