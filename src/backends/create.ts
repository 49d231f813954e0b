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
export async function createBackend(config: Config, opts: CreateBackendOptions = {}): Promise<Backend> {
  switch (config.backend) {
    case "file":
      return new FileBackend({ paths: config.file, filter: config.filter || "*" });
    case "env":
      return new EnvBackend(opts.env ?? liveEnvironment());
    case "etcd": {
      // Plain `reconfd` lands here (etcd is confd's default backend): say what works instead.
      const which = `"etcd" (the default, as in confd)`;
      throw new BackendError(
        config.backend,
        `backend ${which} is not yet implemented: use -backend file -file PATH (YAML, JSON or TOML) or -backend env for now`,
      );
    }
    case "etcdv3": {
      // Loaded only here: other runs never load the gRPC client (nor node:http2).
      const { createEtcdV3Backend } = await import("./etcd/v3_create.ts");
      return createEtcdV3Backend(config, { observer: opts.observer, log: opts.log });
    }
    default: {
      const name: never = config.backend;
      throw new BackendError(String(name), `invalid backend ${JSON.stringify(name)}`);
    }
  }
}
