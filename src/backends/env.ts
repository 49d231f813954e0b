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

  /**
   * Variables whose names start with a requested key's variable name, matched case-sensitively as
   * confd's strings.HasPrefix matches them (`/app/low` is `APP_LOW`, never `app_low`). Where two
   * names map to one key (`APP_LOW`, `APP_low` under `/app`), the upper-case name wins, else the
   * first in byte order, so the result does not depend on the environment's order.
   */
  getValues(keys: readonly string[]): Promise<Snapshot> {
    const prefixes = keys.map((k) => {
      const name = envNameOf(k);
      return { name, key: keyOfEnvName(name) };
    });
    const out = new Map<string, string>();
    const canonical = new Set<string>();
    for (const name of Object.keys(this.#env).sort()) {
      const value = this.#env[name];
      if (value === undefined) continue;
      const key = keyOfEnvName(name);
      // Matching on the mapped key too (not on the raw name prefix alone, as confd does) keeps
      // `/database/host` from pulling in DATABASE_HOSTNAME.
      if (!prefixes.some((p) => name.startsWith(p.name) && keyUnder(key, p.key))) continue;
      const isCanonical = envNameOf(key) === name;
      if (out.has(key) && (canonical.has(key) || !isCanonical)) continue;
      out.set(key, value);
      if (isCanonical) canonical.add(key);
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
