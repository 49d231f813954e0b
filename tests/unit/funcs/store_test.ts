import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoError, GoSlice, GoStruct, type Value } from "../../../src/template/value.ts";
import { sprint } from "../../../src/template/fmt/print.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { call } from "./testdata/call.ts";

const store = new KVStore([["/fx/a", "1"], ["/fx/b/c", "2"], ["/fx/empty", ""], ["/test/user", "mary"], [
  "/test/pass",
  "abc",
]]);
const funcs = confdFuncs(store, { env: {} });

describe("store functions in the FuncMap", () => {
  const printed: [name: string, fn: string, args: Value[], want: string][] = [
    ["get prints a KVPair as {Key Value}", "get", ["/fx/a"], "{/fx/a 1}"],
    [
      "gets prints a list of pairs sorted by key",
      "gets",
      ["/test/*"],
      "[{/test/pass abc} {/test/user mary}]",
    ],
    ["getvs prints values sorted by value", "getvs", ["/test/*"], "[abc mary]"],
    ["getv returns the value", "getv", ["/fx/a"], "1"],
    ["getv with a default for a missing key", "getv", ["/nope", "dflt"], "dflt"],
    ["getv ignores the default for an existing empty value", "getv", ["/fx/empty", "dflt"], ""],
    ["exists is true for a key", "exists", ["/fx/a"], "true"],
    ["exists is false for a directory", "exists", ["/fx/b"], "false"],
    ["ls lists children", "ls", ["/fx"], "[a b empty]"],
    ["lsdir lists child directories", "lsdir", ["/fx"], "[b]"],
    ["gets with no match is an empty list", "gets", ["/none/*"], "[]"],
  ];
  for (const [name, fn, args, want] of printed) {
    it(name, () => assert.equal(sprint([call(funcs, fn, ...args)]), want));
  }

  const errors: [name: string, fn: string, args: Value[], msg: string][] = [
    ["get of a missing key", "get", ["/nope"], "key does not exist: /nope"],
    ["getv of a missing key without a default", "getv", ["/nope"], "key does not exist: /nope"],
    ["get is exact: a trailing slash is missing", "get", ["/fx/a/"], "key does not exist: /fx/a/"],
    ["gets with a malformed pattern", "gets", ["/fx/["], "syntax error in pattern"],
    ["getvs with a malformed pattern", "getvs", ["/fx/["], "syntax error in pattern"],
  ];
  for (const [name, fn, args, msg] of errors) {
    it(`${name} is a Go error: ${msg}`, () => {
      assert.throws(() => call(funcs, fn, ...args), (e) => e instanceof GoError && e.message === msg);
    });
  }

  it("get returns a memkv.KVPair struct with fields Key then Value", () => {
    const v = call(funcs, "get", "/fx/a");
    assert.ok(v instanceof GoStruct);
    assert.equal(v.type.name, "memkv.KVPair");
    assert.deepEqual([...v.fields], [["Key", "/fx/a"], ["Value", "1"]]);
    assert.equal(v.type.methods?.get("Depth")?.(v).impl(), 2n);
  });

  it("gets returns memkv.KVPairs, getvs/ls/lsdir return []string", () => {
    const types = ["gets", "getvs", "ls", "lsdir"].map((fn) => {
      const v = call(funcs, fn, fn.startsWith("get") ? "/fx/*" : "/fx");
      assert.ok(v instanceof GoSlice);
      return v.type.name;
    });
    assert.deepEqual(types, ["memkv.KVPairs", "[]string", "[]string", "[]string"]);
  });

  it("functions see the store they were built over, not a copy", () => {
    const s = new KVStore();
    const f = confdFuncs(s, { env: {} });
    s.set("/late", "x");
    assert.equal(call(f, "getv", "/late"), "x");
  });
});
