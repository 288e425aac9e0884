import assert from "node:assert/strict";
import { SymbolTable } from "./symbols.ts";

Deno.test("pcs are named by the symbol that contains them", async () => {
  const t = new SymbolTable([
    { name: "_start", value: 0x10000, size: 0 },
    { name: "main", value: 0x10074, size: 0x40 },
    { name: "memcpy", value: 0x10200, size: 0x20 },
  ]);
  assert.equal(t.lookup(0x10074), "main");
  assert.equal(t.lookup(0x10080), "main+0xc");
  assert.equal(t.lookup(0x10010), "_start+0x10");
  assert.equal(t.lookup(0x10100), null); // past main's end
  assert.equal(t.lookup(0x10228), null);
  assert.equal(t.lookup(0x100), null);
  assert.equal(await SymbolTable.load("/nonexistent.elf"), null);
});
