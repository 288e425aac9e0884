/**
 * Indexing the oplets' bodies by name and checking that each follows the
 * conventions the generator relies on (see the module doc of the target's
 * `ops.ts`): the seed's "index to the code parts for the different oplets".
 *
 * @module
 */

import ts from "typescript";
import { basename } from "node:path";
import type { OpletInfo } from "@oplet/emu";
import { GenError } from "./gen_error.ts";
import { lineOf, type OpletSource } from "./oplet_source.ts";

/** The temporaries an oplet body reaches as `s.t0`, `s.t1`, `s.t2`. */
export const DEFAULT_TEMPS: readonly string[] = ["t0", "t1", "t2"];

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
  /** Its function in the source. */
  readonly decl: ts.FunctionDeclaration;
  /** The line of its function, for messages. */
  readonly line: number;
  /** The state parameter `s`. */
  readonly s: ts.Symbol;
  /** The code array parameter `c`. */
  readonly c: ts.Symbol;
  /** The index parameter `i`. */
  readonly i: ts.Symbol;
  /** Its local variables, with their names. */
  readonly locals: ReadonlyMap<ts.Symbol, string>;
  /** The helpers (imports) its body uses, by name. */
  readonly helpers: ReadonlySet<string>;
  /** The state fields its body uses as `s.NAME`. */
  readonly stateFields: ReadonlySet<string>;
}

/** Every oplet of a table with its checked body. */
export interface OpletIndex {
  /** The source the bodies come from. */
  readonly source: OpletSource;
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
  /** The type of the state parameter `s`. */
  readonly stateType: ts.Type;
}

/** Options for {@link indexOplets}. */
export interface IndexOptions {
  /** The names fused oplets may use besides the state (the target's `OP_HELPERS` keys). */
  readonly helpers: readonly string[];
  /** The temporaries (default {@link DEFAULT_TEMPS}). */
  readonly temps?: readonly string[];
}

/**
 * Finds each oplet of `table` in `source` (as `function op_NAME`) and
 * checks that its body follows the conventions. Throws {@link GenError}
 * naming the oplet and the line of the first violation.
 *
 * This module is internal to the generator; `oplet_index_test.ts` shows it at work.
 */
export function indexOplets(
  source: OpletSource,
  table: readonly OpletInfo[],
  options: IndexOptions,
): OpletIndex {
  const fns = new Map<string, ts.FunctionDeclaration>();
  for (const st of source.sourceFile.statements) {
    if (ts.isFunctionDeclaration(st) && st.name) fns.set(st.name.text, st);
  }
  const ctx: Context = {
    source,
    helperNames: new Set(options.helpers),
    temps: new Set(options.temps ?? DEFAULT_TEMPS),
    globals: new Set(),
  };
  const oplets: OpletBody[] = [];
  let stateType: ts.Type | undefined;
  table.forEach((info, number) => {
    const decl = fns.get("op_" + info.name);
    if (!decl) {
      throw new GenError(
        `Oplet "${info.name}" has no function op_${info.name} in ${
          basename(source.fileName)
        }`,
      );
    }
    const body = checkOplet(ctx, decl, info, number);
    stateType ??= source.checker.getTypeAtLocation(decl.parameters[0]);
    oplets.push(body);
  });
  return {
    source,
    table,
    oplets,
    temps: [...ctx.temps],
    helperNames: ctx.helperNames,
    globals: ctx.globals,
    stateType: stateType ?? source.checker.getUnknownType(),
  };
}

/**
 * Reads the oplet table that the source itself declares, as
 * `OPLETS = [defineOplet(op_NAME, PARAMS[, EXIT]), ...]`, or null when it
 * declares none in that form.
 */
