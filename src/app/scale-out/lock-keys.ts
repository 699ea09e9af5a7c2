/**
 * The advisory locks of one deployment. Job locks (detect, correlate, review) are taken by whichever
 * process runs the job — a worker, a CLI command, the server — whenever the store is PostgreSQL; the
 * others are the workers' own.
 * @module
 */
import { lockNamespace } from '../../store/postgres/lock-namespace.js';
import type { PipelineJob } from '../pipeline.js';

/** One namespace per store schema: processes sharing a store share its jobs. */
export const jobNamespace = (schema: string | undefined) => lockNamespace(`precursor:${schema ?? 'public'}`);
/** One namespace per store schema and stream prefix. */
export const workerNamespace = (schema: string | undefined, prefix: string) =>
  lockNamespace(`precursor:${schema ?? 'public'}:${prefix}`);

export const JOB_KEYS: Readonly<Record<PipelineJob, number>> = { detect: 1, correlate: 2, review: 3 };

/** Held by the worker that runs the singleton stages for as long as it lives. */
export const STAGES_KEY = 10;
/**
 * Held while a worker commits observations: commits then happen in sequence order, so a stage that
 * reads "everything after my cursor" never steps over a sequence number another transaction has taken
 * but not yet committed.
 */
export const WRITE_KEY = 11;
export const partitionKeyLock = (k: number) => 1000 + k;
