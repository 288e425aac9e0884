/**
 * A small WebAssembly binary encoder: just what the `jit` backend emits
 * (one function per module, with imported memory, table and functions).
 *
 * @module
 */

/** Value types. */
export const I32 = 0x7f;
/** 64-bit integer. */
export const I64 = 0x7e;
/** 32-bit float. */
export const F32 = 0x7d;
/** 64-bit float. */
export const F64 = 0x7c;
/** The empty block type. */
export const VOID = 0x40;

/** Opcodes used by the jit (single-byte ones; `0xfc` prefixed ones are in {@link FC}). */
export const Op = {
  unreachable: 0x00,
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  try: 0x06,
  rethrow: 0x09,
  catch_all: 0x19,
  end: 0x0b,
  br: 0x0c,
  br_if: 0x0d,
  br_table: 0x0e,
  return: 0x0f,
  call: 0x10,
  return_call_indirect: 0x13,
  drop: 0x1a,
  select: 0x1b,
  local_get: 0x20,
  local_set: 0x21,
  local_tee: 0x22,
  i32_load: 0x28,
  f32_load: 0x2a,
  f64_load: 0x2b,
  i32_load8_s: 0x2c,
  i32_load8_u: 0x2d,
  i32_load16_s: 0x2e,
  i32_load16_u: 0x2f,
  i32_store: 0x36,
  f32_store: 0x38,
  f64_store: 0x39,
  i32_store8: 0x3a,
  i32_store16: 0x3b,
  i32_const: 0x41,
  f64_const: 0x44,
  i32_eqz: 0x45,
  i32_eq: 0x46,
  i32_ne: 0x47,
  i32_lt_s: 0x48,
  i32_lt_u: 0x49,
  i32_gt_s: 0x4a,
  i32_gt_u: 0x4b,
  i32_le_s: 0x4c,
  i32_le_u: 0x4d,
  i32_ge_s: 0x4e,
  i32_ge_u: 0x4f,
  f64_eq: 0x61,
  f64_ne: 0x62,
  f64_lt: 0x63,
  f64_gt: 0x64,
  f64_le: 0x65,
  f64_ge: 0x66,
  i32_clz: 0x67,
  i32_add: 0x6a,
  i32_sub: 0x6b,
  i32_mul: 0x6c,
  i32_rem_s: 0x6f,
  i32_rem_u: 0x70,
  i32_and: 0x71,
  i32_or: 0x72,
  i32_xor: 0x73,
  i32_shl: 0x74,
  i32_shr_s: 0x75,
  i32_shr_u: 0x76,
  f64_abs: 0x99,
  f64_neg: 0x9a,
  f64_ceil: 0x9b,
  f64_floor: 0x9c,
  f64_trunc: 0x9d,
  f64_sqrt: 0x9f,
  f64_add: 0xa0,
  f64_sub: 0xa1,
  f64_mul: 0xa2,
  f64_div: 0xa3,
  f64_min: 0xa4,
  f64_max: 0xa5,
  i32_wrap_i64: 0xa7,
  f32_demote_f64: 0xb6,
  f64_convert_i32_s: 0xb7,
  f64_convert_i32_u: 0xb8,
  f64_promote_f32: 0xbb,
} as const;

/** Second bytes of `0xfc`-prefixed opcodes. */
export const FC = {
  i32_trunc_sat_f64_s: 0x02,
  i64_trunc_sat_f64_s: 0x06,
} as const;