export function readSourceTable(source: OpletSource): OpletInfo[] | null {
  let init: ts.Expression | undefined;
  for (const st of source.sourceFile.statements) {
    if (!ts.isVariableStatement(st)) continue;
    for (const d of st.declarationList.declarations) {
      if (ts.isIdentifier(d.name) && d.name.text === "OPLETS") {
        init = d.initializer;
      }
    }
  }
  if (!init || !ts.isArrayLiteralExpression(init)) return null;
  const out: OpletInfo[] = [];
  for (const el of init.elements) {
    if (!ts.isCallExpression(el) || el.arguments.length < 2) return null;
    const [fn, params, exit] = el.arguments;
    if (!ts.isIdentifier(fn) || !fn.text.startsWith("op_")) return null;
    if (!ts.isNumericLiteral(params)) return null;
    let isExit = false;
    if (exit) {
      if (exit.kind === ts.SyntaxKind.TrueKeyword) isExit = true;
      else if (exit.kind !== ts.SyntaxKind.FalseKeyword) return null;
    }
    out.push({
      name: fn.text.slice(3),
      params: Number(params.text),
      exit: isExit,
    });
  }
  return out;
}

/**
 * The offset `n` when `expr` is `i + n` (or `i + a + b`, folded) for the
 * index parameter `i`; `0` for `i` alone; otherwise null.
 */
export function indexOffset(
  checker: ts.TypeChecker,
  i: ts.Symbol,
  expr: ts.Expression,
): number | null {
  while (ts.isParenthesizedExpression(expr)) expr = expr.expression;
  if (ts.isIdentifier(expr)) {
    return checker.getSymbolAtLocation(expr) === i ? 0 : null;
  }
  if (
    ts.isBinaryExpression(expr) &&
    expr.operatorToken.kind === ts.SyntaxKind.PlusToken &&
    ts.isNumericLiteral(expr.right)
  ) {
    const left = indexOffset(checker, i, expr.left);
    const n = Number(expr.right.text);
    if (left === null || !Number.isSafeInteger(n)) return null;
    return left + n;
  }
  return null;
}

/** Whether `node` is written: the target of an assignment, `++` or `--`. */
export function isWriteTarget(node: ts.Node): boolean {
  let p = node.parent;
  while (ts.isParenthesizedExpression(p)) {
    node = p;
    p = p.parent;
  }
  if (ts.isBinaryExpression(p)) {
    return p.left === node && isAssignmentOperator(p.operatorToken.kind);
  }
  if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) {
    return p.operator === ts.SyntaxKind.PlusPlusToken ||
      p.operator === ts.SyntaxKind.MinusMinusToken;
  }
  return ts.isArrayLiteralExpression(p) ||
    ts.isShorthandPropertyAssignment(p) ||
    ts.isPropertyAssignment(p) || ts.isSpreadElement(p) ||
    ts.isForInStatement(p) || ts.isForOfStatement(p);
}

/** Whether `kind` is `=`, `+=`, `&&=`, ... */
export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment &&
    kind <= ts.SyntaxKind.LastAssignment;
}

interface Context {
  readonly source: OpletSource;
  readonly helperNames: ReadonlySet<string>;
  readonly temps: ReadonlySet<string>;
  readonly globals: Set<string>;
}

