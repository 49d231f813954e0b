// Starting the status server from the runner: src/server/ is imported only
// when -status-addr is set, so runs without it never load Hono or node:http.

import type { BuildInfo } from "../server/state.ts";
import type { StatusServer } from "../server/start.ts";
import type { RunContext } from "./context.ts";
import { EXIT } from "./exit_codes.ts";

export type { StatusServer };

/**
 * Starts the status server when -status-addr is set (not with -onetime, which would exit before anyone
 * asked). Resolves with it, undefined when off, or an exit code (logged) when it cannot start.
 */
export async function startStatus(
  ctx: RunContext,
  build: BuildInfo | undefined,
): Promise<StatusServer | undefined | number> {
  const { config, log } = ctx;
  if (config.statusAddr === "") return undefined;
  if (config.onetime) {
    log.warning("-status-addr is ignored with -onetime");
    return undefined;
  }
  const { startStatusServer } = await import("../server/start.ts");
  const unknown: BuildInfo = { version: "unknown", commit: "unknown", runtime: "unknown" };
  const server = await startStatusServer({ ...ctx, build: build ?? unknown });
  if (!(server instanceof Error)) return server;
  log.fatal(server.message);
  return EXIT.failure;
}
