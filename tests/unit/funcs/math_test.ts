import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { GoError, GoSlice, type Value } from "../../../src/template/value.ts";
import { KVStore } from "../../../src/kv/store.ts";
import { confdFuncs } from "../../../src/funcs/confd.ts";
import { goAtoi, goParseBool } from "../../../src/funcs/math.ts";
import { oracle } from "./testdata/oracle.ts";
import { call } from "./testdata/call.ts";

const funcs = confdFuncs(new KVStore(), { env: {} });
const MAX = 2n ** 63n - 1n;
const MIN = -(2n ** 63n);

describe("math functions", () => {
  describe("integer arithmetic follows Go's int", () => {
    const cases: [name: string, fn: string, a: bigint, b: bigint, want: bigint][] = [
      ["add adds", "add", 2n, 3n, 5n],
      ["sub subtracts", "sub", 2n, 3n, -1n],
      ["mul multiplies", "mul", -4n, 3n, -12n],
      ["div truncates toward zero", "div", -7n, 2n, -3n],
      ["div of positives", "div", 7n, 2n, 3n],
      ["mod takes the dividend's sign", "mod", -7n, 3n, -1n],
      ["mod with a negative divisor", "mod", 7n, -3n, 1n],
      ["add wraps around on overflow", "add", MAX, 1n, MIN],
      ["mul wraps around on overflow", "mul", MAX, 2n, -2n],
      ["div of MinInt64 by -1 wraps to MinInt64", "div", MIN, -1n, MIN],
      ["mod of MinInt64 by -1 is 0", "mod", MIN, -1n, 0n],
    ];
    for (const [name, fn, a, b, want] of cases) it(name, () => assert.equal(call(funcs, fn, a, b), want));

    for (const fn of ["div", "mod"]) {
      it(`${fn} by zero is Go's runtime error`, () => {
        assert.throws(
          () => call(funcs, fn, 1n, 0n),
          (e) => e instanceof GoError && e.message === "runtime error: integer divide by zero",
        );
      });
    }
  });

  describe("seq", () => {
    const cases: [name: string, a: bigint, b: bigint, want: bigint[]][] = [
      ["is inclusive", 1n, 3n, [1n, 2n, 3n]],
      ["of one number", 5n, 5n, [5n]],
      ["is empty when first > last", 3n, 1n, []],
      ["handles negatives", -2n, 0n, [-2n, -1n, 0n]],
    ];
    for (const [name, a, b, want] of cases) {
      it(name, () => {
        const v = call(funcs, "seq", a, b);
        assert.ok(v instanceof GoSlice);
        assert.equal(v.type.name, "[]int");
        assert.deepEqual(v.items, want);
      });
    }
    it("refuses absurd lengths instead of exhausting memory", () => {
      assert.throws(() => call(funcs, "seq", 0n, 10n ** 12n), GoError);
    });
    it("builds at most a million numbers, and says so", () => {
      assert.equal((call(funcs, "seq", 1n, 1_000_000n) as GoSlice).items.length, 1_000_000);
      assert.throws(() => call(funcs, "seq", 1n, 1_000_001n), {
        message: "seq: 1000001 numbers is more than the limit of 1000000",
      });
    });
  });

  describe("atoi agrees with Go's strconv.Atoi", () => {
    for (const [s, n, err] of oracle("atoi")) {
      it(`atoi ${JSON.stringify(s)} ${err === "" ? `is ${n}` : "fails"}`, () => {
        if (err === "") assert.equal(goAtoi(s as string), BigInt(n as string));
        else assert.throws(() => goAtoi(s as string), (e) => e instanceof GoError && e.message === err);
      });
    }
  });

  describe("parseBool agrees with Go's strconv.ParseBool", () => {
    for (const [s, b, err] of oracle("parseBool")) {
      it(`parseBool ${JSON.stringify(s)} ${err === "" ? `is ${b}` : "fails"}`, () => {
        if (err === "") assert.equal(goParseBool(s as string), b);
        else assert.throws(() => goParseBool(s as string), (e) => e instanceof GoError && e.message === err);
        const v: Value = err === "" ? call(funcs, "parseBool", s as string) : undefined;
        if (err === "") assert.equal(v, b);
      });
    }
  });
});
