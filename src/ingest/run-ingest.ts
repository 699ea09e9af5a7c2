/**
 * The one ingest runner: read → parse at the edge → batch → commit (rows, dead letters and checkpoint
 * in one transaction). Because the checkpoint commits with the rows, a `kill -9` at any point loses
 * nothing that was acknowledged and a restart re-reads at most one uncommitted batch, whose rows the
 * store's dedupe keys turn into no-ops.
 *
 * Every record read is counted exactly once, so a summary always adds up:
 * `records = inserted + duplicates + rejected + skipped` — inserted (at least one of its observations
 * was new), duplicate (all of them were already stored), rejected (dead-lettered, with the reason),
 * skipped (nothing to store: a blank line, a comment, a header, a heartbeat).
 * @module
 */
import type { Observation } from '../domain/index.js';
import type { Aggregates, DeadLetterInput, IngestBatchResult } from '../store/store.js';
import type { Source, SourceRecord } from './source.js';

export interface IngestOptions {
  /** Records per transaction (default 1,000). */
  readonly batchSize?: number;
  /**
   * Longest time a read record may wait uncommitted (default 1,000 ms): a live tail (CT `--follow`,
   * certstream) that goes quiet mid-batch still commits what it has.
   */
  readonly maxBatchDelayMs?: number;
  /** Raw text kept in a dead letter, in characters (default 4,096). */
  readonly maxRawChars?: number;
  /** Start from the beginning even if a checkpoint exists. */
  readonly ignoreCheckpoint?: boolean;
  readonly signal?: AbortSignal;
  /** Called after each committed batch. */
  readonly onProgress?: (p: IngestProgress) => void;
  /**
   * Called after each committed batch with its accepted observations (e.g. to wake the next stage)
   * and what the store said of them: with `wantSeqs`, the sequence number it gave each (undefined: it
   * had it already).
   */
  readonly onCommitted?: (
    observations: readonly Observation[],
    stored: IngestBatchResult,
  ) => void | Promise<void>;
  /** Ask the store which observations are new, and their sequence numbers, for `onCommitted`. */
  readonly wantSeqs?: boolean;
  /** Told when the stored checkpoint does not apply to the input and reading starts over (why). */
  readonly onNotice?: (message: string) => void;
}

export interface IngestProgress {
  readonly source: string;
  readonly records: number;
  readonly inserted: number;
  readonly duplicates: number;
  readonly rejected: number;
  readonly skipped: number;
  readonly batches: number;
  readonly position: string | undefined;
}

export interface IngestSummary extends IngestProgress {
  readonly resumedFrom: string | undefined;
  /** Why a stored checkpoint was not used (the file changed), when one existed and did not apply. */
  readonly checkpointReset?: string;
  readonly aborted: boolean;
  readonly seconds: number;
}

const truncate = (s: string, n: number): string =>
  s.length > n ? `${s.slice(0, n)}…[${s.length - n} more]` : s;

