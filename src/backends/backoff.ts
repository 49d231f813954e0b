// Capped exponential backoff with jitter, for every retry loop (the runner's
// bootstrap, reads and watches; an etcd client's reconnects): a backend that
// is down costs one attempt per delay, never a busy loop or a log flood.

export interface BackoffOptions {
  /** First delay in ms. Default 1000. */
  initialMs?: number;
  /** Largest delay in ms. Default 30,000. */
  maxMs?: number;
  /** Random spread, as a fraction of the delay (0.2: ±20%). Default 0.2. */
  jitter?: number;
  /** Random source in [0, 1). Default Math.random. */
  random?: () => number;
}

export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #jitter: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(opts: BackoffOptions = {}) {
    this.#initialMs = opts.initialMs ?? 1000;
    this.#maxMs = opts.maxMs ?? 30_000;
    this.#jitter = opts.jitter ?? 0.2;
    this.#random = opts.random ?? Math.random;
  }

  /** Failures since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The delay before the next attempt (grows with each call, up to the cap). */
  next(): number {
    const base = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt++;
    const spread = base * this.#jitter * (2 * this.#random() - 1);
    return Math.max(0, Math.round(Math.min(this.#maxMs, base + spread)));
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** A delay for log lines, as Go prints short durations: "250ms", "1.5s", "30s". */
export function formatDelay(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${Number((ms / 1000).toFixed(1))}s`;
}
