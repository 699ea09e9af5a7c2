/**
 * The configured feeds of `precursor run`, each as a task that runs until the process stops: live
 * sources (certstream WebSocket, CT logs, JetStream) are followed; files are read to their end and
 * read again every `pollSeconds` for appended lines (each resumes from its checkpoint, so nothing is
 * read twice and a restart continues where the last run committed); a zone diff of two files is
 * computed once, a directory of zone snapshots is watched for new ones (zone-watch.ts).
 * @module
 */
import { accessSync, constants, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FeedConfig } from '../../config/run-schema.js';
import { PrecursorError } from '../../domain/index.js';
import type { Observation } from '../../domain/index.js';
import type { Source } from '../../ingest/source.js';
import { createCertstreamSource } from '../../ingest/sources/certstream/certstream-source.js';
import { runCtIngest } from '../../ingest/sources/ct/ct-ingest.js';
import { parseLogList } from '../../ingest/sources/ct/ct-log-list.js';
import { createJetStreamSource } from '../../ingest/sources/jetstream/jetstream-source.js';
import { createListSource } from '../../ingest/sources/list/list-source.js';
import { createTenantFileSource, parseTenantRecord } from '../../ingest/sources/tenant/tenant-source.js';
import { createTransactionSource } from '../../ingest/sources/transactions/transaction-source.js';
import { createZoneDiffSource } from '../../ingest/sources/zone/zone-diff-source.js';
import type { AppContext } from '../open-app.js';
import { readNewZonePairs } from './zone-watch.js';
import { pause } from './ticker.js';

export interface FeedTaskOptions {
  readonly signal: AbortSignal;
  /** Called after each committed batch (wakes the detect loop). */
  readonly onCommitted: (observations: readonly Observation[]) => void;
  readonly pollMs: number;
  readonly cwd: string;
  /** Told about failures; the task retries after `pollMs`. */
  readonly onError: (feed: string, e: unknown) => void;
}

/** A short name for logs and the startup banner. */
export function feedName(f: FeedConfig): string {
  switch (f.type) {
    case 'certstream':
      return `certstream ${f.input}`;
    case 'ct':
      return `ct ${f.logList}`;
    case 'events':
      return f.file ? `events ${f.file}` : `events ${f.nats} ${f.stream}`;
    case 'zone':
      return f.dir ? `zone snapshots ${f.dir}/*${f.suffix}` : `zone ${f.old} → ${f.new}`;
    default:
      return `${f.type} ${f.file}`;
  }
}

const isLive = (input: string) => /^wss?:\/\//i.test(input);

/** Checks what can be checked before the process starts (files exist, log lists parse). */
export function validateFeeds(feeds: readonly FeedConfig[], cwd: string): void {
  for (const f of feeds) {
    const files =
      f.type === 'certstream'
        ? isLive(f.input)
          ? []
          : [f.input]
        : f.type === 'ct'
          ? [f.logList]
          : f.type === 'zone'
            ? f.dir
              ? [f.dir]
              : [f.old as string, f.new as string]
            : f.type === 'events'
              ? f.file
                ? [f.file]
                : []
              : [f.file];
    for (const file of files) {
      try {
        accessSync(resolve(cwd, file), constants.R_OK);
      } catch (e) {
        throw new PrecursorError(
          'SOURCE_FAILED',
          `feed ${feedName(f)}: cannot read ${file}: ${(e as Error).message}`,
        );
      }
    }
    if (f.type === 'ct') ctLogs(f, cwd);
  }
}

function ctLogs(f: Extract<FeedConfig, { type: 'ct' }>, cwd: string) {
  const json = JSON.parse(readFileSync(resolve(cwd, f.logList), 'utf8')) as unknown;
  const logs = parseLogList(json, {
    ...(f.states ? { states: f.states } : {}),
    ...(f.match ? { match: f.match } : {}),
  });
  if (logs.length === 0)
    throw new PrecursorError('VALIDATION_FAILED', `feed ${feedName(f)}: no log in the list matches`);
  return logs;
}

/** A re-readable source for a file feed (or a followed live one), or undefined for CT. */
function sourceOf(f: FeedConfig, cwd: string): Source | undefined {
  const path = (p: string) => resolve(cwd, p);
  switch (f.type) {
    case 'certstream':
      return createCertstreamSource({ input: isLive(f.input) ? f.input : path(f.input) });
    case 'events':
      return f.file
        ? createTenantFileSource({ path: path(f.file) })
        : createJetStreamSource({
            servers: f.nats as string,
            stream: f.stream as string,
            ...(f.subjects ? { subjects: f.subjects } : {}),
            follow: true,
            parse: parseTenantRecord,
          });
    case 'transactions':
      return createTransactionSource({ path: path(f.file), ...(f.format ? { format: f.format } : {}) });
    case 'list':
      return createListSource({ path: path(f.file), ...(f.format ? { format: f.format } : {}) });
    case 'zone':
      return createZoneDiffSource({ oldPath: path(f.old as string), newPath: path(f.new as string) });
    case 'ct':
      return undefined;
  }
}

/** Runs one feed until `signal` aborts. */
export async function runFeed(app: AppContext, f: FeedConfig, o: FeedTaskOptions): Promise<void> {
  const name = feedName(f);
  const follows =
    f.type === 'ct' || (f.type === 'certstream' && isLive(f.input)) || (f.type === 'events' && !!f.nats);
  while (!o.signal.aborted) {
    try {
      if (f.type === 'ct') {
        const results = await runCtIngest(ctLogs(f, o.cwd), app.pipeline.observations, {
          follow: true,
          concurrency: f.concurrency,
          signal: o.signal,
          onCommitted: o.onCommitted,
        });
        for (const r of results)
          if (!r.ok) o.onError(`${name} (${r.log})`, new Error(`${r.code}: ${r.error}`));
      } else if (f.type === 'zone' && f.dir) {
        // Each poll diffs the snapshots that arrived since the last (usually none: one look).
        await readNewZonePairs(app.pipeline, resolve(o.cwd, f.dir), f.suffix, o);
      } else {
        const source = sourceOf(f, o.cwd) as Source;
        await app.pipeline.ingest(source, { detect: false, signal: o.signal, onCommitted: o.onCommitted });
        // A zone diff is done once it has been read to its end (its checkpoint says so on a restart).
        if (f.type === 'zone') return;
      }
    } catch (e) {
      if (o.signal.aborted) return;
      o.onError(name, e);
    }
    // Files: look again for appended lines. Live feeds end only on an error: reconnect after a pause.
    await pause(follows ? Math.max(o.pollMs, 1000) : o.pollMs, o.signal);
  }
}
