// Go's fmt printing of template values (fmt/print.go): the printer that formats one operand
// for a verb (printArg, printValue), and fmt.Sprint / fmt.Sprintln on top of it.
// Values follow src/template/value.ts; composites print as Go's reflection-based printer does:
// [a b], map[k:v] with sorted keys, {a b}, and the Go-syntax forms of %#v.

import {
  GoComplex,
  GoFuncValue,
  GoInt,
  GoMap,
  GoSlice,
  GoStruct,
  type GoType,
  intValue,
  isNil,
  isUintKind,
  type Signature,
  sortedKeys,
  T,
  type Value,
} from "../value.ts";
import { asUint64, Fmt, LOWER_DIGITS, UPPER_DIGITS } from "./format.ts";
import { formatFloat } from "./ftoa.ts";
import { fromUtf8 } from "./utf8.ts";

const NIL_ANGLE = "<nil>";
const NIL_PAREN = "(nil)";

/** fmt.Sprint: operands in their default format, a space between two operands when neither is a string. */
export function sprint(args: readonly Value[]): string {
  // The render hot path: one string or int operand.
  if (args.length === 1) {
    const a = args[0];
    if (typeof a === "string") return a;
    if (typeof a === "bigint") return a.toString();
  }
  const p = new Printer();
  let prevString = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const isString = typeof arg === "string" || (arg instanceof GoStruct && arg.type.kind === "string");
    if (i > 0 && !isString && !prevString) p.fmt.buf += " ";
    p.printArg(arg, "v");
    prevString = isString;
  }
  return p.fmt.buf;
}

/** fmt.Sprintln: operands in their default format, always space-separated, then a newline. */
export function sprintln(args: readonly Value[]): string {
  const p = new Printer();
  for (let i = 0; i < args.length; i++) {
    if (i > 0) p.fmt.buf += " ";
    p.printArg(args[i], "v");
  }
  return p.fmt.buf + "\n";
}

/** The Go type of a value as %T prints it: `int`, `[]string`, `map[string]interface {}`, `<nil>`. */
export function typeString(v: Value): string {
  if (v === null || v === undefined) return NIL_ANGLE;
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "bigint":
      return "int";
    case "number":
      return "float64";
  }
  if (v instanceof GoFuncValue) return funcTypeString(v.sig);
  return v.type.name;
}

function funcTypeString(sig: Signature): string {
  const params = sig.params.map((t) => t.name);
  if (sig.variadic) params.push("..." + sig.variadic.name);
  const result = sig.returnsError ? ` (${sig.result.name}, error)` : ` ${sig.result.name}`;
  return `func(${params.join(", ")})${result}`;
}

/** Stable stand-in addresses for %p and func values: Go prints real pointers, which vary anyway. */
const addresses = new WeakMap<object, bigint>();
let nextAddress = 0xc000010000n;

function addressOf(v: object): bigint {
  let a = addresses.get(v);
  if (a === undefined) {
    a = nextAddress;
    nextAddress += 0x20n;
    addresses.set(v, a);
  }
  return a;
}

/** Go's pp: prints operands into its Fmt's buffer. Sprintf drives it verb by verb. */
export class Printer {
  readonly fmt = new Fmt();
  /** Set while printing a bad verb's operand, so String methods are not called for it. */
  erroring = false;

  /** printArg: one top-level operand for a verb. */
  printArg(arg: Value, verb: string): void {
    if (arg === null || arg === undefined) {
      if (verb === "T" || verb === "v") this.fmt.pad(NIL_ANGLE);
      else this.badVerb(verb, arg);
      return;
    }
    // %T and %p are special: they are about the operand, not its value.
    if (verb === "T") {
      this.fmt.fmtS(typeString(arg));
      return;
    }
    if (verb === "p") {
      this.fmtPointer(arg, "p");
      return;
    }
    switch (typeof arg) {
      case "string":
        this.fmtString(arg, verb);
        return;
      case "bigint":
        this.fmtInteger(arg, false, verb);
        return;
      case "number":
        this.fmtFloat(arg, 64, verb);
        return;
      case "boolean":
        this.fmtBool(arg, verb);
        return;
    }
    if (!this.handleMethods(arg, verb)) this.printValue(arg, verb, 0);
  }

  /**
   * printValue: a value inside a composite (depth > 0) or a composite at the top.
   * ifaceType names the interface type holding a nil element, for %#v's `interface {}(nil)`.
   */
  printValue(v: Value, verb: string, depth: number, ifaceType: GoType = T.any): void {
    if (depth > 0 && this.handleMethods(v, verb)) return;
    if (v === null || v === undefined) {
      // A nil interface inside a slice, map or struct.
      if (this.fmt.sharpV) this.fmt.buf += ifaceType.name + NIL_PAREN;
      else this.fmt.buf += NIL_ANGLE;
      return;
    }
    switch (typeof v) {
      case "string":
        this.fmtString(v, verb);
        return;
      case "bigint":
        this.fmtInteger(v, false, verb);
        return;
      case "number":
        this.fmtFloat(v, 64, verb);
        return;
      case "boolean":
        this.fmtBool(v, verb);
        return;
    }
    if (v instanceof GoInt) this.fmtInteger(v.value, isUintKind(v.type.kind), verb, v);
    else if (v instanceof GoComplex) this.fmtComplex(v, v.type.kind === "complex64" ? 64 : 128, verb);
    else if (v instanceof GoSlice) this.printSlice(v, verb, depth);
    else if (v instanceof GoMap) this.printMap(v, verb, depth);
    else if (v instanceof GoStruct) this.printStruct(v, verb, depth);
    else this.fmtPointer(v, verb);
  }

