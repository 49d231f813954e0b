// The seam between the runner and where values come from: every backend
// (file, env, and later etcd v2/v3) implements this one interface.

/**
 * A position in a backend's change history: an etcd v3 revision, an etcd v2 index (both int64, so
 * never a JS number), or a local change counter. 0n means "nothing seen yet".
 */
export type WatchIndex = bigint;

/** What getValues read: the pairs under the requested keys, and the index they were read at. */
export interface Snapshot {
  values: Map<string, string>;
  /**
   * The backend's index when the values were read (v3 header revision, v2 `X-Etcd-Index`, the file
   * backend's change counter). Watching from it misses nothing that happened after the read.
   */
  index: WatchIndex;
}

/** How getValues may answer. */
export interface ReadOptions {
  /**
   * The read follows a watch wake at this index: a backend whose watch keeps a copy of the keys
   * (etcd v3) may answer from it when the copy reflects at least this index. Default: none, a read
   * from the server (bootstrap, retries, -interval reconciliation).
   */
  wokenAt?: WatchIndex;
}

/** Why a watch returned. */
export interface WatchWake {
  /** The index of the newest change seen (or the current index after a resync). */
  index: WatchIndex;
  /**
   * Keys that changed (bounded: at most a few hundred are listed), or undefined when not known
   * (a resync after compaction or a reconnect gap, the file backend).
   */
  changed?: readonly string[];
}

/** Hooks a backend calls so the status server can count; every hook is optional and must not throw. */
export interface BackendObserver {
  /** A request finished: what it was, how long it took (seconds), whether it succeeded. */
  request?(op: "get" | "watch" | "auth" | "status", seconds: number, ok: boolean): void;
  /** A connection to `endpoint` was lost and is being re-established (or another endpoint is tried). */
  reconnect?(endpoint: string): void;
  /** `count` change events arrived from the backend's watch. */
  watchEvents?(count: number): void;
}

export interface Backend {
  /** Backend name as configured ("file", "env", "etcdv3", ...). */
  readonly name: string;
  /** Where values come from, for the `Backend source(s) set to ...` line. */
  readonly sources: readonly string[];
  /**
   * Quiet time the runner waits after a change before rendering when -wait is not set (the file
   * backend: an editor's save is several events). 0: render at once.
   */
  readonly settleMs: number;
  /**
   * Reads every key/value pair under `keys`, as one snapshot.
   * Prefix semantics: a key returns itself and everything under `key + "/"`
   * (`/db/host` does not return `/db/hostname`). Missing keys are simply absent (etcd v2: an error,
   * as in confd).
   * When `signal` aborts, rejects with `signal.reason` (or an error whose `cause` chain holds it):
   * the runner then knows the failure is the shutdown, not the backend.
   */
  getValues(keys: readonly string[], signal?: AbortSignal, opts?: ReadOptions): Promise<Snapshot>;
  /**
   * Resolves as soon as something under `keys` may have changed after `since` (a snapshot's index).
   * Changes made after `since` are never lost, however long the caller took to call again. All
   * callers share one change feed (one etcd watch stream); rejects with `signal.reason` on abort.
   *
   * From 0n it resolves at once with the current index. When the history after `since` is no longer
   * known (v2 errorCode 401 "event index cleared", v3 compaction, a gap while reconnecting), it
   * resolves with the current index and no `changed` list: the caller re-reads with getValues.
   */
  watch(keys: readonly string[], since: WatchIndex, signal: AbortSignal): Promise<WatchWake>;
  /** Releases connections and file system watchers. */
  close(): Promise<void>;
}

/** A backend failed to read or watch; `backend` names it, `cause` holds the underlying error. */
export class BackendError extends Error {
  readonly backend: string;
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "BackendError";
    this.backend = backend;
  }
}

/** True when `key` is `wanted` or lies under `wanted + "/"` (a wanted "/" matches every key). */
export function keyUnder(key: string, wanted: string): boolean {
  if (key === wanted) return true;
  const dir = wanted.endsWith("/") ? wanted : wanted + "/";
  return key.startsWith(dir);
}

/** Resolves after `ms`, or rejects with `signal.reason` when it aborts first. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  // Timers take at most 2^31-1 ms (about 24.8 days); a longer wait (a large -interval)
  // would fire at once and busy-loop, so it is waited out in chunks.
  for (let left = ms;; left -= MAX_TIMER_MS) {
    await sleepChunk(Math.min(left, MAX_TIMER_MS), signal);
    if (left <= MAX_TIMER_MS) return;
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

function sleepChunk(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Waits until `signal` aborts, then rejects with its reason (a backend with no change feed). A
 * timer is held meanwhile: a pending promise alone does not keep the process alive.
 */
export function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const keepAlive = setInterval(() => {}, MAX_TIMER_MS);
    signal.addEventListener("abort", () => {
      clearInterval(keepAlive);
      reject(signal.reason);
    }, { once: true });
  });
}
