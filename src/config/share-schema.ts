/**
 * `share:` — what a confirmed decision publishes and how it is served (docs/config.md, docs/sharing.md).
 * @module
 */
import { z } from 'zod';
import { TLP_LEVELS } from '../domain/tlp.js';

const tlp = z.enum(TLP_LEVELS);

export const ShareSchema = z
  .object({
    /** The publishing organisation (the STIX identity every object is created by). */
    producer: z
      .object({
        name: z.string().min(1).max(200).default('Precursor'),
        /** Contact e-mail address: the reporter of abuse reports (XARF reporter/sender). */
        contact: z.email().optional(),
        /** The organisation's domain (XARF reporter domain). */
        domain: z.string().min(1).max(253).optional(),
        /** When the identity was first defined: part of its STIX version, so keep it fixed. */
        created: z.iso.datetime().default('2026-01-01T00:00:00.000Z'),
      })
      .strict()
      .default({ name: 'Precursor', created: '2026-01-01T00:00:00.000Z' }),
    /** Days a published indicator stays valid (valid_until = decision + this); 0: until revoked. */
    indicatorLifetimeDays: z.coerce.number().min(0).max(3650).default(30),
    /** STIX confidence (0–100) of a human-confirmed indicator. */
    confidence: z.coerce.number().int().min(0).max(100).default(85),
    /** TLP of a decision that names none. */
    defaultTlp: tlp.default('amber'),
    rpz: z
      .object({
        /** The response-policy zone's name (its $ORIGIN). */
        origin: z
          .string()
          .regex(/^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/)
          .default('rpz.precursor.invalid'),
        /** Record TTL, seconds. */
        ttl: z.coerce.number().int().min(1).max(604_800).default(300),
      })
      .strict()
      .default({ origin: 'rpz.precursor.invalid', ttl: 300 }),
    taxii: z
      .object({
        title: z.string().min(1).default('Precursor'),
        /** Largest page any objects/manifest/versions request returns. */
        maxPageSize: z.coerce.number().int().min(1).max(100_000).default(1000),
        /** API root `max_content_length`: the largest POSTed envelope, bytes. */
        maxContentLength: z.coerce
          .number()
          .int()
          .min(1024)
          .default(10 * 1024 * 1024),
        /** TLP ceiling of the deploying organisation's own keys (keys without a partner). */
        internalTlp: tlp.default('red'),
      })
      .strict()
      .default({
        title: 'Precursor',
        maxPageSize: 1000,
        maxContentLength: 10 * 1024 * 1024,
        internalTlp: 'red',
      }),
  })
  .strict();

export type ShareConfig = z.infer<typeof ShareSchema>;
