/**
 * The one reader of oplet source: parses an oplet function's text (its
 * `Function.prototype.toString()`, plain JavaScript once Deno has stripped
 * the types) into a small syntax tree, and prints such a tree back as
 * JavaScript. Every backend works from this tree: `switch` and `paste`
 * print it with names and parameters rewritten, `jit` compiles it to
 * WebAssembly.
 *
 * The subset is what oplets are written in: `const`/`let` declarations,
 * `if`/`else`, `return`, `throw`, assignments (also compound ones and
 * `++`/`--`), member access (`s.f`, `s.x[...]`, `c[i + N]`), unary, binary,
 * logical and conditional operators, calls (helpers, `Math.*`), `new`,
 * number, string and boolean literals. Anything else is refused with an
 * {@link OpletSourceError} naming the oplet and the offset.
 *
 * @module
 */

/** An oplet's text could not be read. */
export class OpletSourceError extends Error {
  /** Creates the error; `message` is the whole one-line message. */
  constructor(message: string) {
    super(message);
    this.name = "OpletSourceError";
  }
}

/**
 * An expression. `paren` marks one the source wrote in parentheses (kept
 * by {@link printExpr}'s `minimal` style, so that printed code reads like
 * its source); `raw` is a number's text as written (`0xff`).
 */
export type Expr = ExprNode & { paren?: boolean };

/** An expression without its {@link Expr.paren} mark. */
export type ExprNode =
  | { k: "num"; v: number; raw?: string }
  | { k: "str"; v: string }
  | { k: "bool"; v: boolean }
  | { k: "id"; name: string }
  | { k: "member"; obj: Expr; prop: string }
  | { k: "index"; obj: Expr; idx: Expr }
  | { k: "call"; callee: Expr; args: Expr[] }
  | { k: "new"; callee: Expr; args: Expr[] }
  | { k: "un"; op: string; e: Expr }
  | { k: "bin"; op: string; l: Expr; r: Expr }
  | { k: "cond"; c: Expr; t: Expr; f: Expr }
  | { k: "assign"; op: string; target: Expr; value: Expr }
  | { k: "update"; op: "++" | "--"; prefix: boolean; target: Expr };

/** A statement. */
export type Stmt =
  | { k: "decl"; kind: "const" | "let"; name: string; init: Expr }
  | { k: "expr"; e: Expr }
  | { k: "if"; c: Expr; t: Stmt[]; f: Stmt[] | null }
  | { k: "return"; e: Expr | null }
  | { k: "throw"; e: Expr }
  | { k: "block"; body: Stmt[] };

/** A parsed oplet function. */
export interface OpletAst {
  /** The function's name. */
  name: string;
  /** Its parameter names. */
  params: string[];
  /** Its body. */
  body: Stmt[];
}

type Tok = { t: "id" | "num" | "str" | "p"; v: string; at: number };

/**
 * One token at the scan position (sticky): group 1 white space or a
 * comment, 2 a name, 3 a number, 4 and 5 a string's text between double
 * or single quotes, 6 a punctuator (the longest first). One native match
 * per token: the reader runs cold on every start of the `jit` backend,
 * where a loop over characters in JavaScript cost more.
 */
const TOKEN =
  /(\s+|\/\/[^\n]*|\/\*[^]*?\*\/)|([A-Za-z_$][\w$]*)|(?=\d|\.\d)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*)?\.?\d*(?:[eE][+-]?\d+)?)|"((?:[^"\\]|\\[^])*)"|'((?:[^'\\]|\\[^])*)'|(>>>=|===|!==|>>>|<<=|>>=|\*\*=|&&=|\|\|=|\?\?=|=>|==|!=|<=|>=|&&|\|\||\?\?|<<|>>|\+\+|--|\+=|-=|\*=|\/=|%=|&=|\|=|\^=|\*\*|[{}()[\];,.?:=<>+\-*/%&|^!~])/y;

