/**
 * A bounded worker pool with back-pressure: at most `concurrency` tasks run, at most `maxQueued`
 * wait, and `submit` does not return until there is room — so a producer reading a million URLs
 * holds only a handful in memory.
 * @module
 */

export interface Pool {
  /** Resolves once the task is accepted (not when it finishes); the returned promise is the result. */
  submit<T>(task: () => Promise<T>): Promise<{ result: Promise<T> }>;
  /** Resolves when every accepted task has settled. */
  drain(): Promise<void>;
  readonly running: number;
  readonly queued: number;
}

export function createPool(concurrency: number, maxQueued = concurrency * 2): Pool {
  if (!(concurrency >= 1)) throw new Error(`concurrency must be >= 1, got ${concurrency}`);
  let running = 0;
  const queue: Array<() => void> = [];
  const roomWaiters: Array<() => void> = [];
  const idleWaiters: Array<() => void> = [];

  const next = () => {
    while (running < concurrency && queue.length > 0) {
      running++;
      queue.shift()?.();
      roomWaiters.shift()?.();
    }
    if (running === 0 && queue.length === 0) for (const w of idleWaiters.splice(0)) w();
  };

  return {
    get running() {
      return running;
    },
    get queued() {
      return queue.length;
    },
    async submit<T>(task: () => Promise<T>) {
      while (queue.length >= maxQueued) await new Promise<void>((r) => roomWaiters.push(r));
      const result = new Promise<T>((resolve, reject) => {
        queue.push(() => {
          task()
            .then(resolve, reject)
            .finally(() => {
              running--;
              next();
            });
        });
      });
      // Callers that only drain() must not trip unhandled-rejection: the rejection stays on `result`.
      result.catch(() => undefined);
      next();
      return { result };
    },
    drain() {
      return running === 0 && queue.length === 0
        ? Promise.resolve()
        : new Promise<void>((r) => idleWaiters.push(r));
    },
  };
}
