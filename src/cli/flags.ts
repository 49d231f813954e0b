// A Go `flag`-package parser, written by hand because confd's users type Go's
// flag syntax and no npm parser reproduces it: `-x` and `--x` are the same,
// values come as `-x v` or `-x=v`, booleans only as `-x` or `-x=false`,
// repeatable flags append, parsing stops at the first non-flag (or `--`), and
// errors use Go's wording (`flag provided but not defined: -x`).

import { type IntProblem, parseGoBool, parseGoInt } from "../config/go_values.ts";
import { quote } from "../template/fmt/quote.ts";

export type FlagKind = "string" | "bool" | "int" | "list";

export interface FlagSpec {
  /** Name without the dash. */
  name: string;
  kind: FlagKind;
}

export type FlagValue = string | boolean | number | string[];

export interface ParsedFlags {
  /** Flags given on the command line, by name (lists accumulate in order). */
  values: Map<string, FlagValue>;
  /** Arguments left after flag parsing stopped. */
  rest: string[];
  /** Parsing stopped at `--` (the rest is a command line, e.g. the supervised service's argv). */
  dashDash?: boolean;
  /** `-h` or `-help` was given (and is not itself a defined flag). */
  help: boolean;
}

export interface ParseOptions {
  /**
   * Keep parsing flags after positional arguments (collected into `rest`), as
   * reconfd's own subcommands do. Default false: Go's rule, stop at the first one.
   */
  interspersed?: boolean;
}

/** A usage error: the message is Go's, e.g. `flag needs an argument: -interval`. */
export class FlagError extends Error {
  /** The flag as written, or "" for syntax errors. */
  readonly flag: string;
  constructor(message: string, flag: string) {
    super(message);
    this.name = "FlagError";
    this.flag = flag;
  }
}

function setValue(spec: FlagSpec, values: Map<string, FlagValue>, value: string): void {
  switch (spec.kind) {
    case "string":
      values.set(spec.name, value);
      return;
    case "list": {
      const prior = values.get(spec.name);
      values.set(spec.name, Array.isArray(prior) ? [...prior, value] : [value]);
      return;
    }
    case "int": {
      const n: number | IntProblem = parseGoInt(value);
      if (typeof n !== "number") {
        throw new FlagError(`invalid value ${quote(value)} for flag -${spec.name}: ${n}`, spec.name);
      }
      values.set(spec.name, n);
      return;
    }
    case "bool": {
      const b = parseGoBool(value);
      if (b === undefined) {
        throw new FlagError(`invalid boolean value ${quote(value)} for -${spec.name}: parse error`, spec.name);
      }
      values.set(spec.name, b);
      return;
    }
  }
}

/** Parses `args` against `specs`; throws FlagError on the first bad flag, as Go does. */
export function parseFlags(
  specs: readonly FlagSpec[],
  args: readonly string[],
  options: ParseOptions = {},
): ParsedFlags {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const values = new Map<string, FlagValue>();
  const rest: string[] = [];
  let i = 0;
  while (i < args.length) {
    const arg = args[i];
    if (arg.length < 2 || arg[0] !== "-") {
      // A non-flag ("x" or a lone "-", which means stdin to subcommands).
      if (!options.interspersed) break;
      rest.push(arg);
      i++;
      continue;
    }
    const dashes = arg[1] === "-" ? 2 : 1;
    if (dashes === 2 && arg.length === 2) {
      i++; // "--" ends the flags and is consumed.
      rest.push(...args.slice(i));
      return { values, rest, help: false, dashDash: true };
    }
    let name = arg.slice(dashes);
    if (name.length === 0 || name[0] === "-" || name[0] === "=") {
      throw new FlagError(`bad flag syntax: ${arg}`, "");
    }
    i++;
    let value: string | undefined;
    const eq = name.indexOf("=", 1);
    if (eq > 0) {
      value = name.slice(eq + 1);
      name = name.slice(0, eq);
    }
    const spec = byName.get(name);
    if (!spec) {
      if (name === "h" || name === "help") return { values, rest, help: true };
      throw new FlagError(`flag provided but not defined: -${name}`, name);
    }
    if (spec.kind === "bool") {
      setValue(spec, values, value ?? "true");
      continue;
    }
    if (value === undefined) {
      // Go takes the next argument whatever it looks like, even "-x".
      if (i >= args.length) throw new FlagError(`flag needs an argument: -${name}`, name);
      value = args[i];
      i++;
    }
    setValue(spec, values, value);
  }
  rest.push(...args.slice(i));
  return { values, rest, help: false };
}