/** A string's escapes: `\n`, `\t`, and any other character as itself. */
const ESCAPE = /\\([^])/g;

function unescape(text: string): string {
  return text.includes("\\")
    ? text.replace(ESCAPE, (_, e) => e === "n" ? "\n" : e === "t" ? "\t" : e)
    : text;
}

function tokenize(src: string, where: string): Tok[] {
  const toks: Tok[] = [];
  const n = src.length;
  let p = 0;
  while (p < n) {
    TOKEN.lastIndex = p;
    const m = TOKEN.exec(src);
    if (m === null) {
      const c = src[p];
      if (c === '"' || c === "'") {
        throw err(where, p, "an unterminated string");
      }
      throw err(where, p, `a character the oplet subset has ("${c}")`);
    }
    const at = p;
    p = TOKEN.lastIndex;
    if (m[1] !== undefined) continue;
    if (m[2] !== undefined) toks.push({ t: "id", v: m[2], at });
    else if (m[3] !== undefined) {
      const v = m[3];
      toks.push({
        t: "num",
        v: v.includes("_") ? v.replaceAll("_", "") : v,
        at,
      });
    } else if (m[4] !== undefined) {
      toks.push({ t: "str", v: unescape(m[4]), at });
    } else if (m[5] !== undefined) {
      toks.push({ t: "str", v: unescape(m[5]), at });
    } else {
      const v = m[6];
      if (v === "/" && src.charCodeAt(p) === 42) {
        throw err(where, at, "an unterminated comment");
      }
      toks.push({ t: "p", v, at });
    }
  }
  return toks;
}

function err(where: string, at: number, expected: string): OpletSourceError {
  return new OpletSourceError(
    `Oplet "${where}" at offset ${at}: expected ${expected}`,
  );
}

const BIN_PREC: Record<string, number> = {
  "??": 1,
  "||": 2,
  "&&": 3,
  "|": 4,
  "^": 5,
  "&": 6,
  "==": 7,
  "!=": 7,
  "===": 7,
  "!==": 7,
  "<": 8,
  ">": 8,
  "<=": 8,
  ">=": 8,
  "<<": 9,
  ">>": 9,
  ">>>": 9,
  "+": 10,
  "-": 10,
  "*": 11,
  "/": 11,
  "%": 11,
  "**": 12,
};

const ASSIGN_OPS = new Set([
  "=",
  "+=",
  "-=",
  "*=",
  "/=",
  "%=",
  "<<=",
  ">>=",
  ">>>=",
  "&=",
  "|=",
  "^=",
  "**=",
]);

