/**
 * A job that runs every `ms` (or sooner when woken), never twice at once, until a signal aborts it.
 * Errors are reported and the job runs again at its next turn: one failing round never stops a
 * long-running process.
 * @module
 */
export class Ticker {
  readonly #ms: number;
  readonly #job: (signal: AbortSignal) => Promise<unknown>;
  readonly #onError: (e: unknown) => void;
  #wake: (() => void) | undefined;
  #woken = false;

  constructor(ms: number, job: (signal: AbortSignal) => Promise<unknown>, onError: (e: unknown) => void) {
    this.#ms = ms;
    this.#job = job;
    this.#onError = onError;
  }

  /** Runs the job as soon as the current round (if any) ends. */
  wake(): void {
    this.#woken = true;
    this.#wake?.();
  }

  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      this.#woken = false;
      try {
        await this.#job(signal);
      } catch (e) {
        if (!signal.aborted) this.#onError(e);
      }
      if (this.#woken || signal.aborted) continue;
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          signal.removeEventListener('abort', done);
          this.#wake = undefined;
          resolve();
        };
        const t = setTimeout(done, this.#ms);
        this.#wake = done;
        signal.addEventListener('abort', done, { once: true });
      });
    }
  }
}

/** Resolves after `ms`, or at once when `signal` aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
