/**
 * Lead time: how long before an operation went live Precursor flagged it. Go-live is, where the data
 * says it: the first crawl that found a live credential form on a member's page, else the first
 * deployment one of its accounts made. First flagged is the earliest moment a member was flagged on
 * its own evidence (a flag the campaign itself lent does not count: it came later).
 * @module
 */
import { assess, type ScoreThresholds } from '../detect/score.js';
import type { Assessment } from '../domain/index.js';

/** Page signals that mean a credential form is being served (the page is live). */
export const LIVE_FORM_SIGNALS: ReadonlySet<string> = new Set([
  'page.capture.password-field',
  'page.capture.email-field',
  'page.capture.offsite-form',
  'page.capture.js-post',
  'page.capture.js-form-rewrite',
]);

export type GoLiveBasis = 'live-form' | 'deployment';

export interface LeadTime {
  readonly firstFlaggedAt: string | null;
  readonly goLiveAt: string | null;
  /** What go-live was taken from. */
  readonly basis: GoLiveBasis | null;
  /** goLiveAt − firstFlaggedAt in hours (one decimal); positive: flagged before it went live. */
  readonly hours: number | null;
}

/** The first entry of an assessment history flagged on its own signals (campaign ones left out). */
export function firstOwnFlag(history: readonly Assessment[], thresholds: ScoreThresholds): string | null {
  for (const h of history) {
    const own = h.contributions.filter((c) => !c.id.startsWith('campaign.'));
    if (own.length === h.contributions.length) {
      if (h.flagged) return h.assessedAt;
      continue;
    }
    const a = assess(
      h.entity,
      own.map((c) => ({
        id: c.id,
        detector: c.detector,
        weight: c.weight,
        detail: c.detail,
        evidence: c.evidence,
      })),
      h.assessedAt,
      thresholds,
    );
    if (a.flagged) return h.assessedAt;
  }
  return null;
}

export function leadTime(
  firstFlaggedAt: string | null,
  liveForms: readonly string[],
  deployments: readonly string[],
): LeadTime | null {
  const min = (xs: readonly string[]) => (xs.length === 0 ? null : [...xs].sort()[0]!);
  const live = min(liveForms);
  const deployed = min(deployments);
  const goLiveAt = live ?? deployed;
  const basis: GoLiveBasis | null = live ? 'live-form' : deployed ? 'deployment' : null;
  if (firstFlaggedAt === null && goLiveAt === null) return null;
  const hours =
    firstFlaggedAt !== null && goLiveAt !== null
      ? Math.round(((Date.parse(goLiveAt) - Date.parse(firstFlaggedAt)) / 3_600_000) * 10) / 10
      : null;
  return { firstFlaggedAt, goLiveAt, basis, hours };
}
