import assert from "node:assert/strict";
import { join } from "node:path";
import { OpenPolicy } from "./open_policy.ts";

Deno.test("--allow-open entries match as Deno's --allow-read: files, folders, any spelling", () => {
  const cwd = Deno.cwd();
  const p = new OpenPolicy(["data", join(cwd, "input.txt"), "/etc/hosts"]);
  // A relative entry is taken from the current folder; so is a relative path.
  assert.equal(p.allows("data/a.txt"), join(cwd, "data/a.txt"));
  assert.equal(p.allows("./data/sub/b.txt"), join(cwd, "data/sub/b.txt"));
  assert.equal(p.allows(join(cwd, "data")), join(cwd, "data"));
  // An absolute entry allows the relative spelling, and the other way round.
  assert.equal(p.allows("input.txt"), join(cwd, "input.txt"));
  assert.equal(p.allows("/etc/hosts"), "/etc/hosts");
  // Nothing outside: siblings with a common prefix, parents, escapes.
  assert.equal(p.allows("data2/a.txt"), null);
  assert.equal(p.allows("input.txt.bak"), null);
  assert.equal(p.allows("data/../secret"), null);
  assert.equal(p.allows("/etc"), null);
  assert.equal(p.allows(""), null);
  assert.equal(new OpenPolicy().allows("anything"), null);
});
