import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoSlice, SLICE_STRING, type Value } from "../../../src/template/value.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { byteLength, goSort } from "../../../src/funcs/sort.ts";
import { oracle } from "./testdata/oracle.ts";
import { call } from "./testdata/call.ts";

const store = new KVStore([["/k/ccc", "3"], ["/k/a", "1"], ["/k/bb", "2"]]);
const funcs = confdFuncs(store, { env: {} });
const strs = (v: Value) => {
  assert.ok(v instanceof GoSlice);
  return v.items;
};
const keys = (v: Value) => {
  assert.ok(v instanceof GoSlice);
  return v.items.map((kv) => (kv as { fields: ReadonlyMap<string, Value> }).fields.get("Key"));
};

describe("sorting and reversing", () => {
  describe("sortByLength matches Go 1.19's sort.Sort tie order", () => {
    for (const [input, want] of oracle("sortByLength")) {
      const items = input as string[];
      it(`${items.length} strings starting ${JSON.stringify(items.slice(0, 3))}`, () => {
        const list = new GoSlice(SLICE_STRING, [...items]);
        assert.deepEqual(strs(call(funcs, "sortByLength", list)), want);
      });
    }
  });

  it("sortByLength sorts in place and returns the same list", () => {
    const list = new GoSlice(SLICE_STRING, ["ccc", "a"]);
    assert.equal(call(funcs, "sortByLength", list), list);
    assert.deepEqual(list.items, ["a", "ccc"]);
  });

  it("lengths are UTF-8 byte lengths, as Go's len", () => {
    assert.equal(byteLength("é"), 2);
    assert.equal(byteLength("𝄞"), 4);
    assert.deepEqual(strs(call(funcs, "sortByLength", new GoSlice(SLICE_STRING, ["é", "ab", "c"]))), [
      "c",
      "é",
      "ab",
    ]);
  });

  it("goSort handles heap-sort fallback sizes without losing elements", () => {
    const xs = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 5000);
    goSort(xs, (a, b) => a < b);
    assert.deepEqual(xs, Array.from({ length: 5000 }, (_, i) => i));
  });

  it("sortKVByLength sorts pairs by key length and returns []memkv.KVPair", () => {
    const v = call(funcs, "sortKVByLength", call(funcs, "gets", "/k/*"));
    assert.ok(v instanceof GoSlice);
    assert.equal(v.type.name, "[]memkv.KVPair");
    assert.deepEqual(keys(v), ["/k/a", "/k/bb", "/k/ccc"]);
  });

  it("sortKVByLength over 13 keys gives confd's verified tie order (/fx/z2 before /fx/z1)", () => {
    const names = [
      "a",
      "b64",
      "bool",
      "empty",
      "host",
      "hostname",
      "jarr",
      "json",
      "leaf",
      "list",
      "num",
      "z1",
      "z2",
    ];
    const fx = confdFuncs(new KVStore(names.map((n) => [`/fx/${n}`, "v"] as const)), { env: {} });
    // Expected order from Go 1.19's sort.Sort on the same pairs.
    assert.deepEqual(keys(call(fx, "sortKVByLength", call(fx, "gets", "/fx/*"))), [
      "/fx/a",
      "/fx/z2",
      "/fx/z1",
      "/fx/b64",
      "/fx/num",
      "/fx/list",
      "/fx/jarr",
      "/fx/json",
      "/fx/leaf",
      "/fx/host",
      "/fx/bool",
      "/fx/empty",
      "/fx/hostname",
    ]);
  });

  describe("reverse", () => {
    it("reverses a []string in place", () => {
      const list = new GoSlice(SLICE_STRING, ["a", "b", "c"]);
      assert.equal(call(funcs, "reverse", list), list);
      assert.deepEqual(list.items, ["c", "b", "a"]);
    });
    it("reverses []memkv.KVPair (sortKVByLength's result)", () => {
      const v = call(funcs, "reverse", call(funcs, "sortKVByLength", call(funcs, "gets", "/k/*")));
      assert.deepEqual(keys(v), ["/k/ccc", "/k/bb", "/k/a"]);
    });
    it("reverses gets' memkv.KVPairs too (deliberate fix; confd returns it unchanged)", () => {
      assert.deepEqual(keys(call(funcs, "reverse", call(funcs, "gets", "/k/*"))), [
        "/k/ccc",
        "/k/bb",
        "/k/a",
      ]);
    });
    const unchanged: [name: string, v: Value][] = [
      ["a string", "str"],
      ["an int", 3n],
      ["nil", null],
      ["a map", call(funcs, "map", "a", "1")],
      ["a []interface {}", call(funcs, "jsonArray", "[1,2]")],
    ];
    for (const [name, v] of unchanged) {
      it(`returns ${name} unchanged`, () => assert.equal(call(funcs, "reverse", v), v));
    }
    it("leaves []interface {} items in order", () => {
      assert.deepEqual(strs(call(funcs, "reverse", call(funcs, "jsonArray", "[1,2]"))), [1, 2]);
    });
  });
});
