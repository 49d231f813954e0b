// One etcd Watch stream for the whole process, one watch on it per distinct
// full key (created when a resource first waits on the key, from the revision
// after its snapshot, so nothing falls between read and watch). Events go to
// the backend's change feed. The stream is resumed from each watch's next
// revision after a break (another endpoint, backoff, a fresh token when etcd
// rejected ours); a compacted watch restarts at the current revision and the
// feed tells every resource to re-read. Each watch may keep a mirror of its keys
// (watch_mirror.ts), seeded by the backend's reads, so a woken resource re-reads
// locally.

import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import type { Logger } from "../../log/logger.ts";
import { Backoff } from "../backoff.ts";
import { type BackendObserver, keyUnder, sleep } from "../backend.ts";
import type { ChangeFeed } from "../change_feed.ts";
import { bytesToString, stringToBytes, subtreeEnd } from "./bytes.ts";
import {
  type Event,
  Event_EventType,
  WatchRequestSchema,
  type WatchResponse,
  WatchResponseSchema,
} from "./gen/etcd_pb.ts";
import type { GrpcError, GrpcStream } from "./grpc_connection.ts";
import { type EtcdV3Client, isConnectionError, isTokenRejected } from "./v3_client.ts";
import { canSeed, type MirrorEvent, WatchMirror } from "./watch_mirror.ts";

export interface V3WatcherOptions {
  client: EtcdV3Client;
  feed: ChangeFeed;
  log?: Logger;
  observer?: BackendObserver;
  /** Delays between reconnects. Default: 0.5 s doubling to 30 s, ±20% jitter. */
  backoff?: Backoff;
}

interface KeyWatch {
  key: string;
  bytes: Uint8Array;
  /** The first revision still to be delivered: where a (re)created watch starts. */
  next: bigint;
  /** The first revision this watch covered without a gap; a caller from before it must re-read. */
  coversFrom: bigint;
  /** Its id on the current stream; 0n while not created there. */
  id: bigint;
  /** Events of a response split into fragments, until the last fragment. */
  fragments: Event[];
  /** Compacted: waiting for the current revision before it is created again. */
  recovering: boolean;
  /** When its create request was sent (performance.now()), until etcd answered it. */
  sentAt: number | undefined;
  /** The pairs under the key as the watch has them; undefined until a read seeds it, and after a gap. */
  mirror: WatchMirror | undefined;
}

/** A watch cancelled by etcd for another reason than compaction is re-created after this. */
const RECREATE_DELAY_MS = 1000;

export class V3Watcher {
  readonly #client: EtcdV3Client;
  readonly #feed: ChangeFeed;
  readonly #log: Logger | undefined;
  readonly #observer: BackendObserver | undefined;
  readonly #backoff: Backoff;
  readonly #watches = new Map<string, KeyWatch>();
  readonly #byId = new Map<bigint, KeyWatch>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #stop = new AbortController();
  #nextId = 1n;
  #stream: GrpcStream | undefined;
  /** Bumped for each stream: replies and ends of an older stream are ignored. */
  #generation = 0;
  #connecting = false;
  /** A reconnect is scheduled: new watches wait for it rather than cutting the backoff short. */
  #retrying = false;
  /** The current stream delivered a created watch or events (its end then resets the backoff). */
  #healthy = false;
  /** The stream broke and has not delivered since (its recovery is logged once). */
  #broken = false;
  #closed = false;

  constructor(opts: V3WatcherOptions) {
    this.#client = opts.client;
    this.#feed = opts.feed;
    this.#log = opts.log;
    this.#observer = opts.observer;
    this.#backoff = opts.backoff ?? new Backoff({ initialMs: 500, maxMs: 30_000 });
  }

  /** Number of keys watched (tests). */
  get size(): number {
    return this.#watches.size;
  }

  /**
   * Makes sure each key is watched from `since + 1` on. False when a key's watch began later than
   * that (another resource created it from a newer snapshot): the caller must re-read.
   */
  ensure(keys: readonly string[], since: bigint): boolean {
    let covered = true;
    for (const key of keys) {
      const w = this.#watches.get(key);
      if (w === undefined) {
        const added: KeyWatch = {
          key,
          bytes: stringToBytes(key),
          next: since + 1n,
          coversFrom: since + 1n,
          id: 0n,
          fragments: [],
          recovering: false,
          sentAt: undefined,
          mirror: undefined,
        };
        this.#watches.set(key, added);
        this.#create(added);
      } else if (since + 1n < w.coversFrom) covered = false;
    }
    this.#connect();
    return covered;
  }

