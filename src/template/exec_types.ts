// Go's reflect rules the executor needs for values: truthiness, assignability,
// zero values, and the `reflect.Value` parameter type the builtins use. Split from
// exec.ts so builtins.ts can share them without a cycle.

import {
  GoComplex,
  GoFuncValue,
  GoInt,
  GoMap,
  GoSlice,
  GoStruct,
  type GoType,
  nilMap,
  nilSlice,
  type Signature,
  T,
  typeOf,
  type Value,
} from "./value.ts";

/**
 * The parameter type of builtins declared with reflect.Value in Go (eq, index, and, ...):
 * arguments reach them unconverted, and "no value" stays "no value".
 */
export const REFLECT_VALUE: GoType = { name: "reflect.Value", kind: "struct" };

/** Go's isTrue; `undefined` (no value) and nil are false. */
export function isTrue(v: Value): boolean {
  switch (typeof v) {
    case "string":
      return v.length > 0;
    case "boolean":
      return v;
    case "bigint":
      return v !== 0n;
    case "number":
      return v !== 0;
    case "undefined":
      return false;
  }
  if (v === null) return false;
  if (v instanceof GoSlice) return v.items.length > 0;
  if (v instanceof GoMap) return v.entries.size > 0;
  if (v instanceof GoInt) return v.value !== 0n;
  if (v instanceof GoComplex) return v.re !== 0 || v.im !== 0;
  return true; // structs and functions
}

/** The printed Go type of a value; nil inside an interface reports `interface {}`. */
export function typeName(v: Value): string {
  if (v === null) return "interface {}";
  if (v instanceof GoFuncValue) return funcTypeName(v.sig);
  return typeOf(v)?.name ?? "<nil>";
}

/** A function's Go type as reflect prints it: `func(string, ...string) (string, error)`. */
export function funcTypeName(sig: Signature): string {
  const params = sig.params.map((p) => p.name);
  if (sig.variadic !== undefined) params.push(`...${sig.variadic.name}`);
  const result = sig.returnsError ? ` (${sig.result.name}, error)` : ` ${sig.result.name}`;
  return `func(${params.join(", ")})${result}`;
}

/** Go's canBeNil for a parameter type. */
export function canBeNil(t: GoType): boolean {
  switch (t.kind) {
    case "func":
    case "interface":
    case "map":
    case "ptr":
    case "slice":
      return true;
    case "struct":
      return t === REFLECT_VALUE;
  }
  return false;
}

/** reflect.Zero(t) in the value model. */
export function zeroOf(t: GoType | undefined): Value {
  if (t === undefined) return null;
  switch (t.kind) {
    case "string":
      return "";
    case "bool":
      return false;
    case "int":
      return 0n;
    case "float32":
    case "float64":
      return 0;
    case "complex64":
    case "complex128":
      return new GoComplex(0, 0, t);
    case "slice":
      return nilSlice(t);
    case "array":
      return new GoSlice(t, []);
    case "map":
      return nilMap(t);
    case "struct":
      return t === REFLECT_VALUE ? undefined : new GoStruct(t, new Map());
    case "interface":
    case "func":
    case "ptr":
      return null;
  }
  return new GoInt(t, 0n); // the remaining integer kinds
}

/** Go's AssignableTo for the types the value model has. */
export function assignable(from: GoType, to: GoType): boolean {
  if (from === to || from.name === to.name) return true;
  if (to.kind === "interface") return to.name === "interface {}" || to === T.any;
  if (from.kind !== to.kind) return false;
  // Identical underlying types where one side is unnamed ([]T vs a named slice type).
  if (from.kind === "slice" || from.kind === "map") {
    const unnamed = from.name.startsWith("[") || from.name.startsWith("map[") ||
      to.name.startsWith("[") || to.name.startsWith("map[");
    return unnamed && from.elem?.name === to.elem?.name && from.key?.name === to.key?.name;
  }
  return false;
}

/** Bits of an integer kind, for wrapping literals as reflect's SetInt/SetUint do. */
export function intBits(t: GoType): number {
  switch (t.kind) {
    case "int8":
    case "uint8":
      return 8;
    case "int16":
    case "uint16":
      return 16;
    case "int32":
    case "uint32":
      return 32;
  }
  return 64;
}

/** An integer of type t holding x (wrapped to t's width). */
export function makeInt(t: GoType, x: bigint, unsigned: boolean): Value {
  const bits = intBits(t);
  const v = unsigned ? BigInt.asUintN(bits, x) : BigInt.asIntN(bits, x);
  return t === T.int || t.name === "int" ? v : new GoInt(t, v);
}

export function isFunc(v: Value): v is GoFuncValue {
  return v instanceof GoFuncValue;
}
