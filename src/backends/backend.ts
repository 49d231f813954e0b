// The seam between the runner and where values come from: every backend
// (file, env, and later etcd v2/v3) implements this one interface.

/**
 * An opaque, monotonically increasing position in a backend's change history
 * (an etcd v2 index, an etcd v3 revision, or a local change counter).
 * 0 means "nothing seen yet": a watch from 0 returns at once, which gives the initial render.
 */
export type WatchIndex = number;

export interface Backend {
  /** Backend name as configured ("file", "env", "etcdv3", ...). */
  readonly name: string;
  /** Where values come from, for the `Backend source(s) set to ...` line. */
  readonly sources: readonly string[];
  /**
   * Reads every key/value pair under `keys`, as one snapshot.
   * Prefix semantics: a key returns itself and everything under `key + "/"`
   * (`/db/host` does not return `/db/hostname`). Missing keys are simply absent.
   * When `signal` aborts, rejects with `signal.reason` (or an error whose `cause` chain holds it):
   * the runner then knows the failure is the shutdown, not the backend.
   */
  getValues(keys: readonly string[], signal?: AbortSignal): Promise<Map<string, string>>;
  /**
   * Resolves with a newer index as soon as something under `keys` may have changed after `since`.
   * Changes that happened between the previous return and this call are never lost.
   * Rejects with `signal.reason` when `signal` aborts.
   *
   * For etcd: from 0, resolve at once with the current index (v2 `X-Etcd-Index`, v3 header
   * revision); otherwise wait from `since + 1` (v2 `waitIndex`, v3 `start_revision`) and resolve with
   * the event's index. When `since` is older than the kept history (v2 errorCode 401 "event index
   * cleared", v3 `compact_revision`), resolve with the current index: the caller then re-reads
   * everything with getValues, so no update is lost.
   */
  watch(keys: readonly string[], since: WatchIndex, signal: AbortSignal): Promise<WatchIndex>;
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

/** Waits until `signal` aborts, then rejects with its reason (a backend with no change feed). */
export function waitForAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener("abort", () => reject(signal.reason), { once: true });
  });
}
