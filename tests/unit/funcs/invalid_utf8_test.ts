import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoError, GoMap, GoSlice } from "../../../src/template/value.ts";
import { fromUtf8 } from "../../../src/template/fmt/utf8.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { match } from "../../../src/kv/go_path.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { byteLength } from "../../../src/funcs/sort.ts";
import { call } from "./testdata/call.ts";

// Go strings are bytes; a byte that is not UTF-8 travels in our strings as the engine's
// escaped lone surrogate (U+DC00 + byte). Expectations from Go 1.19 on the string "\xff".
const FF = fromUtf8(new Uint8Array([0xff]));
const funcs = confdFuncs(new KVStore(), { env: {} });

describe("invalid UTF-8 bytes behave as in Go", () => {
  const cases: [name: string, got: () => unknown, want: unknown][] = [
    ["base64Decode keeps a non-UTF-8 byte", () => call(funcs, "base64Decode", "/w=="), FF],
    ["base64Encode writes it back as the same byte", () => call(funcs, "base64Encode", FF + "é"), "/8Op"],
    ["toUpper replaces it with U+FFFD (strings.Map)", () => call(funcs, "toUpper", FF + "a"), "\ufffdA"],
    ["toLower replaces it with U+FFFD", () => call(funcs, "toLower", "A" + FF), "a\ufffd"],
    [
      "json turns it into U+FFFD inside a string",
      () => (call(funcs, "json", `{"a":"${FF}"}`) as GoMap).entries.get("a"),
      "\ufffd",
    ],
    [
      "split on the empty separator turns it into U+FFFD",
      () => (call(funcs, "split", `a${FF}b`, "") as GoSlice).items,
      ["a", "\ufffd", "b"],
    ],
    ["it is one byte long for the length sorts", () => byteLength(FF), 1],
    ["? matches it as one rune", () => match("?", FF), true],
  ];
  for (const [name, got, want] of cases) it(name, () => assert.deepEqual(got(), want));

  it("json reports it outside a string as Go's character", () => {
    assert.throws(
      () => call(funcs, "json", FF),
      (e) => e instanceof GoError && e.message === "invalid character 'ÿ' looking for beginning of value",
    );
  });
});
