import assert from "node:assert/strict";
import * as Ops from "./ops.ts";
import { OPLETS } from "./ops.ts";
import type { OpletName } from "./translate.ts";

Deno.test("OpletName covers exactly the oplet table: every op_ export is in OPLETS once", () => {
  const exported = Object.keys(Ops).filter((k) => k.startsWith("op_")).map((
    k,
  ) => k.slice(3)).sort();
  const table = OPLETS.map((o) => o.name).sort();
  assert.deepEqual(exported, table);
  assert.equal(new Set(table).size, table.length);
  // A literal of the type, checked by the compiler.
  const n: OpletName = "mov_T0_r";
  assert.ok(table.includes(n));
});
