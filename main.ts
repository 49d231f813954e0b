// The entry point: builds the CLI's view of the process, runs the CLI and
// exits with its code. The only file that exits. No top-level await: the
// bytecode build (scripts/build) compiles the entry as a function body.

import { run } from "./src/cli/app.ts";
import { type CliIO, EXIT } from "./src/cli/io.ts";
import * as runtime from "./src/runtime/runtime.ts";

async function main(): Promise<void> {
  const io: CliIO = {
    stdout: (text) => runtime.writeFd(1, text),
    stderr: (text) => runtime.writeFd(2, text),
    readStdin: runtime.readStdin,
    env: runtime.environment(),
    argv0: runtime.invokedName(),
    // A second SIGINT/SIGTERM stops at once, even while a command runs (confd always exits at once).
    signal: runtime.terminationSignal(() => runtime.exit(EXIT.ok)),
    hostname: runtime.hostname(),
    pid: runtime.pid(),
    onSignal: runtime.onSignal,
    loadLibc: runtime.loadLibc,
  };
  runtime.exit(await run(runtime.userArgs(), io));
}

main();
