import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { flatten, formatFloatF } from "../../../src/kv/flatten.ts";
import { flattenDataFile } from "../../../src/kv/data_file.ts";

const yamlKeys = (text: string) => Object.fromEntries(flattenDataFile("t.yaml", new TextEncoder().encode(text)));

describe("flatten: confd's file backend walk", () => {
  const cases: [name: string, data: unknown, want: Record<string, string>][] = [
    ["nested maps become path segments", { a: { b: { c: "x" } } }, { "/a/b/c": "x" }],
    ["list indexes become segments", { l: ["x", "y"] }, { "/l/0": "x", "/l/1": "y" }],
    ["maps inside lists", { l: [{ n: "a" }, { n: "b" }] }, { "/l/0/n": "a", "/l/1/n": "b" }],
    ["ints print plainly, bigints exactly", { n: 42, neg: -7, big: 9007199254740993n }, {
      "/n": "42",
      "/neg": "-7",
      "/big": "9007199254740993",
    }],
    ["floats print with shortest digits and no exponent", { f: 1.5, e: 1e21, s: 1e-7 }, {
      "/f": "1.5",
      "/e": "1000000000000000000000",
      "/s": "0.0000001",
    }],
    ["bools print true/false", { t: true, f: false }, { "/t": "true", "/f": "false" }],
    ["nulls are skipped", { z: null, k: "v" }, { "/k": "v" }],
    ["ints beyond int64 are skipped (uint64 in yaml.v2)", { u: 18446744073709551615n }, {}],
    ["a top-level flat map of /keys works", { "/database/host": "db", "/database/port": 5432 }, {
      "/database/host": "db",
      "/database/port": "5432",
    }],
    ["keys are joined with path.Join (cleaned)", { "a/": { "/b//": "x" } }, { "/a/b": "x" }],
    ["an empty list adds nothing", { l: [] }, {}],
  ];
  for (const [name, data, want] of cases) {
    it(name, () => assert.deepEqual(Object.fromEntries(flatten(data)), want));
  }

  it("flattens parsed YAML", () => {
    assert.deepEqual(yamlKeys("database:\n  host: 127.0.0.1\n  port: 3306\nupstream:\n  - app1\n  - app2\n"), {
      "/database/host": "127.0.0.1",
      "/database/port": "3306",
      "/upstream/0": "app1",
      "/upstream/1": "app2",
    });
  });

  describe("data files read scalars as yaml.v2 does (more in yamlv2_table_test.ts)", () => {
    const cases: [name: string, yaml: string, want: Record<string, string>][] = [
      ["YAML 1.1 bools", "a: yes\nb: off\nc: Y\n", { "/a": "true", "/b": "false", "/c": "true" }],
      ["octal and hex ints", "o: 0777\nh: 0x1F\n", { "/o": "511", "/h": "31" }],
      ["int64 stays exact", "i: 9223372036854775807\n", { "/i": "9223372036854775807" }],
      ["a uint64-only value is skipped", "u: 12345678901234567890\nk: v\n", { "/k": "v" }],
      ["floats in plain decimal", "f: 1.0\ng: 1.5e3\n", { "/f": "1", "/g": "1500" }],
      ["timestamps keep their text", "t: 2001-12-14\n", { "/t": "2001-12-14" }],
      ["quoted numbers stay strings", "s: '0777'\n", { "/s": "0777" }],
    ];
    for (const [name, yaml, want] of cases) {
      it(name, () => assert.deepEqual(yamlKeys(yaml), want));
    }
  });

  it("adds to an existing map, later files winning", () => {
    const into = flatten({ a: "1", b: "1" });
    flatten({ b: "2" }, { into });
    assert.deepEqual(Object.fromEntries(into), { "/a": "1", "/b": "2" });
  });

  describe("formatFloatF is strconv.FormatFloat(f, 'f', -1, 64)", () => {
    const cases: [number, string][] = [
      [0, "0"],
      [-0, "-0"],
      [3, "3"],
      [0.1, "0.1"],
      [123456789.125, "123456789.125"],
      [1e-7, "0.0000001"],
      [1.5e-10, "0.00000000015"],
      [2 ** 64, "18446744073709552000"],
      [1e300, "1" + "0".repeat(300)],
      [Infinity, "+Inf"],
      [-Infinity, "-Inf"],
      [NaN, "NaN"],
      [-2.5, "-2.5"],
    ];
    for (const [x, want] of cases) {
      it(`${x} is ${want.length > 30 ? want.slice(0, 20) + "…" : want}`, () => assert.equal(formatFloatF(x), want));
    }
  });
});
