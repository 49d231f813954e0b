// Bootstrap, the confd-watch script's retry loop built in: in watch and
// interval mode the first full pass is retried, with capped exponential
// backoff, until every resource rendered (and passed its check). One log line
// per retry round; -bootstrap-timeout gives up with the list of what never
// rendered and why. Only then is the supervised service started.

import { sleep } from "../backends/backend.ts";
import type { TemplateResource } from "../config/resource.ts";
import { redactValues } from "../template/redact.ts";
import { Backoff, type BackoffOptions, formatDelay } from "../backends/backoff.ts";
import type { RunContext } from "./context.ts";
import type { ResourceResult } from "./events.ts";
import { EXIT } from "./exit_codes.ts";
import { loadLogged, runPass, succeeded } from "./pass.ts";

export interface Bootstrapped {
  /** The resources loaded by the successful pass. */
  resources: TemplateResource[];
  /** Their results (each has the snapshot index to watch from). */
  results: ResourceResult[];
  /** Load warnings already logged (interval mode does not repeat them). */
  warned: Set<string>;
}

/** A failure reason short enough for one log line. */
function brief(result: ResourceResult): string {
  const msg = redactValues(result.error?.message.split("\n")[0] ?? "unknown error");
  return msg.length > 200 ? msg.slice(0, 200) + "..." : msg;
}

/** Base names of the resources' files, for log lines. */
function names(results: readonly ResourceResult[]): string {
  return results.map((r) => r.resource.file.split("/").pop()).join(", ");
}

/**
 * Runs the first pass until every loaded resource succeeded. Resolves with what it loaded, or with
 * an exit code: 1 on -bootstrap-timeout or when nothing could be loaded, 0 when shutdown came first.
 */
export async function bootstrap(ctx: RunContext, backoffOpts: BackoffOptions = {}): Promise<Bootstrapped | number> {
  const { log, signal } = ctx;
  const started = Date.now();
  const timeoutMs = ctx.config.derived.bootstrapTimeoutMs;
  const backoff = new Backoff(backoffOpts);
  const warned = new Set<string>();
  for (let attempt = 1;; attempt++) {
    const loaded = await loadLogged(ctx, warned);
    if (loaded.resources.length === 0 && loaded.errors.length > 0) return EXIT.failure;
    const results = await runPass(ctx, loaded.resources, attempt === 1 ? "initial" : "bootstrap-retry");
    if (signal.aborted) return EXIT.ok;
    const failing = results.filter((r) => !succeeded(r));
    if (failing.length === 0) {
      if (attempt > 1) log.info(`Bootstrap done after ${attempt} attempts`);
      ctx.events.emit({ type: "bootstrap-done" });
      return { resources: loaded.resources, results, warned };
    }
    const delayMs = backoff.next();
    if (timeoutMs > 0 && Date.now() - started + delayMs > timeoutMs) {
      for (const r of failing) log.error(`${r.resource.file} never rendered: ${brief(r)}`);
      log.fatal(
        `Bootstrap gave up after ${attempt} attempts: ${failing.length} template resource` +
          `${failing.length === 1 ? "" : "s"} never rendered (${names(failing)})`,
      );
      return EXIT.failure;
    }
    log.warning(
      `Bootstrap attempt ${attempt}: ${failing.length} of ${results.length} template resources not rendered ` +
        `(${names(failing)}; first error: ${brief(failing[0])}); retrying in ${formatDelay(delayMs)}`,
    );
    ctx.events.emit({
      type: "bootstrap-retry",
      attempt,
      delayMs,
      failing: failing.map((r) => r.resource.file),
    });
    await sleep(delayMs, signal).catch(() => {});
    if (signal.aborted) return EXIT.ok;
  }
}
