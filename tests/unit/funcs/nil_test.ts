import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoMap, GoSlice, isNil, type Value } from "../../../src/template/value.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { DnsCache } from "../../../src/funcs/dns.ts";
import { call } from "./testdata/call.ts";

// Go prints a nil slice or map differently from an empty one under %#v, so the
// functions must return nil exactly where confd does.
const dns = new DnsCache();
dns.setIPs("v4only", ["10.0.0.1"]);
dns.setIPs("broken", []);
const funcs = confdFuncs(new KVStore([["/a", "1"]]), { env: {}, dns });

function nilness(v: Value): boolean {
  assert.ok(v instanceof GoSlice || v instanceof GoMap);
  return isNil(v);
}

describe("nil versus empty results", () => {
  const cases: [name: string, result: () => Value, nil: boolean][] = [
    ["seq of an empty range is nil", () => call(funcs, "seq", 3n, 1n), true],
    ["seq of a non-empty range is not", () => call(funcs, "seq", 1n, 1n), false],
    ["json of null is a nil map", () => call(funcs, "json", "null"), true],
    ["json of {} is an empty, non-nil map", () => call(funcs, "json", "{}"), false],
    ["jsonArray of null is a nil slice", () => call(funcs, "jsonArray", "null"), true],
    ["jsonArray of [] is empty, not nil", () => call(funcs, "jsonArray", "[]"), false],
    ["lookupIP of a failed lookup is nil", () => call(funcs, "lookupIP", "broken"), true],
    ["lookupIPV6 with no IPv6 address is nil", () => call(funcs, "lookupIPV6", "v4only"), true],
    [
      "lookupSRV of a failed lookup is an empty, non-nil list",
      () => call(funcs, "lookupSRV", "", "", "broken"),
      false,
    ],
    ["gets with no match is empty, not nil", () => call(funcs, "gets", "/none/*"), false],
    ["ls of a missing path is empty, not nil", () => call(funcs, "ls", "/none"), false],
    ["sortByLength of nil is nil", () => call(funcs, "sortByLength", null), true],
  ];
  for (const [name, result, nil] of cases) it(name, () => assert.equal(nilness(result()), nil));
});