class Parser {
  private p = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly where: string,
    private readonly len: number,
  ) {}

  private peek(): Tok | undefined {
    return this.toks[this.p];
  }
  private at(): number {
    return this.peek()?.at ?? this.len;
  }
  private is(v: string): boolean {
    const t = this.peek();
    return t !== undefined && (t.t === "p" || t.t === "id") && t.v === v;
  }
  private eat(v: string): boolean {
    if (this.is(v)) {
      this.p++;
      return true;
    }
    return false;
  }
  private expect(v: string): void {
    if (!this.eat(v)) throw err(this.where, this.at(), `"${v}"`);
  }
  private ident(): string {
    const t = this.peek();
    if (t?.t !== "id") throw err(this.where, this.at(), "a name");
    this.p++;
    return t.v;
  }
  done(): boolean {
    return this.p >= this.toks.length;
  }

  fn(): OpletAst {
    this.expect("function");
    const name = this.peek()?.t === "id" ? this.ident() : "";
    this.expect("(");
    const params: string[] = [];
    while (!this.eat(")")) {
      params.push(this.ident());
      if (!this.is(")")) this.expect(",");
    }
    const body = this.blockBody();
    if (!this.done()) {
      throw err(this.where, this.at(), "the end of the function");
    }
    return { name, params, body };
  }

  private blockBody(): Stmt[] {
    this.expect("{");
    const body: Stmt[] = [];
    while (!this.eat("}")) {
      if (this.done()) throw err(this.where, this.len, '"}"');
      body.push(this.stmt());
    }
    return body;
  }

  private stmt(): Stmt {
    if (this.is("{")) return { k: "block", body: this.blockBody() };
    if (this.is("const") || this.is("let")) {
      const kind = this.ident() as "const" | "let";
      const name = this.ident();
      this.expect("=");
      const init = this.expr();
      this.semi();
      return { k: "decl", kind, name, init };
    }
    if (this.eat("if")) {
      this.expect("(");
      const c = this.expr();
      this.expect(")");
      const t = this.body();
      const f = this.eat("else") ? this.body() : null;
      return { k: "if", c, t, f };
    }
    if (this.eat("return")) {
      if (this.eat(";")) return { k: "return", e: null };
      const e = this.expr();
      this.semi();
      return { k: "return", e };
    }
    if (this.eat("throw")) {
      const e = this.expr();
      this.semi();
      return { k: "throw", e };
    }
    if (this.eat(";")) return { k: "block", body: [] };
    const e = this.expr();
    this.semi();
    return { k: "expr", e };
  }

  private body(): Stmt[] {
    const s = this.stmt();
    return s.k === "block" ? s.body : [s];
  }

  private semi(): void {
    if (!this.eat(";") && !this.is("}") && !this.done()) {
      throw err(this.where, this.at(), '";"');
    }
  }

  expr(): Expr {
    const start = this.at();
    const l = this.cond();
    const t = this.peek();
    if (t?.t === "p" && ASSIGN_OPS.has(t.v)) {
      if (l.k !== "id" && l.k !== "member" && l.k !== "index") {
        throw err(this.where, start, "a name or member to assign to");
      }
      this.p++;
      return { k: "assign", op: t.v, target: l, value: this.expr() };
    }
    return l;
  }

  private cond(): Expr {
    const c = this.binary(1);
    if (!this.eat("?")) return c;
    const t = this.expr();
    this.expect(":");
    const f = this.expr();
    return { k: "cond", c, t, f };
  }

  private binary(min: number): Expr {
    let l = this.unary();
    for (;;) {
      const t = this.peek();
      const prec = t?.t === "p" ? BIN_PREC[t.v] : undefined;
      if (prec === undefined || prec < min) return l;
      this.p++;
      // ** is right-associative; every other operator is left-associative.
      const r = this.binary(t!.v === "**" ? prec : prec + 1);
      l = { k: "bin", op: t!.v, l, r };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (
      t?.t === "p" && (t.v === "-" || t.v === "+" || t.v === "!" || t.v === "~")
    ) {
      this.p++;
      return { k: "un", op: t.v, e: this.unary() };
    }
    if (t?.t === "id" && (t.v === "typeof" || t.v === "void")) {
      this.p++;
      return { k: "un", op: t.v, e: this.unary() };
    }
    if (t?.t === "p" && (t.v === "++" || t.v === "--")) {
      this.p++;
      return { k: "update", op: t.v, prefix: true, target: this.unary() };
    }
    const e = this.postfix();
    const u = this.peek();
    if (u?.t === "p" && (u.v === "++" || u.v === "--")) {
      this.p++;
      return { k: "update", op: u.v, prefix: false, target: e };
    }
    return e;
  }

  private postfix(): Expr {
    let e: Expr;
    if (this.eat("new")) {
      const callee = this.primaryMembers(this.primary());
      const args = this.is("(") ? this.args() : [];
      e = { k: "new", callee, args };
    } else e = this.primary();
    for (;;) {
      if (this.eat(".")) e = { k: "member", obj: e, prop: this.ident() };
      else if (this.eat("[")) {
        const idx = this.expr();
        this.expect("]");
        e = { k: "index", obj: e, idx };
      } else if (this.is("(")) e = { k: "call", callee: e, args: this.args() };
      else return e;
    }
  }

  private primaryMembers(e: Expr): Expr {
    while (this.eat(".")) e = { k: "member", obj: e, prop: this.ident() };
    return e;
  }

  private args(): Expr[] {
    this.expect("(");
    const args: Expr[] = [];
    while (!this.eat(")")) {
      args.push(this.expr());
      if (!this.is(")")) this.expect(",");
    }
    return args;
  }

  private primary(): Expr {
    const t = this.peek();
    if (t === undefined) throw err(this.where, this.len, "an expression");
    if (t.t === "num") {
      this.p++;
      return { k: "num", v: Number(t.v), raw: t.v };
    }
    if (t.t === "str") {
      this.p++;
      return { k: "str", v: t.v };
    }
    if (t.t === "id") {
      if (t.v === "true" || t.v === "false") {
        this.p++;
        return { k: "bool", v: t.v === "true" };
      }
      if (RESERVED.has(t.v)) throw err(this.where, t.at, "an expression");
      this.p++;
      return { k: "id", name: t.v };
    }
    if (this.eat("(")) {
      const e = this.expr();
      this.expect(")");
      return { ...e, paren: true };
    }
    throw err(this.where, t.at, "an expression");
  }
}

