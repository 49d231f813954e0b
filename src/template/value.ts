// The Go value model the template engine, fmt and the function library share.
// Go's templates are typed (int vs float64, []string vs []interface {}, nil vs
// "no value"), and those types show in output and errors, so values carry them:
//
//   Go                         TypeScript representation
//   ------------------------   ------------------------------------------------
//   string                     string
//   bool                       boolean
//   int (64-bit)               bigint           (always kept in int64 range)
//   float64                    number
//   other ints (uint8, int64,  GoInt            { type, value: bigint }
//     int32, uint, ...)
//   complex128                 GoComplex        { re, im }
//   nil (nil interface/ptr)    null
//   no value (invalid Value)   undefined
//   slices                     GoSlice          { type, items }
//   maps (string keys)         GoMap            { type, entries }
//   structs / named values     GoStruct         { type, fields, methods }
//   functions (for `call`)     GoFuncValue
//
// Keeping `int` as a bare bigint and float64 as a bare number keeps the hot
// path (strings and ints) free of wrappers.

import { encodeGoBytes } from "./go_bytes.ts";
import { appendCap, ELEM_SIZE } from "./go_cap.ts";

/** Kinds as Go's reflect names them; they drive comparison, truthiness and printing. */
export type Kind =
  | "bool"
  | "int"
  | "int8"
  | "int16"
  | "int32"
  | "int64"
  | "uint"
  | "uint8"
  | "uint16"
  | "uint32"
  | "uint64"
  | "uintptr"
  | "float32"
  | "float64"
  | "complex64"
  | "complex128"
  | "string"
  | "slice"
  | "array"
  | "map"
  | "struct"
  | "func"
  | "interface"
  | "ptr";

/** A Go type: its printed name (`%T`, error messages) and reflect kind. */
export interface GoType {
  /** Name as Go prints it: `int`, `[]string`, `map[string]interface {}`, `memkv.KVPair`. */
  readonly name: string;
  readonly kind: Kind;
  /** Element type for slices, arrays and maps (map values). */
  readonly elem?: GoType;
  /** Key type for maps. */
  readonly key?: GoType;
  /**
   * Methods declared on the type (Go's method set), each bound to a receiver when
   * called. Cheaper than per-value method maps for values made by the thousand
   * (memkv.KVPair from `gets`). Named integer types (time.Month) carry theirs here
   * too; a `String` method makes the type a fmt.Stringer.
   */
  readonly methods?: ReadonlyMap<string, (receiver: Receiver) => GoFuncValue>;
}

/** Values whose type may declare methods: structs and named integers. */
export type Receiver = GoStruct | GoInt;

function basic(name: string, kind: Kind = name as Kind): GoType {
  return { name, kind };
}

/** Well-known types. Compare types by identity or by name. */
export const T = {
  bool: basic("bool"),
  int: basic("int"),
  int8: basic("int8"),
  int16: basic("int16"),
  int32: basic("int32"),
  int64: basic("int64"),
  uint: basic("uint"),
  uint8: basic("uint8"),
  uint16: basic("uint16"),
  uint32: basic("uint32"),
  uint64: basic("uint64"),
  uintptr: basic("uintptr"),
  float32: basic("float32"),
  float64: basic("float64"),
  complex64: basic("complex64"),
  complex128: basic("complex128"),
  string: basic("string"),
  /** interface {} — the parameter type that accepts anything. */
  any: basic("interface {}", "interface"),
  /** error — used only as a function result marker. */
  error: basic("error", "interface"),
} as const;

export function sliceOf(elem: GoType, name = `[]${elem.name}`): GoType {
  return { name, kind: "slice", elem };
}

export function mapOf(key: GoType, elem: GoType, name = `map[${key.name}]${elem.name}`): GoType {
  return { name, kind: "map", key, elem };
}

export function structType(
  name: string,
  methods?: ReadonlyMap<string, (receiver: Receiver) => GoFuncValue>,
): GoType {
  return methods === undefined ? { name, kind: "struct" } : { name, kind: "struct", methods };
}

export const SLICE_ANY = sliceOf(T.any);
export const SLICE_STRING = sliceOf(T.string);
export const SLICE_INT = sliceOf(T.int);
export const MAP_STRING_ANY = mapOf(T.string, T.any);
export const MAP_STRING_STRING = mapOf(T.string, T.string);

