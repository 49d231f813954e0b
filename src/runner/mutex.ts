// A promise lock: processing is serialized, so two resources never run their
// commands at the same time (confd runs them concurrently and races).

export class Mutex {
  #tail: Promise<void> = Promise.resolve();
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.then(() => {}, () => {});
    return result;
  }
}
