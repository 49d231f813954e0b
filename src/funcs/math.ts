// Integer and conversion functions: add sub mul div mod (func(int, int) int), seq,
// atoi and parseBool. Go's int is 64-bit and wraps on overflow; division by zero is a
// Go panic, which text/template reports as an error.

import { GoError, GoFuncValue, GoSlice, nilSlice, SLICE_INT, T, withCap } from "../template/value.ts";
import { appendCap, ELEM_SIZE } from "../template/go_cap.ts";
import { goFunc, int, sig, str } from "./go_func.ts";
import { quote as goQuote } from "../template/fmt/quote.ts";

const wrap = (x: bigint): bigint => BigInt.asIntN(64, x);

/**
 * The most numbers `seq` builds (about 40 MB and a tenth of a second; ten times that was
 * gigabytes once ranged over). Go would try to allocate any size and die.
 */
export const SEQ_LIMIT = 1_000_000;

function divideByZero(): never {
  throw new GoError("runtime error: integer divide by zero");
}

/** Go strconv.Atoi: optional sign, decimal digits only, int64 range. */
export function goAtoi(s: string): bigint {
  const fail = (why: string): never => {
    throw new GoError(`strconv.Atoi: parsing ${goQuote(s)}: ${why}`);
  };
  let digits = s;
  let neg = false;
  if (s[0] === "+" || s[0] === "-") {
    neg = s[0] === "-";
    digits = s.slice(1);
  }
  if (digits === "") fail("invalid syntax");
  // As ParseUint: a uint64 overflow is reported at once, a bad character when reached.
  let n = 0n;
  for (const c of digits) {
    if (c < "0" || c > "9") fail("invalid syntax");
    n = n * 10n + BigInt(c.charCodeAt(0) - 48);
    if (n > 0xffff_ffff_ffff_ffffn) fail("value out of range");
  }
  if (neg ? n > 2n ** 63n : n > 2n ** 63n - 1n) fail("value out of range");
  return neg ? -n : n;
}

/** Go strconv.ParseBool. */
export function goParseBool(s: string): boolean {
  switch (s) {
    case "1":
    case "t":
    case "T":
    case "TRUE":
    case "true":
    case "True":
      return true;
    case "0":
    case "f":
    case "F":
    case "FALSE":
    case "false":
    case "False":
      return false;
  }
  throw new GoError(`strconv.ParseBool: parsing ${goQuote(s)}: invalid syntax`);
}

export function mathFuncs(): Map<string, GoFuncValue> {
  const I = T.int;
  const binary = (name: string, op: (a: bigint, b: bigint) => bigint) =>
    goFunc(name, sig([I, I], I), (a, b) => wrap(op(int(a), int(b))));
  const fns = [
    binary("add", (a, b) => a + b),
    binary("sub", (a, b) => a - b),
    binary("mul", (a, b) => a * b),
    // BigInt division truncates toward zero and % takes the dividend's sign, as in Go.
    binary("div", (a, b) => (b === 0n ? divideByZero() : a / b)),
    binary("mod", (a, b) => (b === 0n ? divideByZero() : a % b)),
    goFunc("seq", sig([I, I], SLICE_INT), (a, b) => {
      const first = int(a);
      const last = int(b);
      if (last >= first && last - first >= BigInt(SEQ_LIMIT)) {
        throw new GoError(`seq: ${last - first + 1n} numbers is more than the limit of ${SEQ_LIMIT}`);
      }
      // confd appends to a nil []int, so an empty range is a nil slice.
      if (first > last) return nilSlice(SLICE_INT);
      const items: bigint[] = [];
      for (let i = first; i <= last; i++) items.push(i);
      return withCap(new GoSlice(SLICE_INT, items), appendCap(items.length, ELEM_SIZE.int), 0n);
    }),
    goFunc("atoi", sig([T.string], I, { returnsError: true }), (s) => goAtoi(str(s))),
    goFunc("parseBool", sig([T.string], T.bool, { returnsError: true }), (s) => goParseBool(str(s))),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}
