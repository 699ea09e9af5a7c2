/**
 * Replaying a generated world's traffic (`precursor simulate world` files) into the real ingest path,
 * time-compressed: each feed is a checkpointed `Source` over the file's lines that yields only the
 * records whose time the replay clock has reached. The runner commits rows with the line cursor, so a
 * demo stopped mid-way resumes where it stopped, and a record is never ingested twice.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertstreamMessage } from '../../ingest/sources/certstream/certstream-source.js';
import { parseTenantRecord } from '../../ingest/sources/tenant/tenant-source.js';
import { createTransactionSource } from '../../ingest/sources/transactions/transaction-source.js';
import type { ParseResult, Source, SourceRecord } from '../../ingest/source.js';
import { WORLD_FILES } from '../../simulate/world/write-world.js';

export interface ReplayFeed {
  /** Source id (checkpoints, dead letters, feed health). */
  readonly id: string;
  /** What the feed stands for, for people (`certstream`, `tenant events`, `transactions`). */
  readonly label: string;
  readonly lines: readonly string[];
  /** Arrival time of each line, epoch ms, never decreasing. */
  readonly times: Float64Array;
  parse(record: SourceRecord): ParseResult;
}

/** Arrival times: the record's own time, or the latest before it for a late one (feeds arrive in order). */
function arrivalTimes(lines: readonly string[], timeOf: (line: string) => number): Float64Array {
  const out = new Float64Array(lines.length);
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < lines.length; i++) {
    const t = timeOf(lines[i] as string);
    if (Number.isFinite(t) && t > last) last = t;
    out[i] = last;
  }
  return out;
}

const safeTime = (f: (o: Record<string, unknown>) => unknown) => (line: string) => {
  try {
    const v = f(JSON.parse(line) as Record<string, unknown>);
    return typeof v === 'number' ? v : Date.parse(String(v));
  } catch {
    return Number.NaN;
  }
};

const readLinesOf = (file: string): string[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

/** The three feeds of a world directory. */
export function worldFeeds(dir: string): ReplayFeed[] {
  const certstream = readLinesOf(join(dir, WORLD_FILES.certstream));
  const tenant = readLinesOf(join(dir, WORLD_FILES.tenantEvents));
  const txFile = join(dir, WORLD_FILES.transactions);
  const tx = readLinesOf(txFile);
  const txSource = createTransactionSource({ path: txFile, format: 'jsonl', sourceId: 'demo:transactions' });
  return [
    {
      id: 'demo:certstream',
      label: 'certstream',
      lines: certstream,
      times: arrivalTimes(
        certstream,
        safeTime((o) => Number((o.data as { seen?: unknown } | undefined)?.seen) * 1000),
      ),
      parse: (r) => parseCertstreamMessage('demo:certstream', r.raw),
    },
    {
      id: 'demo:tenant-events',
      label: 'tenant events',
      lines: tenant,
      times: arrivalTimes(
        tenant,
        safeTime((o) => o.ts),
      ),
      parse: (r) => parseTenantRecord(r, 'demo:tenant-events'),
    },
    {
      id: 'demo:transactions',
      label: 'transactions',
      lines: tx,
      times: arrivalTimes(
        tx,
        safeTime((o) => o.time),
      ),
      parse: (r) => txSource.parse(r),
    },
  ];
}

/** Index of the first line after `until` (lines `0..result-1` have arrived). */
export function arrivedBy(feed: ReplayFeed, until: number): number {
  let lo = 0;
  let hi = feed.times.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((feed.times[mid] as number) <= until) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Lines of `feed` after `cursor` that have arrived by `until`, as a source for `runIngest`. */
export function replaySource(feed: ReplayFeed, until: number): Source {
  return {
    id: feed.id,
    async *read(cursor, signal) {
      const end = arrivedBy(feed, until);
      for (let i = cursor === undefined ? 0 : Number(cursor) + 1; i < end && !signal.aborted; ) {
        const batch: SourceRecord[] = [];
        for (const stop = Math.min(end, i + 500); i < stop; i++)
          batch.push({ position: `line ${i + 1}`, raw: feed.lines[i] as string, cursor: String(i) });
        yield batch;
      }
    },
    parse: (record) => feed.parse(record),
  };
}

/** The line index a checkpoint cursor resumes after (-1: none). */
export const cursorLine = (cursor: string | undefined): number =>
  cursor === undefined || !/^\d+$/.test(cursor) ? -1 : Number(cursor);
