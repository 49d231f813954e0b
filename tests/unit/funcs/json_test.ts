import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoError, GoMap, GoSlice } from "../../../src/template/value.ts";
import { sprint } from "../../../src/template/fmt/print.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { createMap, goUnmarshal } from "../../../src/funcs/json.ts";
import { oracle } from "./testdata/oracle.ts";
import { call } from "./testdata/call.ts";

const funcs = confdFuncs(new KVStore(), { env: {} });

describe("json and jsonArray agree with Go's encoding/json", () => {
  for (const [input, mapText, mapErr, arrText, arrErr] of oracle("json")) {
    const s = input as string;
    it(`json ${JSON.stringify(s)} ${mapErr === "" ? `is ${mapText}` : `fails: ${mapErr}`}`, () => {
      if (mapErr === "") assert.equal(sprint([goUnmarshal(s, "object")]), mapText);
      else assert.throws(() => goUnmarshal(s, "object"), (e) => e instanceof GoError && e.message === mapErr);
    });
    it(`jsonArray ${JSON.stringify(s)} ${arrErr === "" ? `is ${arrText}` : `fails: ${arrErr}`}`, () => {
      if (arrErr === "") assert.equal(sprint([goUnmarshal(s, "array")]), arrText);
      else assert.throws(() => goUnmarshal(s, "array"), (e) => e instanceof GoError && e.message === arrErr);
    });
  }

  it("json returns map[string]interface {} with float64 numbers", () => {
    const v = call(funcs, "json", '{"port": 8080, "tags": ["a"]}');
    assert.ok(v instanceof GoMap);
    assert.equal(v.type.name, "map[string]interface {}");
    assert.equal(v.entries.get("port"), 8080);
    const tags = v.entries.get("tags");
    assert.ok(tags instanceof GoSlice);
    assert.equal(tags.type.name, "[]interface {}");
  });

  it("inherited object properties are not keys", () => {
    const v = goUnmarshal('{"a":1}', "object");
    assert.ok(v instanceof GoMap);
    assert.deepEqual([...v.entries.keys()], ["a"]);
  });

  it("nesting beyond 10000 levels is Go's max depth error", () => {
    const deep = "[".repeat(10001) + "]".repeat(10001);
    assert.throws(() => goUnmarshal(deep, "array"), { message: "invalid character '[' exceeded max depth" });
    assert.equal(sprint([goUnmarshal("[".repeat(3) + "]".repeat(3), "array")]), "[[[]]]");
  });
});

describe("map (confd's CreateMap)", () => {
  const cases: [name: string, args: Parameters<typeof createMap>[0], want: string][] = [
    ["pairs become entries, printed sorted", ["b", "2", "a", 1n], "map[a:1 b:2]"],
    ["values keep their Go types", ["port", 9200n, "f", 1.5, "ok", true], "map[f:1.5 ok:true port:9200]"],
    ["no arguments give an empty map", [], "map[]"],
    ["a later duplicate key wins", ["k", "1", "k", "2"], "map[k:2]"],
    ["nil values print <nil>", ["k", null], "map[k:<nil>]"],
  ];
  for (const [name, args, want] of cases) {
    it(name, () => assert.equal(sprint([call(funcs, "map", ...args)]), want));
  }
  const errors: [name: string, args: Parameters<typeof createMap>[0], msg: string][] = [
    ["an odd number of arguments is invalid", ["a"], "invalid map call"],
    ["non-string keys are rejected", [1n, "a"], "map keys must be strings"],
  ];
  for (const [name, args, msg] of errors) {
    it(
      name,
      () => assert.throws(() => call(funcs, "map", ...args), (e) => e instanceof GoError && e.message === msg),
    );
  }
});