/** An integer of a Go type other than `int` (which is a bare bigint). */
export class GoInt {
  constructor(
    readonly type: GoType,
    readonly value: bigint,
  ) {}
}

export class GoComplex {
  constructor(
    readonly re: number,
    readonly im: number,
    readonly type: GoType = T.complex128,
  ) {}
}

/** A Go slice. `items` may be shared with the caller: Go slices alias too (see confd's `reverse`). */
export class GoSlice {
  constructor(
    readonly type: GoType,
    readonly items: Value[],
  ) {}
}

/** A Go map with string keys. Printing and ranging sort the keys (bytewise UTF-8), never insertion order. */
export class GoMap {
  constructor(
    readonly type: GoType,
    readonly entries: Map<string, Value>,
  ) {}
}

/** Slices and maps that are Go's nil rather than empty; see nilSlice. */
const nilValues = new WeakSet<GoSlice | GoMap>();

/**
 * A nil slice of the given type: it behaves as an empty one, except that %#v prints
 * `[]int(nil)` instead of `[]int{}` (confd's `seq 1 0`, `jsonArray "null"`).
 */
export function nilSlice(type: GoType): GoSlice {
  const s = new GoSlice(type, []);
  nilValues.add(s);
  return s;
}

/** A nil map of the given type (%#v prints `map[string]interface {}(nil)`). */
export function nilMap(type: GoType): GoMap {
  const m = new GoMap(type, new Map());
  nilValues.add(m);
  return m;
}

/** Whether a slice or map was made by nilSlice / nilMap. */
export function isNil(v: GoSlice | GoMap): boolean {
  return nilValues.has(v);
}

/**
 * Spare capacity: what a slice's backing array holds beyond its length, for the slices
 * whose Go capacity exceeds their length (append growth, encoding/json; see go_cap.ts).
 * The `slice` builtin checks indexes against the capacity and can read these elements:
 * first `items` (a slice of a slice sees its parent's later elements), then `zeros`
 * copies of the element type's zero value.
 */
export interface Spare {
  readonly items: readonly Value[];
  readonly zeros: number;
  readonly zero: Value;
}

const spares = new WeakMap<GoSlice, Spare>();
const NO_ITEMS: readonly Value[] = [];

/** Records that s has capacity `cap` (fresh memory beyond the length holds `zero`); returns s. */
export function withCap(s: GoSlice, cap: number, zero: Value): GoSlice {
  const zeros = cap - s.items.length;
  if (zeros > 0) spares.set(s, { items: NO_ITEMS, zeros, zero });
  else spares.delete(s);
  return s;
}

/** Records the spare elements of s (a slice of a slice); returns s. */
export function withSpare(s: GoSlice, spare: Spare): GoSlice {
  if (spare.items.length + spare.zeros > 0) spares.set(s, spare);
  return s;
}

/** The spare capacity of s, if it has any. */
export function spareOf(s: GoSlice): Spare | undefined {
  return spares.get(s);
}

/** Go's cap(s). */
export function sliceCap(s: GoSlice): number {
  const spare = spares.get(s);
  return spare === undefined ? s.items.length : s.items.length + spare.items.length + spare.zeros;
}

/** A method as the executor calls it: `.Format "2006"` on a time, for instance. */
export type GoMethod = GoFuncValue;

/**
 * A Go struct (or a named non-struct type with methods, such as time.Time).
 * `fields` keeps declaration order: `%v` prints `{a b}`, `%+v` prints `{Key:a Value:b}`.
 */
export class GoStruct {
  constructor(
    readonly type: GoType,
    readonly fields: ReadonlyMap<string, Value>,
    readonly methods: ReadonlyMap<string, GoMethod> = new Map(),
    /** Custom `%v` text for values that implement fmt.Stringer (time.Time). */
    readonly stringer?: () => string,
  ) {}
}

/**
 * A Go function with its signature, so the executor can convert and check
 * arguments as Go's reflect-based call does.
 */
export class GoFuncValue {
  constructor(
    readonly name: string,
    readonly sig: Signature,
    readonly impl: (...args: Value[]) => Value,
  ) {}
}

export interface Signature {
  /** Fixed parameter types. */
  readonly params: readonly GoType[];
  /** Element type of a trailing `...T` parameter, if variadic. */
  readonly variadic?: GoType;
  /** The first result's type (`interface {}` when it can be anything). */
  readonly result: GoType;
  /** True when the Go function also returns an `error` (the impl throws GoError). */
  readonly returnsError?: boolean;
}

