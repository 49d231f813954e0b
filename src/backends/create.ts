// The one place that turns a Config into a Backend.

import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { type Backend, BackendError, type BackendObserver } from "./backend.ts";
import { EnvBackend } from "./env.ts";
import { FileBackend } from "./file.ts";
import { liveEnvironment } from "../runtime/process_info.ts";

export interface CreateBackendOptions {
  /** Environment for the env backend. Default process.env. */
  env?: Record<string, string | undefined>;
  /** Hooks the backend reports requests, reconnects and watch events to. Default none. */
  observer?: BackendObserver;
  /** For the backend's own lines (a connection lost, retrying, failing over). Default: none logged. */
  log?: Logger;
}

/** Creates the configured backend; etcd clients are imported lazily, so other runs never load them. */
export function createBackend(config: Config, opts: CreateBackendOptions = {}): Promise<Backend> {
  return Promise.resolve(createSync(config, opts));
}

function createSync(config: Config, opts: CreateBackendOptions): Backend {
  switch (config.backend) {
    case "file":
      return new FileBackend({ paths: config.file, filter: config.filter || "*" });
    case "env":
      return new EnvBackend(opts.env ?? liveEnvironment());
    case "etcd":
    case "etcdv3": {
      // Plain `reconfd` lands here (etcd is confd's default backend): say what works instead.
      const which = config.backend === "etcd" ? `"etcd" (the default, as in confd)` : `"etcdv3"`;
      throw new BackendError(
        config.backend,
        `backend ${which} is not yet implemented: use -backend file -file PATH (YAML, JSON or TOML) or -backend env for now`,
      );
    }
    default: {
      const name: never = config.backend;
      throw new BackendError(String(name), `invalid backend ${JSON.stringify(name)}`);
    }
  }
}
