// processResource end to end on real files: what happens to dest at each outcome, and that no
// stage file is left beside it, whether the install succeeded or any later step failed.

import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CommandSpec, TemplateResource } from "../../../src/config/resource.ts";
import { createLogger } from "../../../src/log/create.ts";
import { type Outcome, processResource } from "../../../src/resource/process.ts";

const root = mkdtempSync(join(tmpdir(), "reconfd-process-"));
after(() => rmSync(root, { recursive: true, force: true }));

const VALUES = new Map([["/app/port", "8080"]]);

interface Case {
  name: string;
  /** dest's content before the run; undefined: no dest. */
  old?: string;
  checkCmd?: CommandSpec;
  reloadCmd?: CommandSpec;
  keepStageFile?: boolean;
  /** The outcome, or the phase of the ProcessError. */
  want: Outcome | { phase: string; message: RegExp };
  /** dest's content after (undefined: unchanged, whatever it was). */
  dest?: string;
  /** Stage files left beside dest. Default 0. */
  stageFiles?: number;
}

const cases: Case[] = [
  { name: "a new dest is installed", want: "updated", dest: "port 8080\n" },
  { name: "a changed dest is replaced", old: "port 80\n", want: "updated", dest: "port 8080\n" },
  { name: "an unchanged dest is left in sync", old: "port 8080\n", want: "in-sync", dest: "port 8080\n" },
  {
    name: "a failed check leaves dest as it was",
    old: "port 80\n",
    checkCmd: ["false"],
    want: { phase: "check", message: /^Config check failed: / },
    dest: "port 80\n",
  },
  {
    name: "a failed rename (dest became a directory during the check) reports the install",
    checkCmd: ["mkdir", "DEST"],
    want: { phase: "install", message: /^cannot rename \S+ to \S+: / },
  },
  {
    name: "a failed reload comes after the install",
    old: "port 80\n",
    reloadCmd: ["false"],
    want: { phase: "reload", message: /^Reload command failed: / },
    dest: "port 8080\n",
  },
  {
    name: "-keep-stage-file keeps the stage file of a failed check",
    old: "port 80\n",
    checkCmd: ["false"],
    keepStageFile: true,
    want: { phase: "check", message: /^Config check failed: / },
    dest: "port 80\n",
    stageFiles: 1,
  },
];

describe("processResource", () => {
  for (const [i, c] of cases.entries()) {
    it(`${c.name}; ${c.stageFiles ?? 0} stage file(s) left`, async () => {
      const dir = join(root, String(i));
      mkdirSync(dir);
      const src = join(dir, "t.tmpl");
      writeFileSync(src, 'port {{getv "/app/port"}}\n');
      const dest = join(dir, "t.conf");
      if (c.old !== undefined) writeFileSync(dest, c.old);
      const command = (spec: CommandSpec | undefined) =>
        typeof spec === "object" ? spec.map((a) => a.replace("DEST", dest)) : spec ?? "";
      const r: TemplateResource = {
        file: join(dir, "t.toml"),
        src,
        dest,
        keys: ["/app"],
        prefix: "/",
        mode: undefined,
        uid: undefined,
        gid: undefined,
        checkCmd: command(c.checkCmd),
        reloadCmd: command(c.reloadCmd),
        checkTimeoutMs: 10_000,
        reloadTimeoutMs: 10_000,
        renderTimeoutMs: 10_000,
      };
      const log = createLogger({ level: "debug", write: () => {} });
      const run = processResource(r, VALUES, log, { keepStageFile: c.keepStageFile });
      if (typeof c.want === "string") assert.equal(await run, c.want);
      else await assert.rejects(run, { name: "ProcessError", phase: c.want.phase, message: c.want.message });
      if (c.dest !== undefined) assert.equal(readFileSync(dest, "utf8"), c.dest);
      const stages = readdirSync(dir).filter((n) => n.startsWith(".t.conf"));
      assert.equal(stages.length, c.stageFiles ?? 0, `stage files: ${stages.join(" ")}`);
    });
  }
});
