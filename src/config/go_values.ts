// Go's spellings of booleans and integers (strconv.ParseBool, and ParseInt with
// base 0 as the `flag` package uses it), shared by flags and CONFD_* variables
// so `-onetime=T` and `CONFD_ONETIME=T` accept exactly the same words.

const TRUE_WORDS = new Set(["1", "t", "T", "TRUE", "true", "True"]);
const FALSE_WORDS = new Set(["0", "f", "F", "FALSE", "false", "False"]);

/** strconv.ParseBool: the value, or undefined when the text is not a Go boolean. */
export function parseGoBool(text: string): boolean | undefined {
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  return undefined;
}

/** Why an integer failed to parse, in Go's words. */
export type IntProblem = "parse error" | "value out of range";

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// Base prefix and the digits it allows; underscores may separate digits only
// when a base prefix is present, as in Go source literals.
const INT_FORMS: readonly { re: RegExp; radix: number }[] = [
  { re: /^0[xX]((?:_?[0-9a-fA-F])+)$/, radix: 16 },
  { re: /^0[bB]((?:_?[01])+)$/, radix: 2 },
  { re: /^0[oO]((?:_?[0-7])+)$/, radix: 8 },
  { re: /^0((?:_?[0-7])+)$/, radix: 8 },
  { re: /^([1-9](?:_?[0-9])*|0)$/, radix: 10 },
];

/**
 * strconv.ParseInt(text, 0, 64): decimal, 0x hex, 0o / leading-0 octal, 0b binary,
 * optional sign. Returns the number, or the problem Go would report.
 */
export function parseGoInt(text: string): number | IntProblem {
  let body = text;
  let negative = false;
  if (body.startsWith("+") || body.startsWith("-")) {
    negative = body[0] === "-";
    body = body.slice(1);
  }
  for (const { re, radix } of INT_FORMS) {
    const m = re.exec(body);
    if (!m) continue;
    const digits = m[1].replaceAll("_", "");
    let value = 0n;
    for (const ch of digits) value = value * BigInt(radix) + BigInt(parseInt(ch, radix));
    if (negative) value = -value;
    if (value < INT64_MIN || value > INT64_MAX) return "value out of range";
    return Number(value);
  }
  return "parse error";
}
