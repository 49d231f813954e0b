// json, jsonArray and map: Go's encoding/json Unmarshal into map[string]interface {} /
// []interface {} (numbers float64), with Go's exact error texts, and confd's CreateMap.
// Syntax is checked first by the port of Go's scanner (json_scanner.ts); values are then
// built by JSON.parse, which accepts the same grammar.

import {
  fromJSON,
  GoError,
  GoFuncValue,
  GoMap,
  GoSlice,
  MAP_STRING_ANY,
  nilMap,
  nilSlice,
  SLICE_ANY,
  T,
  type Value,
  withCap,
} from "../template/value.ts";
import { jsonDecodeCap } from "../template/go_cap.ts";
import { goFunc, sig, str } from "./go_func.ts";
import { Scanner } from "./json_scanner.ts";
import { utf8Bytes } from "../template/fmt/utf8.ts";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Go replaces invalid \u surrogate escapes with U+FFFD; JSON.parse keeps them. */
function wellFormed(x: unknown): unknown {
  if (typeof x === "string") return x.replace(LONE_SURROGATE, "\ufffd");
  if (Array.isArray(x)) return x.map(wellFormed);
  if (x !== null && typeof x === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(x)) {
      Object.defineProperty(out, k.replace(LONE_SURROGATE, "\ufffd"), {
        value: wellFormed(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return x;
}

function kindName(x: unknown): string {
  if (Array.isArray(x)) return "array";
  if (typeof x === "string") return "string";
  if (typeof x === "number") return "number";
  if (typeof x === "boolean") return "bool";
  return "object";
}

/**
 * Go json.Unmarshal of `data` into a map[string]interface {} (want "object") or a
 * []interface {} (want "array"). JSON null gives a nil map / slice (printed `map[]` / `[]`).
 */
export function goUnmarshal(data: string, want: "object" | "array"): GoMap | GoSlice {
  const scanner = new Scanner(utf8Bytes(data));
  scanner.check();
  const parsed: unknown = JSON.parse(data);
  const goType = want === "object" ? MAP_STRING_ANY : SLICE_ANY;
  if (parsed === null) return want === "object" ? nilMap(goType) : nilSlice(goType);
  if (kindName(parsed) !== want) {
    throw new GoError(`json: cannot unmarshal ${kindName(parsed)} into Go value of type ${goType.name}`);
  }
  if (scanner.firstOverflow !== undefined) {
    throw new GoError(`json: cannot unmarshal number ${scanner.firstOverflow} into Go value of type float64`);
  }
  const value = fromJSON(wellFormed(parsed)) as GoMap | GoSlice;
  // Decoding into a slice variable grows it by half (at least 4), not as append does;
  // arrays nested inside are []interface {} values built by append (fromJSON's rule).
  return value instanceof GoSlice ? withCap(value, jsonDecodeCap(value.items.length), null) : value;
}

/** confd's CreateMap: `map k1 v1 k2 v2 ...` with string keys; values keep their Go types. */
export function createMap(values: Value[]): GoMap {
  if (values.length % 2 !== 0) throw new GoError("invalid map call");
  const m = new Map<string, Value>();
  for (let i = 0; i < values.length; i += 2) {
    const k = values[i];
    if (typeof k !== "string") throw new GoError("map keys must be strings");
    // A missing value (no value) passed as interface{} arrives as nil.
    m.set(k, values[i + 1] === undefined ? null : values[i + 1]);
  }
  return new GoMap(MAP_STRING_ANY, m);
}

export function jsonFuncs(): Map<string, GoFuncValue> {
  const fns = [
    goFunc(
      "json",
      sig([T.string], MAP_STRING_ANY, { returnsError: true }),
      (s) => goUnmarshal(str(s), "object"),
    ),
    goFunc(
      "jsonArray",
      sig([T.string], SLICE_ANY, { returnsError: true }),
      (s) => goUnmarshal(str(s), "array"),
    ),
    goFunc("map", sig([], MAP_STRING_ANY, { variadic: T.any, returnsError: true }), (...v) => createMap(v)),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}