  private printSlice(v: GoSlice, verb: string, depth: number): void {
    if ((verb === "s" || verb === "q" || verb === "x" || verb === "X") && v.type.elem?.kind === "uint8") {
      // Byte slices print as strings for these verbs.
      this.fmtBytes(Uint8Array.from(v.items, (b) => Number(intValue(b) ?? 0n)), verb);
      return;
    }
    const elem = v.type.elem ?? T.any;
    const sharpV = this.fmt.sharpV;
    if (sharpV && isNil(v)) {
      this.fmt.buf += v.type.name + NIL_PAREN;
      return;
    }
    this.fmt.buf += sharpV ? v.type.name + "{" : "[";
    for (let i = 0; i < v.items.length; i++) {
      if (i > 0) this.fmt.buf += sharpV ? ", " : " ";
      this.printValue(v.items[i], verb, depth + 1, elem);
    }
    this.fmt.buf += sharpV ? "}" : "]";
  }

  private printMap(v: GoMap, verb: string, depth: number): void {
    const elem = v.type.elem ?? T.any;
    const sharpV = this.fmt.sharpV;
    if (sharpV && isNil(v)) {
      this.fmt.buf += v.type.name + NIL_PAREN;
      return;
    }
    this.fmt.buf += sharpV ? v.type.name + "{" : "map[";
    let first = true;
    for (const key of sortedKeys(v)) {
      if (!first) this.fmt.buf += sharpV ? ", " : " ";
      first = false;
      this.printValue(key, verb, depth + 1);
      this.fmt.buf += ":";
      this.printValue(v.entries.get(key), verb, depth + 1, elem);
    }
    this.fmt.buf += sharpV ? "}" : "]";
  }

  private printStruct(v: GoStruct, verb: string, depth: number): void {
    const sharpV = this.fmt.sharpV;
    if (sharpV) this.fmt.buf += v.type.name;
    this.fmt.buf += "{";
    let first = true;
    for (const [name, field] of v.fields) {
      if (!first) this.fmt.buf += sharpV ? ", " : " ";
      first = false;
      if (this.fmt.plusV || sharpV) this.fmt.buf += name + ":";
      this.printValue(field, verb, depth + 1);
    }
    this.fmt.buf += "}";
  }

  /** handleMethods: values with a String method print its result for the string verbs. */
  private handleMethods(v: Value, verb: string): boolean {
    if (this.erroring) return false;
    let stringer: (() => string) | undefined;
    if (v instanceof GoStruct) stringer = v.stringer;
    if (stringer === undefined && (v instanceof GoStruct || v instanceof GoInt)) {
      // A String method declared on the type (time.Month, a named int).
      const method = v.type.methods?.get("String");
      if (method !== undefined) stringer = () => String(method(v).impl());
    }
    if (stringer === undefined) return false;
    // %#v would use a GoString method, which the value model does not carry.
    if (this.fmt.sharpV) return false;
    if (verb !== "v" && verb !== "s" && verb !== "x" && verb !== "X" && verb !== "q") return false;
    let text: string;
    try {
      text = stringer();
    } catch (e) {
      // catchPanic: a failing String method is reported inline, as Go does.
      const message = e instanceof Error ? e.message : String(e);
      this.fmt.buf += `%!${verb}(PANIC=String method: ${message})`;
      return true;
    }
    this.fmtString(text, verb);
    return true;
  }

  /** badVerb: `%!verb(type=value)` for an operand the verb does not apply to. */
  badVerb(verb: string, v: Value): void {
    this.erroring = true;
    this.fmt.buf += "%!" + verb + "(";
    if (v === null || v === undefined) {
      this.fmt.buf += NIL_ANGLE;
    } else {
      this.fmt.buf += typeString(v) + "=";
      this.printArg(v, "v");
    }
    this.fmt.buf += ")";
    this.erroring = false;
  }

  private fmtBool(v: boolean, verb: string): void {
    if (verb === "t" || verb === "v") this.fmt.fmtBoolean(v);
    else this.badVerb(verb, v);
  }

  /** fmt0x64: v in hex, with or without a leading 0x. */
  private fmt0x64(v: bigint, leading0x: boolean): void {
    const sharp = this.fmt.sharp;
    this.fmt.sharp = leading0x;
    this.fmt.fmtInteger(v, 16, "v", LOWER_DIGITS);
    this.fmt.sharp = sharp;
  }

