/**
 * The assessments aggregate over Kysely: signals replaced per detector, assessments with a history of
 * changes, written through the dialect's bulk path.
 * @module
 */
import type { Assessment, EntityKey, Signal } from '../../domain/index.js';
import type { AssessmentStore, SignalReplacement } from '../assessments.js';
import type { WriteHints } from '../entities.js';
import type { SignalsTable } from '../schema.js';
import type { SignalDeletion } from './assessment-rows.js';
import type { StoreContext } from './context.js';
import { CHUNK, chunks } from './chunks.js';
import { toAssessment } from './rows.js';
import type { Scope } from './scope.js';

const NONE: ReadonlySet<EntityKey> = new Set();

export class KyselyAssessments implements AssessmentStore {
  readonly #scope: Scope;
  readonly #ctx: StoreContext;

  constructor(scope: Scope, ctx: StoreContext) {
    this.#scope = scope;
    this.#ctx = ctx;
  }

  signalsOf(keys: readonly EntityKey[]): Promise<Map<EntityKey, Signal[]>> {
    return this.#ctx.adapter.rows.assessments.signalsOf(this.#scope, keys);
  }

  async replaceSignals(replacements: readonly SignalReplacement[], hints: WriteHints = {}): Promise<void> {
    if (replacements.length === 0) return;
    const fresh = hints.newEntities ?? NONE;
    // Group by detector set so one DELETE covers many entities; an entity new to the store has nothing
    // to delete.
    const byDetectors = new Map<string, { detectors: readonly string[]; keys: EntityKey[] }>();
    const rows = new Map<string, SignalsTable>();
    for (const r of replacements) {
      if (r.detectors.length > 0 && !fresh.has(r.entity)) {
        const k = [...r.detectors].sort().join(',');
        const g = byDetectors.get(k) ?? { detectors: r.detectors, keys: [] };
        g.keys.push(r.entity);
        byDetectors.set(k, g);
      }
      for (const s of r.signals) {
        rows.set(`${r.entity}\u0000${s.id}`, {
          entity_key: r.entity,
          signal_id: s.id,
          detector: s.detector,
          weight: s.weight,
          detail: s.detail,
          evidence: JSON.stringify(s.evidence),
          observed_at: r.observedAt,
        });
      }
    }
    const deletions: SignalDeletion[] = [];
    for (const g of byDetectors.values()) deletions.push({ detectors: g.detectors, keys: g.keys.sort() });
    // In primary-key order, as entities are written (see kysely-entities.ts).
    const sorted = [...rows.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    await this.#scope.atomic((tx) =>
      this.#ctx.adapter.rows.assessments.replaceSignals(
        tx,
        deletions,
        sorted.map((e) => e[1]),
      ),
    );
  }

  async write(assessments: readonly Assessment[], hints: WriteHints = {}): Promise<void> {
    if (assessments.length === 0) return;
    const latest = new Map<string, Assessment>();
    for (const a of assessments) latest.set(a.entity, a);
    // In key order, as entities are written (see kysely-entities.ts); a history row's id orders only
    // the history of its own entity, which has one assessment per call.
    const list = [...latest.values()].sort((a, b) =>
      a.entity < b.entity ? -1 : a.entity > b.entity ? 1 : 0,
    );
    await this.#scope.atomic((tx) =>
      this.#ctx.adapter.rows.assessments.writeAssessments(tx, list, hints.newEntities ?? NONE),
    );
  }

  async get(key: EntityKey): Promise<Assessment | undefined> {
    const row = await this.#scope.db
      .selectFrom('assessments')
      .selectAll()
      .where('entity_key', '=', key)
      .executeTakeFirst();
    return row ? toAssessment(row) : undefined;
  }

  async getMany(keys: readonly EntityKey[]): Promise<Map<EntityKey, Assessment>> {
    const out = new Map<EntityKey, Assessment>();
    for (const batch of chunks([...new Set(keys)], CHUNK)) {
      const rows = await this.#scope.db
        .selectFrom('assessments')
        .selectAll()
        .where('entity_key', 'in', batch)
        .execute();
      for (const r of rows) out.set(r.entity_key as EntityKey, toAssessment(r));
    }
    return out;
  }

  async keysWithSignalsFrom(detector: string): Promise<EntityKey[]> {
    const rows = await this.#scope.db
      .selectFrom('signals')
      .select('entity_key')
      .distinct()
      .where('detector', '=', detector)
      .orderBy('entity_key')
      .execute();
    return rows.map((r) => r.entity_key as EntityKey);
  }

  async keysWithSignals(signalIds: readonly string[]): Promise<EntityKey[]> {
    const keys = new Set<EntityKey>();
    for (const batch of chunks(signalIds)) {
      const rows = await this.#scope.db
        .selectFrom('signals')
        .select('entity_key')
        .distinct()
        .where('signal_id', 'in', batch)
        .execute();
      for (const r of rows) keys.add(r.entity_key as EntityKey);
    }
    return [...keys].sort();
  }

  async history(key: EntityKey): Promise<Assessment[]> {
    const rows = await this.#scope.db
      .selectFrom('assessment_history')
      .selectAll()
      .where('entity_key', '=', key)
      .orderBy('id')
      .execute();
    return rows.map(toAssessment);
  }
}
