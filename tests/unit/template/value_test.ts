import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  compareStrings,
  fromJSON,
  GoMap,
  GoSlice,
  sortByString,
  sortedKeys,
  sortStrings,
  typeOf,
} from "../../../src/template/value.ts";

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

describe("Go string order", () => {
  const cases: [string, string, string][] = [
    ["ASCII", "abc", "abd"],
    ["prefix first", "ab", "abc"],
    ["U+FF01 (EF BC 81) before U+1F600 (F0 9F 98 80)", "\uFF01", "\u{1F600}"],
    ["raw byte 0x80 (U+DC80) after U+007F", "\u007f", "\uDC80"],
    ["raw byte 0xC3 before é (C3 A9)", "\uDCC3", "é"],
    ["raw byte 0xFF after every valid lead byte", "\u{10FFFF}", "\uDCFF"],
  ];
  for (const [name, lo, hi] of cases) {
    it(`orders ${name}`, () => {
      assert.ok(compareStrings(lo, hi) < 0);
      assert.ok(compareStrings(hi, lo) > 0);
      assert.equal(compareStrings(lo, lo), 0);
      assert.deepEqual(sortStrings([hi, lo]), [lo, hi]);
      assert.deepEqual(sortByString([{ k: hi }, { k: lo }], (x) => x.k).map((x) => x.k), [lo, hi]);
    });
  }
});
