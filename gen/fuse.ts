/**
 * Pasting oplets' bodies together into one fused oplet: the seed's "cut the
 * respective code of the oplets, and paste them together".
 *
 * For a sequence of base oplets the fused function is flat code: each
 * member's statements in order, with
 * - its parameters renumbered (`c[i + n]` of the k-th member becomes
 *   `c[i + off + n]`, `off` being the earlier members' parameter count);
 * - its locals renamed (`a` of the second member becomes `a_2`), so that
 *   members cannot clash;
 * - the temporaries `s.t0`..`s.t2` kept in local variables: loaded from the
 *   state only when read before written, written back only when written,
 *   at the end and before every return of an exit member;
 * - the members' `return i + n;` dropped for one final
 *   `return i + 1 + params;`, unless the last member is an exit oplet
 *   (allowed with `fuseExits`), whose returns are kept.
 *
 * The code stays flat (no block per member): with every local renamed,
 * members cannot see each other's names, and V8 handles flat code best.
 * Keeping temporaries in locals relies on two facts of the oplet model:
 * helpers that get `s` (`loadSlow`, `storeSlow`) never touch `s.t0`..`s.t2`,
 * and temporaries are dead between guest instructions, so a fault thrown
 * in the middle of a fused oplet (before the write-back) loses nothing.
 *
 * @module
 */

import ts from "typescript";
import { GenError } from "./gen_error.ts";
import { MAX_SEQ_LENGTH, STATE_TYPE_NAME } from "./limits.ts";

export { MAX_SEQ_LENGTH, STATE_TYPE_NAME };
import {
  indexOffset,
  isWriteTarget,
  type OpletBody,
  type OpletIndex,
} from "./oplet_index.ts";

/** Options for {@link fuseSequence}. */
export interface FuseOptions {
  /** Allow an exit oplet as the last member (default false). */
  readonly fuseExits?: boolean;
}

/** What a fused oplet is, apart from its code. */
export interface FusedOpletInfo {
  /** The fused oplet's name, as the oplet table shows it. */
  readonly name: string;
  /** Its function's name: `op_` and its name. */
  readonly fnName: string;
  /** The base oplet numbers it replaces. */
  readonly seq: readonly number[];
  /** How many parameters it takes (its members' together). */
  readonly params: number;
  /** Whether it may leave the block (its last member is an exit oplet). */
  readonly exit: boolean;
  /** The helpers its body uses. */
  readonly helpers: ReadonlySet<string>;
  /** The state fields its body uses as `s.NAME`. */
  readonly stateFields: ReadonlySet<string>;
}

/** A fused oplet's code, ready to print. */
export interface FusedOpletCode extends FusedOpletInfo {
  /** Its function, `function op_NAME(s, c, i)`, as a syntax tree. */
  readonly fn: ts.FunctionDeclaration;
}

/**
 * Checks that `seq` (base oplet numbers) can be fused: at least two
 * members, each an oplet of the table, no exit oplet except, with
 * `fuseExits`, the last. Throws {@link GenError} if not.
 */
export function checkSequence(
  index: OpletIndex,
  seq: readonly number[],
  options: FuseOptions = {},
): void {
  const shown = () =>
    `[${seq.slice(0, 8).join(", ")}${seq.length > 8 ? ", ..." : ""}]`;
  if (seq.length < 2 || seq.length > MAX_SEQ_LENGTH) {
    throw new GenError(
      `Sequence ${shown()} has ${seq.length} oplets; expected 2 to ${MAX_SEQ_LENGTH}`,
    );
  }
  seq.forEach((n, k) => {
    if (!Number.isInteger(n) || n < 0 || n >= index.table.length) {
      throw new GenError(
        `Sequence ${shown()} names oplet ${n}, which is not in the table (0 to ${
          index.table.length - 1
        })`,
      );
    }
    const o = index.table[n];
    if (o.exit && (k < seq.length - 1 || !options.fuseExits)) {
      throw new GenError(
        `Sequence ${shown()} has the exit oplet "${o.name}" ${
          k < seq.length - 1
            ? "before its end"
            : "at its end; use --fuse-exits to fuse it"
        }`,
      );
    }
  });
}

/**
 * Pastes the bodies of the base oplets `seq` into one fused oplet named
 * `name` (see the module doc). Throws {@link GenError} when the sequence
 * cannot be fused ({@link checkSequence}).
 *
 * This module is internal to the generator; `fuse_test.ts` shows it at work.
 */
