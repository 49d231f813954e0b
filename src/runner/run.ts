// placeholder until the pipeline lands
// The confd main loop (onetime / interval / watch); the pipeline helper replaces this file.

import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT } from "../cli/io.ts";

export function runConfd(_config: Config, log: Logger, _signal: AbortSignal): Promise<number> {
  log.fatal("the confd runner is not built yet (src/runner/run.ts is a placeholder)");
  return Promise.resolve(EXIT.failure);
}
