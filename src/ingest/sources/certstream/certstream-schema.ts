/**
 * The certstream message format (CaliDog certstream-server and certstream-server-go), validated at
 * the edge. Only the fields Precursor reads are required; the ones it uses when present are optional,
 * and unknown fields pass through untouched (a feed that omits `subject` is still a feed).
 * @module
 */
import { z } from 'zod';

const dn = z.object({ aggregated: z.string().nullish() }).passthrough();

export const certstreamMessageSchema = z.discriminatedUnion('message_type', [
  z.object({
    message_type: z.literal('certificate_update'),
    data: z.object({
      update_type: z.string().optional(),
      cert_index: z.number().int().nonnegative(),
      cert_link: z.string().optional(),
      seen: z.number(),
      source: z.object({ name: z.string().optional(), url: z.string().min(1) }),
      leaf_cert: z.object({
        all_domains: z.array(z.string()),
        subject: dn.optional(),
        issuer: dn.optional(),
        fingerprint: z.string().optional(),
        sha1: z.string().optional(),
        sha256: z
          .string()
          .regex(/^([0-9a-fA-F]{2}:?){31}[0-9a-fA-F]{2}$/)
          .optional(),
        serial_number: z.string().optional(),
        not_before: z.number().optional(),
        not_after: z.number().optional(),
        as_der: z.string().optional(),
      }),
      chain: z.array(z.object({ subject: dn }).passthrough()).default([]),
    }),
  }),
  z.object({ message_type: z.literal('heartbeat') }).passthrough(),
  z.object({ message_type: z.literal('dns_entries') }).passthrough(),
]);

export type CertstreamMessage = z.infer<typeof certstreamMessageSchema>;
