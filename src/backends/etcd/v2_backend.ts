// The `etcd` (and `etcdv2`) backend: etcd's v2 keys API, as confd 0.16 used it.
// Reads are recursive GETs flattened as confd flattens them. Changes come from
// ONE long-poll loop on the longest common ancestor of every watched key, which
// serves all resources through the change feed: it resumes from the last index
// it saw (never from "now", so nothing written during a reload is lost), turns
// errorCode 401 "event index cleared" into a resync, re-arms idle polls, and
// waits out an unreachable etcd with capped, jittered backoff.
//
// Why one loop and not one poll per key: the change feed needs changes in index
// order from one position (its history answers late callers, a resync moves one
// floor); separate polls would publish out of order and could each fall behind
// on their own. One connection also serves any number of resources. The cost: when
// the keys share no directory below "/", the poll sees every write in the store
// and skips the unrelated ones (confd 0.16 polled the whole prefix per resource).

import { readFileSync } from "node:fs";
import type { Config } from "../../config/config.ts";
import type { Logger } from "../../log/logger.ts";
import {
  type Backend,
  BackendError,
  type BackendObserver,
  keyUnder,
  sleep,
  type Snapshot,
  type WatchIndex,
  type WatchWake,
} from "../backend.ts";
import { affects, ChangeFeed } from "../change_feed.ts";
import { Backoff, type BackoffOptions } from "../backoff.ts";
import { NoV2ApiError, V2Client, type V2PollResult, type V2Read } from "./v2_client.ts";
import { absoluteKey, commonAncestor, flattenNode, V2_UNAUTHORIZED, V2ApiError } from "./v2_keys.ts";
import { displayEndpoint, HttpTransport, type TransportOptions } from "./v2_transport.ts";

export interface EtcdV2Options extends TransportOptions {
  /** Backend name as configured. Default "etcd". */
  name?: "etcd" | "etcdv2";
  /** Endpoint URLs with scheme; at least one. */
  endpoints: readonly string[];
  /** For the watch loop's lines (retrying, resumed, resynced). Default: none logged. */
  log?: Logger;
  observer?: BackendObserver;
  /** Time until response headers, in ms. Default 10,000. */
  headersTimeoutMs?: number;
  /** Time for a read's body, in ms. Default 60,000. */
  readTimeoutMs?: number;
  /** An idle long-poll is re-armed after this long, in ms. Default 60,000. */
  pollTimeoutMs?: number;
  /** Reconnect delays of the watch loop. Default 0.5 s doubling to 15 s, ±20%. */
  backoff?: BackoffOptions;
  /** Keys of one resource read at the same time. Default 4. */
  readConcurrency?: number;
}

export class EtcdV2Backend implements Backend {
  readonly name: "etcd" | "etcdv2";
  readonly sources: readonly string[];
  readonly settleMs = 0;
  readonly #client: V2Client;
  readonly #transport: HttpTransport;
  readonly #log: Logger | undefined;
  readonly #observer: BackendObserver | undefined;
  readonly #backoff: BackoffOptions | undefined;
  readonly #readConcurrency: number;
  /** Replaced by a new one when etcd's index goes back (a new or restored cluster). */
  #feed = new ChangeFeed();
  /** Every key a caller watched (absolute); the loop watches their common ancestor. */
  readonly #watched = new Set<string>();
  /** The smallest index a read returned before the loop started: the loop starts right after it. */
  #minRead: bigint | undefined;
  #loop: Promise<void> | undefined;
  /** The directory the running poll watches. */
  #ancestor: string | undefined;
  /** Times etcd's index went back (each gave a new feed). */
  #resets = 0;
  /** Aborts the running poll (a key outside its directory was added). */
  #poll: AbortController | undefined;
  readonly #closing = new AbortController();

