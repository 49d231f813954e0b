// -onetime: one pass over every resource; exit 1 if anything (load or process) failed.

import type { Backend } from "../backends/backend.ts";
import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { loadLogged, processLogged, type RunDeps } from "./pass.ts";

export async function runOnetime(
  config: Config,
  backend: Backend,
  log: Logger,
  signal: AbortSignal,
  deps: RunDeps = {},
): Promise<number> {
  const loaded = await loadLogged(config, log);
  let failed = loaded.errors.length;
  for (const r of loaded.resources) {
    if (signal.aborted) break;
    if (!(await processLogged(r, backend, config, log, deps, signal))) failed++;
  }
  if (failed > 0) {
    log.fatal(`${failed} template resource error${failed === 1 ? "" : "s"}, see above`);
    return 1;
  }
  return 0;
}
