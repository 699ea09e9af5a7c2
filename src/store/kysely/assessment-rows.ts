/**
 * The bulk paths of signals and assessments, and their portable implementation: multi-row statements,
 * a few per slice.
 * @module
 */
import type { Assessment, EntityKey, Signal } from '../../domain/index.js';
import type { SignalsTable } from '../schema.js';
import { chunks } from './chunks.js';
import { num, parseJson } from './rows.js';
import type { Scope } from './scope.js';

/** The entities whose signals from `detectors` are deleted before new ones are written. */
export interface SignalDeletion {
  readonly detectors: readonly string[];
  readonly keys: readonly EntityKey[];
}

export interface AssessmentRows {
  /** Deletes, then upserts `rows` (one per entity and signal id), inside the open transaction `tx`. */
  replaceSignals(
    tx: Scope,
    deletions: readonly SignalDeletion[],
    rows: readonly SignalsTable[],
  ): Promise<void>;
  signalsOf(scope: Scope, keys: readonly EntityKey[]): Promise<Map<EntityKey, Signal[]>>;
  /**
   * Upserts one assessment per entity (`list` has no repeats) and adds a history row where score or
   * flag changed. Entities in `fresh` are known to have no stored assessment.
   */
  writeAssessments(tx: Scope, list: readonly Assessment[], fresh: ReadonlySet<EntityKey>): Promise<void>;
}

export const toSignal = (
  r: Pick<SignalsTable, 'signal_id' | 'detector' | 'weight' | 'detail' | 'evidence'>,
): Signal => ({
  id: r.signal_id,
  detector: r.detector,
  weight: num(r.weight),
  detail: r.detail,
  evidence: parseJson(r.evidence, []),
});

export const kyselyAssessmentRows: AssessmentRows = {
  async replaceSignals(tx, deletions, rows) {
    for (const d of deletions) {
      for (const part of chunks(d.keys, 500)) {
        await tx.db
          .deleteFrom('signals')
          .where('entity_key', 'in', part)
          .where('detector', 'in', d.detectors)
          .execute();
      }
    }
    for (const part of chunks(rows)) {
      await tx.db
        .insertInto('signals')
        .values(part)
        .onConflict((oc) =>
          oc.columns(['entity_key', 'signal_id']).doUpdateSet({
            detector: (eb) => eb.ref('excluded.detector'),
            weight: (eb) => eb.ref('excluded.weight'),
            detail: (eb) => eb.ref('excluded.detail'),
            evidence: (eb) => eb.ref('excluded.evidence'),
            observed_at: (eb) => eb.ref('excluded.observed_at'),
          }),
        )
        .execute();
    }
  },

  async signalsOf(scope, keys) {
    const out = new Map<EntityKey, Signal[]>();
    for (const part of chunks(keys, 500)) {
      const rows = await scope.db.selectFrom('signals').selectAll().where('entity_key', 'in', part).execute();
      for (const r of rows) {
        const list = out.get(r.entity_key as EntityKey) ?? [];
        list.push(toSignal(r));
        out.set(r.entity_key as EntityKey, list);
      }
    }
    return out;
  },

  async writeAssessments(tx, list, fresh) {
    const prev = new Map<string, { score: number; flagged: number; version: number }>();
    const known = list.filter((a) => !fresh.has(a.entity)).map((a) => a.entity);
    for (const part of chunks(known, 500)) {
      const rows = await tx.db
        .selectFrom('assessments')
        .select(['entity_key', 'score', 'flagged', 'version'])
        .where('entity_key', 'in', part)
        .execute();
      for (const r of rows)
        prev.set(r.entity_key, { score: num(r.score), flagged: num(r.flagged), version: num(r.version) });
    }
    const changed = new Set(
      list.filter((a) => {
        const p = prev.get(a.entity);
        return !p || p.score !== a.score || p.flagged !== (a.flagged ? 1 : 0);
      }),
    );
    for (const part of chunks(list)) {
      await tx.db
        .insertInto('assessments')
        .values(
          part.map((a) => ({
            entity_key: a.entity,
            score: a.score,
            flagged: a.flagged ? 1 : 0,
            verdict: a.verdict,
            contributions: JSON.stringify(a.contributions),
            assessed_at: a.assessedAt,
            version: (prev.get(a.entity)?.version ?? 0) + (changed.has(a) ? 1 : 0),
          })),
        )
        .onConflict((oc) =>
          oc.column('entity_key').doUpdateSet({
            score: (eb) => eb.ref('excluded.score'),
            flagged: (eb) => eb.ref('excluded.flagged'),
            verdict: (eb) => eb.ref('excluded.verdict'),
            contributions: (eb) => eb.ref('excluded.contributions'),
            assessed_at: (eb) => eb.ref('excluded.assessed_at'),
            version: (eb) => eb.ref('excluded.version'),
          }),
        )
        .execute();
    }
    for (const part of chunks([...changed])) {
      await tx.db
        .insertInto('assessment_history')
        .values(
          part.map((a) => ({
            entity_key: a.entity,
            score: a.score,
            flagged: a.flagged ? 1 : 0,
            verdict: a.verdict,
            contributions: JSON.stringify(a.contributions),
            assessed_at: a.assessedAt,
          })),
        )
        .execute();
    }
  },
};
