// Assembles confd's template function map: memkv's store functions over a snapshot plus
// confd's own library (HEAD, which 0.16.0 matches apart from the removed cget family).

import type { FuncMap, GoFuncValue } from "../template/value.ts";
import type { KVStore } from "../kv/store.ts";
import { storeFuncs } from "./store.ts";
import { stringFuncs } from "./strings.ts";
import { mathFuncs } from "./math.ts";
import { jsonFuncs } from "./json.ts";
import { encodingFuncs } from "./encoding.ts";
import { envFuncs } from "./env.ts";
import { sortFuncs } from "./sort.ts";
import { DnsCache, dnsFuncs } from "./dns.ts";
import { dateClock, systemClock, timeFuncs } from "./time.ts";

export interface FuncOptions {
  /** getenv's source, and TZ for datetime. Default: empty (callers pass the process environment). */
  env?: Record<string, string | undefined>;
  /** datetime's wall clock. Default: the system clock (sub-millisecond). */
  now?: () => Date;
  /** Answers for lookupIP* / lookupSRV; see renderWithDns. Default: a fresh, empty cache. */
  dns?: DnsCache;
}

/** Every confd function, each a GoFuncValue with confd's Go signature. */
export function confdFuncs(store: KVStore, opts: FuncOptions = {}): FuncMap {
  const env = opts.env ?? {};
  const clock = opts.now ? dateClock(opts.now) : systemClock;
  const groups: Map<string, GoFuncValue>[] = [
    storeFuncs(store),
    stringFuncs(),
    mathFuncs(),
    jsonFuncs(),
    encodingFuncs(),
    envFuncs(env),
    sortFuncs(),
    dnsFuncs(opts.dns ?? new DnsCache()),
    timeFuncs(clock, env.TZ),
  ];
  const all = new Map<string, GoFuncValue>();
  for (const g of groups) for (const [name, f] of g) all.set(name, f);
  return all;
}
