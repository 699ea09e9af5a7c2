/**
 * Webhook settings: where hold-and-review, block and notify actions (and audit anchors) are delivered.
 * Documented in docs/config.md; the review stage's outbox reads them.
 * @module
 */
import { z } from 'zod';

export const RetrySchema = z
  .object({
    /** Delay before the first retry, ms. */
    initialMs: z.coerce.number().int().min(10).default(5_000),
    /** Each further retry waits this many times longer. */
    factor: z.coerce.number().min(1).max(10).default(2),
    /** Longest wait between two attempts, ms. */
    maxMs: z.coerce.number().int().min(10).default(3_600_000),
    /** ± fraction of random spread, so many actions retried at once do not arrive together. */
    jitter: z.coerce.number().min(0).max(1).default(0.2),
    /** Attempts before the action is parked as dead (0: retry until acknowledged). */
    maxAttempts: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const WebhookSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    /** HMAC-SHA256 key (at least 16 characters); or `secretEnv`, the environment variable holding it. */
    secret: z.string().min(16).optional(),
    secretEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/)
      .optional(),
    /** Header that carries `sha256=<hex>`. */
    signatureHeader: z
      .string()
      .regex(/^[A-Za-z0-9-]+$/)
      .default('x-precursor-signature'),
    /** `json`: the action as JSON; `slack`: a Slack-compatible `{"text": …}` message. */
    body: z.enum(['json', 'slack']).default('json'),
    /** Per-attempt time limit, ms. */
    timeoutMs: z.coerce.number().int().min(100).max(120_000).default(10_000),
    retry: RetrySchema.default({
      initialMs: 5_000,
      factor: 2,
      maxMs: 3_600_000,
      jitter: 0.2,
      maxAttempts: 0,
    }),
  })
  .strict()
  .refine((w) => w.secret === undefined || w.secretEnv === undefined, {
    message: 'give either secret or secretEnv, not both',
  })
  .refine((w) => w.body === 'slack' || w.secret !== undefined || w.secretEnv !== undefined, {
    message: 'a json webhook needs a secret (or secretEnv) to sign its bodies',
  });

/** Webhooks by name; a policy's `notify` rule and the actions name one. */
export const WebhooksSchema = z
  .record(z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/), WebhookSchema)
  .default({});

export type WebhookConfig = z.infer<typeof WebhookSchema>;
