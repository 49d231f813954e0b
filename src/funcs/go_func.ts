// Small builders shared by the function groups: a GoFuncValue from a Go signature,
// and the few Go types the library returns (memkv.KVPair and friends).

import {
  GoFuncValue,
  GoSlice,
  GoStruct,
  type GoType,
  type Receiver,
  type Signature,
  sliceOf,
  structType,
  T,
  type Value,
} from "../template/value.ts";
import type { KVPair } from "../kv/store.ts";

/** Declares a template function: its Go name, Go signature and implementation. */
export function goFunc(name: string, sig: Signature, impl: (...args: Value[]) => Value): GoFuncValue {
  return new GoFuncValue(name, sig, impl);
}

/** Shorthand for a signature; `ret` defaults to string. */
export function sig(
  params: readonly GoType[],
  result: GoType = T.string,
  extra: { variadic?: GoType; returnsError?: boolean } = {},
): Signature {
  return { params, result, ...extra };
}

const DEPTH_SIG = sig([], T.int);

/** memkv.KVPair: struct { Key string; Value string }, with method Depth (slashes in Key). */
export const KVPAIR_TYPE = structType(
  "memkv.KVPair",
  new Map([[
    "Depth",
    (kv: Receiver) => goFunc("Depth", DEPTH_SIG, () => BigInt(kvPairFields(kv).key.split("/").length - 1)),
  ]]),
);
/** memkv.KVPairs, the named slice type `gets` returns. */
export const KVPAIRS_TYPE = sliceOf(KVPAIR_TYPE, "memkv.KVPairs");
/** []memkv.KVPair, the unnamed slice type sortKVByLength takes and returns. */
export const SLICE_KVPAIR = sliceOf(KVPAIR_TYPE);

/**
 * The two fields of a memkv.KVPair as a read-only map. `gets` makes one per matching key,
 * and this is several times cheaper to make than a Map; the executor only looks fields up,
 * and the rare iteration (printing, eq) goes through a Map made on demand.
 */
class KVPairFields implements ReadonlyMap<string, Value> {
  constructor(readonly key: string, readonly value: string) {}

  get size(): number {
    return 2;
  }

  get(name: string): Value {
    return name === "Key" ? this.key : name === "Value" ? this.value : undefined;
  }

  has(name: string): boolean {
    return name === "Key" || name === "Value";
  }

  /** Declaration order, as Go prints a struct. */
  private asMap(): Map<string, Value> {
    const m = new Map<string, Value>();
    m.set("Key", this.key);
    m.set("Value", this.value);
    return m;
  }

  forEach(fn: (value: Value, key: string, map: ReadonlyMap<string, Value>) => void): void {
    fn(this.key, "Key", this);
    fn(this.value, "Value", this);
  }

  entries(): ReturnType<Map<string, Value>["entries"]> {
    return this.asMap().entries();
  }

  keys(): ReturnType<Map<string, Value>["keys"]> {
    return this.asMap().keys();
  }

  values(): ReturnType<Map<string, Value>["values"]> {
    return this.asMap().values();
  }

  [Symbol.iterator](): ReturnType<Map<string, Value>["entries"]> {
    return this.asMap().entries();
  }
}

/** A memkv.KVPair value. */
export function kvPairValue(kv: KVPair): GoStruct {
  return new GoStruct(KVPAIR_TYPE, new KVPairFields(kv.key, kv.value), NO_METHODS);
}

const NO_METHODS: ReadonlyMap<string, GoFuncValue> = new Map();

/** The Key and Value fields of a memkv.KVPair struct value. */
export function kvPairFields(v: Value): KVPair {
  if (v instanceof GoStruct && v.type.name === KVPAIR_TYPE.name) {
    const fields = v.fields;
    if (fields instanceof KVPairFields) return { key: fields.key, value: fields.value };
    return { key: String(fields.get("Key")), value: String(fields.get("Value")) };
  }
  throw new TypeError(`expected memkv.KVPair, got ${String(v)}`);
}

/** Items of a slice argument; the engine has already checked its type against the signature. */
export function sliceItems(v: Value): Value[] {
  if (v instanceof GoSlice) return v.items;
  if (v === null || v === undefined) return [];
  throw new TypeError(`expected a slice, got ${String(v)}`);
}

/** A string argument (the engine converts to the parameter type; this guards the contract). */
export function str(v: Value): string {
  if (typeof v === "string") return v;
  throw new TypeError(`expected string, got ${String(v)}`);
}

/** An int argument (bigint). */
export function int(v: Value): bigint {
  if (typeof v === "bigint") return v;
  throw new TypeError(`expected int, got ${String(v)}`);
}
