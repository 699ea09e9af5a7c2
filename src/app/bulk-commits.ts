/**
 * How long the stages of a one-shot command (a file ingest, `precursor detect`, an evaluation) keep
 * slices in one transaction (`DetectStageOptions.commitAfterMs`, `TenantStageOptions.commitAfterMs`):
 * the same rows with far fewer pages written (docs/benchmarks.md, "Slices that share a transaction").
 * Long-lived processes (the server, `run`, the demo, workers) commit per slice: their requests use the
 * same store connection and would wait for an open transaction. A module of its own so that a command
 * can name it without loading the pipeline.
 * @module
 */
export const BULK_COMMIT_AFTER_MS = 1000;