/** A growable byte buffer that code is emitted into. */
export class ByteBuf {
  private buf: Uint8Array<ArrayBuffer>;
  /** An empty buffer with room for `capacity` bytes before it grows. */
  constructor(capacity = 1024) {
    this.buf = new Uint8Array(capacity);
  }
  /** Bytes written. */
  length = 0;
  /** Appends one byte. */
  push(b: number): void {
    if (this.length === this.buf.length) {
      const n = new Uint8Array(Math.max(64, this.buf.length * 2));
      n.set(this.buf);
      this.buf = n;
    }
    this.buf[this.length++] = b;
  }
  /** Appends bytes. */
  append(b: Uint8Array): void {
    while (this.length + b.length > this.buf.length) {
      const n = new Uint8Array(Math.max(64, this.buf.length * 2));
      n.set(this.buf);
      this.buf = n;
    }
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** Overwrites the byte at `at` (below {@link length}). */
  setByte(at: number, b: number): void {
    this.buf[at] = b;
  }
  /** The bytes written so far (a view, valid until the next write). */
  bytes(): Uint8Array<ArrayBuffer> {
    return this.buf.subarray(0, this.length);
  }
}

/** Something bytes can be pushed to. */
export interface ByteSink {
  /** Appends one byte. */
  push(b: number): void;
}

/** Appends `v` as unsigned LEB128. */
export function uleb(out: ByteSink, v: number): void {
  v >>>= 0;
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
}

/** Appends `v` (an int32) as signed LEB128. */
export function sleb(out: ByteSink, v: number): void {
  v |= 0;
  for (;;) {
    const b = v & 0x7f;
    v >>= 7;
    if ((v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return;
    }
    out.push(b | 0x80);
  }
}

const F64_SCRATCH = new Float64Array(1);
const F64_BYTES = new Uint8Array(F64_SCRATCH.buffer);

/** Appends a float64 constant's 8 bytes. */
export function f64bytes(out: ByteSink, v: number): void {
  F64_SCRATCH[0] = v;
  for (let k = 0; k < 8; k++) out.push(F64_BYTES[k]);
}

function str(out: ByteSink, s: string): void {
  if (/^[ -~]*$/.test(s)) {
    // Printable ASCII (every name the jit gives): its UTF-8 bytes are its
    // codes.
    uleb(out, s.length);
    for (let k = 0; k < s.length; k++) out.push(s.charCodeAt(k));
    return;
  }
  const b = new TextEncoder().encode(s);
  uleb(out, b.length);
  for (const x of b) out.push(x);
}

function section(out: ByteBuf, id: number, body: ByteBuf): void {
  out.push(id);
  uleb(out, body.length);
  out.append(body.bytes());
}

/** A function type: parameter and result value types. */
export interface FuncType {
  /** Parameter types. */
  params: number[];
  /** Result types. */
  results: number[];
}

/** What one module holds: imports from module "e", one exported function "f". */
export interface ModuleSpec {
  /** Types; type 0 is the exported function's. */
  types: FuncType[];
  /** Imported functions: name and type index, in function-index order. */
  funcs: { name: string; type: number }[];
  /** Imported memory "mem" of this many 64 KiB pages (min = max). */
  memPages: number;
  /** Imported funcref table "tab" of at least this many entries, if any. */
  tableMin: number | null;
  /** The exported function's locals after its parameters, as value types. */
  locals: number[];
  /** The exported function's body, without the final `end`. */
  body: Uint8Array;
  /**
   * Branch hints for the body's `if`s, in increasing order of offset:
   * `[offset of the if opcode in body, 1 if its then-branch is likely or 0
   * if its else-branch is]`. They go in the standard
   * `metadata.code.branch_hint` section, which V8 uses to move the unlikely
   * side out of the hot path (and its register spills with it).
   */
  hints?: readonly (readonly [number, number])[];
}

/** Bytes of `v` as unsigned LEB128. */
function ulebLength(v: number): number {
  let n = 1;
  for (v >>>= 7; v !== 0; v >>>= 7) n++;
  return n;
}

/** Encodes a module (see {@link ModuleSpec}). */
export function encodeModule(m: ModuleSpec): Uint8Array<ArrayBuffer> {
  // Everything before the code section is small: built in one buffer;
  // the code section is then written with the body into a buffer of the
  // module's exact size (no growing and copying of the body).
  const head = new ByteBuf(512);
  for (const b of [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]) {
    head.push(b);
  }
  const types = new ByteBuf(64);
  uleb(types, m.types.length);
  for (const t of m.types) {
    types.push(0x60);
    uleb(types, t.params.length);
    for (const p of t.params) types.push(p);
    uleb(types, t.results.length);
    for (const r of t.results) types.push(r);
  }
  section(head, 1, types);
  const imp = new ByteBuf(256);
  uleb(imp, m.funcs.length + 1 + (m.tableMin === null ? 0 : 1));
  str(imp, "e");
  str(imp, "mem");
  imp.push(0x02);
  imp.push(0x01);
  uleb(imp, m.memPages);
  uleb(imp, m.memPages);
  if (m.tableMin !== null) {
    str(imp, "e");
    str(imp, "tab");
    imp.push(0x01);
    imp.push(0x70);
    imp.push(0x00);
    uleb(imp, m.tableMin);
  }
  for (const f of m.funcs) {
    str(imp, "e");
    str(imp, f.name);
    imp.push(0x00);
    uleb(imp, f.type);
  }
  section(head, 2, imp);
  const fsec = new ByteBuf(64);
  fsec.push(1);
  fsec.push(0);
  section(head, 3, fsec);
  const exp = new ByteBuf(64);
  exp.push(1);
  str(exp, "f");
  exp.push(0x00);
  uleb(exp, m.funcs.length);
  section(head, 7, exp);
  // Code section: one function, its locals run-length encoded by type,
  // then the body and its final `end`.
  const locals = new ByteBuf(64);
  let runs = 0;
  for (let k = 0; k < m.locals.length;) {
    let n = 1;
    while (k + n < m.locals.length && m.locals[k + n] === m.locals[k]) n++;
    uleb(locals, n);
    locals.push(m.locals[k]);
    runs++;
    k += n;
  }
  // A hint's offset counts from the start of the function body, its
  // locals declarations included; the section precedes the code section.
  if (m.hints !== undefined && m.hints.length > 0) {
    const localsLength = ulebLength(runs) + locals.length;
    const h = new ByteBuf(64 + 8 * m.hints.length);
    str(h, "metadata.code.branch_hint");
    h.push(1);
    uleb(h, m.funcs.length);
    uleb(h, m.hints.length);
    for (const [off, likely] of m.hints) {
      uleb(h, localsLength + off);
      h.push(1);
      h.push(likely);
    }
    section(head, 0, h);
  }
  const fnLength = ulebLength(runs) + locals.length + m.body.length + 1;
  const codeLength = 1 + ulebLength(fnLength) + fnLength;
  const out = new ByteBuf(
    head.length + 1 + ulebLength(codeLength) + codeLength,
  );
  out.append(head.bytes());
  out.push(10);
  uleb(out, codeLength);
  out.push(1);
  uleb(out, fnLength);
  uleb(out, runs);
  out.append(locals.bytes());
  out.append(m.body);
  out.push(Op.end);
  return out.bytes();
}