/** Any Go value. `undefined` is Go's invalid reflect.Value ("no value"); `null` is nil. */
export type Value =
  | string
  | boolean
  | bigint
  | number
  | null
  | undefined
  | GoInt
  | GoComplex
  | GoSlice
  | GoMap
  | GoStruct
  | GoFuncValue;

/**
 * An error returned by a Go function (the `error` result), or a recovered
 * panic. The executor wraps it as `error calling NAME: MSG`.
 */
export class GoError extends Error {
  override name = "GoError";
}

/** The dynamic Go type of a value, or undefined for nil / no value. */
export function typeOf(v: Value): GoType | undefined {
  switch (typeof v) {
    case "string":
      return T.string;
    case "boolean":
      return T.bool;
    case "bigint":
      return T.int;
    case "number":
      return T.float64;
    case "undefined":
      return undefined;
  }
  if (v === null) return undefined;
  if (v instanceof GoFuncValue) return { name: "func", kind: "func" };
  return v.type;
}

/** The reflect kind of a value, or undefined for nil / no value. */
export function kindOf(v: Value): Kind | undefined {
  return typeOf(v)?.kind;
}

/** Integer kinds (signed and unsigned). */
export function isIntKind(k: Kind | undefined): boolean {
  return k !== undefined && (k.startsWith("int") || k.startsWith("uint"));
}

export function isUintKind(k: Kind | undefined): boolean {
  return k !== undefined && k.startsWith("uint");
}

/** The integer value of an int-kind value, else undefined. */
export function intValue(v: Value): bigint | undefined {
  if (typeof v === "bigint") return v;
  if (v instanceof GoInt) return v.value;
  return undefined;
}

/**
 * Converts decoded data into Go values as encoding/json would: numbers are float64.
 * A bigint (a YAML or TOML integer, parsed as such) becomes a Go int when
 * `bigintAsInt` is set, as a YAML or TOML decoder gives Go an int; otherwise float64.
 */
export function fromJSON(x: unknown, opts?: { bigintAsInt?: boolean }): Value {
  if (x === null || x === undefined) return null;
  switch (typeof x) {
    case "string":
    case "boolean":
      return x;
    case "number":
      return x;
    case "bigint":
      return opts?.bigintAsInt ? BigInt.asIntN(64, x) : Number(x);
  }
  // encoding/json builds an []interface {} by appending, so its capacity follows append's growth.
  if (Array.isArray(x)) {
    const items = x.map((item) => fromJSON(item, opts));
    return withCap(new GoSlice(SLICE_ANY, items), appendCap(x.length, ELEM_SIZE.iface), null);
  }
  if (x instanceof Date) return x.toISOString();
  if (x instanceof GoInt) return x; // a uint64 from a YAML data file
  if (typeof x === "object") {
    const m = new Map<string, Value>();
    for (const [k, v] of Object.entries(x as Record<string, unknown>)) m.set(k, fromJSON(v, opts));
    return new GoMap(MAP_STRING_ANY, m);
  }
  return String(x);
}

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Bytewise comparison of two strings as Go's `<` compares their bytes. Without
 * surrogates, UTF-16 code unit order is UTF-8 byte order, so the native comparison
 * decides; otherwise (astral characters, or raw bytes carried as U+DC80..U+DCFF,
 * see go_bytes.ts) the bytes are compared.
 */
export function compareStrings(a: string, b: string): number {
  if (!SURROGATE.test(a) && !SURROGATE.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = encodeGoBytes(a);
  const y = encodeGoBytes(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

/** Sorts strings in place in Go's order; the native sort when no string needs the byte path. */
export function sortStrings(list: string[]): string[] {
  return list.some((s) => SURROGATE.test(s)) ? list.sort(compareStrings) : list.sort();
}

/** Sorts items in place by a string key in Go's order (stable). */
export function sortByString<I>(list: I[], key: (item: I) => string): I[] {
  if (list.some((item) => SURROGATE.test(key(item)))) return list.sort((a, b) => compareStrings(key(a), key(b)));
  return list.sort((a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  });
}

/** Sorted keys of a map in Go's order. */
export function sortedKeys(m: GoMap): string[] {
  return sortStrings([...m.entries.keys()]);
}

/** Functions available to a template by name (Go's template.FuncMap). */
export type FuncMap = ReadonlyMap<string, GoFuncValue>;
