// The etcdv3 backend: etcd's native gRPC API. A read takes every requested key
// as a prefix at one revision (the first reply's, later requests and pages
// pinned to it); watches share one Watch stream feeding one change feed. In
// watch mode a read seeds the watches' mirrors, and a read after a wake is
// answered from them when they are recent enough (no round trip to etcd).

import type { Logger } from "../../log/logger.ts";
import {
  type Backend,
  BackendError,
  type BackendObserver,
  keyUnder,
  type ReadOptions,
  type Snapshot,
  type WatchIndex,
  type WatchWake,
} from "../backend.ts";
import { ChangeFeed } from "../change_feed.ts";
import { bytesToString, keyAfter, stringToBytes, subtreeEnd } from "./bytes.ts";
import { GRPC, GrpcError, type TlsFiles } from "./grpc_connection.ts";
import { EtcdV3Client } from "./v3_client.ts";
import type { V3Watcher } from "./v3_watcher.ts";

export interface EtcdV3BackendOptions {
  /** Endpoint URLs with scheme (http:// or https://). */
  endpoints: readonly string[];
  /** TLS files (read already) for https endpoints. Default: system roots, no client certificate. */
  tls?: TlsFiles;
  /** etcd user and password (-basic-auth). Default none. */
  auth?: { username: string; password: string };
  /** Keys per Range page; a prefix with more is read in pages at the same revision. Default 10,000. */
  pageLimit?: number;
  /** Longest wait for one request, ms. Default 5000. */
  timeoutMs?: number;
  log?: Logger;
  observer?: BackendObserver;
}

/** A read pinned to a revision etcd compacted meanwhile is restarted this many times. */
const COMPACTED_RETRIES = 3;

export class EtcdV3Backend implements Backend {
  readonly name = "etcdv3";
  readonly sources: readonly string[];
  readonly settleMs = 0;
  readonly #client: EtcdV3Client;
  readonly #feed = new ChangeFeed();
  /** Created with the first watch (its module and protobuf-es load only then: -onetime never pays). */
  #watcher: Promise<V3Watcher> | undefined;
  /** The watcher once loaded (reads seed its mirrors and may be answered by them). */
  #watching: V3Watcher | undefined;
  readonly #watcherOptions: { log?: Logger; observer?: BackendObserver };
  readonly #pageLimit: number;

  constructor(opts: EtcdV3BackendOptions) {
    this.sources = opts.endpoints;
    this.#client = new EtcdV3Client(opts);
    this.#pageLimit = opts.pageLimit ?? 10_000;
    this.#watcherOptions = { log: opts.log, observer: opts.observer };
  }

  async getValues(keys: readonly string[], signal?: AbortSignal, opts: ReadOptions = {}): Promise<Snapshot> {
    if (opts.wokenAt !== undefined && this.#watching !== undefined) {
      const mirrored = this.#watching.readMirrors(distinct(keys), opts.wokenAt);
      if (mirrored !== undefined) return mirrored;
    }
    for (let attempt = 0;; attempt++) {
      try {
        return await this.#read(keys, signal);
      } catch (err) {
        if (signal?.aborted) throw signal.reason;
        if (isCompacted(err) && attempt < COMPACTED_RETRIES) continue;
        if (err instanceof BackendError) throw err;
        throw new BackendError(this.name, (err as Error).message, { cause: err });
      }
    }
  }

  async #read(keys: readonly string[], signal?: AbortSignal): Promise<Snapshot> {
    const values = new Map<string, string>();
    // A resource without keys still needs an index to watch from; it never changes.
    if (keys.length === 0) return { values, index: this.#feed.index > 0n ? this.#feed.index : 1n };
    let revision = 0n;
    const wanted = distinct(keys);
    for (const key of wanted) {
      const bytes = stringToBytes(key);
      const rangeEnd = subtreeEnd(bytes);
      let from = bytes;
      for (;;) {
        const reply = await this.#client.range(
          { key: from, rangeEnd, revision, limit: BigInt(this.#pageLimit) },
          signal,
        );
        if (revision === 0n) revision = reply.revision;
        for (const kv of reply.kvs) {
          const k = bytesToString(kv.key);
          // The range also holds keys sharing the bytes before "/" (`/db/host-2` for `/db/host`).
          if (keyUnder(k, key)) values.set(k, bytesToString(kv.value));
        }
        if (!reply.more || reply.kvs.length === 0) break;
        from = keyAfter(reply.kvs[reply.kvs.length - 1].key);
      }
    }
    this.#feed.advance(revision);
    this.#watching?.seed(wanted, revision, values);
    return { values, index: revision };
  }

  async watch(keys: readonly string[], since: WatchIndex, signal: AbortSignal): Promise<WatchWake> {
    if (signal.aborted) throw signal.reason;
    // From 0n the feed answers at once (the caller reads first); no watch is created for that.
    if (since > 0n) {
      this.#watcher ??= import("./v3_watcher.ts").then(({ V3Watcher }) =>
        this.#watching = new V3Watcher({ client: this.#client, feed: this.#feed, ...this.#watcherOptions })
      );
      const watcher = await this.#watcher;
      if (signal.aborted) throw signal.reason;
      if (!watcher.ensure(keys, since)) return { index: this.#feed.index > since ? this.#feed.index : since };
    }
    return await this.#feed.wait(keys, since, signal);
  }

  async close(): Promise<void> {
    (await this.#watcher?.catch(() => undefined))?.close();
    this.#feed.close();
    this.#client.close();
  }
}

function distinct(keys: readonly string[]): string[] {
  return [...new Set(keys)];
}

/** etcd answers a read at a compacted revision with OutOfRange "required revision has been compacted". */
function isCompacted(err: unknown): boolean {
  return err instanceof GrpcError && err.code === GRPC.outOfRange && /compacted/.test(err.message);
}