  /**
   * Offers a read of `keys` at `revision` (`values`: what it returned, possibly under other keys
   * too) as the mirror of each of those keys' watches, taken where the watch continues from it
   * without a gap and the mirror is older.
   */
  seed(keys: readonly string[], revision: bigint, values: ReadonlyMap<string, string>): void {
    for (const key of keys) {
      const w = this.#watches.get(key);
      if (w === undefined || w.recovering || !canSeed(revision, w)) continue;
      if (w.mirror !== undefined && w.mirror.revision >= revision) continue;
      const mine = new Map<string, string>();
      for (const [k, v] of values) if (keyUnder(k, key)) mine.set(k, v);
      w.mirror = new WatchMirror(revision, mine);
    }
  }

  /**
   * The pairs under `keys` from the mirrors, when each key has one, all are complete through the
   * same revision (so together they are one state etcd had) and that revision is at least
   * `atLeast`; otherwise undefined (the caller reads etcd).
   */
  readMirrors(keys: readonly string[], atLeast: bigint): { values: Map<string, string>; index: bigint } | undefined {
    let revision: bigint | undefined;
    for (const key of keys) {
      const m = this.#watches.get(key)?.mirror;
      if (m === undefined || m.revision < atLeast || (revision !== undefined && m.revision !== revision)) {
        return undefined;
      }
      revision = m.revision;
    }
    if (revision === undefined) return undefined;
    const values = new Map<string, string>();
    for (const key of keys) this.#watches.get(key)?.mirror?.copyInto(values);
    return { values, index: revision };
  }

  close(): void {
    this.#closed = true;
    this.#stop.abort(new Error("backend closed"));
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
    this.#generation++;
    this.#stream?.close();
    this.#stream = undefined;
  }

  #connect(): void {
    if (this.#stream !== undefined || this.#connecting || this.#retrying || this.#closed) return;
    this.#connecting = true;
    const generation = ++this.#generation;
    this.#healthy = false;
    this.#client.openWatch({
      onMessage: (m) => {
        if (generation === this.#generation) this.#onResponse(fromBinary(WatchResponseSchema, m));
      },
      onEnd: (err) => {
        if (generation === this.#generation) this.#onStreamEnd(err);
      },
    }, this.#stop.signal).then((stream) => {
      this.#connecting = false;
      if (generation !== this.#generation) return stream.close();
      this.#stream = stream;
      for (const w of this.#watches.values()) this.#create(w);
    }, (err) => {
      this.#connecting = false;
      if (generation === this.#generation) this.#onStreamEnd(err as GrpcError);
    });
  }

  /** Sends a create request for `w` on the current stream (when there is none, #connect will). */
  #create(w: KeyWatch): void {
    if (this.#stream === undefined || w.id !== 0n || w.recovering) return;
    w.id = this.#nextId++;
    w.fragments = [];
    w.sentAt = performance.now();
    this.#byId.set(w.id, w);
    this.#stream.send(toBinary(
      WatchRequestSchema,
      create(WatchRequestSchema, {
        requestUnion: {
          case: "createRequest",
          value: {
            key: w.bytes,
            rangeEnd: subtreeEnd(w.bytes),
            startRevision: w.next,
            progressNotify: true,
            watchId: w.id,
            fragment: true,
          },
        },
      }),
    ));
  }