  /**
   * fmtInteger: v is the mathematical value; unsigned marks uint kinds (%#v prints them in hex);
   * orig is the operand itself, for the bad-verb form.
   */
  private fmtInteger(v: bigint, unsigned: boolean, verb: string, orig: Value = v): void {
    const f = this.fmt;
    switch (verb) {
      case "v":
        if (f.sharpV && unsigned) this.fmt0x64(v, true);
        else f.fmtInteger(v, 10, verb, LOWER_DIGITS);
        return;
      case "d":
        f.fmtInteger(v, 10, verb, LOWER_DIGITS);
        return;
      case "b":
        f.fmtInteger(v, 2, verb, LOWER_DIGITS);
        return;
      case "o":
      case "O":
        f.fmtInteger(v, 8, verb, LOWER_DIGITS);
        return;
      case "x":
        f.fmtInteger(v, 16, verb, LOWER_DIGITS);
        return;
      case "X":
        f.fmtInteger(v, 16, verb, UPPER_DIGITS);
        return;
      case "c":
        f.fmtC(asUint64(v));
        return;
      case "q":
        f.fmtQc(asUint64(v));
        return;
      case "U":
        f.fmtUnicode(asUint64(v));
        return;
    }
    this.badVerb(verb, orig);
  }

  private fmtFloat(v: number, size: 32 | 64, verb: string): void {
    const f = this.fmt;
    switch (verb) {
      case "v":
        if (size === 64 && !f.sharp && !f.precPresent && !f.widPresent && !f.plus && !f.space) {
          this.fmt.buf += formatFloatV(v);
          return;
        }
        f.fmtFloat(v, size, "g", -1);
        return;
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
        f.fmtFloat(v, size, verb, -1);
        return;
      case "f":
      case "e":
      case "E":
        f.fmtFloat(v, size, verb, 6);
        return;
      case "F":
        f.fmtFloat(v, size, "f", 6);
        return;
    }
    this.badVerb(verb, v);
  }

  private fmtComplex(v: GoComplex, size: 64 | 128, verb: string): void {
    switch (verb) {
      case "v":
      case "b":
      case "g":
      case "G":
      case "x":
      case "X":
      case "f":
      case "F":
      case "e":
      case "E": {
        const oldPlus = this.fmt.plus;
        const part = size === 64 ? 32 : 64;
        this.fmt.buf += "(";
        this.fmtFloat(v.re, part, verb);
        // The imaginary part always has a sign.
        this.fmt.plus = true;
        this.fmtFloat(v.im, part, verb);
        this.fmt.buf += "i)";
        this.fmt.plus = oldPlus;
        return;
      }
    }
    this.badVerb(verb, v);
  }

  private fmtString(v: string, verb: string): void {
    const f = this.fmt;
    switch (verb) {
      case "v":
        if (f.sharpV) f.fmtQ(v);
        else f.fmtS(v);
        return;
      case "s":
        f.fmtS(v);
        return;
      case "x":
        f.fmtSx(v, LOWER_DIGITS);
        return;
      case "X":
        f.fmtSx(v, UPPER_DIGITS);
        return;
      case "q":
        f.fmtQ(v);
        return;
    }
    this.badVerb(verb, v);
  }

  /** fmtBytes for %s %q %x %X of a byte slice. */
  private fmtBytes(b: Uint8Array, verb: string): void {
    if (verb === "x" || verb === "X") this.fmt.fmtSbx(b, verb === "x" ? LOWER_DIGITS : UPPER_DIGITS);
    else if (verb === "q") this.fmt.fmtQ(fromUtf8(b));
    else this.fmt.fmtS(fromUtf8(b));
  }

  /** fmtPointer: slices, maps and funcs by address (%p, and %v of a func). */
  private fmtPointer(v: Value, verb: string): void {
    if (!(v instanceof GoSlice || v instanceof GoMap || v instanceof GoFuncValue)) {
      this.badVerb(verb, v);
      return;
    }
    const u = addressOf(v);
    switch (verb) {
      case "v":
        if (this.fmt.sharpV) {
          this.fmt.buf += "(" + typeString(v) + ")(";
          this.fmt0x64(u, true);
          this.fmt.buf += ")";
        } else {
          this.fmt0x64(u, !this.fmt.sharp);
        }
        return;
      case "p":
        this.fmt0x64(u, !this.fmt.sharp);
        return;
      case "b":
      case "o":
      case "d":
      case "x":
      case "X":
        this.fmtInteger(u, true, verb);
        return;
    }
    this.badVerb(verb, v);
  }
}

/** %v of a float64 with no flags: the shortest %g, with the exponent form from 1e+06 and below 1e-04. */
export function formatFloatV(v: number): string {
  const a = Math.abs(v);
  // Between 1e-4 and 1e6 Go's shortest %g and JS's shortest decimal form agree.
  if (a >= 1e-4 && a < 1e6) return String(v);
  if (v === 0) return Object.is(v, -0) ? "-0" : "0";
  return formatFloat(v, "g", -1, 64);
}
