// Template calls nested deeper than the JS stack allows: past a couple of hundred
// calls the executor moves to its trampolined walkers, so Go's own limit of 100000
// nested calls holds on every runtime. The walkers there must behave exactly as the
// direct ones; each body below runs both ways and must give the same result.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { Template } from "../../../src/template/template.ts";
import {
  fromJSON,
  type FuncMap,
  GoFuncValue,
  GoMap,
  MAP_STRING_ANY,
  T,
  type Value,
} from "../../../src/template/value.ts";

const dec = new GoFuncValue("dec", { params: [T.int], result: T.int }, (n) => (n as bigint) - 1n);

/** descend {n, d} returns {n-1, d}: one more nested call before the body runs with d. */
const descend = new GoFuncValue("descend", { params: [T.any], result: T.any }, (m) => {
  const entries = (m as GoMap).entries;
  return new GoMap(MAP_STRING_ANY, new Map([["n", (entries.get("n") as bigint) - 1n], ["d", entries.get("d")]]));
});

const funcs: FuncMap = new Map([["dec", dec], ["descend", descend]]);

function outcome(run: () => string): { output: string } | { error: string } {
  try {
    return { output: run() };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

describe("deeply nested template calls", () => {
  const recursion = '{{define "r"}}{{if .}}{{template "r" (dec .)}}{{end}}{{end}}{{template "r" .}}done';

  it("99,999 nested calls render, as Go allows", () => {
    assert.equal(Template.parse("t", recursion, { funcs }).execute(99_999n), "done");
  });

  it("the 100,000th nested call fails with Go's depth error, placed at that call", () => {
    assert.deepEqual(outcome(() => Template.parse("t", recursion, { funcs }).execute(100_000n)), {
      error: 'template: t:1:33: executing "r" at <{{template "r" (dec .)}}>: exceeded maximum template depth (100000)',
    });
  });
});

const DATA = fromJSON({
  l: [1, 0, 2, 3],
  m: { b: [], a: [1], c: "x" },
  s: "str",
  e: [],
  nested: [[1, 2], [], [3]],
});

/** Bodies exercising every walker: lists, if/with/else, range (break, continue, else), variables, calls. */
const BODIES: [name: string, body: string][] = [
  ["text and actions", "a{{.s}}b{{- 1 -}} c{{/* comment */}}"],
  ["if, else if, else", "{{if .e}}E{{else if .l}}L{{else}}N{{end}}{{if not .l}}x{{else}}y{{end}}"],
  ["with and its else, dot rebinding", "{{with .s}}[{{.}}]{{end}}{{with .e}}no{{else}}[{{.}}]{{end}}"],
  [
    "range with break and continue",
    "{{range .l}}{{if eq . 0.0}}{{continue}}{{end}}{{if eq . 3.0}}{{break}}{{end}}{{.}}{{end}}",
  ],
  ["range over a map in key order with two variables", "{{range $k, $v := .m}}{{$k}}={{$v}};{{end}}"],
  [
    "range else and continue in an inner range's else",
    "{{range .nested}}{{range .}}{{.}}{{else}}{{continue}}{{end}}|{{end}}{{range .e}}x{{else}}empty{{end}}",
  ],
  ["break in an inner range's else", "{{range .nested}}{{range .}}{{.}}{{else}}{{break}}{{end}}|{{end}}"],
  [
    "variables: declare, assign in a range, scope",
    "{{$x := 0}}{{range $i, $e := .l}}{{$x = $i}}{{end}}{{$x}}{{with $y := .s}}{{$y}}{{end}}",
  ],
  ["a nested template call with its own $", '{{template "inner" .s}}{{range .l}}{{template "inner" .}}{{end}}'],
  ["an error inside a range names its node", "{{range .l}}{{index $.s 10}}{{end}}"],
  ["ranging over a string is an error", "{{range .s}}{{end}}"],
  ["a missing template", '{{template "nope"}}'],
];

describe("the trampolined walkers behave as the direct ones", () => {
  for (const [name, body] of BODIES) {
    it(name, () => {
      const src =
        '{{define "deep"}}{{if .n}}{{template "deep" (descend .)}}{{else}}{{template "body" .d}}{{end}}{{end}}' +
        `{{define "inner"}}<{{.}}{{$}}>{{end}}{{define "body"}}${body}{{end}}{{template "deep" .}}`;
      const t = Template.parse("t", src, { funcs });
      const at = (n: bigint): Value => new GoMap(MAP_STRING_ANY, new Map<string, Value>([["n", n], ["d", DATA]]));
      const direct = outcome(() => t.execute(at(0n)));
      const deep = outcome(() => t.execute(at(250n)));
      assert.deepEqual(deep, direct);
    });
  }
});