function checkOplet(
  ctx: Context,
  decl: ts.FunctionDeclaration,
  info: OpletInfo,
  number: number,
): OpletBody {
  const { checker, program } = ctx.source;
  const where = `Oplet "${info.name}" (${basename(ctx.source.fileName)}:`;
  const fail = (node: ts.Node, what: string): never => {
    throw new GenError(`${where}${lineOf(node)}) ${what}`);
  };
  if (!decl.body) fail(decl, "has no body");
  if (
    decl.asteriskToken ||
    ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Async
  ) {
    fail(decl, "must be a plain function, not async or a generator");
  }
  const names = decl.parameters.map((p) =>
    ts.isIdentifier(p.name) ? p.name.text : ""
  );
  if (
    names.join(",") !== "s,c,i" ||
    decl.parameters.some((p) => p.initializer || p.dotDotDotToken)
  ) {
    fail(decl, "must take exactly the parameters (s, c, i)");
  }
  const [s, c, i] = decl.parameters.map((p) =>
    checker.getSymbolAtLocation(p.name)!
  );
  const body = decl.body!;
  const locals = new Map<ts.Symbol, string>();
  const helpers = new Set<string>();
  const stateFields = new Set<string>();
  const statements = body.statements;
  const last = statements[statements.length - 1];
  if (!last || !ts.isReturnStatement(last)) {
    fail(last ?? body, `does not end with a return statement`);
  }
  const isHelperCall = (call: ts.Node): boolean =>
    ts.isCallExpression(call) && ts.isIdentifier(call.expression) &&
    classify(call.expression) === "helper";

  const isLibDecl = (d: ts.Declaration) =>
    program.isSourceFileDefaultLibrary(d.getSourceFile());

  const isInBody = (d: ts.Node) =>
    d.pos >= body.pos && d.end <= body.end &&
    d.getSourceFile() === ctx.source.sourceFile;

  function classify(id: ts.Identifier): string {
    const sym = ts.isShorthandPropertyAssignment(id.parent)
      ? checker.getShorthandAssignmentValueSymbol(id.parent)
      : checker.getSymbolAtLocation(id);
    if (!sym) return fail(id, `uses "${id.text}", which does not resolve`);
    if (sym === s || sym === c || sym === i) return "param";
    const decls = sym.declarations ?? [];
    if (decls.length > 0 && decls.every(isInBody)) {
      for (const d of decls) {
        if (!ts.isVariableDeclaration(d) && !ts.isBindingElement(d)) {
          fail(d, `declares "${id.text}" other than as a variable`);
        }
      }
      locals.set(sym, id.text);
      return "local";
    }
    if (
      decls.length > 0 &&
      decls.every((d) =>
        (ts.isImportSpecifier(d) || ts.isImportClause(d) ||
          ts.isNamespaceImport(d)) &&
        d.getSourceFile() === ctx.source.sourceFile
      )
    ) {
      if (!ctx.helperNames.has(id.text)) {
        fail(
          id,
          `uses "${id.text}", which is not one of the helpers fused oplets get (${
            [...ctx.helperNames].join(", ") || "none"
          })`,
        );
      }
      helpers.add(id.text);
      return "helper";
    }
    if (decls.length > 0 && decls.every(isLibDecl)) {
      ctx.globals.add(id.text);
      return "global";
    }
    return fail(
      id,
      `uses "${id.text}", which is declared outside the oplet; bodies may use only their parameters, locals, imports and globals`,
    );
  }

  function checkType(node: ts.Node): void {
    if (ts.isTypeReferenceNode(node)) {
      const sym = checker.getSymbolAtLocation(node.typeName);
      if (!sym?.declarations?.every(isLibDecl)) {
        fail(
          node,
          `names the type "${node.typeName.getText()}", which a fused oplet cannot name`,
        );
      }
    }
    if (ts.isTypeQueryNode(node)) fail(node, "uses typeof in a type");
    ts.forEachChild(node, checkType);
  }

  function visit(node: ts.Node): void {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) {
      fail(node, "declares a nested function or class");
    }
    switch (node.kind) {
      case ts.SyntaxKind.ThisKeyword:
      case ts.SyntaxKind.SuperKeyword:
        fail(node, `uses "${node.getText()}"`);
        break;
      case ts.SyntaxKind.WithStatement:
      case ts.SyntaxKind.DebuggerStatement:
        fail(node, `uses a ${ts.SyntaxKind[node.kind]}`);
        break;
    }
    if (ts.isTypeNode(node)) return checkType(node);
    if (ts.isReturnStatement(node)) return checkReturn(node);
    if (ts.isPropertyAccessExpression(node)) {
      const e = node.expression;
      if (ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === s) {
        if (!ts.isIdentifier(node.name)) {
          fail(node, "uses a private field of s");
        }
        stateFields.add(node.name.text);
        return;
      }
      return visit(node.expression); // the name is not a reference
    }
    if (ts.isElementAccessExpression(node)) {
      const e = node.expression;
      if (ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === c) {
        const n = indexOffset(checker, i, node.argumentExpression);
        if (n === null) {
          fail(
            node,
            `reads "${node.getText()}"; parameters are read as c[i + N]`,
          );
        }
        if (n! < 1 || n! > info.params) {
          fail(
            node,
            `reads "${node.getText()}", but it has ${info.params} parameter${
              info.params === 1 ? "" : "s"
            }`,
          );
        }
        if (isWriteTarget(node)) {
          fail(node, `writes to its code array, "${node.getText()}"`);
        }
        return;
      }
      if (ts.isIdentifier(e) && checker.getSymbolAtLocation(e) === s) {
        fail(node, `reads s with brackets, "${node.getText()}"; use s.NAME`);
      }
    }
    // Names that are not references: object keys, destructured keys, labels.
    const skip: (ts.Node | undefined)[] = [];
    if (ts.isPropertyAssignment(node)) skip.push(node.name);
    if (ts.isBindingElement(node)) skip.push(node.propertyName);
    if (ts.isLabeledStatement(node) || ts.isBreakOrContinueStatement(node)) {
      skip.push(node.label);
    }
    if (skip.length > 0) {
      ts.forEachChild(node, (child) => {
        if (!skip.includes(child)) visit(child);
      });
      return;
    }
    if (ts.isIdentifier(node)) {
      const kind = classify(node);
      if (kind === "param") {
        const sym = checker.getSymbolAtLocation(node);
        if (sym === s && isHelperCall(node.parent) && !isWriteTarget(node)) {
          return;
        }
        if (sym === s) {
          fail(node, "uses s other than as s.NAME or a helper's argument");
        }
        if (sym === c) fail(node, "uses c other than as c[i + N]");
        fail(node, "uses i other than in c[i + N] or return i + N");
      }
      if (kind === "helper" && isWriteTarget(node)) {
        fail(node, `assigns to the helper "${node.text}"`);
      }
      return;
    }
    ts.forEachChild(node, visit);
  }

  function checkReturn(node: ts.ReturnStatement): void {
    if (!node.expression) return fail(node, "returns no value");
    const n = indexOffset(checker, i, node.expression);
    if (!info.exit) {
      if (node !== last || node.parent !== body) {
        fail(node, "returns before its end; only an exit oplet may");
      }
      if (n !== 1 + info.params) {
        fail(
          node,
          `ends with "${node.getText()}", but a non-exit oplet with ${info.params} parameter${
            info.params === 1 ? "" : "s"
          } must end with "return i + ${1 + info.params};"`,
        );
      }
      return;
    }
    if (n !== null) {
      if (n !== 1 + info.params) {
        fail(
          node,
          `returns "${node.expression.getText()}"; expected i + ${
            1 + info.params
          }`,
        );
      }
      return;
    }
    const assigns = (e: ts.Node): boolean =>
      (ts.isBinaryExpression(e) &&
        isAssignmentOperator(e.operatorToken.kind)) ||
      ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) &&
        (e.operator === ts.SyntaxKind.PlusPlusToken ||
          e.operator === ts.SyntaxKind.MinusMinusToken)) ||
      (ts.forEachChild(e, assigns) ?? false);
    if (assigns(node.expression)) {
      fail(node, "assigns inside its return expression");
    }
    visit(node.expression);
  }

  ts.forEachChild(body, visit);
  return {
    name: info.name,
    number,
    params: info.params,
    exit: info.exit,
    decl,
    line: lineOf(decl),
    s,
    c,
    i,
    locals,
    helpers,
    stateFields,
  };
}
