// The builtin functions of Go 1.19 text/template (funcs.go): and, or, not, len, index,
// slice, call, the comparisons, and the print and escaper wiring. Each is a GoFuncValue
// with Go's signature so the executor checks and converts arguments as Go does; the ones
// Go declares with reflect.Value parameters use REFLECT_VALUE and see values unconverted.

import { sprint, sprintln } from "./fmt/print.ts";
import { sprintf } from "./fmt/sprintf.ts";
import { htmlEscaper, jsEscaper, urlQueryEscaper } from "./escape.ts";
import { decodeGoBytes, encodeGoBytes } from "./go_bytes.ts";
import { assignable, canBeNil, isTrue, REFLECT_VALUE, typeName, zeroOf } from "./exec_types.ts";
import {
  compareStrings,
  type FuncMap,
  GoComplex,
  GoError,
  GoFuncValue,
  GoInt,
  GoMap,
  GoSlice,
  GoStruct,
  type GoType,
  isIntKind,
  isNil,
  isUintKind,
  kindOf,
  nilSlice,
  type Signature,
  sliceCap,
  type Spare,
  spareOf,
  T,
  typeOf,
  type Value,
  withSpare,
} from "./value.ts";

function fn(name: string, sig: Signature, impl: (...args: Value[]) => Value): [string, GoFuncValue] {
  return [name, new GoFuncValue(name, sig, impl)];
}

const RV = REFLECT_VALUE;

// --- errors Go returns from these functions ---

const errBadComparisonType = "invalid type for comparison";
const errBadComparison = "incompatible types for comparison";
const errNoComparison = "missing argument for comparison";

function fail(msg: string): never {
  throw new GoError(msg);
}

/** Go's indirectInterface: a nil interface becomes no value. */
function indirectInterface(v: Value): Value {
  return v === null ? undefined : v;
}

// --- index, slice, len ---

