/**
 * Several CT logs at once: one `Source` per log (checkpoint id `ct:<log name>`), run through the one
 * ingest runner by a small coordinator that keeps at most `concurrency` logs in flight. Each log has
 * its own checkpoint and its own failure: one log that keeps failing ends with an error in its
 * result while the others go on.
 * @module
 */
import { isPrecursorError } from '../../../domain/index.js';
import type { Aggregates } from '../../../store/store.js';
import { type IngestOptions, type IngestProgress, type IngestSummary, runIngest } from '../../run-ingest.js';
import type { Source } from '../../source.js';
import type { CtLogDescriptor } from './ct-log-list.js';
import { type CtReadOptions, createRfc6962Source } from './rfc6962-source.js';
import { createStaticCtSource } from './static-ct-source.js';

/** The client for a log, chosen by the kind its log-list entry declares. */
export function createCtSource(log: CtLogDescriptor, options: CtReadOptions = {}): Source {
  switch (log.kind) {
    case 'rfc6962':
      return createRfc6962Source(log, options);
    case 'static':
      return createStaticCtSource(log, options);
  }
}

export interface CtIngestOptions extends CtReadOptions {
  /** Logs read at the same time (default 4): polite to operators, enough to keep up. */
  readonly concurrency?: number;
  /** Entries per committed batch (default 1,000: a live tail commits often). */
  readonly commitEvery?: number;
  /** Ignore stored checkpoints (`--from-index`, `--from-now`). */
  readonly ignoreCheckpoint?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: IngestProgress) => void;
  readonly onCommitted?: IngestOptions['onCommitted'];
}

export type CtLogResult =
  | { readonly log: string; readonly ok: true; readonly summary: IngestSummary }
  | { readonly log: string; readonly ok: false; readonly error: string; readonly code: string };

export async function runCtIngest(
  logs: readonly CtLogDescriptor[],
  store: Pick<Aggregates, 'observations'>,
  options: CtIngestOptions = {},
): Promise<CtLogResult[]> {
  const signal = options.signal ?? new AbortController().signal;
  const results: CtLogResult[] = new Array(logs.length);
  let nextLog = 0;
  const worker = async (): Promise<void> => {
    for (let i = nextLog++; i < logs.length; i = nextLog++) {
      const log = logs[i] as CtLogDescriptor;
      const source = createCtSource(log, options);
      try {
        const ingest: IngestOptions = {
          batchSize: options.commitEvery ?? 1000,
          signal,
          ...(options.ignoreCheckpoint ? { ignoreCheckpoint: true } : {}),
          ...(options.onProgress ? { onProgress: options.onProgress } : {}),
          ...(options.onCommitted ? { onCommitted: options.onCommitted } : {}),
        };
        results[i] = { log: log.name, ok: true, summary: await runIngest(source, store, ingest) };
      } catch (e) {
        const aborted = signal.aborted;
        results[i] = {
          log: log.name,
          ok: false,
          code: isPrecursorError(e) ? e.code : aborted ? 'ABORTED' : 'INTERNAL',
          error: e instanceof Error ? e.message : String(e),
        };
      }
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 4, logs.length));
  await Promise.all(Array.from({ length: n }, worker));
  return results;
}