  constructor(opts: EtcdV2Options) {
    this.name = opts.name ?? "etcd";
    this.sources = opts.endpoints.map(displayEndpoint);
    this.#transport = new HttpTransport(opts);
    this.#client = new V2Client({
      endpoints: opts.endpoints,
      transport: this.#transport,
      observer: opts.observer,
      username: opts.auth?.username,
      headersTimeoutMs: opts.headersTimeoutMs,
      readTimeoutMs: opts.readTimeoutMs,
      pollTimeoutMs: opts.pollTimeoutMs,
    });
    this.#log = opts.log;
    this.#observer = opts.observer;
    this.#backoff = opts.backoff;
    this.#readConcurrency = Math.max(1, opts.readConcurrency ?? 4);
  }

  /**
   * Fails when the first endpoint that answers has no v2 API (one clear error at start-up, instead
   * of one per resource and retry); an unreachable etcd is left to the reads and their retries.
   */
  async checkApi(signal?: AbortSignal): Promise<void> {
    try {
      await this.#client.currentIndex("/", signal);
    } catch (err) {
      if (err instanceof NoV2ApiError) throw new BackendError(this.name, err.message, { cause: err });
    }
  }

  /**
   * Reads each key with a recursive GET. The snapshot's index is the SMALLEST X-Etcd-Index of the
   * reads: a change made between two reads is newer than it, so the watch from it reports that
   * change (one extra render at worst) instead of missing it.
   */
  async getValues(keys: readonly string[], signal?: AbortSignal): Promise<Snapshot> {
    const wanted = [...new Set(keys.map(absoluteKey))];
    if (wanted.length === 0) {
      // Nothing to read; an index the feed knows keeps the resource's watch from waking at once.
      return { values: new Map(), index: this.#feed.index > 0n ? this.#feed.index : 1n };
    }
    let reads: V2Read[];
    try {
      reads = await mapLimit(wanted, this.#readConcurrency, (key) => this.#client.read(key, signal));
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      throw new BackendError(this.name, (err as Error).message, { cause: err });
    }
    // Oldest read first, so where two keys overlap the newer read's value stays.
    reads.sort((a, b) => (a.index < b.index ? -1 : a.index > b.index ? 1 : 0));
    const values = new Map<string, string>();
    for (const read of reads) {
      // keyUnder, with the directory prefix built once per read rather than once per key.
      const dir = read.key.endsWith("/") ? read.key : read.key + "/";
      flattenNode(read.node, values, (k) => k === read.key || k.startsWith(dir));
    }
    const index = reads[0].index;
    if (this.#loop === undefined && (this.#minRead === undefined || index < this.#minRead)) this.#minRead = index;
    // The feed's index is then at least every snapshot's: a later `since` above it is from before a reset.
    this.#feed.advance(reads[reads.length - 1].index);
    return { values, index };
  }

  watch(keys: readonly string[], since: WatchIndex, signal: AbortSignal): Promise<WatchWake> {
    if (signal.aborted) return Promise.reject(signal.reason);
    const wanted = keys.map(absoluteKey);
    let outside = false;
    for (const k of wanted) {
      if (this.#watched.has(k)) continue;
      this.#watched.add(k);
      if (this.#ancestor !== undefined && !keyUnder(k, this.#ancestor)) outside = true;
    }
    // A resource without keys waits for nothing; the loop starts with the first key.
    if (this.#loop === undefined && this.#watched.size > 0 && !this.#closing.signal.aborted) this.#loop = this.#run();
    // The running poll does not cover the new key: re-arm it on the wider directory, same index.
    else if (outside) this.#poll?.abort("watched keys changed");
    // A snapshot newer than anything this feed knows was read before etcd's index went back: re-read.
    if (since > this.#feed.index && this.#resets > 0) return Promise.resolve({ index: this.#feed.index });
    return this.#feed.wait(wanted, since, signal);
  }

  async close(): Promise<void> {
    this.#closing.abort("closed");
    this.#feed.close();
    await this.#loop?.catch(() => {});
    this.#transport.close();
  }

  /** The watch loop: one long-poll at a time, from the index after the last one seen. */
  async #run(): Promise<void> {
    const closing = this.#closing.signal;
    const backoff = new Backoff({ initialMs: 500, maxMs: 15_000, ...this.#backoff });
    // Let every resource register its keys before the first poll picks its directory.
    await sleep(0, closing).catch(() => {});
    let waitIndex = await this.#startIndex(backoff);
    let failing = false;
    let empties = 0;
    while (!closing.aborted && waitIndex !== undefined) {
      const ancestor = commonAncestor(this.#watched);
      this.#ancestor = ancestor;
      const poll = new AbortController();
      this.#poll = poll;
      const onClose = () => poll.abort(closing.reason);
      closing.addEventListener("abort", onClose, { once: true });
      let result: V2PollResult;
      try {
        if (failing) {
          // A quick read tells when etcd is back (a poll would answer only at the next change).
          const now = await this.#client.currentIndex(ancestor, poll.signal);
          failing = false;
          this.#log?.info(`Watch on ${ancestor} resumed at ${this.#client.current} from index ${waitIndex}`);
          if (now < waitIndex - 1n) waitIndex = this.#reset(waitIndex, now);
        }
        result = await this.#client.poll(ancestor, waitIndex, poll.signal);
      } catch (err) {
        if (closing.aborted) break;
        if (poll.signal.aborted) continue;
        failing = true;
        let why = `Watch error: ${(err as Error).message}`;
        if (err instanceof V2ApiError && err.errorCode === V2_UNAUTHORIZED) {
          why += ` (the watch reads ${ancestor}, the deepest directory holding every watched key)`;
        }
        await this.#pause(backoff, why);
        continue;
      } finally {
        closing.removeEventListener("abort", onClose);
      }
      if (result.kind === "empty") {
        // A server-side cut (full watcher buffer, shutdown): re-arm; a run of them backs off.
        if (++empties >= 3) await this.#pause(backoff);
        continue;
      }
      empties = 0;
      backoff.reset();
      waitIndex = this.#apply(result, waitIndex, ancestor);
    }
  }

  /** Publishes what one poll reported; returns the next waitIndex. */
  #apply(result: V2PollResult, waitIndex: bigint, ancestor: string): bigint {
    switch (result.kind) {
      case "event": {
        const ev = result.event;
        this.#observer?.watchEvents?.(1);
        // set, create, update, compareAndSwap, delete, compareAndDelete, expire: all change the key
        // (a directory delete is one event for the directory; the feed wakes readers under it).
        if ([...this.#watched].some((w) => affects(ev.key, w))) {
          this.#log?.debug(`Watch event: ${ev.action} ${ev.key} at index ${ev.index}`);
          this.#feed.publish(ev.index, [ev.key]);
        } else this.#feed.advance(ev.index);
        return ev.index >= waitIndex ? ev.index + 1n : waitIndex;
      }
      case "idle":
        // etcd found nothing under the directory up to the index it sent when the poll began.
        if (result.etcdIndex === undefined) return waitIndex;
        if (result.etcdIndex < waitIndex - 1n) return this.#reset(waitIndex, result.etcdIndex);
        if (result.etcdIndex < waitIndex) return waitIndex;
        this.#feed.advance(result.etcdIndex);
        return result.etcdIndex + 1n;
      case "cleared":
        this.#log?.info(
          `Watch on ${ancestor} fell behind etcd's event history (index ${waitIndex} cleared); ` +
            `re-reading at index ${result.index}`,
        );
        this.#feed.resync(result.index);
        return result.index + 1n;
      case "empty":
        return waitIndex;
    }
  }

  /**
   * etcd's index is behind what the loop saw: its store was replaced (a new cluster, a restore, a
   * member without persistent data). Polling on from the old index would park until etcd counted up
   * to it, missing everything meanwhile; instead every caller re-reads, on a fresh feed that starts
   * at the current index. Returns the next waitIndex.
   */
  #reset(waitIndex: bigint, now: bigint): bigint {
    this.#log?.warning(
      `etcd's index went back from ${waitIndex - 1n} to ${now} (a new or restored etcd?): re-reading every resource`,
    );
    this.#resets++;
    const old = this.#feed;
    this.#feed = new ChangeFeed();
    this.#feed.resync(now);
    old.close();
    return now + 1n;
  }

  /**
   * Where the loop starts: right after the oldest read (so changes since any snapshot handed out are
   * seen), else after the current index. Undefined when closed first.
   */
  async #startIndex(backoff: Backoff): Promise<bigint | undefined> {
    const closing = this.#closing.signal;
    while (!closing.aborted) {
      let start = this.#minRead;
      if (start === undefined) {
        try {
          start = await this.#client.currentIndex(commonAncestor(this.#watched), closing);
        } catch (err) {
          if (closing.aborted) return undefined;
          await this.#pause(backoff, `Watch error: ${(err as Error).message}`);
          continue;
        }
      }
      // A caller whose snapshot is older than the start (none, normally) re-reads.
      this.#feed.resync(start);
      backoff.reset();
      return start + 1n;
    }
    return undefined;
  }

  /** Sleeps the next backoff delay (logging `why` with it: one line per round); returns early on close. */
  async #pause(backoff: Backoff, why?: string): Promise<void> {
    const delay = backoff.next();
    if (why !== undefined) this.#log?.warning(`${why}; retrying in ${(delay / 1000).toFixed(1)}s`);
    await sleep(delay, this.#closing.signal).catch(() => {});
  }
}

/** Runs `fn` over `items` with at most `limit` at a time; results in input order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Reads a PEM file named by a flag, with the flag in the error. */
function readPem(flag: string, path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    throw new BackendError("etcd", `cannot read ${flag} file ${path}: ${(err as Error).message}`, { cause: err });
  }
}

/** Builds the backend from the configuration (TLS files read here) and checks the server has v2. */
export async function createEtcdV2Backend(
  config: Config,
  opts: { log?: Logger; observer?: BackendObserver } = {},
): Promise<EtcdV2Backend> {
  const name = config.backend === "etcdv2" ? "etcdv2" : "etcd";
  if ((config.clientCert === "") !== (config.clientKey === "")) {
    throw new BackendError(name, "-client-cert and -client-key must be given together");
  }
  if (config.clientInsecure) opts.log?.warning("TLS Client config running insecure mode. Skip server CA verification.");
  const backend = new EtcdV2Backend({
    name,
    endpoints: config.nodes,
    tls: {
      ca: config.clientCaKeys ? readPem("-client-ca-keys", config.clientCaKeys) : undefined,
      cert: config.clientCert ? readPem("-client-cert", config.clientCert) : undefined,
      key: config.clientKey ? readPem("-client-key", config.clientKey) : undefined,
      insecure: config.clientInsecure,
    },
    auth: config.basicAuth ? { username: config.username, password: config.password } : undefined,
    log: opts.log,
    observer: opts.observer,
  });
  try {
    await backend.checkApi(AbortSignal.timeout(10_000));
  } catch (err) {
    await backend.close();
    throw err;
  }
  return backend;
}
