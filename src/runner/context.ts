// What every run mode works with, in one object instead of long parameter
// lists: the resolved config, the backend, the logger, the shutdown signal, the
// event emitter the supervisor and status server subscribe to, and the lock
// that keeps two resources from processing (and running commands) at once.

import type { Backend } from "../backends/backend.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import type { RunEvents } from "./events.ts";
import type { Mutex } from "./mutex.ts";

export interface RunContext {
  config: Config;
  backend: Backend;
  log: Logger;
  /** Aborted on shutdown (SIGINT/SIGTERM, or the supervised service ended). */
  signal: AbortSignal;
  events: RunEvents;
  /** Serializes processing across resources. */
  mutex: Mutex;
  /** Where -noop -diff output goes. Default process.stdout. */
  out?: (text: string) => void;
  /** getenv's environment for templates. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Reads confd.toml, CONFD_* and the flags again (SIGHUP). Default: reloads are not possible. */
  reloadConfig?: () => Promise<Config>;
  /** Subscribes to reload requests (SIGHUP); returns the unsubscribe function. Default none. */
  onReloadRequest?: (handler: () => void) => () => void;
}
