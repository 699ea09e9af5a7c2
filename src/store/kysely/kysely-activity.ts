/**
 * The activity read model over Kysely: group-bys over observations, checkpoints, dead letters and the
 * assessment history. Timestamps are ISO text in both dialects, so a bucket is a prefix of it.
 * @module
 */
import { sql } from 'kysely';
import type { EntityKey } from '../../domain/index.js';
import type { ActivityStore, FeedActivity, FlagBucket, FlagBucketSize } from '../activity.js';
import { chunks } from './chunks.js';
import { num } from './rows.js';
import type { Scope } from './scope.js';

/** Characters of an ISO timestamp that name the bucket, and what completes it to an instant. */
const BUCKET: Record<FlagBucketSize, { chars: number; rest: string }> = {
  hour: { chars: 13, rest: ':00:00.000Z' },
  day: { chars: 10, rest: 'T00:00:00.000Z' },
};

export class KyselyActivity implements ActivityStore {
  readonly #scope: Scope;

  constructor(scope: Scope) {
    this.#scope = scope;
  }

  async feeds(options: { readonly recentSince: string }): Promise<FeedActivity[]> {
    const db = this.#scope.db;
    const sinceMs = Date.parse(options.recentSince);
    const obs = await db
      .selectFrom('observations')
      .innerJoin('sources', 'sources.id', 'observations.source_id')
      .select((eb) => [
        'sources.name as source',
        eb.fn.countAll().as('n'),
        eb.fn.max('observations.observed_at').as('last_observed'),
        eb.fn.max('observations.ingested_ms').as('last_ingested'),
        sql<number | string>`sum(case when observations.ingested_ms >= ${sinceMs} then 1 else 0 end)`.as(
          'recent',
        ),
      ])
      .groupBy('sources.name')
      .execute();
    const checkpoints = await db.selectFrom('checkpoints').select(['source', 'updated_at']).execute();
    const dead = await db
      .selectFrom('dead_letters')
      .select((eb) => ['source', eb.fn.countAll().as('n'), eb.fn.max('created_at').as('last')])
      .groupBy('source')
      .execute();
    const out = new Map<string, FeedActivity>();
    const row = (source: string): FeedActivity =>
      out.get(source) ?? {
        source,
        observations: 0,
        lastObservedAt: null,
        lastIngestedAt: null,
        recent: 0,
        checkpointAt: null,
        deadLetters: 0,
        lastDeadLetterAt: null,
      };
    for (const r of obs)
      out.set(r.source, {
        ...row(r.source),
        observations: num(r.n),
        lastObservedAt: (r.last_observed as string | null) ?? null,
        lastIngestedAt: r.last_ingested == null ? null : new Date(num(r.last_ingested)).toISOString(),
        recent: num(r.recent ?? 0),
      });
    for (const c of checkpoints) out.set(c.source, { ...row(c.source), checkpointAt: c.updated_at });
    for (const d of dead)
      out.set(d.source, {
        ...row(d.source),
        deadLetters: num(d.n),
        lastDeadLetterAt: (d.last as string | null) ?? null,
      });
    return [...out.values()].sort((a, b) => (a.source < b.source ? -1 : a.source > b.source ? 1 : 0));
  }

  async flagSeries(options: {
    readonly bucket: FlagBucketSize;
    readonly since?: string;
    readonly until?: string;
  }): Promise<FlagBucket[]> {
    const { chars, rest } = BUCKET[options.bucket];
    const db = this.#scope.db;
    const first = db
      .selectFrom('assessment_history')
      .select((eb) => ['entity_key', eb.fn.min('assessed_at').as('first_at')])
      .where('flagged', '=', 1)
      .groupBy('entity_key')
      .as('f');
    let q = db
      .selectFrom(first)
      .innerJoin('entities', 'entities.key', 'f.entity_key')
      .select((eb) => [
        sql<string>`substr(f.first_at, 1, ${sql.lit(chars)})`.as('b'),
        'entities.type as type',
        eb.fn.countAll().as('n'),
      ]);
    if (options.since) q = q.where('f.first_at', '>=', options.since);
    if (options.until) q = q.where('f.first_at', '<', options.until);
    const rows = await q
      .groupBy([sql`substr(f.first_at, 1, ${sql.lit(chars)})`, 'entities.type'])
      .orderBy('b')
      .orderBy('type')
      .execute();
    return rows.map((r) => ({ bucket: `${r.b}${rest}`, type: r.type, flagged: num(r.n) }));
  }

  async firstFlagged(keys: readonly EntityKey[]): Promise<Map<EntityKey, string>> {
    const out = new Map<EntityKey, string>();
    for (const part of chunks(keys)) {
      if (part.length === 0) continue;
      const rows = await this.#scope.db
        .selectFrom('assessment_history')
        .select((eb) => ['entity_key', eb.fn.min('assessed_at').as('first_at')])
        .where('flagged', '=', 1)
        .where('entity_key', 'in', part)
        .groupBy('entity_key')
        .execute();
      for (const r of rows) out.set(r.entity_key as EntityKey, r.first_at as string);
    }
    return out;
  }
}
