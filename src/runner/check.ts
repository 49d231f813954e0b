// placeholder until the pipeline lands
// `reconfd check`: validates the config and every template resource; the pipeline helper replaces this file.

import type { Config } from "../config/config.ts";
import type { Logger } from "../log/logger.ts";
import { EXIT } from "../cli/io.ts";

export function checkAll(
  _config: Config,
  log: Logger,
  _opts: { kvFile?: string; out: (line: string) => void },
): Promise<number> {
  log.fatal("reconfd check is not built yet (src/runner/check.ts is a placeholder)");
  return Promise.resolve(EXIT.failure);
}
