// Flattens parsed YAML/JSON/TOML data into store keys, as confd's file backend does
// (nodeWalk): map keys and list indexes become path segments joined with path.Join,
// scalars become strings. Data files reach it through data_file.ts (file backend, --kv).

import { join } from "./go_path.ts";

export interface FlattenOptions {
  /** Key the walk starts from. Default "/" (confd's file backend). */
  root?: string;
  /** Map to add to; later files overwrite earlier keys, as confd's shared vars map does. Default: a new map. */
  into?: Map<string, string>;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * confd's nodeWalk. Kept: strings as is; ints in decimal (bigint, or integral
 * numbers, since JS parsers cannot tell `1` from `1.0`, and Go prints both as `1`);
 * floats as strconv.FormatFloat(f, 'f', -1, 64) (shortest digits, never an exponent);
 * bools `true`/`false`. Skipped, as confd skips them: null, and ints outside int64
 * (yaml.v2 decodes those as uint64, which nodeWalk ignores). A Date (YAML/TOML
 * timestamps) is kept as its ISO text; yaml.v2 hands confd the original text there.
 */
export function flatten(data: unknown, opts: FlattenOptions = {}): Map<string, string> {
  const out = opts.into ?? new Map<string, string>();
  walk(data, join(opts.root ?? "/"), out);
  return out;
}

/** Characters that make path.Join do more than add `/segment` to a clean key. */
const UNCLEAN = /[/]|^\.{0,2}$/;

/** path.Join(key, segment) for a clean `key`; the common case skips path.Clean. */
function child(key: string, segment: string): string {
  if (UNCLEAN.test(segment)) return join(key, segment);
  return key === "/" ? "/" + segment : key + "/" + segment;
}

function walk(node: unknown, key: string, out: Map<string, string>): void {
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, child(key, String(i)), out));
    return;
  }
  if (node instanceof Map) {
    for (const [k, v] of node) walk(v, child(key, String(k)), out);
    return;
  }
  switch (typeof node) {
    case "string":
      out.set(key, node);
      return;
    case "boolean":
      out.set(key, node ? "true" : "false");
      return;
    case "bigint":
      if (node >= INT64_MIN && node <= INT64_MAX) out.set(key, node.toString());
      return;
    case "number":
      out.set(key, formatFloatF(node));
      return;
  }
  if (node instanceof Date) {
    out.set(key, node.toISOString());
    return;
  }
  if (typeof node === "object") {
    const map = node as Record<string, unknown>;
    for (const k in map) if (Object.hasOwn(map, k)) walk(map[k], child(key, k), out);
  }
}

/** strconv.FormatFloat(x, 'f', -1, 64): shortest round-trip digits in plain decimal notation. */
export function formatFloatF(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "+Inf";
  if (x === -Infinity) return "-Inf";
  if (Object.is(x, -0)) return "-0";
  // toExponential() without an argument gives the shortest digits that round-trip.
  const [mant, expText] = x.toExponential().split("e");
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const exp = Number(expText);
  let text: string;
  if (exp < 0) {
    text = "0." + "0".repeat(-exp - 1) + digits;
  } else if (exp + 1 >= digits.length) {
    text = digits + "0".repeat(exp + 1 - digits.length);
  } else {
    text = digits.slice(0, exp + 1) + "." + digits.slice(exp + 1);
  }
  return neg ? "-" + text : text;
}
