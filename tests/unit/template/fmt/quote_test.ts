// deno-fmt-ignore-file -- data tables kept one case per line
// strconv.Quote, QuoteToASCII, QuoteRune, CanBackquote and unicode.IsPrint against Go 1.19;
// the expected values were printed by a Go probe program.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { isPrint } from "../../../../src/template/fmt/is_print.ts";
import {
  canBackquote,
  quote,
  quoteRune,
  quoteRuneToASCII,
  quoteToASCII,
} from "../../../../src/template/fmt/quote.ts";

interface QuoteCase {
  s: string;
  quote: string;
  ascii: string;
  backquote: boolean;
}

interface QuoteRuneCase {
  r: number;
  quote: string;
  ascii: string;
}

const QUOTE_CASES: readonly QuoteCase[] = [
  { s: "", quote: "\"\"", ascii: "\"\"", backquote: true },
  { s: "abc", quote: "\"abc\"", ascii: "\"abc\"", backquote: true },
  { s: "a\"b", quote: "\"a\\\"b\"", ascii: "\"a\\\"b\"", backquote: true },
  { s: "a\\b", quote: "\"a\\\\b\"", ascii: "\"a\\\\b\"", backquote: true },
  { s: "tab\u0009here", quote: "\"tab\\there\"", ascii: "\"tab\\there\"", backquote: true },
  { s: "nl\u000a", quote: "\"nl\\n\"", ascii: "\"nl\\n\"", backquote: false },
  { s: "\u0007\u0008\u000c\u000d\u000b", quote: "\"\\a\\b\\f\\r\\v\"", ascii: "\"\\a\\b\\f\\r\\v\"", backquote: false },
  { s: "\u0000\u001f\u007f", quote: "\"\\x00\\x1f\\x7f\"", ascii: "\"\\x00\\x1f\\x7f\"", backquote: false },
  { s: "é日本", quote: "\"é日本\"", ascii: "\"\\u00e9\\u65e5\\u672c\"", backquote: true },
  { s: "\u00a0\u00ad\u2028\u2029", quote: "\"\\u00a0\\u00ad\\u2028\\u2029\"", ascii: "\"\\u00a0\\u00ad\\u2028\\u2029\"", backquote: true },
  { s: "\ufeff", quote: "\"\\ufeff\"", ascii: "\"\\ufeff\"", backquote: false },
  { s: "a`b", quote: "\"a`b\"", ascii: "\"a`b\"", backquote: false },
  { s: "\u{1f600}", quote: "\"\u{1f600}\"", ascii: "\"\\U0001f600\"", backquote: true },
  { s: "\u{e0001}", quote: "\"\\U000e0001\"", ascii: "\"\\U000e0001\"", backquote: true },
  { s: "\ufdff�", quote: "\"\\ufdff�\"", ascii: "\"\\ufdff\\ufffd\"", backquote: true },
  { s: "\u0378", quote: "\"\\u0378\"", ascii: "\"\\u0378\"", backquote: true },
  { s: "̀", quote: "\"̀\"", ascii: "\"\\u0300\"", backquote: true },
  { s: "'single'", quote: "\"'single'\"", ascii: "\"'single'\"", backquote: true },
  { s: "\u200b\u200d", quote: "\"\\u200b\\u200d\"", ascii: "\"\\u200b\\u200d\"", backquote: true },
  { s: "Ω≈ç√", quote: "\"Ω≈ç√\"", ascii: "\"\\u03a9\\u2248\\u00e7\\u221a\"", backquote: true },
  { s: "\u{1fa70}", quote: "\"\u{1fa70}\"", ascii: "\"\\U0001fa70\"", backquote: true },
  { s: "\u{1f972}", quote: "\"\u{1f972}\"", ascii: "\"\\U0001f972\"", backquote: true },
  { s: "\u061c", quote: "\"\\u061c\"", ascii: "\"\\u061c\"", backquote: true },
];

const QUOTE_RUNE_CASES: readonly QuoteRuneCase[] = [
  { r: 97, quote: "'a'", ascii: "'a'" },
  { r: 39, quote: "'\\''", ascii: "'\\''" },
  { r: 34, quote: "'\"'", ascii: "'\"'" },
  { r: 92, quote: "'\\\\'", ascii: "'\\\\'" },
  { r: 10, quote: "'\\n'", ascii: "'\\n'" },
  { r: 0, quote: "'\\x00'", ascii: "'\\x00'" },
  { r: 127, quote: "'\\x7f'", ascii: "'\\x7f'" },
  { r: 160, quote: "'\\u00a0'", ascii: "'\\u00a0'" },
  { r: 233, quote: "'é'", ascii: "'\\u00e9'" },
  { r: 26085, quote: "'日'", ascii: "'\\u65e5'" },
  { r: 128512, quote: "'\u{1f600}'", ascii: "'\\U0001f600'" },
  { r: 917505, quote: "'\\U000e0001'", ascii: "'\\U000e0001'" },
  { r: 55296, quote: "'�'", ascii: "'\\ufffd'" },
  { r: 1114112, quote: "'�'", ascii: "'\\ufffd'" },
  { r: -1, quote: "'�'", ascii: "'\\ufffd'" },
  { r: 65533, quote: "'�'", ascii: "'\\ufffd'" },
  { r: 1114111, quote: "'\\U0010ffff'", ascii: "'\\U0010ffff'" },
];

