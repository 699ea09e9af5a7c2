/**
 * stdout for `precursor score`: writes finished blocks and honours back-pressure, so a slow consumer
 * never makes output pile up. A consumer that goes away (`| head`) closes it: the run stops reading,
 * and no write error is blamed on the input.
 * @module
 */
import { once } from 'node:events';

export class OutputWriter {
  #closed = false;
  readonly #stream: NodeJS.WritableStream;
  constructor(stream: NodeJS.WritableStream) {
    this.#stream = stream;
    stream.on('error', () => {
      this.#closed = true;
    });
  }
  get closed(): boolean {
    return this.#closed;
  }
  /** Writes the pieces in order, then waits if the stream asks to (back-pressure). */
  async write(pieces: readonly Uint8Array[]): Promise<void> {
    if (this.#closed) return;
    let more = true;
    for (const p of pieces) {
      if (this.#closed) return;
      more = this.#stream.write(p);
    }
    if (more) return;
    // Either the reader drains the pipe or it went away; both end the wait.
    const ac = new AbortController();
    await Promise.race([
      once(this.#stream, 'drain', { signal: ac.signal }).catch(() => {}),
      once(this.#stream, 'close', { signal: ac.signal }).catch(() => {}),
      once(this.#stream, 'error', { signal: ac.signal }).catch(() => {}),
    ]);
    ac.abort();
  }
}
