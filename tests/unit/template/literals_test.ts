// Literal parsing tests: Go's strconv rules as the template parser uses them (base-0
// integers with underscores, floats including hex floats, quoting and unquoting).

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { quote } from "../../../src/template/fmt/quote.ts";
import { byteLength, decodeGoBytes, encodeGoBytes } from "../../../src/template/go_bytes.ts";
import {
  LiteralError,
  parseComplex,
  parseFloat64,
  parseInt64,
  parseUint,
  unquote,
  unquoteCharConstant,
} from "../../../src/template/literals.ts";

describe("literals: integers (strconv base 0)", () => {
  const cases: [string, bigint | undefined, bigint | undefined][] = [
    // text, ParseInt, ParseUint
    ["0", 0n, 0n],
    ["-0", 0n, undefined],
    ["42", 42n, 42n],
    ["+42", 42n, undefined],
    ["0x1F", 31n, 31n],
    ["0o17", 15n, 15n],
    ["017", 15n, 15n],
    ["0b101", 5n, 5n],
    ["1_000", 1000n, 1000n],
    ["0x_1f", 31n, 31n],
    ["1__0", undefined, undefined],
    ["1_", undefined, undefined],
    ["089", undefined, undefined],
    ["0x", undefined, undefined],
    ["9223372036854775807", 9223372036854775807n, 9223372036854775807n],
    ["9223372036854775808", undefined, 9223372036854775808n],
    ["-9223372036854775808", -9223372036854775808n, undefined],
    ["18446744073709551616", undefined, undefined],
    ["1.5", undefined, undefined],
  ];
  for (const [text, int, uint] of cases) {
    it(`${text} parses as int ${int} and uint ${uint}`, () => {
      assert.equal(parseInt64(text), int);
      assert.equal(parseUint(text), uint);
    });
  }
});

describe("literals: floats (strconv.ParseFloat)", () => {
  const cases: [string, number | undefined][] = [
    ["1.5", 1.5],
    [".5", 0.5],
    ["1.", 1],
    ["1e3", 1000],
    ["1E-2", 0.01],
    ["089", 89],
    ["1_0.5", 10.5],
    ["0x1p-2", 0.25],
    ["0x1.8p1", 3],
    ["0X.8p0", 0.5],
    ["0x1.fffffffffffff8p0", 2], // rounds half to even into the next binade
    ["0x1.8", undefined], // a hex mantissa needs a p exponent
    ["1e400", undefined], // out of range
    ["1e-400", 0], // underflow is not an error
    ["1e", undefined],
    ["+", undefined],
    ["1.2.3", undefined],
  ];
  for (const [text, want] of cases) {
    it(`${text} parses as ${want}`, () => {
      assert.equal(parseFloat64(text), want);
    });
  }

  it("complex constants scan as fmt.Sscan does", () => {
    assert.deepEqual(parseComplex("1+2i"), { re: 1, im: 2 });
    assert.deepEqual(parseComplex("1e+2-3.5i"), { re: 100, im: -3.5 });
    assert.deepEqual(parseComplex("0x1p-2+0x1e1p0i"), { re: 0.25, im: 0x1e1 });
    assert.throws(() => parseComplex("1+2"), /^LiteralError: syntax error scanning complex number$/);
    assert.throws(() => parseComplex("0x11+2i"), /strconv.ParseFloat: parsing "0x11": invalid syntax/);
    assert.throws(() => parseComplex("1e400+2i"), /strconv.ParseFloat: parsing "1e400": value out of range/);
  });
});

describe("literals: strings", () => {
  const unquoteCases: [string, string | undefined][] = [
    ['"plain"', "plain"],
    ['"\\t\\n\\\\\\""', '\t\n\\"'],
    ['"\\x41\\101\\u00e9\\U0001F600"', "AAé😀"],
    ['"\\xc3\\xa9"', "é"],
    ['"\\q"', undefined],
    ['"\\\'"', undefined],
    ['"a\nb"', undefined],
    ['"\\ud800"', undefined],
    ["`raw \\n`", "raw \\n"],
    ["`a\r\nb`", "a\nb"], // raw strings drop carriage returns
  ];
  for (const [lit, want] of unquoteCases) {
    it(`unquote ${JSON.stringify(lit)}`, () => {
      if (want === undefined) assert.throws(() => unquote(lit), LiteralError);
      else assert.equal(unquote(lit), want);
    });
  }

  it("char constants give the rune value", () => {
    assert.equal(unquoteCharConstant("'a'"), 97);
    assert.equal(unquoteCharConstant("'\\''"), 39);
    assert.equal(unquoteCharConstant("'\\xff'"), 255);
    assert.equal(unquoteCharConstant("'日'"), 0x65e5);
    assert.throws(() => unquoteCharConstant("'ab'"), /malformed character constant: 'ab'/);
    assert.throws(() => unquoteCharConstant("'\\\"'"), /invalid syntax/);
  });

  it("quote escapes like strconv.Quote", () => {
    assert.equal(quote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(quote("\t\u0001\u007f"), '"\\t\\x01\\x7f"');
    assert.equal(quote("é日😀"), '"é日😀"');
    assert.equal(quote("\u00a0\u2028"), '"\\u00a0\\u2028"');
  });

  it("bytes that are not UTF-8 survive a round trip", () => {
    const s = unquote('"a\\xffb\\xe6"');
    assert.deepEqual([...encodeGoBytes(s)], [0x61, 0xff, 0x62, 0xe6]);
    assert.equal(decodeGoBytes(encodeGoBytes(s)), s);
    assert.equal(byteLength("日本"), 6);
  });

  it("bytes 0xf5..0xff never start a multi-byte sequence", () => {
    for (const bytes of [[0xf9, 0xaf, 0xb0], [0xff, 0x80, 0x80], [0xf5, 0x8f, 0xbf, 0xbf]]) {
      const s = decodeGoBytes(bytes);
      assert.deepEqual([...encodeGoBytes(s)], bytes);
      assert.equal(s.length, bytes.length);
    }
  });
});
