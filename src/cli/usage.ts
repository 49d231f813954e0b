// How every command reports a usage error: Go's one-line message, then a hint
// pointing at the help, on stderr, exit 2.

import { USAGE_HINT } from "./confd_flags.ts";
import { FlagError, type FlagSpec, type ParsedFlags, parseFlags } from "./flags.ts";
import { type CliIO, EXIT } from "./io.ts";

/** Prints `message` and `hint` on stderr; returns the usage exit code. */
export function usageError(io: CliIO, message: string, hint = USAGE_HINT): number {
  io.stderr(`${message}\n${hint}\n`);
  return EXIT.usage;
}

/** Parses flags; a bad flag is reported and its exit code returned instead. */
export function parseOrUsage(
  io: CliIO,
  specs: readonly FlagSpec[],
  args: readonly string[],
  hint = USAGE_HINT,
  interspersed = false,
): ParsedFlags | number {
  try {
    return parseFlags(specs, args, { interspersed });
  } catch (err) {
    if (err instanceof FlagError) return usageError(io, err.message, hint);
    throw err;
  }
}
