/**
 * What one worker reports on `/metrics`: its share of the work (messages stored, redeliveries, dead
 * letters, stage runs) and the lag it last saw on each partition.
 * @module
 */
import { Counter, collectDefaultMetrics, Gauge, Registry } from 'prom-client';

export interface WorkerMetrics {
  readonly registry: Registry;
  readonly processed: Counter<'partition'>;
  readonly redeliveries: Counter<'partition'>;
  readonly deadLetters: Counter<'partition'>;
  readonly lag: Gauge<'partition'>;
  readonly batches: Counter;
  readonly stageRuns: Counter<'stage'>;
  readonly stageObservations: Counter<'stage'>;
  readonly leader: Gauge;
}

export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'precursor_worker_' });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    processed: counter(
      'precursor_worker_messages_processed_total',
      'Observations this worker stored, by partition.',
      ['partition'],
    ),
    redeliveries: counter(
      'precursor_worker_redeliveries_total',
      'Messages this worker received again (their first worker died or failed), by partition.',
      ['partition'],
    ),
    deadLetters: counter(
      'precursor_worker_dead_letters_total',
      'Messages this worker dead-lettered (undecodable, or refused by the store stream.maxDeliver times).',
      ['partition'],
    ),
    lag: new Gauge({
      name: 'precursor_worker_partition_lag',
      help: 'Messages published to a partition and not yet acknowledged, as this worker last saw it.',
      labelNames: ['partition'] as const,
      registers: [registry],
    }),
    batches: new Counter({
      name: 'precursor_worker_batches_total',
      help: 'Batches this worker stored.',
      registers: [registry],
    }),
    stageRuns: counter('precursor_worker_stage_runs_total', 'Stage runs this worker led, by stage.', [
      'stage',
    ]),
    stageObservations: counter(
      'precursor_worker_stage_observations_total',
      'Observations the stages this worker led processed, by stage.',
      ['stage'],
    ),
    leader: new Gauge({
      name: 'precursor_worker_stage_leader',
      help: '1 while this worker runs the singleton stages (tenant windows, detect, correlation, policy).',
      registers: [registry],
    }),
  };
}
