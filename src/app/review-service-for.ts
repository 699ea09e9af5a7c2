/**
 * Builds the review service from the configuration: thresholds, policy file, action targets (checked
 * against the configured webhooks), TLP default, audit anchoring and the intel publisher when one is
 * wired. One function, so the CLI and the server build the same service.
 * @module
 */
import type { Config } from '../config/config-schema.js';
import { PrecursorError } from '../domain/index.js';
import type { IntelPublisher } from '../review/intel-port.js';
import { createIntelPublisher } from './intel-publisher.js';
import { ReviewService } from '../review/review-service.js';
import { checkPolicyTargets } from '../review/policy-admin.js';
import { livePolicy } from '../review/policy-source.js';
import type { Aggregates } from '../store/store.js';

/** Every webhook the review settings name must be configured: a typo would silently drop actions. */
export function checkReviewTargets(config: Config): void {
  const r = config.review;
  const named = [
    ...(r.provider === undefined ? [] : [['review.provider', r.provider] as const]),
    ...r.notify.map((n, i) => [`review.notify[${i}]`, n] as const),
    ...(r.audit.anchorWebhook === undefined
      ? []
      : [['review.audit.anchorWebhook', r.audit.anchorWebhook] as const]),
  ];
  for (const [where, name] of named)
    if (!(name in config.webhooks))
      throw new PrecursorError('CONFIG_INVALID', `${where}: no webhook named '${name}' under webhooks`, {
        details: { key: where },
      });
}

/** The live policy's targets (applied, configured or shipped) against the configured webhooks. */
export async function checkLivePolicyTargets(store: Aggregates, config: Config): Promise<void> {
  const live = await livePolicy(store, config.review.policy);
  checkPolicyTargets(live.policy, Object.keys(config.webhooks), live.source);
}

export function reviewServiceFor(
  store: Aggregates,
  config: Config,
  options: { intel?: IntelPublisher; now?: () => Date } = {},
): ReviewService {
  checkReviewTargets(config);
  const r = config.review;
  return new ReviewService(store, {
    thresholds: config.scoring,
    policyFile: r.policy,
    provider: r.provider,
    notify: r.notify,
    defaultTlp: config.share.defaultTlp,
    intel: options.intel ?? createIntelPublisher(config, options.now),
    anchoring: { file: r.audit.anchorFile, webhook: r.audit.anchorWebhook, every: r.audit.every },
    ...(options.now ? { now: options.now } : {}),
  });
}
