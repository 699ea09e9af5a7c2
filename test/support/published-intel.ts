/**
 * Confirmed intel in a real store, as a review decision leaves it: entities with assessments (and a
 * domain's resolves-to link), published through the StorePublisher in one transaction.
 */
import type { EntityKey, EntityType } from '../../src/domain/entity.js';
import type { Tlp } from '../../src/domain/tlp.js';
import { StorePublisher } from '../../src/share/publish.js';
import type { Aggregates } from '../../src/store/store.js';

export const SETTINGS = {
  producer: { name: 'Precursor test', created: '2026-01-01T00:00:00.000Z' },
  indicatorLifetimeDays: 30,
  confidence: 85,
};

export function publisher(now?: () => Date): StorePublisher {
  return new StorePublisher({ settings: SETTINGS, ...(now ? { now } : {}) });
}

/** Entities (each with a flagged assessment) as the pipeline would have left them. */
export async function seedEntities(
  store: Aggregates,
  keys: readonly EntityKey[],
  seenAt = '2026-11-01T08:00:00.000Z',
): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.entities.upsert(
      keys.map((key) => ({
        key,
        type: key.slice(0, key.indexOf(':')) as EntityType,
        display: key.slice(key.indexOf(':') + 1),
        seenAt,
      })),
    );
    await tx.assessments.write(
      keys.map((key) => ({
        entity: key,
        score: 91,
        flagged: true,
        verdict: 'malicious' as const,
        contributions: [
          {
            id: 'domain.homoglyph',
            detector: 'domain',
            weight: 60,
            points: 60,
            detail: `skeleton of '${key}' equals brand 'microsoft'`,
            evidence: [],
          },
        ],
        assessedAt: seenAt,
      })),
    );
  });
}

export async function publishCase(
  store: Aggregates,
  p: StorePublisher,
  c: { caseId: string; campaignId?: string | null; keys: readonly EntityKey[]; tlp?: Tlp; at: string },
): Promise<void> {
  await store.transaction((tx) =>
    p.publish(tx, {
      caseId: c.caseId,
      campaignId: c.campaignId ?? null,
      entityKeys: [...c.keys],
      tlp: c.tlp ?? 'green',
      decidedAt: c.at,
      actor: 'cli:analyst',
    }),
  );
}
