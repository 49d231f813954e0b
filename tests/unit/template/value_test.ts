import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { compareStrings, fromJSON, GoMap, GoSlice, sortedKeys, typeOf } from "../../../src/template/value.ts";

describe("value model", () => {
  it("decodes JSON numbers as float64 and arrays as []interface {}", () => {
    const v = fromJSON({ a: [1, "x"] });
    assert.ok(v instanceof GoMap);
    const a = v.entries.get("a");
    assert.ok(a instanceof GoSlice);
    assert.equal(typeOf(a)?.name, "[]interface {}");
    assert.equal(typeOf(a.items[0])?.name, "float64");
  });
  it("sorts map keys bytewise as UTF-8, not as UTF-16", () => {
    const m = fromJSON({ "\u{1F600}": 1, "\uFF01": 2, b: 3, a: 4 });
    assert.ok(m instanceof GoMap);
    assert.deepEqual(sortedKeys(m), ["a", "b", "\uFF01", "\u{1F600}"]);
    assert.ok(compareStrings("\uFF01", "\u{1F600}") < 0);
  });
});
