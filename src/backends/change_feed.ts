// One change feed per backend, shared by every resource: the backend publishes
// what changed at which index (from one etcd watch stream, or file system
// events), and each resource's watch waits here for a change under its keys
// after the index of the snapshot it last rendered. A bounded history answers
// "did anything of mine change since N?" for callers that come back late, so a
// change made during a slow reload is never lost.

import { keyUnder, type WatchIndex, type WatchWake } from "./backend.ts";

export interface ChangeFeedOptions {
  /** Changes remembered for late callers; older ones are forgotten (callers then re-read). Default 10,000. */
  historyLimit?: number;
  /** Changed keys listed in one wake; more are cut. Default 100. */
  wakeKeysLimit?: number;
}

interface Change {
  index: WatchIndex;
  /** The changed keys; undefined: anything may have changed. */
  keys: readonly string[] | undefined;
}

interface Waiter {
  keys: readonly string[];
  since: WatchIndex;
  wake: (w: WatchWake) => void;
}

/** True when a change to `changed` may affect a reader of `wanted` (either lies under the other). */
export function affects(changed: string, wanted: string): boolean {
  return keyUnder(changed, wanted) || keyUnder(wanted, changed);
}

export class ChangeFeed {
  readonly #historyLimit: number;
  readonly #wakeKeysLimit: number;
  #index: WatchIndex = 0n;
  /** Changes after #floor, oldest first (a ring would save a shift; the limit keeps it cheap). */
  #history: Change[] = [];
  /** History at or before this index is unknown: a caller whose `since` is older re-reads. */
  #floor: WatchIndex = 0n;
  #waiters = new Set<Waiter>();
  #closed = false;

  constructor(opts: ChangeFeedOptions = {}) {
    this.#historyLimit = opts.historyLimit ?? 10_000;
    this.#wakeKeysLimit = opts.wakeKeysLimit ?? 100;
  }

  /** The newest index published (or resynced to). */
  get index(): WatchIndex {
    return this.#index;
  }

  /** Number of callers waiting (tests, metrics). */
  get waiting(): number {
    return this.#waiters.size;
  }

  /**
   * Moves the current index forward without a change (a read saw a newer revision, a progress
   * notification): callers waiting from an older index keep waiting, nothing changed for them.
   */
  advance(index: WatchIndex): void {
    if (index > this.#index) this.#index = index;
  }

  /** Records that `keys` changed at `index` (undefined: anything may have), and wakes who cares. */
  publish(index: WatchIndex, keys?: readonly string[]): void {
    if (index > this.#index) this.#index = index;
    const change: Change = { index, keys };
    // Kept in index order (a watch catching up may publish an older revision after a newer one), so
    // the newest-first search below can stop at the first change at or before `since`.
    let at = this.#history.length;
    while (at > 0 && this.#history[at - 1].index > index) at--;
    this.#history.splice(at, 0, change);
    if (this.#history.length > this.#historyLimit) {
      const dropped = this.#history.splice(0, this.#history.length - this.#historyLimit);
      this.#floor = dropped[dropped.length - 1].index;
    }
    for (const w of [...this.#waiters]) {
      if (index > w.since && relevant(change, w.keys)) this.#wakeFromHistory(w);
    }
  }

  /**
   * Declares that what happened up to `index` is not known (compaction, a reconnect that could not
   * resume, v2 "event index cleared"): every caller from an older index wakes and re-reads.
   */
  resync(index: WatchIndex): void {
    if (index > this.#index) this.#index = index;
    if (index > this.#floor) this.#floor = index;
    this.#history = this.#history.filter((c) => c.index > index);
    for (const w of [...this.#waiters]) {
      if (w.since < this.#floor) this.#finish(w, { index: this.#index });
    }
  }

  /** Resolves once something under `keys` changed after `since`; rejects with `signal.reason` on abort. */
  wait(keys: readonly string[], since: WatchIndex, signal: AbortSignal): Promise<WatchWake> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (since === 0n || since < this.#floor || this.#closed) return Promise.resolve({ index: this.#index });
    const found = this.#changesAfter(keys, since);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise<WatchWake>((resolve, reject) => {
      const onAbort = () => {
        this.#waiters.delete(waiter);
        reject(signal.reason);
      };
      const waiter: Waiter = {
        keys,
        since,
        wake: (w) => {
          signal.removeEventListener("abort", onAbort);
          resolve(w);
        },
      };
      this.#waiters.add(waiter);
      signal.addEventListener("abort", onAbort, { once: true });
    });
  }

  /** Wakes every waiter with the current index (the backend is closing); later waits return at once. */
  close(): void {
    this.#closed = true;
    for (const w of [...this.#waiters]) this.#finish(w, { index: this.#index });
  }

  #wakeFromHistory(w: Waiter): void {
    this.#finish(w, this.#changesAfter(w.keys, w.since) ?? { index: this.#index });
  }

  #finish(w: Waiter, wake: WatchWake): void {
    this.#waiters.delete(w);
    w.wake(wake);
  }

  /** The relevant changes after `since` as one wake, or undefined when there are none. */
  #changesAfter(keys: readonly string[], since: WatchIndex): WatchWake | undefined {
    let index: WatchIndex | undefined;
    let unknown = false;
    const changed = new Set<string>();
    // Newest first: stop early once the history is older than `since`.
    for (let i = this.#history.length - 1; i >= 0; i--) {
      const c = this.#history[i];
      if (c.index <= since) break;
      if (!relevant(c, keys)) continue;
      index ??= c.index;
      if (c.keys === undefined) unknown = true;
      else {
        for (const k of c.keys) {
          if (changed.size < this.#wakeKeysLimit && keys.some((want) => affects(k, want))) changed.add(k);
        }
      }
    }
    if (index === undefined) return undefined;
    if (unknown) return { index };
    return { index, changed: [...changed].sort() };
  }
}

function relevant(c: Change, keys: readonly string[]): boolean {
  if (c.keys === undefined) return true;
  for (const k of c.keys) {
    for (const want of keys) if (affects(k, want)) return true;
  }
  return false;
}