  #onStreamEnd(err: Error): void {
    this.#stream = undefined;
    this.#generation++;
    this.#byId.clear();
    for (const w of this.#watches.values()) {
      w.id = 0n;
      w.fragments = [];
    }
    if (this.#closed) return;
    this.#broken = true;
    if (isTokenRejected(err)) this.#client.invalidateToken();
    if (this.#healthy) this.#backoff.reset();
    const endpoint = this.#client.endpoint;
    if (isConnectionError(err)) this.#client.failover();
    else this.#observer?.reconnect?.(endpoint);
    const delay = this.#backoff.next();
    this.#log?.warning(
      `etcd watch stream on ${endpoint} ended: ${err.message}; reconnecting in ${(delay / 1000).toFixed(1)}s`,
    );
    this.#retrying = true;
    this.#later(delay, () => {
      this.#retrying = false;
      this.#connect();
    });
  }

  #onResponse(r: WatchResponse): void {
    const w = this.#byId.get(r.watchId);
    if (r.created && w?.sentAt !== undefined) {
      this.#observer?.request?.("watch", (performance.now() - w.sentAt) / 1000, !r.canceled);
      w.sentAt = undefined;
    }
    if (r.canceled) {
      this.#onCanceled(r, w);
      return;
    }
    if (w === undefined) return;
    if (r.fragment) {
      w.fragments.push(...r.events);
      return;
    }
    const events = w.fragments.length > 0 ? [...w.fragments, ...r.events] : r.events;
    w.fragments = [];
    this.#healthy = true;
    if (this.#broken) {
      this.#broken = false;
      this.#log?.info(`etcd watch stream on ${this.#client.endpoint} resumed`);
    }
    const revision = r.header?.revision ?? 0n;
    if (events.length === 0) {
      // A progress notification: everything up to its revision was delivered. (A created reply's
      // revision says nothing of the catch-up still to come from its start revision.)
      if (!r.created && revision >= w.next) {
        w.next = revision + 1n;
        w.mirror?.advance(revision);
        this.#feed.advance(revision);
      }
      return;
    }
    this.#publish(w, events);
  }

  #publish(w: KeyWatch, events: readonly Event[]): void {
    let newest = 0n;
    const keys = new Set<string>();
    const changes: MirrorEvent[] = [];
    for (const e of events) {
      const kv = e.kv;
      if (kv === undefined) continue;
      if (kv.modRevision > newest) newest = kv.modRevision;
      const key = bytesToString(kv.key);
      // The watched range also holds keys sharing the bytes before "/" (`/w/a-b` for `/w/a`).
      if (!keyUnder(key, w.key)) continue;
      keys.add(key);
      if (w.mirror !== undefined) {
        const value = e.type === Event_EventType.DELETE ? undefined : bytesToString(kv.value);
        changes.push({ key, value, revision: kv.modRevision });
      }
    }
    if (newest >= w.next) w.next = newest + 1n;
    // The mirror first: a resource woken by the feed below reads it.
    w.mirror?.apply(changes);
    w.mirror?.advance(newest);
    if (keys.size === 0) return;
    this.#observer?.watchEvents?.(keys.size);
    // At its own revision, even when another watch already published newer ones: the feed keeps
    // its history in index order, so a caller between the two still sees it.
    this.#feed.publish(newest, [...keys]);
  }

  #onCanceled(r: WatchResponse, w: KeyWatch | undefined): void {
    if (w !== undefined) {
      this.#byId.delete(w.id);
      w.id = 0n;
      w.fragments = [];
    }
    if (r.compactRevision > 0n && w !== undefined) {
      if (!w.recovering) void this.#recoverCompaction(w, r.compactRevision);
      return;
    }
    const reason = r.cancelReason || "no reason given";
    // Auth failures come on the stream (watch id -1): a fresh token needs a new stream.
    if (w === undefined || /auth|token|user name|permission/i.test(reason)) {
      this.#client.invalidateToken();
      const stream = this.#stream;
      // Not a healthy stream: a lasting refusal (permission denied) must back off, not retry every 0.5 s.
      this.#healthy = false;
      this.#onStreamEnd(new Error(`etcd cancelled the watch: ${reason}`));
      stream?.close();
      return;
    }
    this.#log?.warning(`etcd cancelled the watch on "${w.key}": ${reason}; re-creating it`);
    this.#later(RECREATE_DELAY_MS, () => this.#create(w));
  }

  /** etcd compacted past `w.next`: restart at the current revision; every resource re-reads. */
  async #recoverCompaction(w: KeyWatch, compacted: bigint): Promise<void> {
    this.#log?.warning(
      `etcd compacted its history up to revision ${compacted}, past the watch on "${w.key}" ` +
        `(at ${w.next}): resuming at the current revision, resources re-read`,
    );
    w.recovering = true;
    // Events were lost: the mirror is no longer etcd's state; the next read seeds a new one.
    w.mirror = undefined;
    for (;;) {
      try {
        const reply = await this.#client.range(
          { key: w.bytes, rangeEnd: subtreeEnd(w.bytes), countOnly: true },
          this.#stop.signal,
        );
        const current = reply.revision > 0n ? reply.revision : compacted;
        w.next = current + 1n;
        w.coversFrom = current + 1n;
        w.recovering = false;
        this.#create(w);
        this.#feed.resync(current);
        return;
      } catch (err) {
        if (this.#closed) return;
        const delay = this.#backoff.next();
        this.#log?.warning(
          `cannot read the current etcd revision: ${(err as Error).message}; retrying in ${(delay / 1000).toFixed(1)}s`,
        );
        await sleep(delay, this.#stop.signal).catch(() => {});
        if (this.#closed) return;
      }
    }
  }

  #later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.#timers.delete(t);
      if (!this.#closed) fn();
    }, ms);
    this.#timers.add(t);
  }
}
