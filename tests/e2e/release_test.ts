// The release as a user meets it: the release workflow's checksum step run
// over the built binaries, served from a local stand-in for the GitHub
// release URL, and the README's download-and-verify commands run as written
// against it (up to the checksum check; installing is left out).

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { ensureBinary } from "./helpers/reconfd.ts";

const root = new URL("../../", import.meta.url).pathname;
const RELEASE_PATH = "/OWNER/reconfd/releases/download/v0.1.0/";

let dir = "";
let assets = "";
let server: Server;
let base = "";

/** The `run:` text of the release workflow's step named `name` (a one-line run). */
function workflowRun(name: string): string {
  const yml = readFileSync(join(root, ".github", "workflows", "release.yml"), "utf8");
  const m = new RegExp(`- name: ${name}\\n(?:\\s+[a-z-]+: .*\\n)*?\\s+run: (.+)\\n`).exec(yml);
  assert.ok(m, `release.yml has no one-line step "${name}"`);
  return m[1];
}

/** The README's release commands, up to the checksum check, with the URL pointed at `base`. */
function readmeDownload(): string {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const block = [...readme.matchAll(/```sh\n((?:.*\n)*?)```/g)].map((m) => m[1])
    .find((b) => b.includes("sha256sum -c"));
  assert.ok(block, "README has no download-and-verify block");
  const lines = block.split("\n");
  const check = lines.findIndex((l) => l.startsWith("sha256sum -c"));
  assert.match(lines[0], /^base=https:\/\/github\.com\/OWNER\/reconfd\/releases\/download\/v\d+\.\d+\.\d+$/);
  return [`base=${base}`, ...lines.slice(1, check + 1)].join("\n");
}

/** Runs a bash script without blocking the event loop (the test's own server must answer curl). */
function bash(script: string, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["-euo", "pipefail", "-c", script], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b) => (stdout += b));
    child.stderr.on("data", (b) => (stderr += b));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

before(async () => {
  const binary = ensureBinary();
  dir = mkdtempSync(join(tmpdir(), "reconfd-release-"));
  assets = join(dir, "assets");
  mkdirSync(assets);
  symlinkSync(binary, join(assets, "reconfd"));
  symlinkSync(join(root, "dist", "reconfd-musl"), join(assets, "reconfd-musl"));
  const sums = spawnSync("bash", ["-euo", "pipefail", "-c", workflowRun("SHA256SUMS")], {
    cwd: assets,
    encoding: "utf8",
  });
  assert.equal(sums.status, 0, sums.stderr);
  server = createServer((req, res) => {
    const name = basename(req.url ?? "");
    if (req.url !== RELEASE_PATH + name || !["reconfd", "reconfd-musl", "SHA256SUMS"].includes(name)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    createReadStream(join(assets, name)).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${RELEASE_PATH}`.replace(/\/$/, "");
});

after(async () => {
  await new Promise((resolve) => server?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe("a release download", () => {
  it("SHA256SUMS lists both binaries, as sha256sum writes them", () => {
    const sums = readFileSync(join(assets, "SHA256SUMS"), "utf8");
    assert.match(sums, /^[0-9a-f]{64} {2}reconfd\n[0-9a-f]{64} {2}reconfd-musl\n$/);
  });

  it("the README's commands download the binary and verify it", async () => {
    const cwd = mkdtempSync(join(dir, "user-"));
    const r = await bash(readmeDownload(), cwd);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, "reconfd: OK\n");
    assert.deepEqual(readFileSync(join(cwd, "reconfd")).subarray(0, 4), Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  });

  it("the same commands fail on a corrupted download", async () => {
    const cwd = mkdtempSync(join(dir, "tampered-"));
    // The user's copy of the release already has a bad binary; only the sums come from the server.
    const script = readmeDownload().replace(/curl -LO "\$base\/reconfd" /, "curl ");
    assert.doesNotMatch(script, /\/reconfd"/);
    writeFileSync(join(cwd, "reconfd"), "not the release\n");
    const r = await bash(script, cwd);
    assert.notEqual(r.status, 0);
    assert.match(r.stdout, /^reconfd: FAILED\n/);
  });
});
