// Builds the etcdv3 backend from the resolved config: nodes, TLS files (read
// here, so a missing file is one clear error at start-up) and credentials.
// Loaded by createBackend with a dynamic import: only etcdv3 runs pay for it.

import { readFileSync } from "node:fs";
import type { Config } from "../../config/config.ts";
import type { Logger } from "../../log/logger.ts";
import { BackendError, type BackendObserver } from "../backend.ts";
import type { TlsFiles } from "./grpc_connection.ts";
import { EtcdV3Backend } from "./v3_backend.ts";

export interface EtcdV3CreateOptions {
  observer?: BackendObserver;
  log?: Logger;
}

export function createEtcdV3Backend(config: Config, opts: EtcdV3CreateOptions = {}): EtcdV3Backend {
  return new EtcdV3Backend({
    endpoints: config.nodes,
    tls: tlsFiles(config),
    auth: config.basicAuth ? { username: config.username, password: config.password } : undefined,
    log: opts.log,
    observer: opts.observer,
  });
}

function tlsFiles(config: Config): TlsFiles {
  const { clientCaKeys: ca, clientCert: cert, clientKey: key } = config;
  if ((cert === "") !== (key === "")) {
    throw new BackendError("etcdv3", "-client-cert and -client-key must be given together");
  }
  return {
    ca: ca === "" ? undefined : readPem(ca, "-client-ca-keys"),
    cert: cert === "" ? undefined : readPem(cert, "-client-cert"),
    key: key === "" ? undefined : readPem(key, "-client-key"),
    insecure: config.clientInsecure,
  };
}

function readPem(path: string, flag: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (err) {
    const why = (err as { code?: string }).code ?? (err as Error).message;
    throw new BackendError("etcdv3", `cannot read ${flag} file ${JSON.stringify(path)}: ${why}`, { cause: err });
  }
}
