// confd's flag surface: one flag per setting (from the settings table) plus
// -config-file and -version, which are not settings. The main command and
// `reconfd check` both parse it.

import { SETTINGS } from "../config/settings.ts";
import type { FlagSpec } from "./flags.ts";

export const CONFIG_FILE_FLAG = "config-file";
export const VERSION_FLAG = "version";

export const CONFD_FLAGS: readonly FlagSpec[] = [
  ...SETTINGS.map((s) => ({ name: s.flag, kind: s.kind })),
  { name: CONFIG_FILE_FLAG, kind: "string" },
  { name: VERSION_FLAG, kind: "bool" },
];

/** The hint after every usage error. */
export const USAGE_HINT = "Run 'reconfd -h' for usage.";
