// -onetime: one pass over every resource; exit 1 if anything (load or process) failed.

import { EXIT } from "./exit_codes.ts";
import type { RunContext } from "./context.ts";
import { loadLogged, runPass, succeeded } from "./pass.ts";

export async function runOnetime(ctx: RunContext): Promise<number> {
  const loaded = await loadLogged(ctx);
  const results = await runPass(ctx, loaded.resources, "initial");
  const failed = loaded.errors.length + results.filter((r) => !succeeded(r)).length;
  if (failed > 0) {
    ctx.log.fatal(`${failed} template resource error${failed === 1 ? "" : "s"}, see above`);
    return EXIT.failure;
  }
  return EXIT.ok;
}