export async function runIngest(
  source: Source,
  store: Pick<Aggregates, 'observations'>,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 1000;
  const maxRaw = options.maxRawChars ?? 4096;
  const signal = options.signal ?? new AbortController().signal;
  const checkpoint = options.ignoreCheckpoint ? undefined : await store.observations.checkpoint(source.id);
  let resumedFrom = checkpoint;
  let checkpointReset: string | undefined;
  const hooks = {
    checkpointReset(reason: string | undefined) {
      resumedFrom = undefined;
      if (checkpoint === undefined || reason === undefined) return;
      checkpointReset = reason;
      options.onNotice?.(`${source.id}: ${reason}; reading it from the beginning`);
    },
  };

  let observations: Observation[] = [];
  let deadLetters: DeadLetterInput[] = [];
  let pending = 0;
  // Index in `observations` of the first observation of each record that has any, and whether one of
  // them has several: only then does the store need to say which observations were new.
  let firsts: number[] = [];
  let multi = false;
  // Only the last record's cursor and position are ever stored or shown, so they are read at flush
  // time: a source can then build them lazily instead of two strings per record.
  let last: SourceRecord | undefined;
  let position: string | undefined;
  const totals = { records: 0, inserted: 0, duplicates: 0, rejected: 0, skipped: 0, batches: 0 };

  const flush = async (): Promise<void> => {
    if (pending === 0) return;
    const batch = observations;
    const cursor = last?.cursor;
    position = last?.position;
    const r = await store.observations.writeBatch({
      source: source.id,
      observations: batch,
      deadLetters,
      ...(cursor === undefined ? {} : { cursor }),
      ...(multi || options.wantSeqs ? { wantSeqs: true } : {}),
    });
    if (!multi) {
      // One observation per record: the store's counts are the records' counts.
      totals.inserted += r.inserted;
      totals.duplicates += r.duplicates;
    } else {
      const seqs = r.insertedSeqs;
      if (seqs === undefined) throw new Error('the store did not report which observations were new');
      for (let k = 0; k < firsts.length; k++) {
        const end = k + 1 < firsts.length ? (firsts[k + 1] as number) : batch.length;
        let isNew = false;
        for (let j = firsts[k] as number; j < end && !isNew; j++) isNew = seqs[j] !== undefined;
        if (isNew) totals.inserted += 1;
        else totals.duplicates += 1;
      }
    }
    totals.rejected += deadLetters.length;
    totals.batches += 1;
    observations = [];
    deadLetters = [];
    firsts = [];
    multi = false;
    pending = 0;
    options.onProgress?.({ source: source.id, ...totals, position });
    await options.onCommitted?.(batch, r);
  };

  const maxDelay = options.maxBatchDelayMs ?? 1000;
  const iterator = source.read(checkpoint, signal, hooks)[Symbol.asyncIterator]();
  // One timer per batch (not per record): when it fires, whatever is pending is committed.
  let deadline: Promise<'idle'> | undefined;
  let timer: NodeJS.Timeout | undefined;
  const startBatchClock = () => {
    deadline = new Promise<'idle'>((r) => {
      timer = setTimeout(() => r('idle'), maxDelay);
    });
  };
  const stopBatchClock = () => {
    clearTimeout(timer);
    deadline = undefined;
  };
  try {
    for (;;) {
      const pendingNext = iterator.next();
      let step = deadline ? await Promise.race([pendingNext, deadline]) : await pendingNext;
      if (step === 'idle') {
        stopBatchClock();
        await flush();
        step = await pendingNext;
      }
      if (step.done) break;
      const records: readonly SourceRecord[] = Array.isArray(step.value)
        ? step.value
        : [step.value as SourceRecord];
      for (const record of records) {
        if (pending === 0) startBatchClock();
        totals.records += 1;
        pending += 1;
        last = record;
        let result: ReturnType<Source['parse']>;
        try {
          const bad = record.encodingError;
          result =
            bad === undefined
              ? source.parse(record)
              : { ok: false, rejection: { code: 'PARSE_ERROR', reason: bad } };
        } catch (e) {
          // parse() must not throw; if one does, the record is still kept, with the bug as the reason.
          result = {
            ok: false,
            rejection: {
              code: 'PARSE_ERROR',
              reason: `parser failed: ${e instanceof Error ? e.message : String(e)}`,
            },
          };
        }
        if (result.ok) {
          const n = result.observations.length;
          if (n === 0) totals.skipped += 1;
          else {
            firsts.push(observations.length);
            if (n > 1) multi = true;
            for (const o of result.observations) observations.push(o);
          }
        } else
          deadLetters.push({
            source: source.id,
            position: record.position,
            raw: truncate(record.raw, maxRaw),
            rejection: result.rejection,
          });
        if (pending >= batchSize) {
          stopBatchClock();
          await flush();
        }
      }
      if (signal.aborted) break;
    }
  } finally {
    stopBatchClock();
    await iterator.return?.();
  }
  await flush();
  return {
    source: source.id,
    ...totals,
    position,
    resumedFrom,
    ...(checkpointReset === undefined ? {} : { checkpointReset }),
    aborted: signal.aborted,
    seconds: (performance.now() - started) / 1000,
  };
}