function indexArg(index: Value, cap: number, staticIface = false): number {
  let x: bigint;
  // An index read out of an interface slot keeps its interface type (Go's slice does not unwrap it).
  if (staticIface && index !== undefined) fail("cannot index slice/array with type interface {}");
  if (typeof index === "bigint") x = index;
  else if (index instanceof GoInt) x = index.value;
  else if (index === undefined) fail("cannot index slice/array with nil");
  else fail(`cannot index slice/array with type ${typeName(index)}`);
  if (x < 0n || x > BigInt(cap)) fail(`index out of range: ${x}`);
  return Number(x);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** prepareArg: a map key (or call argument) converted to the parameter type. */
function prepareArg(value: Value, argType: GoType): Value {
  if (value === undefined || value === null) {
    if (!canBeNil(argType)) fail(`value is nil; should be of type ${argType.name}`);
    return zeroOf(argType);
  }
  const vt = typeOf(value) as GoType;
  if (assignable(vt, argType)) return value;
  const iv = value instanceof GoInt ? value.value : typeof value === "bigint" ? value : undefined;
  if (iv !== undefined && isIntKind(argType.kind)) {
    return argType.name === "int" ? BigInt.asIntN(64, iv) : new GoInt(argType, iv);
  }
  fail(`value has type ${vt.name}; should be ${argType.name}`);
}

// index returns the result of indexing its first argument by the following
// arguments. Thus "index x 1 2 3" is, in Go syntax, x[1][2][3]. Each
// indexed item must be a map, slice, or array.
function index(item: Value, ...indexes: Value[]): Value {
  item = indirectInterface(item);
  if (item === undefined) fail("index of untyped nil");
  for (let idx of indexes) {
    idx = indirectInterface(idx);
    if (item === null) fail("index of nil pointer");
    if (item instanceof GoSlice) {
      const x = indexArg(idx, item.items.length);
      if (x === item.items.length) fail("reflect: slice index out of range");
      item = item.items[x];
    } else if (typeof item === "string") {
      const bytes = isAscii(item) ? undefined : encodeGoBytes(item);
      const len = bytes === undefined ? item.length : bytes.length;
      const x = indexArg(idx, len);
      if (x === len) fail("reflect: string index out of range");
      item = new GoInt(T.uint8, BigInt(bytes === undefined ? item.charCodeAt(x) : (bytes[x] as number)));
    } else if (item instanceof GoMap) {
      const key = prepareArg(idx, item.type.key ?? T.string);
      const k = typeof key === "string" ? key : String(key);
      item = item.entries.has(k) ? item.entries.get(k) : zeroOf(item.type.elem);
    } else {
      fail(`can't index item of type ${typeName(item)}`);
    }
  }
  return item;
}

// slice returns the result of slicing its first argument by the remaining
// arguments. Thus "slice x 1 2" is, in Go syntax, x[1:2], while "slice x"
// is x[:], "slice x 1" is x[1:], and "slice x 1 2 3" is x[1:2:3].
function slice(item: Value, ...indexes: Value[]): Value {
  return sliceWithTypes(item, indexes, []);
}

/**
 * slice, told which indexes sit in interface-typed slots (a field of a map[string]interface {},
 * a range element): Go reports those as `interface {}` even when they hold an int.
 */
export function sliceWithTypes(item: Value, indexes: readonly Value[], ifaceIndex: readonly boolean[]): Value {
  item = indirectInterface(item);
  if (item === undefined) fail("slice of untyped nil");
  if (indexes.length > 3) fail(`too many slice indexes: ${indexes.length}`);
  let cap: number;
  let bytes: Uint8Array | undefined;
  if (typeof item === "string") {
    if (indexes.length === 3) fail("cannot 3-index slice a string");
    bytes = isAscii(item) ? undefined : encodeGoBytes(item);
    cap = bytes === undefined ? item.length : bytes.length;
  } else if (item instanceof GoSlice) {
    cap = sliceCap(item);
  } else {
    fail(`can't slice item of type ${typeName(item)}`);
  }
  // x[i:] ends at the length; the indexes themselves may reach up to the capacity.
  const length = item instanceof GoSlice ? item.items.length : cap;
  const idx = [0, length, cap];
  for (let i = 0; i < indexes.length; i++) idx[i] = indexArg(indexes[i], cap, ifaceIndex[i] === true);
  const [i0, i1, i2] = idx as [number, number, number];
  // given item[i:j], make sure i <= j.
  if (i0 > i1) fail(`invalid slice index: ${i0} > ${i1}`);
  if (indexes.length === 3 && i1 > i2) fail(`invalid slice index: ${i1} > ${i2}`);
  if (typeof item === "string") {
    return bytes === undefined ? item.slice(i0, i1) : decodeGoBytes(bytes.subarray(i0, i1));
  }
  // A nil slice can only be sliced [0:0], and its data pointer stays nil: the result is nil too.
  if (isNil(item)) return nilSlice(item.type);
  const end = indexes.length === 3 ? i2 : cap;
  if (end <= length) {
    const result = new GoSlice(item.type, item.items.slice(i0, i1));
    return end > i1 ? withSpare(result, { items: item.items.slice(i1, end), zeros: 0, zero: null }) : result;
  }
  return sliceIntoSpare(item, i0, i1, end);
}

/** item[i0:i1:end] when the result reaches past item's length into its spare capacity. */
function sliceIntoSpare(item: GoSlice, i0: number, i1: number, end: number): GoSlice {
  const spare = spareOf(item) as Spare;
  const len = item.items.length;
  const at = (k: number): Value =>
    k < len ? item.items[k] : k - len < spare.items.length ? spare.items[k - len] : spare.zero;
  const items: Value[] = [];
  for (let k = i0; k < i1; k++) items.push(at(k));
  const spareItems: Value[] = [];
  const firstZero = len + spare.items.length;
  for (let k = i1; k < Math.min(end, firstZero); k++) spareItems.push(at(k));
  const zeros = end - Math.max(i1, firstZero);
  return withSpare(new GoSlice(item.type, items), { items: spareItems, zeros: Math.max(0, zeros), zero: spare.zero });
}

// length returns the length of the item, with an error if it has no defined length.
function length(item: Value): Value {
  if (item === null) fail("len of nil pointer");
  if (item === undefined) fail("reflect: call of reflect.Value.Type on zero Value");
  if (typeof item === "string") return BigInt(isAscii(item) ? item.length : encodeGoBytes(item).length);
  if (item instanceof GoSlice) return BigInt(item.items.length);
  if (item instanceof GoMap) return BigInt(item.entries.size);
  fail(`len of type ${typeName(item)}`);
}

// call returns the result of evaluating the first argument as a function.
function call(f: Value, ...args: Value[]): Value {
  f = indirectInterface(f);
  if (f === undefined) fail("call of nil");
  if (!(f instanceof GoFuncValue)) fail(`non-function of type ${typeName(f)}`);
  const sig = f.sig;
  const numIn = sig.params.length + (sig.variadic !== undefined ? 1 : 0);
  if (sig.variadic !== undefined) {
    if (args.length < numIn - 1) fail(`wrong number of args: got ${args.length} want at least ${numIn - 1}`);
  } else if (args.length !== numIn) {
    fail(`wrong number of args: got ${args.length} want ${numIn}`);
  }
  const argv = args.map((arg, i) => {
    const argType = sig.variadic === undefined || i < numIn - 1 ? (sig.params[i] as GoType) : sig.variadic;
    try {
      return prepareArg(indirectInterface(arg), argType);
    } catch (e) {
      if (e instanceof GoError) fail(`arg ${i}: ${e.message}`);
      throw e;
    }
  });
  return f.impl(...argv);
}

// --- boolean functions ---

function not(arg: Value): Value {
  return !isTrue(arg);
}

// --- comparison ---

const enum_ = { invalid: 0, bool: 1, complex: 2, int: 3, float: 4, string: 5, uint: 6 } as const;
type BasicKind = (typeof enum_)[keyof typeof enum_];

function basicKind(v: Value): BasicKind {
  switch (typeof v) {
    case "boolean":
      return enum_.bool;
    case "bigint":
      return enum_.int;
    case "number":
      return enum_.float;
    case "string":
      return enum_.string;
  }
  if (v instanceof GoInt) return isUintKind(v.type.kind) ? enum_.uint : enum_.int;
  if (v instanceof GoComplex) return enum_.complex;
  if (v instanceof GoStruct || v instanceof GoSlice || v instanceof GoMap) return enum_.invalid;
  const k = kindOf(v);
  if (k === "float32" || k === "float64") return enum_.float;
  return enum_.invalid;
}

function intOf(v: Value): bigint {
  return typeof v === "bigint" ? v : (v as GoInt).value;
}

function isComparableType(v: Value): boolean {
  if (v instanceof GoSlice || v instanceof GoMap || v instanceof GoFuncValue) return false;
  if (v instanceof GoStruct) { for (const f of v.fields.values()) if (!isComparableType(f)) return false; }
  return true;
}

/** Go's == on two comparable values of the same type. */
function goEqual(a: Value, b: Value): boolean {
  if (a instanceof GoStruct && b instanceof GoStruct) {
    if (a.type.name !== b.type.name || a.fields.size !== b.fields.size) return false;
    for (const [k, v] of a.fields) if (!goEqual(v, b.fields.get(k))) return false;
    return true;
  }
  if (a instanceof GoInt && b instanceof GoInt) return a.type.name === b.type.name && a.value === b.value;
  if (a instanceof GoComplex && b instanceof GoComplex) return a.re === b.re && a.im === b.im;
  return a === b;
}

/** Go's isNil in funcs.go: no value, or a nil slice, map or interface. */
function isNilValue(v: Value): boolean {
  if (v === undefined || v === null) return true;
  if (v instanceof GoSlice || v instanceof GoMap) return isNil(v);
  return false;
}

// eq evaluates the comparison a == b || a == c || ...
function eq(arg1: Value, ...arg2: Value[]): Value {
  // Fast path for the common case, a string or int against one of the same type.
  if (arg2.length === 1) {
    const b = arg2[0];
    if ((typeof arg1 === "string" && typeof b === "string") || (typeof arg1 === "bigint" && typeof b === "bigint")) {
      return arg1 === b;
    }
  }
  arg1 = indirectInterface(arg1);
  if (arg2.length === 0) fail(errNoComparison);
  const k1 = basicKind(arg1);
  for (let arg of arg2) {
    arg = indirectInterface(arg);
    const k2 = basicKind(arg);
    let truth = false;
    if (k1 !== k2) {
      // Special case: Can compare integer values regardless of type's sign.
      if (k1 === enum_.int && k2 === enum_.uint) truth = intOf(arg1) >= 0n && intOf(arg1) === intOf(arg);
      else if (k1 === enum_.uint && k2 === enum_.int) truth = intOf(arg) >= 0n && intOf(arg1) === intOf(arg);
      else if (arg1 !== undefined && arg !== undefined) fail(errBadComparison);
    } else {
      switch (k1) {
        case enum_.bool:
        case enum_.float:
        case enum_.string:
          truth = arg1 === arg;
          break;
        case enum_.complex:
          truth = (arg1 as GoComplex).re === (arg as GoComplex).re && (arg1 as GoComplex).im === (arg as GoComplex).im;
          break;
        case enum_.int:
        case enum_.uint:
          truth = intOf(arg1) === intOf(arg);
          break;
        default: {
          const kind1 = kindOf(arg1);
          const kind2 = kindOf(arg);
          if (kind1 !== kind2 && arg1 !== undefined && arg !== undefined) {
            fail(
              `non-comparable types ${sprintf("%s", [arg1])}: ${typeName(arg1)}, ${typeName(arg)}: ${sprint([arg])}`,
            );
          }
          if (isNilValue(arg1) || isNilValue(arg)) {
            truth = isNilValue(arg1) === isNilValue(arg);
          } else {
            if (!isComparableType(arg)) fail(`non-comparable type ${sprintf("%s", [arg])}: ${typeName(arg)}`);
            truth = goEqual(arg1, arg);
          }
        }
      }
    }
    if (truth) return true;
  }
  return false;
}

// ne evaluates the comparison a != b.
function ne(arg1: Value, arg2: Value): Value {
  return !eq(arg1, arg2);
}

// lt evaluates the comparison a < b.
function lt(arg1: Value, arg2: Value): boolean {
  // Fast path for the common case, two ints (`lt $i 3`); the general path below decides the rest.
  if (typeof arg1 === "bigint" && typeof arg2 === "bigint") return arg1 < arg2;
  arg1 = indirectInterface(arg1);
  const k1 = basicKind(arg1);
  if (k1 === enum_.invalid) fail(errBadComparisonType);
  arg2 = indirectInterface(arg2);
  const k2 = basicKind(arg2);
  if (k2 === enum_.invalid) fail(errBadComparisonType);
  if (k1 !== k2) {
    // Special case: Can compare integer values regardless of type's sign.
    if (k1 === enum_.int && k2 === enum_.uint) return intOf(arg1) < 0n || intOf(arg1) < intOf(arg2);
    if (k1 === enum_.uint && k2 === enum_.int) return intOf(arg2) >= 0n && intOf(arg1) < intOf(arg2);
    fail(errBadComparison);
  }
  switch (k1) {
    case enum_.bool:
    case enum_.complex:
      fail(errBadComparisonType);
      break;
    case enum_.float:
      return (arg1 as number) < (arg2 as number);
    case enum_.int:
    case enum_.uint:
      return intOf(arg1) < intOf(arg2);
  }
  return compareStrings(arg1 as string, arg2 as string) < 0;
}

// le evaluates the comparison <= b.
function le(arg1: Value, arg2: Value): boolean {
  return lt(arg1, arg2) || (eq(arg1, arg2) as boolean);
}

// gt evaluates the comparison a > b.
function gt(arg1: Value, arg2: Value): boolean {
  return !le(arg1, arg2);
}

// ge evaluates the comparison a >= b.
function ge(arg1: Value, arg2: Value): boolean {
  return !lt(arg1, arg2);
}

const boolResult = { result: T.bool, returnsError: true } as const;

/** The builtin FuncMap every template sees (user functions of the same name win). */
export const builtins: FuncMap = new Map<string, GoFuncValue>([
  // and/or are evaluated by the executor itself, which short-circuits them.
  fn("and", { params: [RV], variadic: RV, result: RV }, () => undefined),
  fn("call", { params: [RV], variadic: RV, result: RV, returnsError: true }, call),
  fn("html", { params: [], variadic: T.any, result: T.string }, (...a) => htmlEscaper(a)),
  fn("index", { params: [RV], variadic: RV, result: RV, returnsError: true }, index),
  fn("slice", { params: [RV], variadic: RV, result: RV, returnsError: true }, slice),
  fn("js", { params: [], variadic: T.any, result: T.string }, (...a) => jsEscaper(a)),
  fn("len", { params: [RV], result: T.int, returnsError: true }, length),
  fn("not", { params: [RV], result: T.bool }, not),
  fn("or", { params: [RV], variadic: RV, result: RV }, () => undefined),
  fn("print", { params: [], variadic: T.any, result: T.string }, (...a) => sprint(a)),
  fn("printf", { params: [T.string], variadic: T.any, result: T.string }, (f, ...a) => sprintf(f as string, a)),
  fn("println", { params: [], variadic: T.any, result: T.string }, (...a) => sprintln(a)),
  fn("urlquery", { params: [], variadic: T.any, result: T.string }, (...a) => urlQueryEscaper(a)),
  fn("eq", { params: [RV], variadic: RV, ...boolResult }, eq),
  fn("ge", { params: [RV, RV], ...boolResult }, ge),
  fn("gt", { params: [RV, RV], ...boolResult }, gt),
  fn("le", { params: [RV, RV], ...boolResult }, le),
  fn("lt", { params: [RV, RV], ...boolResult }, lt),
  fn("ne", { params: [RV, RV], ...boolResult }, ne),
]);
