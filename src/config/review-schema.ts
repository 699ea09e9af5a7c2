/**
 * The review stage's settings (docs/config.md): which policy file is live until one is applied, which
 * webhooks receive the provider actions (hold, block, release) and decision notifications, the outbox
 * loop's pace and the audit anchor. (A decision's default TLP is `share.defaultTlp`.)
 * @module
 */
import { z } from 'zod';

const WebhookName = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/);

export const ReviewSchema = z
  .object({
    /** Policy file used while none has been applied with `precursor policy apply` (default: the shipped one). */
    policy: z.string().min(1).optional(),
    /** Webhook that receives hold-and-review, block and release actions (the provider's abuse desk). */
    provider: WebhookName.optional(),
    /** Webhooks told of every decision. */
    notify: z.array(WebhookName).default([]),
    outbox: z
      .object({
        /** How often the server looks for due actions, ms. */
        intervalMs: z.coerce.number().int().min(10).max(600_000).default(1_000),
        /** Actions per pass. */
        batch: z.coerce.number().int().min(1).max(10_000).default(100),
        /** How long a claimed action is reserved for its deliverer, ms (then it is due again). */
        leaseMs: z.coerce.number().int().min(1_000).max(3_600_000).default(60_000),
      })
      .strict()
      .default({ intervalMs: 1_000, batch: 100, leaseMs: 60_000 }),
    audit: z
      .object({
        /** JSON-lines file that receives `{count, head, at}` every `every` entries. */
        anchorFile: z.string().min(1).optional(),
        /** Webhook that receives the same anchor. */
        anchorWebhook: WebhookName.optional(),
        every: z.coerce.number().int().min(1).max(1_000_000).default(100),
      })
      .strict()
      .default({ every: 100 }),
  })
  .strict();

export type ReviewConfig = z.infer<typeof ReviewSchema>;

export const REVIEW_DEFAULTS: ReviewConfig = ReviewSchema.parse({});
