/**
 * Signal and assessment writes on SQLite: the derived-state writes of a busy stage run thousands of
 * single-row statements per slice, which Kysely would build and prepare anew each time.
 * @module
 */
import type { EntityKey, Signal } from '../../domain/index.js';
import { type AssessmentRows, toSignal } from '../kysely/assessment-rows.js';
import { num } from '../kysely/rows.js';
import { deleteFrom, insertInto, type SqliteStatementHost, selectFrom } from './sqlite-statements.js';

export function sqliteAssessmentRows(host: SqliteStatementHost): AssessmentRows {
  const deleteSignals = deleteFrom(host, 'signals', ['entity_key'], 'detector');
  const upsertSignal = insertInto(
    host,
    'signals',
    ['entity_key', 'signal_id', 'detector', 'weight', 'detail', 'evidence', 'observed_at'],
    {
      target: ['entity_key', 'signal_id'],
      set: {
        detector: 'excluded.detector',
        weight: 'excluded.weight',
        detail: 'excluded.detail',
        evidence: 'excluded.evidence',
        observed_at: 'excluded.observed_at',
      },
    },
  );
  const signalsOf = selectFrom(
    host,
    'signals',
    ['signal_id', 'detector', 'weight', 'detail', 'evidence'],
    ['entity_key'],
  );
  const priorAssessment = selectFrom(host, 'assessments', ['score', 'flagged', 'version'], ['entity_key']);
  const upsertAssessment = insertInto(
    host,
    'assessments',
    ['entity_key', 'score', 'flagged', 'verdict', 'contributions', 'assessed_at', 'version'],
    {
      target: ['entity_key'],
      set: {
        score: 'excluded.score',
        flagged: 'excluded.flagged',
        verdict: 'excluded.verdict',
        contributions: 'excluded.contributions',
        assessed_at: 'excluded.assessed_at',
        version: 'excluded.version',
      },
    },
  );
  const addHistory = insertInto(host, 'assessment_history', [
    'entity_key',
    'score',
    'flagged',
    'verdict',
    'contributions',
    'assessed_at',
  ]);
  return {
    async replaceSignals(_tx, deletions, rows) {
      for (const d of deletions) for (const key of d.keys) deleteSignals.run([key], d.detectors);
      for (const r of rows)
        upsertSignal.run(
          r.entity_key,
          r.signal_id,
          r.detector,
          r.weight,
          r.detail,
          r.evidence,
          r.observed_at,
        );
    },

    signalsOf(scope, keys) {
      return scope.holding(() => {
        const out = new Map<EntityKey, Signal[]>();
        for (const key of keys) {
          const rows = signalsOf.all(key);
          if (rows.length > 0) out.set(key, rows.map(toSignal));
        }
        return out;
      });
    },

    async writeAssessments(_tx, list, fresh) {
      for (const a of list) {
        const r = fresh.has(a.entity) ? undefined : priorAssessment.all(a.entity)[0];
        const flagged = a.flagged ? 1 : 0;
        const changed = !r || num(r.score) !== a.score || num(r.flagged) !== flagged;
        const contributions = JSON.stringify(a.contributions);
        const version = (r ? num(r.version) : 0) + (changed ? 1 : 0);
        upsertAssessment.run(a.entity, a.score, flagged, a.verdict, contributions, a.assessedAt, version);
        if (changed) addHistory.run(a.entity, a.score, flagged, a.verdict, contributions, a.assessedAt);
      }
    },
  };
}
