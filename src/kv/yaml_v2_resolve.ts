// yaml.v2's meaning of a scalar's text (its resolve.go): YAML 1.1 bools and nulls, Go's
// integer syntax (0x, 0o, 0b, leading-0 octal, underscores), int64 then uint64 then float64,
// no base 60. Shared by the full YAML reader (yaml_v2.ts) and its fast path (yaml_fast.ts).

import type { DataValue } from "./data_file.ts";
import { formatFloatF } from "./flatten.ts";

/** A problem in the document, at a UTF-16 offset of the source text. */
export class YamlV2Error extends Error {
  override name = "YamlV2Error";
  readonly offset: number;
  constructor(reason: string, offset: number) {
    super(reason);
    this.offset = offset;
  }
}

export const TAG = "tag:yaml.org,2002:";
export const STR = TAG + "str", INT = TAG + "int", FLOAT = TAG + "float", BOOL = TAG + "bool";
export const NULL = TAG + "null", TIMESTAMP = TAG + "timestamp", BINARY = TAG + "binary", MERGE = TAG + "merge";

/** Plain scalars that yaml.v2 looks up whole (its resolveMap): YAML 1.1 bools, nulls, special floats. */
const RESOLVE_MAP = new Map<string, [tag: string, value: DataValue]>();
for (
  const [tag, value, forms] of [
    [BOOL, true, "y Y yes Yes YES true True TRUE on On ON"],
    [BOOL, false, "n N no No NO false False FALSE off Off OFF"],
    [NULL, null, "~ null Null NULL"],
    [FLOAT, NaN, ".nan .NaN .NAN"],
    [FLOAT, Infinity, ".inf .Inf .INF +.inf +.Inf +.INF"],
    [FLOAT, -Infinity, "-.inf -.Inf -.INF"],
  ] as const
) {
  for (const form of forms.split(" ")) RESOLVE_MAP.set(form, [tag, value]);
}
RESOLVE_MAP.set("", [NULL, null]);

/** yaml.v2's yamlStyleFloat: the only float spellings tried after ints fail (no base 60, no hex). */
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** Go's strconv.ParseFloat syntax for a text starting with `.` (decimal only; `.inf` is in the map). */
const DOT_FLOAT = /^\.[0-9]+([eE][-+]?[0-9]+)?$/;
/** Go's ParseInt(s, 0, 64) syntax after underscores are removed: sign, then 0x/0o/0b/0 prefixes. */
const GO_INT = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/;
/** The date forms yaml.v2's parseTimestamp accepts (the time only needs to be valid for !!timestamp). */
const TIMESTAMP_FORM =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(\.[0-9]*)?(Z|[-+][0-9]{1,2}(:[0-9]{2})?)?)?$/;

const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt/ParseUint(s, 0, 64) as one bigint, or undefined when it is not an integer. */
function parseGoInt(text: string): bigint | undefined {
  if (!GO_INT.test(text)) return undefined;
  const neg = text.startsWith("-");
  let digits = text.replace(/^[-+]/, "");
  if (/^0[0-7]+$/.test(digits)) digits = "0o" + digits.slice(1);
  else if (/^0[oObBxX]/.test(digits)) digits = "0" + digits[1].toLowerCase() + digits.slice(2);
  const n = neg ? -BigInt(digits) : BigInt(digits);
  return n >= INT64_MIN && n <= UINT64_MAX ? n : undefined;
}

/** Go's ParseFloat(s, 64) for the decimal syntax: undefined when out of range (yaml.v2 keeps the text). */
function parseGoFloat(text: string): number | undefined {
  const x = Number(text);
  return Number.isFinite(x) ? x : undefined;
}

/** yaml.v2's resolve(tag, in) for the tags it resolves, with its result tag. */
export function resolve(tag: string, text: string): [tag: string, value: DataValue] {
  if (tag !== STR && tag !== BINARY) {
    const known = RESOLVE_MAP.get(text);
    if (known !== undefined) return known;
    const c = text[0];
    if (c === ".") {
      if (DOT_FLOAT.test(text)) {
        const x = parseGoFloat(text);
        if (x !== undefined) return [FLOAT, x];
      }
    } else if (c === "+" || c === "-" || (c >= "0" && c <= "9")) {
      if ((tag === "" || tag === TIMESTAMP) && TIMESTAMP_FORM.test(text)) return [TIMESTAMP, text];
      const plain = text.replaceAll("_", "");
      const n = parseGoInt(plain);
      if (n !== undefined) return [INT, n];
      if (YAML_STYLE_FLOAT.test(plain)) {
        const x = parseGoFloat(plain);
        if (x !== undefined) return [FLOAT, x];
      }
    }
  }
  return [STR, text];
}

/**
 * A map key as a path segment: a string as is, other scalars in their flattened text, a null
 * key undefined (its entry is skipped; confd, which expects string keys, panics on any other).
 */
export function keyText(key: DataValue, offset = 0): string | undefined {
  switch (typeof key) {
    case "string":
      return key;
    case "bigint":
    case "boolean":
      return String(key);
    case "number":
      return formatFloatF(key);
  }
  if (key === null) return undefined;
  throw new YamlV2Error("invalid map key: a map or list cannot be a key", offset);
}
