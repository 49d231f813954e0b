// A local copy of the pairs under one watched key, kept by its watch: seeded from a
// read the watch continues from without a gap, then changed by every event the watch
// delivers. A resource woken by a change re-reads from it instead of asking etcd
// again (a Range round trip saved on every change). The copy is always a state etcd
// had: it is complete through its revision, because etcd delivers a watch's events
// in revision order and never splits one revision across two responses.

/** One event as the mirror needs it: the key, its new value (undefined: deleted), its revision. */
export interface MirrorEvent {
  key: string;
  value: string | undefined;
  revision: bigint;
}

/** Where a watch stands: the next revision it will deliver, the first one it covered without a gap. */
export interface WatchPosition {
  next: bigint;
  coversFrom: bigint;
}

/**
 * True when a read at `revision` can seed the mirror of a watch at `at`: every event the watch
 * delivered is at or before it (`next - 1`), and the watch delivers every event after it.
 */
export function canSeed(revision: bigint, at: WatchPosition): boolean {
  return revision >= at.next - 1n && revision + 1n >= at.coversFrom;
}

export class WatchMirror {
  readonly #values: Map<string, string>;
  #revision: bigint;

  /** A mirror holding `values` (taken as they are: the caller gives up the map) as of `revision`. */
  constructor(revision: bigint, values: Map<string, string>) {
    this.#revision = revision;
    this.#values = values;
  }

  /** The revision the mirror is complete through. */
  get revision(): bigint {
    return this.#revision;
  }

  /**
   * Applies the events of one watch response. Events at or before the mirror's revision are in it
   * already (it was seeded from a read newer than the watch's position) and are skipped; the
   * others are applied in order, so a key put then deleted in one transaction ends deleted.
   */
  apply(events: readonly MirrorEvent[]): void {
    const from = this.#revision;
    let newest = from;
    for (const e of events) {
      if (e.revision <= from) continue;
      if (e.value === undefined) this.#values.delete(e.key);
      else this.#values.set(e.key, e.value);
      if (e.revision > newest) newest = e.revision;
    }
    this.#revision = newest;
  }

  /** Every event up to `revision` was delivered (a progress notification): nothing else changed. */
  advance(revision: bigint): void {
    if (revision > this.#revision) this.#revision = revision;
  }

  /** Copies the pairs into `out` (the caller's snapshot never changes under it). */
  copyInto(out: Map<string, string>): void {
    for (const [k, v] of this.#values) out.set(k, v);
  }
}