const RESERVED = new Set([
  "function",
  "const",
  "let",
  "var",
  "if",
  "else",
  "for",
  "while",
  "do",
  "switch",
  "case",
  "return",
  "throw",
  "try",
  "catch",
  "class",
  "new",
  "this",
  "yield",
  "await",
  "delete",
  "in",
  "instanceof",
]);

/**
 * Parses a function's source text (as `fn.toString()` gives it) into an
 * {@link OpletAst}. `where` names it in errors. Throws
 * {@link OpletSourceError} for text outside the oplet subset.
 *
 * @example
 * ```ts
 * import { parseOplet } from "@oplet/emu";
 * const ast = parseOplet("function op_add(s, c, i) { s.t0 = s.t0 + s.t1 | 0; return i + 1; }", "add");
 * console.log(ast.name, ast.body.length); // op_add 2
 * ```
 */
export function parseOplet(src: string, where: string): OpletAst {
  const text = src.trim();
  const p = new Parser(tokenize(text, where), where, text.length);
  return p.fn();
}

/**
 * How {@link printStmts} prints a node: return a string to print instead of
 * the node, or `undefined` to print it as usual.
 */
export interface PrintHooks {
  /** Replaces an expression. */
  expr?: (e: Expr) => string | undefined;
  /** Replaces a statement. */
  stmt?: (s: Stmt) => string | undefined;
}

/**
 * How {@link printExpr} and {@link printStmts} parenthesise: `"full"`
 * (the default) wraps every operation, which makes a hook's text safe
 * anywhere; `"minimal"` wraps only where the grammar needs it or the
 * source had parentheses, and prints numbers as written, for code that
 * people read (the generator's fused oplets).
 */
export type PrintStyle = "full" | "minimal";

/**
 * Prints an expression as JavaScript, every operation parenthesised
 * unless `style` is `"minimal"`.
 *
 * @example
 * ```ts
 * import { parseOplet, printStmts } from "@oplet/emu";
 * const ast = parseOplet("function f(s, c, i) { s.t0 = (s.t0 + 1) | 0; return i + 1; }", "f");
 * console.log(printStmts(ast.body, {}, "minimal"));
 * // s.t0 = (s.t0 + 1) | 0;
 * // return i + 1;
 * ```
 */
export function printExpr(
  e: Expr,
  h: PrintHooks = {},
  style: PrintStyle = "full",
): string {
  return style === "minimal" ? printMin(e, h, 0) : printFull(e, h);
}

/** A string, boolean or name as JavaScript text. */
function leafText(e: Expr & { k: "str" | "bool" | "id" }): string {
  return e.k === "str"
    ? JSON.stringify(e.v)
    : e.k === "bool"
    ? String(e.v)
    : e.name;
}

