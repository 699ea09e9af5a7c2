/**
 * The observations aggregate: what sources saw (append-only, deduplicated), where each source resumes,
 * and the records it could not accept. An ingest batch writes all three in one transaction, so a crash
 * can never separate rows from the checkpoint that covers them.
 * @module
 */
import type { Observation, ObservationKind, Rejection } from '../domain/index.js';

export interface DeadLetterInput {
  readonly source: string;
  readonly position: string;
  readonly raw: string;
  readonly rejection: Rejection;
}

export interface DeadLetter {
  readonly id: number;
  readonly source: string;
  readonly position: string;
  readonly raw: string;
  readonly code: string;
  readonly reason: string;
  readonly path: string | null;
  readonly createdAt: string;
}

export interface IngestBatch {
  readonly source: string;
  readonly observations: readonly Observation[];
  readonly deadLetters: readonly DeadLetterInput[];
  /** Stored in the same transaction as the rows, so a crash can never separate them. */
  readonly cursor?: string;
  /** Ask for `insertedSeqs` in the result (the runner does when a record holds several observations). */
  readonly wantSeqs?: boolean;
}

export interface IngestBatchResult {
  readonly inserted: number;
  readonly duplicates: number;
  readonly deadLettered: number;
  /**
   * When asked (`wantSeqs`): per observation of the batch, in
   * order, the sequence number it was stored under, or undefined for a duplicate. Lets a stage use the
   * events it was just handed instead of reading them back.
   */
  readonly insertedSeqs?: readonly (number | undefined)[];
  /** With `insertedSeqs`: the time the rows were stored under (`StoredObservation.ingestedAt`). */
  readonly ingestedAt?: string;
}

export interface StoredObservation extends Observation {
  readonly seq: number;
  readonly ingestedAt: string;
}

export interface DeadLetterFilter {
  readonly source?: string;
  readonly limit?: number;
  readonly afterId?: number;
}

/**
 * @example
 * ```ts
 * const r = await store.observations.writeBatch({ source: 'list:a.txt', observations, deadLetters, cursor: '42' });
 * const next = await store.observations.after(cursor, 2000, ['certificate']);
 * ```
 */
export interface ObservationStore {
  /** Where `source` resumes: the cursor committed with its last batch. */
  checkpoint(source: string): Promise<string | undefined>;
  /** Observations (a repeated dedupe key is a no-op), dead letters and the cursor, atomically. */
  writeBatch(batch: IngestBatch): Promise<IngestBatchResult>;
  deadLetters(filter?: DeadLetterFilter): Promise<DeadLetter[]>;
  /** Stored observations, of one source or all. */
  count(source?: string): Promise<number>;
  /** Observations after `seq` in order; `kinds` keeps only those kinds (a stage that reads one kind). */
  after(seq: number, limit: number, kinds?: readonly ObservationKind[]): Promise<StoredObservation[]>;
  /** Stored observations per source (`precursor status`). */
  countBySource(): Promise<Map<string, number>>;
  /** Dead letters per source. */
  deadLettersBySource(): Promise<Map<string, number>>;
  /** How many observations (of `kinds`) come after `seq`: a stage's backlog (`precursor status`). */
  countAfter(seq: number, kinds?: readonly ObservationKind[]): Promise<number>;
  /**
   * Observations of `kinds` whose stored payload contains `text` (a plain substring, any case for
   * ASCII letters), in sequence order, at most `limit`: how a lookup finds the observations of an
   * entity the detect stage left unmaterialised (docs/model.md). A scan of those kinds' rows.
   */
  mentioning(text: string, kinds: readonly ObservationKind[], limit: number): Promise<StoredObservation[]>;
  /**
   * The observations stored under these sequence numbers (ascending), in sequence order; a number
   * with no observation is left out. With `seqsAfter`, a reader that needs only some of what is
   * pending reads only those rows.
   */
  bySeqs(seqs: readonly number[]): Promise<StoredObservation[]>;
  /** The sequence numbers `after` would return, without the rows. */
  seqsAfter(seq: number, limit: number, kinds?: readonly ObservationKind[]): Promise<number[]>;
  /**
   * Some top-level fields of the payloads of the observations of `kind` after `seq`, in sequence
   * order, at most `limit`: a scan that needs a few small fields of many large payloads (the names
   * of every stored certificate) carries and parses only those. A field a payload lacks is left out.
   */
  fieldsAfter(
    seq: number,
    limit: number,
    kind: ObservationKind,
    fields: readonly string[],
  ): Promise<PayloadFields[]>;
}

/** What `fieldsAfter` reads of one observation. */
export interface PayloadFields {
  readonly seq: number;
  readonly fields: Readonly<Record<string, unknown>>;
}
