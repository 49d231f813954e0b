import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoSlice, SLICE_ANY, SLICE_STRING } from "../../../src/template/value.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { goReplace, goSplit, goToLower, goToUpper } from "../../../src/funcs/strings.ts";
import { oracle } from "./testdata/oracle.ts";
import { call } from "./testdata/call.ts";

const funcs = confdFuncs(new KVStore(), { env: {} });

describe("string functions", () => {
  describe("split agrees with Go's strings.Split", () => {
    for (const [s, sep, want] of oracle("split")) {
      it(`split ${JSON.stringify(s)} on ${JSON.stringify(sep)} is ${JSON.stringify(want)}`, () => {
        assert.deepEqual(goSplit(s as string, sep as string), want);
      });
    }
  });

  describe("replace agrees with Go's strings.Replace", () => {
    for (const [s, old, repl, n, want] of oracle("replace")) {
      it(`replace ${JSON.stringify(s)} ${JSON.stringify(old)} ${JSON.stringify(repl)} ${n} is ${JSON.stringify(want)}`, () => {
        assert.equal(goReplace(s as string, old as string, repl as string, n as number), want);
        assert.equal(
          call(funcs, "replace", s as string, old as string, repl as string, BigInt(n as number)),
          want,
        );
      });
    }
  });

  describe("toUpper and toLower use Go's per-rune mapping", () => {
    for (const [s, upper, lower] of oracle("case")) {
      it(`${JSON.stringify(s)} maps to ${JSON.stringify(upper)} / ${JSON.stringify(lower)}`, () => {
        assert.equal(goToUpper(s as string), upper);
        assert.equal(goToLower(s as string), lower);
        assert.equal(call(funcs, "toUpper", s as string), upper);
      });
    }
  });

  describe("function map entries", () => {
    const cases: [name: string, fn: string, args: Parameters<typeof call>[2][], want: unknown][] = [
      ["base is path.Base", "base", ["/a/b/c"], "c"],
      ["base of empty is .", "base", [""], "."],
      ["dir is path.Dir", "dir", ["/a/b/"], "/a/b"],
      ["contains finds a substring", "contains", ["haystack", "st"], true],
      ["contains accepts the empty substring", "contains", ["x", ""], true],
      ["contains is case-sensitive", "contains", ["abc", "B"], false],
      ["trimSuffix removes one suffix", "trimSuffix", ["a.conf.conf", ".conf"], "a.conf"],
      ["trimSuffix leaves other strings", "trimSuffix", ["a.conf", ".toml"], "a.conf"],
      ["join joins a []string", "join", [new GoSlice(SLICE_STRING, ["a", "b"]), ","], "a,b"],
      ["join of an empty list is empty", "join", [new GoSlice(SLICE_STRING, []), ","], ""],
    ];
    for (const [name, fn, args, want] of cases) it(name, () => assert.equal(call(funcs, fn, ...args), want));

    it("split returns a []string", () => {
      const v = call(funcs, "split", "a,b", ",");
      assert.ok(v instanceof GoSlice);
      assert.equal(v.type.name, "[]string");
      assert.deepEqual(v.items, ["a", "b"]);
    });

    it("join's signature takes []string only (the engine rejects []interface {})", () => {
      const join = funcs.get("join");
      assert.equal(join?.sig.params[0].name, "[]string");
      assert.notEqual(join?.sig.params[0].name, SLICE_ANY.name);
    });
  });
});