function printFull(e: Expr, h: PrintHooks): string {
  const r = h.expr?.(e);
  if (r !== undefined) return r;
  const p = (x: Expr) => printFull(x, h);
  switch (e.k) {
    case "num":
      return Object.is(e.v, -0) ? "(-0)" : e.v < 0 ? `(${e.v})` : String(e.v);
    case "str":
    case "bool":
    case "id":
      return leafText(e);
    case "member":
      return `${p(e.obj)}.${e.prop}`;
    case "index":
      return `${p(e.obj)}[${p(e.idx)}]`;
    case "call":
      return `${p(e.callee)}(${e.args.map(p).join(", ")})`;
    case "new":
      return `(new ${p(e.callee)}(${e.args.map(p).join(", ")}))`;
    case "un":
      return `(${e.op}${/\w/.test(e.op) ? " " : ""}${p(e.e)})`;
    case "bin":
      return `(${p(e.l)} ${e.op} ${p(e.r)})`;
    case "cond":
      return `(${p(e.c)} ? ${p(e.t)} : ${p(e.f)})`;
    case "assign":
      return `(${p(e.target)} ${e.op} ${p(e.value)})`;
    case "update":
      return e.prefix ? `(${e.op}${p(e.target)})` : `(${p(e.target)}${e.op})`;
  }
}

// Binding strength for the minimal style (higher binds tighter).
const P_ASSIGN = 1, P_COND = 2, P_BIN = 2, P_UNARY = 15, P_POSTFIX = 16;
const P_MEMBER = 17, P_PRIMARY = 18;

function precOf(e: Expr): number {
  switch (e.k) {
    case "assign":
      return P_ASSIGN;
    case "cond":
      return P_COND;
    case "bin":
      return P_BIN + BIN_PREC[e.op];
    case "un":
      return P_UNARY;
    case "update":
      return e.prefix ? P_UNARY : P_POSTFIX;
    case "member":
    case "index":
    case "call":
    case "new":
      return P_MEMBER;
    case "num":
      return e.v < 0 || Object.is(e.v, -0) ? P_UNARY : P_PRIMARY;
    default:
      return P_PRIMARY;
  }
}

const BITWISE = new Set(["|", "^", "&", "<<", ">>", ">>>"]);
const COMPARE = new Set(["==", "!=", "===", "!==", "<", ">", "<=", ">="]);
const isLogical = (e: Expr) =>
  e.k === "bin" && (e.op === "||" || e.op === "&&");
const isCoalesce = (e: Expr) => e.k === "bin" && e.op === "??";

/** Prints `e` where the grammar needs binding strength `min` or more. */
function printMin(e: Expr, h: PrintHooks, min: number): string {
  const r = h.expr?.(e);
  if (r !== undefined) return r;
  const text = printMinBare(e, h);
  return e.paren || precOf(e) < min ? `(${text})` : text;
}