const PRINTABLE = [0x20, 0x7e, 0xa1, 0xff, 0x100, 0xfffd, 0x1f600, 0x1fa70, 0x1f972, 0x30000, 0x3134a, 0x1d7ff, 0x69ad, 0xa840, 0x1f3c, 0x637c, 0x302fa, 0x26477, 0x296f0, 0x6f2e, 0x6b4d, 0xac4e, 0x601c, 0x184b2, 0x21113, 0x112a7, 0x22fb5, 0x1705d, 0x120df, 0x2e935, 0x224d8, 0x30fb, 0x28285, 0x30734, 0x9918, 0xd0e8, 0x21ebc, 0x4480, 0x2e419, 0x20473, 0x42ed, 0x28d98, 0x1f32b, 0xafa5, 0xc665, 0x25222, 0x2cb5c, 0x7755, 0x27ee2, 0xd60e, 0x5c69, 0x6db0, 0xa61f, 0xcb81, 0x2532e, 0x9d78, 0x28bf1, 0x18a9a, 0x27d78, 0x635b, 0x271b6, 0x1fb75, 0x1f41, 0x2f39, 0x28ec7, 0x244c5, 0x2c429, 0x2d1c2, 0x17973, 0xd18c, 0x3fc5, 0xfc46, 0x2ba8b, 0x1875d, 0x20c78, 0x3010e, 0x264ea, 0xb03, 0x1e73, 0x28cc1, 0x23933, 0x21593, 0x5e1f, 0x37e0, 0x2a4, 0x29c29, 0x23d6e, 0x171f2, 0x261b5, 0x4576, 0xad0f, 0x2372, 0x3f79, 0x250dd, 0x405a, 0x1d0b6, 0x78d, 0x10869, 0x17c3b, 0xb721, 0x1f114, 0x2e50, 0xc485, 0x7774, 0x2e4bb, 0x54d5, 0xd6e1, 0x2ac17, 0x18335, 0x23c82, 0xe0, 0x30413, 0x2a63f, 0x27d79, 0x647b, 0x2bd17, 0xd730, 0x9426, 0x214fc, 0x1f7e1, 0x3d46, 0x516e, 0x7a23, 0x2caaa, 0x2dadd, 0x1d74, 0x22052, 0x2d0b3, 0x3992, 0x23b20, 0xa6bb, 0x18b86, 0x81bf, 0x2364a, 0x1777e, 0xfc89, 0xae20, 0x306bf, 0x2a43, 0xc9ce, 0x1c2b, 0x270b, 0x7df5, 0x291c6, 0x2521f, 0x5c05, 0x508d, 0x10b55, 0x27713, 0x12140, 0x666b, 0x2ac9c, 0x1f492, 0x1c17, 0x1d969, 0x83b8, 0xa1b9, 0x2d9e1, 0x18ace, 0x26f56, 0x8761, 0x28e55, 0x9658, 0x297d, 0x2d6e3, 0x9909, 0x1886a, 0x28fd9, 0x1d574, 0x3c3f, 0x261af, 0x24126, 0x1011d, 0x27f41, 0x188c0, 0x726b, 0x258c8, 0x109fb, 0x2ad3, 0x2a46d, 0x2b579, 0x2a7f1, 0x2408c, 0x206ab, 0x20b06, 0x7e37, 0x6487, 0x6c07, 0x874c, 0x18490, 0x17287, 0x31177, 0xd2e0, 0x667b, 0x2a45f, 0x3728, 0x179fa, 0x8ba0, 0x12052, 0x21fb1, 0x216cd, 0x12432, 0x706c, 0x5093, 0x17d95, 0x5357, 0x27789, 0x2250b, 0x6867, 0x1c91, 0x9b46, 0x4a27, 0x5205, 0x2ad71, 0xa687, 0xcb07, 0x8639, 0x175fd, 0x1753b, 0x943a, 0x1177, 0x1f1e8, 0x213f9, 0x2a9fa, 0x26055, 0x22891, 0xdd0, 0x2272a, 0x45bd, 0x39ef, 0x3278, 0x26070, 0x10670, 0x8990, 0xc8c5, 0x232f7, 0x4f72, 0x2a158, 0x2dcec, 0x35b4, 0x18636, 0x208d1, 0x7f85, 0x4609, 0x17f90, 0x17f4f, 0x402d, 0x280a, 0x24055, 0x24ce6, 0x17fb1, 0x2add7, 0x1d9bc, 0xb562, 0x4a00, 0x173cd, 0x17169, 0xa9ac, 0x65ab, 0x16e5f, 0x20fd6, 0x1d47, 0x17f2a, 0x9060, 0x2791f, 0x2055, 0x70c4, 0x30f02, 0x2235f, 0x16f56, 0xa287, 0x2c2e3, 0x208ab, 0xabd0, 0x765f, 0x217f1, 0x1f455, 0x2ae23, 0x24b34, 0x9fad, 0x83ef, 0x18411, 0x9496, 0x2e402, 0x22bae, 0x6898, 0xc217, 0x11280, 0x20da, 0x4e10, 0x904, 0x2bc88, 0x2b877];

