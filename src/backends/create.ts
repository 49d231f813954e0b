// The one place that turns a Config into a Backend.

import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { type Backend, BackendError, type BackendObserver } from "./backend.ts";
import { EnvBackend } from "./env.ts";
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
    case "file": {
      // Loaded only here, with the data-file readers (YAML, JSON, TOML) it needs.
      const { FileBackend } = await import("./file.ts");
      return new FileBackend({ paths: config.file, filter: config.filter || "*" });
    }
    case "env":
      return new EnvBackend(opts.env ?? liveEnvironment());
    case "etcd":
    case "etcdv2": {
      // Loaded only here: other runs never load the v2 client (nor node:http).
      const { createEtcdV2Backend } = await import("./etcd/v2_backend.ts");
      return await createEtcdV2Backend(config, { log: opts.log, observer: opts.observer });
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
