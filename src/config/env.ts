// Reads the CONFD_* environment variables into a settings layer. Each setting
// has one variable, named after its confd.toml key in upper case
// (CONFD_BACKEND, CONFD_NODES, CONFD_LOG_LEVEL, CONFD_CLIENT_CAKEYS, ...; the
// table is in settings.ts). Lists are comma-separated, booleans and integers
// use Go's spellings, and an empty variable counts as unset.

import type { ConfigProblem } from "./errors.ts";
import { parseGoBool, parseGoInt } from "./go_values.ts";
import { type Layer, SETTINGS } from "./settings.ts";

/** The variable that names the config file, read before the file itself. */
export const CONFIG_FILE_ENV = "CONFD_CONFIG_FILE";

export interface EnvLayer {
  layer: Layer;
  /** Each field's origin: the variable name. */
  origins: Map<string, string>;
  problems: ConfigProblem[];
}

export function readEnv(env: Record<string, string | undefined>): EnvLayer {
  const layer: Layer = {};
  const origins = new Map<string, string>();
  const problems: ConfigProblem[] = [];
  for (const setting of SETTINGS) {
    const text = env[setting.env];
    if (text === undefined || text === "") continue;
    const bad = (expected: string) =>
      problems.push({
        key: setting.env,
        message: `${setting.env}: invalid value ${JSON.stringify(text)}: expected ${expected}`,
      });
    switch (setting.kind) {
      case "string":
        layer[setting.field] = text;
        break;
      case "list":
        layer[setting.field] = text.split(",").map((s) => s.trim()).filter((s) => s !== "");
        break;
      case "bool": {
        const b = parseGoBool(text);
        if (b === undefined) {
          bad("a boolean (true, false, 1, 0, t, f)");
          continue;
        }
        layer[setting.field] = b;
        break;
      }
      case "int": {
        const n = parseGoInt(text);
        if (typeof n !== "number") {
          bad("an integer");
          continue;
        }
        layer[setting.field] = n;
        break;
      }
    }
    origins.set(setting.field, setting.env);
  }
  return { layer, origins, problems };
}
