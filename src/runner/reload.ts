// Reloading the configuration on request (SIGHUP): confd.toml and conf.d are
// read again; a bad new configuration is logged and the running one kept.
// Settings that shape the backend (backend, nodes, TLS, auth, files) need a
// restart: a change of them is reported, the running backend stays.

import type { Config } from "../config/config.ts";
import type { LoadedResources } from "../config/resource_load.ts";
import type { RunContext } from "./context.ts";
import { loadLogged } from "./pass.ts";

/** Settings the backend was built from: a reload cannot change them. */
const BACKEND_FIELDS = [
  "backend",
  "nodes",
  "file",
  "filter",
  "clientCaKeys",
  "clientCert",
  "clientKey",
  "clientInsecure",
  "basicAuth",
  "username",
  "password",
  "srvDomain",
  "srvRecord",
  "scheme",
] as const satisfies readonly (keyof Config)[];

/**
 * Subscribes `handler` to reload requests, one at a time (a request during a reload runs once more
 * after it). Returns the unsubscribe function; a no-op when the run has no reload source.
 */
export function onReload(ctx: RunContext, handler: () => Promise<void>): () => void {
  if (!ctx.onReloadRequest) return () => {};
  let running: Promise<void> | undefined;
  let again = false;
  const run = () => {
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      do {
        again = false;
        await handler().catch((err) => ctx.log.error(`Reload failed: ${(err as Error).message}`));
      } while (again && !ctx.signal.aborted);
    })().finally(() => (running = undefined));
  };
  return ctx.onReloadRequest(run);
}

/**
 * Reads the configuration and the resources again. On success the context takes the new config
 * and the new resources are returned; on any problem the old ones stay and undefined is returned.
 */
export async function reloadConfiguration(ctx: RunContext): Promise<LoadedResources | undefined> {
  const { log } = ctx;
  if (!ctx.reloadConfig) return undefined;
  log.info("Reloading the configuration (SIGHUP)");
  let config: Config;
  try {
    config = await ctx.reloadConfig();
  } catch (err) {
    const msg = (err as Error).message;
    log.error(`Reload failed, keeping the running configuration: ${msg}`);
    ctx.events.emit({ type: "config-reloaded", ok: false, error: msg });
    return undefined;
  }
  const changed = BACKEND_FIELDS.filter((f) => JSON.stringify(config[f]) !== JSON.stringify(ctx.config[f]));
  if (changed.length > 0) {
    log.warning(`Backend settings changed (${changed.join(", ")}): they take effect when reconfd restarts`);
    for (const f of BACKEND_FIELDS) (config as unknown as Record<string, unknown>)[f] = ctx.config[f];
  }
  const loaded = await loadLogged({ ...ctx, config });
  if (loaded.errors.length > 0) {
    const msg = `${loaded.errors.length} template resource error${loaded.errors.length === 1 ? "" : "s"}`;
    log.error(`Reload failed, keeping the running configuration: ${msg}, see above`);
    ctx.events.emit({ type: "config-reloaded", ok: false, error: msg });
    return undefined;
  }
  ctx.config = config;
  log.info(`Reloaded the configuration: ${loaded.resources.length} template resources`);
  ctx.events.emit({ type: "config-reloaded", ok: true });
  return loaded;
}
