// Capped exponential backoff with jitter for the etcd clients' reconnect loops
// (backends do not import the runner's): an etcd that is down costs one attempt
// per delay, never a busy loop, and clients that lost the same server do not
// come back in lockstep.

export interface JitteredBackoffOptions {
  /** First delay in ms. Default 500. */
  initialMs?: number;
  /** Largest delay in ms. Default 15,000. */
  maxMs?: number;
  /** Random spread, as a fraction of the delay (0.2: ±20%). Default 0.2. */
  jitter?: number;
  /** Random source in [0, 1). Default Math.random. */
  random?: () => number;
}

export class JitteredBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(opts: JitteredBackoffOptions = {}) {
    this.#initialMs = opts.initialMs ?? 500;
    this.#maxMs = opts.maxMs ?? 15_000;
    this.#jitter = opts.jitter ?? 0.2;
    this.#random = opts.random ?? Math.random;
  }

  /** Delays handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt: doubles with each call, up to the cap, spread by the jitter. */
  next(): number {
    const base = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    const spread = base * this.#jitter * (2 * this.#random() - 1);
    return Math.max(1, Math.round(Math.min(this.#maxMs, base + spread)));
  }

  reset(): void {
    this.#attempt = 0;
  }
}