export function fuseSequence(
  index: OpletIndex,
  seq: readonly number[],
  name: string,
  options: FuseOptions = {},
): FusedOpletCode {
  checkSequence(index, seq, options);
  const { checker } = index.source;
  const f = ts.factory;
  const members = seq.map((n) => index.oplets[n]);
  const offsets: number[] = [];
  let params = 0;
  for (const m of members) {
    offsets.push(params);
    params += m.params;
  }
  const last = members[members.length - 1];
  const exit = last.exit;
  const fnName = "op_" + name;
  const temps = new Set(index.temps);

  // Names a renamed local must not take.
  const taken = new Set<string>([
    "s",
    "c",
    "i",
    "helpers",
    fnName,
    ...index.temps,
    ...index.helperNames,
    ...index.globals,
  ]);
  const renames = members.map((m, k) => {
    const map = new Map<ts.Symbol, string>();
    for (const [sym, local] of m.locals) {
      let fresh = `${local}_${k + 1}`;
      while (taken.has(fresh)) fresh += "_";
      taken.add(fresh);
      map.set(sym, fresh);
    }
    return map;
  });

  const tempOf = (m: OpletBody, node: ts.Node): string | null =>
    ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) &&
      ts.isIdentifier(node.name) && temps.has(node.name.text) &&
      checker.getSymbolAtLocation(node.expression) === m.s
      ? node.name.text
      : null;

  /** The temporaries `node` mentions, and those it writes (with a count). */
  const tempsIn = (m: OpletBody, node: ts.Node) => {
    const seen = new Set<string>();
    const written: string[] = [];
    const walk = (n: ts.Node): void => {
      const t = tempOf(m, n);
      if (t) {
        seen.add(t);
        if (isWriteTarget(n)) written.push(t);
        return;
      }
      ts.forEachChild(n, walk);
    };
    walk(node);
    return { seen, written };
  };

  /** The temporary that `st` definitely writes first (`s.tN = expr;`), if any. */
  const definiteWrite = (m: OpletBody, st: ts.Statement) => {
    if (!ts.isExpressionStatement(st)) return null;
    const e = st.expression;
    if (
      !ts.isBinaryExpression(e) ||
      e.operatorToken.kind !== ts.SyntaxKind.EqualsToken
    ) return null;
    const t = tempOf(m, e.left);
    return t ? { temp: t, value: e.right } : null;
  };

  // Where each temporary is first declared: loaded at the top, or at the
  // statement that definitely writes it first; and how often it is written.
  type Pos = readonly [member: number, statement: number];
  const loaded = new Set<string>();
  const declaredAt = new Map<string, Pos>();
  const writes = new Map<string, number>();
  const declare = (t: string) => {
    if (!loaded.has(t) && !declaredAt.has(t)) loaded.add(t);
  };
  const count = (list: readonly string[]) => {
    for (const t of list) writes.set(t, (writes.get(t) ?? 0) + 1);
  };
  members.forEach((m, k) => {
    m.decl.body!.statements.forEach((st, j) => {
      const dw = definiteWrite(m, st);
      if (dw) {
        const inValue = tempsIn(m, dw.value);
        inValue.seen.forEach(declare);
        count(inValue.written);
        if (!loaded.has(dw.temp) && !declaredAt.has(dw.temp)) {
          declaredAt.set(dw.temp, [k, j]);
        }
        count([dw.temp]);
      } else {
        const found = tempsIn(m, st);
        found.seen.forEach(declare);
        count(found.written);
      }
    });
  });
  const ordered = index.temps.filter((t) => loaded.has(t) || declaredAt.has(t));
  const before = (a: Pos, b: Pos) =>
    a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const writeBack = (at: Pos | null): ts.Statement[] =>
    ordered
      .filter((t) => writes.has(t))
      .filter((t) =>
        at === null || loaded.has(t) || before(declaredAt.get(t)!, at)
      )
      .map((t) =>
        f.createExpressionStatement(
          f.createBinaryExpression(
            f.createPropertyAccessExpression(f.createIdentifier("s"), t),
            ts.SyntaxKind.EqualsToken,
            f.createIdentifier(t),
          ),
        )
      );
  const flags = (t: string) =>
    (writes.get(t) ?? 0) > (loaded.has(t) ? 0 : 1)
      ? ts.NodeFlags.Let
      : ts.NodeFlags.Const;
  const declareTemp = (t: string, value: ts.Expression) =>
    f.createVariableStatement(
      undefined,
      f.createVariableDeclarationList(
        [f.createVariableDeclaration(t, undefined, undefined, value)],
        flags(t),
      ),
    );

  const out: ts.Statement[] = [];
  for (const t of ordered) {
    if (loaded.has(t)) {
      out.push(
        declareTemp(
          t,
          f.createPropertyAccessExpression(f.createIdentifier("s"), t),
        ),
      );
    }
  }
  const iPlus = (n: number) =>
    n === 0 ? f.createIdentifier("i") : f.createBinaryExpression(
      f.createIdentifier("i"),
      ts.SyntaxKind.PlusToken,
      f.createNumericLiteral(n),
    );

  members.forEach((m, k) => {
    const rename = renames[k];
    const off = offsets[k];
    const body = m.decl.body!;
    const result = ts.transform(body, [(context) => (root) => {
      let pos: Pos = [k, 0];
      const local = (id: ts.Identifier): string | undefined => {
        const sym = ts.isShorthandPropertyAssignment(id.parent)
          ? checker.getShorthandAssignmentValueSymbol(id.parent)
          : checker.getSymbolAtLocation(id);
        return sym ? rename.get(sym) : undefined;
      };
      const statements = (list: readonly ts.Statement[]): ts.Statement[] => {
        const res: ts.Statement[] = [];
        for (const st of list) {
          if (ts.isReturnStatement(st)) {
            res.push(...writeBack(pos), returnOf(st));
          } else res.push(visit(st) as ts.Statement);
        }
        return res;
      };
      const returnOf = (st: ts.ReturnStatement): ts.ReturnStatement => {
        const n = indexOffset(checker, m.i, st.expression!);
        return f.createReturnStatement(
          n !== null ? iPlus(off + n) : visit(st.expression!) as ts.Expression,
        );
      };
      const visit = (node: ts.Node): ts.Node => {
        const t = tempOf(m, node);
        if (t) return f.createIdentifier(t);
        if (ts.isIdentifier(node)) {
          const to = local(node);
          return to ? f.createIdentifier(to) : node;
        }
        if (ts.isShorthandPropertyAssignment(node)) {
          const to = local(node.name);
          return to
            ? f.createPropertyAssignment(node.name.text, f.createIdentifier(to))
            : node;
        }
        if (ts.isPropertyAccessExpression(node)) {
          return f.updatePropertyAccessExpression(
            node,
            visit(node.expression) as ts.Expression,
            node.name,
          );
        }
        if (ts.isPropertyAssignment(node)) {
          return f.updatePropertyAssignment(
            node,
            node.name,
            visit(node.initializer) as ts.Expression,
          );
        }
        if (
          ts.isElementAccessExpression(node) &&
          ts.isIdentifier(node.expression) &&
          checker.getSymbolAtLocation(node.expression) === m.c
        ) {
          const n = indexOffset(checker, m.i, node.argumentExpression)!;
          return off === 0 ? node : f.createElementAccessExpression(
            f.createIdentifier("c"),
            iPlus(off + n),
          );
        }
        if (ts.isBlock(node)) {
          return f.updateBlock(node, statements(node.statements));
        }
        if (ts.isCaseClause(node)) {
          return f.updateCaseClause(
            node,
            visit(node.expression) as ts.Expression,
            statements(node.statements),
          );
        }
        if (ts.isDefaultClause(node)) {
          return f.updateDefaultClause(node, statements(node.statements));
        }
        if (ts.isReturnStatement(node)) {
          const wb = writeBack(pos);
          return wb.length === 0
            ? returnOf(node)
            : f.createBlock([...wb, returnOf(node)], true);
        }
        if (ts.isTypeNode(node)) return node;
        return ts.visitEachChild(node, visit, context);
      };
      const res: ts.Statement[] = [];
      root.statements.forEach((st, j) => {
        pos = [k, j];
        if (!m.exit && ts.isReturnStatement(st)) return; // the final return i + n
        const dw = definiteWrite(m, st);
        const decl = dw && declaredAt.get(dw.temp);
        if (dw && decl && decl[0] === k && decl[1] === j) {
          res.push(declareTemp(dw.temp, visit(dw.value) as ts.Expression));
        } else {
          res.push(...statements([st]));
        }
      });
      return f.updateBlock(root, res);
    }]);
    out.push(...(result.transformed[0] as ts.Block).statements);
    result.dispose();
  });
  if (!exit) {
    out.push(...writeBack(null), f.createReturnStatement(iPlus(1 + params)));
  }

  const fn = f.createFunctionDeclaration(
    undefined,
    undefined,
    fnName,
    undefined,
    [
      param("s", f.createTypeReferenceNode(STATE_TYPE_NAME)),
      param("c", f.createTypeReferenceNode("Int32Array")),
      param("i", f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword)),
    ],
    f.createKeywordTypeNode(ts.SyntaxKind.NumberKeyword),
    f.createBlock(out, true),
  );
  const helpers = new Set<string>();
  const stateFields = new Set<string>(ordered);
  for (const m of members) {
    m.helpers.forEach((h) => helpers.add(h));
    m.stateFields.forEach((x) => temps.has(x) || stateFields.add(x));
  }
  return {
    name,
    fnName,
    seq: [...seq],
    params,
    exit,
    fn,
    helpers,
    stateFields,
  };
}

function param(name: string, type: ts.TypeNode): ts.ParameterDeclaration {
  return ts.factory.createParameterDeclaration(
    undefined,
    undefined,
    name,
    undefined,
    type,
  );
}

/** Prints a fused oplet's function as TypeScript text (unformatted). */
export function printFused(index: OpletIndex, fused: FusedOpletCode): string {
  const printer = ts.createPrinter({
    newLine: ts.NewLineKind.LineFeed,
    removeComments: true,
  });
  return printer.printNode(
    ts.EmitHint.Unspecified,
    fused.fn,
    index.source.sourceFile,
  );
}
