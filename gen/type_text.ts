/**
 * Naming the types of the state fields and helpers that fused oplets use, so
 * that the generated module type-checks standalone, without importing the
 * emulator: the state becomes a structural type of just the fields the
 * bodies touch, and a helper's type is written with that structural type
 * where it named the target's CPU class.
 *
 * @module
 */

import ts from "typescript";
import { GenError } from "./gen_error.ts";
import { STATE_TYPE_NAME } from "./limits.ts";
import type { OpletIndex } from "./oplet_index.ts";

const FLAGS = ts.NodeBuilderFlags.NoTruncation |
  ts.NodeBuilderFlags.IgnoreErrors;

/**
 * The type of each named state field, as TypeScript text with the state
 * type renamed to `FusedState` (for example `x` gives `Int32Array`).
 */
export function stateFieldTypes(
  index: OpletIndex,
  fields: Iterable<string>,
): Map<string, string> {
  const { checker } = index.source;
  const out = new Map<string, string>();
  for (const name of fields) {
    const prop = checker.getPropertyOfType(index.stateType, name);
    if (!prop) {
      throw new GenError(
        `The state type has no field "${name}", which an oplet uses`,
      );
    }
    const type = checker.getTypeOfSymbolAtLocation(
      prop,
      index.source.sourceFile,
    );
    out.set(name, typeText(index, type, `The state field "${name}"`));
  }
  return out;
}

/**
 * The type of each named helper (an import of the oplets' source), as
 * TypeScript text with the state type renamed to `FusedState`.
 */
export function helperTypes(
  index: OpletIndex,
  helpers: Iterable<string>,
): Map<string, string> {
  const { checker, sourceFile } = index.source;
  const specs = new Map<string, ts.Identifier>();
  for (const st of sourceFile.statements) {
    if (!ts.isImportDeclaration(st)) continue;
    const b = st.importClause?.namedBindings;
    if (b && ts.isNamedImports(b)) {
      for (const el of b.elements) specs.set(el.name.text, el.name);
    }
    if (st.importClause?.name) {
      specs.set(st.importClause.name.text, st.importClause.name);
    }
  }
  const out = new Map<string, string>();
  for (const name of helpers) {
    const id = specs.get(name);
    if (!id) throw new GenError(`The helper "${name}" is not imported by name`);
    const sym = checker.getSymbolAtLocation(id)!;
    const type = checker.getTypeOfSymbolAtLocation(sym, id);
    out.set(name, typeText(index, type, `The helper "${name}"`));
  }
  return out;
}

function typeText(index: OpletIndex, type: ts.Type, what: string): string {
  const { checker, sourceFile, program } = index.source;
  const widened = checker.getBaseTypeOfLiteralType(type);
  const node = checker.typeToTypeNode(widened, sourceFile, FLAGS);
  if (!node) throw new GenError(`${what} has a type that cannot be written`);
  const stateName = index.stateType.getSymbol()?.getName();
  const globals = new Map<string, ts.Symbol>();
  for (
    const sym of checker.getSymbolsInScope(sourceFile, ts.SymbolFlags.Type)
  ) {
    globals.set(sym.getName(), sym);
  }
  const isLib = (name: string) => {
    const decls = globals.get(name)?.declarations ?? [];
    return decls.length > 0 &&
      decls.every((d) => program.isSourceFileDefaultLibrary(d.getSourceFile()));
  };
  const result = ts.transform(node, [(context) => (root) => {
    const visit = (n: ts.Node): ts.Node => {
      if (ts.isTypeReferenceNode(n) && ts.isIdentifier(n.typeName)) {
        const name = n.typeName.text;
        if (name === stateName) {
          return ts.factory.createTypeReferenceNode(STATE_TYPE_NAME);
        }
        if (!isLib(name)) {
          throw new GenError(
            `${what} has a type naming "${name}", which the generated module cannot name`,
          );
        }
      } else if (ts.isTypeReferenceNode(n) || ts.isImportTypeNode(n)) {
        throw new GenError(
          `${what} has a type naming a qualified or imported type, which the generated module cannot name`,
        );
      }
      return ts.visitEachChild(n, visit, context);
    };
    return visit(root) as ts.TypeNode;
  }]);
  const printer = ts.createPrinter({ removeComments: true });
  const dummy = ts.createSourceFile("types.ts", "", ts.ScriptTarget.ES2022);
  const text = printer.printNode(
    ts.EmitHint.Unspecified,
    result.transformed[0],
    dummy,
  );
  result.dispose();
  return text;
}