function printMinBare(e: Expr, h: PrintHooks): string {
  const p = (x: Expr, min: number) => printMin(x, h, min);
  const args = (a: Expr[]) => a.map((x) => p(x, P_ASSIGN)).join(", ");
  switch (e.k) {
    case "num":
      return e.raw ?? (Object.is(e.v, -0) ? "-0" : String(e.v));
    case "str":
    case "bool":
    case "id":
      return leafText(e);
    case "member": {
      const obj = p(e.obj, P_MEMBER);
      return `${
        e.obj.k === "num" && !e.obj.paren ? `(${obj})` : obj
      }.${e.prop}`;
    }
    case "index":
      return `${p(e.obj, P_MEMBER)}[${p(e.idx, 0)}]`;
    case "call":
      return `${p(e.callee, P_MEMBER)}(${args(e.args)})`;
    case "new": {
      const callee = p(e.callee, P_MEMBER);
      const wrap = e.callee.k === "call" && !e.callee.paren;
      return `new ${wrap ? `(${callee})` : callee}(${args(e.args)})`;
    }
    case "un": {
      const operand = p(e.e, P_UNARY);
      if (/\w/.test(e.op)) return `${e.op} ${operand}`;
      // "- -a" and "+ +a" must not become "--a" and "++a".
      return operand[0] === e.op ? `${e.op}(${operand})` : e.op + operand;
    }
    case "bin": {
      const prec = P_BIN + BIN_PREC[e.op];
      // ** is right-associative and takes no unary operand on its left.
      const [lmin, rmin] = e.op === "**" ? [P_POSTFIX, prec] : [prec, prec + 1];
      // ?? does not mix with || and && without parentheses; and for the
      // reader, an operation inside a bitwise operator or a shift, or a
      // bitwise operation inside a comparison, gets them too.
      const mix = (x: Expr) =>
        (e.op === "??" && isLogical(x)) || (isLogical(e) && isCoalesce(x)) ||
        (x.k === "bin" && x.op !== e.op && BITWISE.has(e.op) &&
          !isLogical(x) && !isCoalesce(x)) ||
        (x.k === "bin" && COMPARE.has(e.op) && BITWISE.has(x.op));
      const side = (x: Expr, min: number) => {
        const t = p(x, min);
        return mix(x) && !x.paren && precOf(x) >= min &&
            h.expr?.(x) === undefined
          ? `(${t})`
          : t;
      };
      return `${side(e.l, lmin)} ${e.op} ${side(e.r, rmin)}`;
    }
    case "cond":
      return `${p(e.c, P_COND + 1)} ? ${p(e.t, P_ASSIGN)} : ${
        p(e.f, P_ASSIGN)
      }`;
    case "assign":
      return `${p(e.target, P_MEMBER)} ${e.op} ${p(e.value, P_ASSIGN)}`;
    case "update":
      return e.prefix
        ? `${e.op}${p(e.target, P_MEMBER)}`
        : `${p(e.target, P_MEMBER)}${e.op}`;
  }
}

/** Prints statements as JavaScript, one per line (see {@link printExpr}). */
export function printStmts(
  body: readonly Stmt[],
  h: PrintHooks = {},
  style: PrintStyle = "full",
): string {
  return body.map((s) => printStmt(s, h, style)).join("\n");
}

function printStmt(s: Stmt, h: PrintHooks, style: PrintStyle): string {
  const r = h.stmt?.(s);
  if (r !== undefined) return r;
  // Parentheses around a whole statement's or condition's expression say
  // nothing: the minimal style drops them.
  const top = (e: Expr) =>
    style === "minimal" ? h.expr?.(e) ?? printMinBare(e, h) : printFull(e, h);
  switch (s.k) {
    case "decl":
      return `${s.kind} ${s.name} = ${top(s.init)};`;
    case "expr":
      return `${top(s.e)};`;
    case "if": {
      const head = `if (${top(s.c)}) {\n${printStmts(s.t, h, style)}\n}`;
      if (!s.f) return head;
      if (s.f.length === 1 && s.f[0].k === "if") {
        return `${head} else ${printStmt(s.f[0], h, style)}`;
      }
      return `${head} else {\n${printStmts(s.f, h, style)}\n}`;
    }
    case "return":
      return s.e ? `return ${top(s.e)};` : "return;";
    case "throw":
      return `throw ${top(s.e)};`;
    case "block":
      return `{\n${printStmts(s.body, h, style)}\n}`;
  }
}

/**
 * Calls `f` on each direct sub-expression of `e`, in source order (an
 * assignment's target before its value).
 */
export function forEachChild(e: Expr, f: (child: Expr) => void): void {
  switch (e.k) {
    case "member":
      return f(e.obj);
    case "index":
      f(e.obj);
      return f(e.idx);
    case "call":
    case "new":
      f(e.callee);
      for (const a of e.args) f(a);
      return;
    case "un":
      return f(e.e);
    case "bin":
      f(e.l);
      return f(e.r);
    case "cond":
      f(e.c);
      f(e.t);
      return f(e.f);
    case "assign":
      f(e.target);
      return f(e.value);
    case "update":
      return f(e.target);
  }
}