const NOT_PRINTABLE = [0x7f, 0xa0, 0xad, 0x378, 0x2028, 0x3000, 0xfeff, 0xfffe, 0xe0001, 0xf0000, 0x10ffff, 0x3134b, 0x2ffff, 0xe21e, 0x1a6ee, 0x151bf, 0x1a844, 0x1bcf4, 0xe166, 0x161b8, 0x1a951, 0x2ecf2, 0x1fdd8, 0xde4f, 0x15ae1, 0x19945, 0x14ef4, 0xe593, 0x12ccd, 0x31a01, 0x1607a, 0x1c05a, 0x14b07, 0x1c739, 0x1586d, 0x1ef68, 0x2f6b4, 0x31904, 0x16acb, 0x12785, 0x31801, 0x1c8b4, 0xec1b, 0x154fa, 0x1df92, 0x13ea4, 0x1b3c1, 0x13610, 0x11b8e, 0x1b986, 0x1a513, 0x1e5c5, 0x14ab7, 0x2f19b, 0x1ebb5, 0xd9fd, 0x2f5c5, 0xd959, 0x1ab21, 0x1478a, 0x1c6e7, 0xe323, 0x31a38, 0x1b456, 0x1fa5a, 0x13431, 0x13b6c, 0x1b84e, 0x1ca2a, 0x14932, 0x1920f, 0x13ce9, 0xe937, 0x13e41, 0x15eae, 0xf73e, 0x1b855, 0xe23f, 0x13470, 0xf5e4, 0x191da, 0x15268, 0x10e2a, 0x2fca8, 0xdac8, 0x16c0c, 0x31cf3, 0x19c63, 0x1deaf, 0x1622a, 0xffb, 0xeb2a, 0x1ccbf, 0x12e9b, 0x1e4e8, 0x1cb60, 0xf1c1, 0x1174c, 0x135ed, 0x31d3b, 0x31c69, 0x2f7a7, 0x2f098, 0xec3b, 0x1ae25, 0xe7bc, 0x19326, 0x1e669, 0x1c218, 0x1a7b4, 0x1b451, 0xdfab, 0xebb9, 0x19944, 0x19b70, 0x19aed, 0xefdd, 0x1526d, 0xf7fc, 0xf3b3, 0x19d5f, 0x13c83, 0x31ee0, 0x14b4a, 0x1c7bc, 0x2f187, 0x1b929, 0x15fcf, 0x1394d, 0x163f6, 0xec09, 0x12f2f];


describe("quote matches strconv.Quote, QuoteToASCII and CanBackquote", () => {
  for (const c of QUOTE_CASES) {
    it(`quotes ${JSON.stringify(c.s)}`, () => {
      assert.equal(quote(c.s), c.quote);
      assert.equal(quoteToASCII(c.s), c.ascii);
      assert.equal(canBackquote(c.s), c.backquote);
    });
  }
  it("treats a lone surrogate as U+FFFD, as its UTF-8 encoding is", () => {
    assert.equal(quote("a\ud800b"), '"a\ufffdb"');
    assert.equal(quoteToASCII("\udc00"), '"\\ufffd"');
  });
});

describe("quoteRune matches strconv.QuoteRune and QuoteRuneToASCII", () => {
  for (const c of QUOTE_RUNE_CASES) {
    it(`quotes rune ${c.r}`, () => {
      assert.equal(quoteRune(c.r), c.quote);
      assert.equal(quoteRuneToASCII(c.r), c.ascii);
    });
  }
});

describe("isPrint matches Go's unicode.IsPrint (Unicode 13)", () => {
  it("accepts printable runes", () => {
    for (const r of PRINTABLE) assert.equal(isPrint(r), true, `U+${r.toString(16)}`);
  });
  it("rejects non-printable runes", () => {
    for (const r of NOT_PRINTABLE) assert.equal(isPrint(r), false, `U+${r.toString(16)}`);
  });
  it("rejects runes beyond U+10FFFF and negative ones", () => {
    assert.equal(isPrint(0x110000), false);
    assert.equal(isPrint(-1), false);
  });
});
