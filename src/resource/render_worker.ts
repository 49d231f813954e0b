// The render worker: renders of templates that outlasted their time on the main thread
// (render.ts renderTemplate), run here so the main thread stays free to see SIGTERM and to
// stop one with worker.terminate(). Each job brings the text, the snapshot and the time
// left, and is answered with the output or the error's message; jobs come one at a time.

import { parentPort } from "node:worker_threads";
import { KVStore } from "../kv/store.ts";
import { ExecLimitError } from "../template/template.ts";
import { renderText } from "./render.ts";

/** What the main thread sends. */
export interface RenderJob {
  /** Template path, for messages and the template's name. */
  src: string;
  /** The template text, as read (and parsed) on the main thread. */
  text: string;
  /** The store snapshot: keys[i] holds values[i]. */
  keys: string[];
  values: string[];
  /** getenv's environment (undefined: this thread's process.env). */
  env?: Record<string, string | undefined>;
  /** Time left before render_timeout when the job is sent, in ms. */
  timeoutMs?: number;
}

/** The worker's first message: it is running and waits for its job. */
export interface WorkerStarted {
  started: true;
}

/** What the worker answers to its job. */
export type RenderReply =
  | { ok: true; text: string }
  | { ok: false; message: string; limit?: "time" | "output" | "memory" };

function snapshotStore(job: RenderJob): KVStore {
  const store = new KVStore();
  for (let i = 0; i < job.keys.length; i++) store.set(job.keys[i] as string, job.values[i] as string);
  return store;
}

async function run(job: RenderJob): Promise<RenderReply> {
  try {
    const deadline = performance.now() + (job.timeoutMs ?? Infinity);
    const text = await renderText(job.src, job.text, snapshotStore(job), { env: job.env, deadline });
    return { ok: true, text };
  } catch (err) {
    const limit = err instanceof ExecLimitError ? err.limit : undefined;
    return { ok: false, message: (err as Error).message, limit };
  }
}

parentPort?.on("message", (job: RenderJob) => {
  void run(job).then((reply) => parentPort?.postMessage(reply));
});
parentPort?.postMessage({ started: true } satisfies WorkerStarted);
