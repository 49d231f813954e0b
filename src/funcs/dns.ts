// lookupIP / lookupIPV4 / lookupIPV6 / lookupSRV. Templates render synchronously but DNS
// in JS is asynchronous, so lookups answer from a DnsCache: a name not yet resolved is
// recorded as pending and answers empty; renderWithDns resolves what is pending and
// renders again. Errors answer empty, as confd swallows them. Use one cache per pass so
// a long-running daemon sees DNS changes.

import { lookup, resolveSrv } from "node:dns/promises";
import {
  compareStrings,
  GoFuncValue,
  GoInt,
  GoSlice,
  GoStruct,
  nilSlice,
  SLICE_STRING,
  sliceOf,
  structType,
  T,
  type Value,
} from "../template/value.ts";
import { goFunc, sig, str } from "./go_func.ts";

/** One SRV answer, as Go's net.SRV (Target keeps its trailing dot). */
export interface SrvRecord {
  target: string;
  port: number;
  priority: number;
  weight: number;
}

/** Rounds of render-resolve-render in renderWithDns; each round can only add names. */
export const DNS_ROUNDS = 3;

export interface DnsCacheOptions {
  /** Longest wait for one name, in ms; a lookup still running then answers empty. Default 10000. */
  timeoutMs?: number;
}

export class DnsCache {
  readonly #ips = new Map<string, string[]>();
  readonly #srvs = new Map<string, SrvRecord[]>();
  readonly #timeoutMs: number;
  /** Lookups asked for but not resolved yet: `ip <host>` or `srv <name>`. */
  readonly pending = new Set<string>();

  constructor(opts: DnsCacheOptions = {}) {
    this.#timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /** Sorted addresses of host, or undefined (and recorded as pending) if not resolved yet. */
  lookup(host: string): string[] | undefined {
    const hit = this.#ips.get(host);
    if (hit === undefined) this.pending.add(`ip ${host}`);
    return hit;
  }

  /** SRV records sorted as confd sorts them, or undefined (pending) if not resolved yet. */
  srv(service: string, proto: string, name: string): SrvRecord[] | undefined {
    const target = srvName(service, proto, name);
    const hit = this.#srvs.get(target);
    if (hit === undefined) this.pending.add(`srv ${target}`);
    return hit;
  }

  /** Seeds an answer (tests, or a caller with its own resolver). */
  setIPs(host: string, ips: string[]): void {
    this.#ips.set(host, [...ips].sort(compareStrings));
  }

  setSrv(service: string, proto: string, name: string, records: SrvRecord[]): void {
    this.#srvs.set(srvName(service, proto, name), sortSrv(records));
  }

  /**
   * Resolves every pending lookup with the system resolver, concurrently. Failures and
   * lookups slower than the timeout answer empty, as confd swallows lookup errors.
   */
  async resolvePending(): Promise<void> {
    const jobs = [...this.pending].map(async (p) => {
      const space = p.indexOf(" ");
      const [kind, name] = [p.slice(0, space), p.slice(space + 1)];
      if (kind === "ip") {
        const addrs = await this.#bounded(lookup(name, { all: true, verbatim: true }));
        this.#ips.set(name, (addrs ?? []).map((a) => goIPString(a.address)).sort(compareStrings));
      } else {
        const recs = await this.#bounded(resolveSrv(name));
        this.#srvs.set(name, sortSrv((recs ?? []).map((r) => ({ ...r, target: fqdn(r.name) }))));
      }
    });
    this.pending.clear();
    await Promise.all(jobs);
  }

  /** The lookup's result, or undefined on error or timeout. */
  async #bounded<R>(job: Promise<R>): Promise<R | undefined> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.#timeoutMs);
    });
    try {
      return await Promise.race([job.catch(() => undefined), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Go's net.IP String: an IPv4-mapped IPv6 address prints in dotted IPv4 form. */
export function goIPString(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1] : address;
}

/** Go's LookupSRV name: `_service._proto.name`, or just name when both are empty. */
function srvName(service: string, proto: string, name: string): string {
  return service === "" && proto === "" ? name : `_${service}._${proto}.${name}`;
}

function fqdn(name: string): string {
  return name.endsWith(".") ? name : name + ".";
}

/** confd's sortSRV: by the plain concatenation target+port+priority+weight, as strings. */
function sortSrv(records: SrvRecord[]): SrvRecord[] {
  const key = (r: SrvRecord) => `${r.target}${r.port}${r.priority}${r.weight}`;
  return [...records].sort((a, b) => compareStrings(key(a), key(b)));
}

/**
 * Renders, resolves the lookups the render asked for, and renders again, up to
 * DNS_ROUNDS times. A render that fails while lookups are pending is retried (its
 * error may come from an empty placeholder answer); otherwise the error propagates.
 */
export async function renderWithDns(render: () => string, dns: DnsCache): Promise<string> {
  for (let round = 1;; round++) {
    let out: string;
    try {
      out = render();
    } catch (e) {
      if (dns.pending.size === 0 || round >= DNS_ROUNDS) throw e;
      await dns.resolvePending();
      continue;
    }
    if (dns.pending.size === 0 || round >= DNS_ROUNDS) return out;
    await dns.resolvePending();
  }
}

/** Go's *net.SRV; printed like a struct (Go would print a pointer address). */
export const SRV_TYPE = structType("*net.SRV");
const SLICE_SRV = sliceOf(SRV_TYPE);

function srvValue(r: SrvRecord): GoStruct {
  const u16 = (n: number) => new GoInt(T.uint16, BigInt(n));
  return new GoStruct(
    SRV_TYPE,
    new Map<string, Value>([
      ["Target", r.target],
      ["Port", u16(r.port)],
      ["Priority", u16(r.priority)],
      ["Weight", u16(r.weight)],
    ]),
  );
}

export function dnsFuncs(dns: DnsCache): Map<string, GoFuncValue> {
  // confd returns nil (not an empty list) on a lookup error and when no address matches.
  const ips = (host: string, keep: (ip: string) => boolean): GoSlice => {
    const found = (dns.lookup(host) ?? []).filter(keep);
    return found.length === 0 ? nilSlice(SLICE_STRING) : new GoSlice(SLICE_STRING, found);
  };
  const S = T.string;
  const fns = [
    goFunc("lookupIP", sig([S], SLICE_STRING), (h) => ips(str(h), () => true)),
    goFunc("lookupIPV4", sig([S], SLICE_STRING), (h) => ips(str(h), (ip) => ip.includes("."))),
    goFunc("lookupIPV6", sig([S], SLICE_STRING), (h) => ips(str(h), (ip) => ip.includes(":"))),
    goFunc("lookupSRV", sig([S, S, S], SLICE_SRV), (s, p, n) => {
      const recs = dns.srv(str(s), str(p), str(n)) ?? [];
      return new GoSlice(SLICE_SRV, recs.map(srvValue));
    }),
  ];
  return new Map(fns.map((f) => [f.name, f]));
}
