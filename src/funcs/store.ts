// The store functions (exists, get, getv, gets, getvs, ls, lsdir): memkv's FuncMap
// over a KVStore snapshot, with memkv's Go signatures and error texts.

import { GoError, GoFuncValue, GoSlice, SLICE_STRING, T, type Value, withCap } from "../template/value.ts";
import { appendCap, ELEM_SIZE } from "../template/go_cap.ts";
import { KeyNotFoundError, type KVStore } from "../kv/store.ts";
import { BadPatternError } from "../kv/go_path.ts";
import { goFunc, KVPAIR_TYPE, KVPAIRS_TYPE, kvPairValue, sig, str } from "./go_func.ts";

/** Runs a store call, turning the store's errors into the Go error the template sees. */
function goErrors<R>(f: () => R): R {
  try {
    return f();
  } catch (e) {
    if (e instanceof KeyNotFoundError || e instanceof BadPatternError) throw new GoError(e.message);
    throw e;
  }
}

function strings(items: string[]): GoSlice {
  return new GoSlice(SLICE_STRING, items);
}

export function storeFuncs(store: KVStore): Map<string, GoFuncValue> {
  const fns = [
    // func (s Store) Exists(key string) bool
    goFunc("exists", sig([T.string], T.bool), (k) => store.exists(str(k))),
    // func (s Store) Get(key string) (KVPair, error)
    goFunc("get", sig([T.string], KVPAIR_TYPE, { returnsError: true }), (k) => {
      const kv = store.get(str(k));
      if (kv === undefined) throw new GoError(new KeyNotFoundError(str(k)).message);
      return kvPairValue(kv);
    }),
    // func (s Store) GetValue(key string, v ...string) (string, error)
    goFunc(
      "getv",
      sig([T.string], T.string, { variadic: T.string, returnsError: true }),
      (k, ...defaults: Value[]) => goErrors(() => store.getv(str(k), ...defaults.map(str))),
    ),
    // func (s Store) GetAll(pattern string) (KVPairs, error)
    goFunc("gets", sig([T.string], KVPAIRS_TYPE, { returnsError: true }), (p) => {
      const pairs = goErrors(() => store.gets(str(p)));
      // memkv appends the matches to an empty KVPairs: the capacity is append's.
      const slice = new GoSlice(KVPAIRS_TYPE, pairs.map(kvPairValue));
      return withCap(slice, appendCap(pairs.length, ELEM_SIZE.kvPair), kvPairValue({ key: "", value: "" }));
    }),
    // func (s Store) GetAllValues(pattern string) ([]string, error)
    goFunc(
      "getvs",
      sig([T.string], SLICE_STRING, { returnsError: true }),
      (p) => {
        const values = goErrors(() => store.getvs(str(p)));
        return withCap(strings(values), appendCap(values.length, ELEM_SIZE.string), "");
      },
    ),
    // func (s Store) List(filePath string) []string
    goFunc("ls", sig([T.string], SLICE_STRING), (p) => strings(store.ls(str(p)))),
    // func (s Store) ListDir(filePath string) []string
    goFunc("lsdir", sig([T.string], SLICE_STRING), (p) => strings(store.lsdir(str(p)))),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}
