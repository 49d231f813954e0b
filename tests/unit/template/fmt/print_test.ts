// Printing behaviours outside the generated tables: %T of functions, no-value operands,
// struct fields holding nil, panicking String methods, and the hot-path shortcuts.
// Expected strings come from Go 1.19 where Go can express the case.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatFloatV, sprint, sprintln, typeString } from "../../../../src/template/fmt/print.ts";
import { sprintf } from "../../../../src/template/fmt/sprintf.ts";
import {
  GoFuncValue,
  GoInt,
  GoSlice,
  GoStruct,
  MAP_STRING_ANY,
  nilMap,
  nilSlice,
  SLICE_ANY,
  SLICE_INT,
  SLICE_STRING,
  structType,
  T,
  type Value,
} from "../../../../src/template/value.ts";

const variadic = new GoFuncValue(
  "printf",
  { params: [T.string], variadic: T.any, result: T.string },
  () => "",
);
const failing = new GoFuncValue(
  "get",
  { params: [T.string], result: T.string, returnsError: true },
  () => "",
);

const S = structType("main.S");
const withNil = new GoStruct(S, new Map<string, Value>([["A", null], ["B", new GoSlice(SLICE_ANY, [null])]]));
const withInt = new GoStruct(S, new Map<string, Value>([["A", 1n], ["B", new GoSlice(SLICE_ANY, [])]]));
const panicky = new GoStruct(structType("main.P"), new Map(), new Map(), () => {
  throw new Error("boom");
});

describe("printing values the generated tables do not cover", () => {
  const cases: [name: string, got: () => string, want: string][] = [
    ["%T of a variadic func", () => sprintf("%T", [variadic]), "func(string, ...interface {}) string"],
    ["%T of a func returning an error", () => sprintf("%T", [failing]), "func(string) (string, error)"],
    ["typeString of nil", () => typeString(null), "<nil>"],
    ["typeString of a uint8", () => typeString(new GoInt(T.uint8, 1n)), "uint8"],
    [
      "%#v of struct fields holding nil",
      () => sprintf("%#v", [withNil]),
      "main.S{A:interface {}(nil), B:[]interface {}{interface {}(nil)}}",
    ],
    ["%+v of a struct", () => sprintf("%+v", [withInt]), "{A:1 B:[]}"],
    ["a missing operand prints <nil> in sprint", () => sprint([undefined]), "<nil>"],
    ["a missing operand is nil for %d", () => sprintf("%d", [undefined]), "%!d(<nil>)"],
    ["a bad verb consumes an operand", () => sprintf("%!|%z|%[1]v", [1n]), "%!!(int=1)|%!z(MISSING)|1"],
    ["a bad verb inside a slice", () => sprintf("%d", [new GoSlice(SLICE_ANY, [1.5])]), "[%!d(float64=1.5)]"],
    [
      "an unsigned width beyond int is bad",
      () => sprintf("%*d|%-*d|", [new GoInt(T.uint64, 1n << 63n), 1n, 3n, 2n]),
      "%!(BADWIDTH)1|2  |",
    ],
    ["a precision from an int8", () => sprintf("%.*d|", [new GoInt(T.int8, 3n), 2n]), "002|"],
    ["%c of the largest rune and beyond", () => sprintf("%c|%c", [0x10ffffn, 0x110000n]), "\u{10FFFF}|\uFFFD"],
    [
      "zero padding with flags",
      () => sprintf("%08.3f|%-08.3f|%+08d|% 08d", [3.14159, 3.14159, 42n, 42n]),
      "0003.142|3.142   |+0000042| 0000042",
    ],
    [
      "%#v of small ints",
      () => sprintf("%#v", [new GoSlice(SLICE_ANY, [new GoInt(T.uint8, 5n), new GoInt(T.int8, -5n), 1.5, true])]),
      "[]interface {}{0x5, -5, 1.5, true}",
    ],
    [
      "%x of multibyte text",
      () => sprintf("%x|%X", ["日本", new GoSlice(SLICE_STRING, ["日"])]),
      "e697a5e69cac|[E697A5]",
    ],
    ["%x of a lone surrogate encodes U+FFFD", () => sprintf("%x", ["\ud800"]), "efbfbd"],
    ["a panicking String method is reported inline", () => sprint([panicky]), "%!v(PANIC=String method: boom)"],
    ["sprintln of nothing", () => sprintln([]), "\n"],
    [
      "%#v of a nil slice",
      () => sprintf("%#v|%v|%#v", [nilSlice(SLICE_INT), nilSlice(SLICE_INT), new GoSlice(SLICE_INT, [])]),
      "[]int(nil)|[]|[]int{}",
    ],
    [
      "%#v of a nil map",
      () => sprintf("%#v|%v", [nilMap(MAP_STRING_ANY), nilMap(MAP_STRING_ANY)]),
      "map[string]interface {}(nil)|map[]",
    ],
    // Invalid UTF-8 bytes travel as lone surrogates U+DC80..U+DCFF ("\xe6" is "\udce6").
    [
      "invalid bytes under %q %x %s and %#q",
      () =>
        sprintf("%q|%x|%5s|%.1s|%#q|%+q|% X", [
          "\udce6",
          "\udce6",
          "a\udcff",
          "\udcffb",
          "\udcff",
          "é\udcff",
          "é\udcff",
        ]),
      '"\\xe6"|e6|   a\udcff|\udcff|"\\xff"|"\\u00e9\\xff"|C3 A9 FF',
    ],
  ];
  for (const [name, got, want] of cases) it(name, () => assert.equal(got(), want));
});

describe("the %v float shortcut agrees with the general path", () => {
  const values = [
    0,
    -0,
    1,
    -1,
    0.1,
    1e-4,
    9.99e-5,
    123456,
    999999.9999,
    1e6,
    1e-7,
    1e21,
    5e-324,
    NaN,
    Infinity,
    -Infinity,
  ];
  for (const v of values) {
    it(`formats ${Object.is(v, -0) ? "-0" : v}`, () => {
      // %g has no shortcut: it always formats through strconv's shortest 'g'.
      assert.equal(formatFloatV(v), sprintf("%g", [v]));
    });
  }
});
