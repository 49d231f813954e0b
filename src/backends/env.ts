// The env backend: confd's mapping of keys to environment variable names
// (`/database/host` -> `DATABASE_HOST`), with no change feed.

import { type Backend, keyUnder, type Snapshot, waitForAbort, type WatchIndex, type WatchWake } from "./backend.ts";

/** `/database/host` -> `DATABASE_HOST` (leading `/` stripped, `/` -> `_`, upper case). */
export function envNameOf(key: string): string {
  return key.replace(/^\/+/, "").replaceAll("/", "_").toUpperCase();
}

/** `DATABASE_HOST` -> `/database/host` (confd's reverse mapping). */
export function keyOfEnvName(name: string): string {
  return "/" + name.toLowerCase().replaceAll("_", "/");
}

export class EnvBackend implements Backend {
  readonly name = "env";
  readonly sources: readonly string[] = [];
  readonly #env: Record<string, string | undefined>;

  /** `env` is read at every getValues, so changes made by the process itself are seen. */
  constructor(env: Record<string, string | undefined>) {
    this.#env = env;
  }

  readonly settleMs = 0;

  getValues(keys: readonly string[]): Promise<Snapshot> {
    const out = new Map<string, string>();
    for (const [name, value] of Object.entries(this.#env)) {
      if (value === undefined) continue;
      const key = keyOfEnvName(name);
      // Matching on the mapped key (not on the raw name prefix, as confd does) keeps
      // `/database/host` from pulling in DATABASE_HOSTNAME.
      if (keys.some((k) => keyUnder(key, keyOfEnvName(envNameOf(k))))) out.set(key, value);
    }
    return Promise.resolve({ values: out, index: 1n });
  }

  /** The environment cannot change from outside: the first wait returns, later ones block until abort. */
  watch(_keys: readonly string[], since: WatchIndex, signal: AbortSignal): Promise<WatchWake> {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (since === 0n) return Promise.resolve({ index: 1n });
    return waitForAbort(signal);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