/**
 * A copy of `e` with each direct sub-expression replaced by `f`'s result
 * (`e` itself when it has none); the node's other fields are kept.
 *
 * @example
 * ```ts
 * import { type Expr, mapChildren, parseOplet, printExpr } from "@oplet/emu";
 * const ast = parseOplet("function f(s, c, i) { return a + b; }", "f");
 * const ret = ast.body[0];
 * if (ret.k === "return" && ret.e) {
 *   const swap = (e: Expr): Expr =>
 *     e.k === "id" ? { k: "id", name: e.name.toUpperCase() } : mapChildren(e, swap);
 *   console.log(printExpr(swap(ret.e), {}, "minimal")); // A + B
 * }
 * ```
 */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.k) {
    case "member":
      return { ...e, obj: f(e.obj) };
    case "index":
      return { ...e, obj: f(e.obj), idx: f(e.idx) };
    case "call":
    case "new":
      return { ...e, callee: f(e.callee), args: e.args.map(f) };
    case "un":
      return { ...e, e: f(e.e) };
    case "bin":
      return { ...e, l: f(e.l), r: f(e.r) };
    case "cond":
      return { ...e, c: f(e.c), t: f(e.t), f: f(e.f) };
    case "assign":
      return { ...e, target: f(e.target), value: f(e.value) };
    case "update":
      return { ...e, target: f(e.target) };
    default:
      return e;
  }
}

/**
 * Calls `f` on every statement in `body`, outermost first; `top` says
 * whether it is one of `body`'s own (not inside an `if` or a block).
 */
export function walkStmts(
  body: readonly Stmt[],
  f: (s: Stmt, top: boolean) => void,
): void {
  const st = (s: Stmt, top: boolean): void => {
    f(s, top);
    if (s.k === "if") {
      for (const x of s.t) st(x, false);
      if (s.f) { for (const x of s.f) st(x, false); }
    } else if (s.k === "block") { for (const x of s.body) st(x, false); }
  };
  for (const s of body) st(s, true);
}

/** Calls `f` on every expression in `body`, outermost first. */
export function walkExprs(body: readonly Stmt[], f: (e: Expr) => void): void {
  const ex = (e: Expr): void => {
    f(e);
    forEachChild(e, ex);
  };
  walkStmts(body, (s) => {
    switch (s.k) {
      case "decl":
        return ex(s.init);
      case "expr":
      case "throw":
        return ex(s.e);
      case "return":
        if (s.e) ex(s.e);
        return;
      case "if":
        return ex(s.c);
    }
  });
}

/**
 * The names of the state fields a function's source reaches as `s.NAME`
 * (the member expressions {@link parseOplet} would read with the object
 * `s`), each once, in the order they first appear; comments and strings
 * are skipped. A cheap scan, without parsing: the `jit` backend learns the
 * fields every oplet uses from it, and parses only the oplets it compiles.
 *
 * @example
 * ```ts
 * import { stateFieldsOf } from "@oplet/emu";
 * const src = "function op_x(s, c, i) { s.t0 = s.x[c[i + 1]] + s.t0; /* s.no *" + "/ return i + 2; }";
 * console.log(stateFieldsOf(src)); // [ "t0", "x" ]
 * ```
 */
export function stateFieldsOf(src: string): string[] {
  const out: string[] = [];
  // The regular expression does the scanning (natively: a loop over the
  // characters in JavaScript cost 8 ms cold for the riscv32 table).
  for (const m of src.matchAll(STATE_FIELD)) {
    const f = m[1];
    if (f !== undefined && !out.includes(f)) out.push(f);
  }
  return out;
}

/** Comments, strings, and `s.NAME` (group 1) not after a name or a dot. */
const STATE_FIELD =
  /\/\/[^\n]*|\/\*[^]*?\*\/|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|(?<![\w$.])s\s*\.\s*([A-Za-z_$][\w$]*)/g;
