/**
 * Every number that decides something lives here with its documented default (docs/config.md).
 * @module
 */
import { z } from 'zod';
import { LINK_PIVOTS, PIVOT_CLASSES, type PivotSettings } from '../domain/index.js';
import { ShareSchema } from './share-schema.js';
import { RunSchema } from './run-schema.js';
import { REVIEW_DEFAULTS, ReviewSchema } from './review-schema.js';
import { WebhooksSchema } from './webhooks-schema.js';

const strength = z.number().min(0).max(1);

/**
 * `pivots`: overrides of the pivot model's link strengths (defaults in src/correlate/pivots.ts,
 * documented in docs/config.md). Strict: an unknown pivot or value class is an error.
 */
const PivotsSchema = z
  .object({
    strengths: z
      .object(
        Object.fromEntries(
          LINK_PIVOTS.map((p) => [
            p,
            p in PIVOT_CLASSES
              ? z
                  .object(
                    Object.fromEntries(
                      PIVOT_CLASSES[p as keyof typeof PIVOT_CLASSES].map((c) => [c, strength.optional()]),
                    ),
                  )
                  .strict()
                  .optional()
              : strength.optional(),
          ]),
        ),
      )
      .strict()
      .optional(),
    sharedFloor: strength.optional(),
  })
  .strict() as unknown as z.ZodType<PivotSettings>;

export const ConfigSchema = z
  .object({
    /** Where the embedded store, evidence and caches live. */
    home: z.string().min(1).default('./.precursor'),
    database: z
      .object({
        /** `postgres://…` for a store several processes share; unset for SQLite under `home`. */
        url: z.string().min(1).optional(),
        /** PostgreSQL schema (default `public`). */
        schema: z
          .string()
          .regex(/^[a-z_][a-z0-9_]{0,62}$/)
          .optional(),
      })
      .strict()
      .default({}),
    /**
     * The scale-out mode's work stream (docs/scale-out.md): with `url` set (and a PostgreSQL store),
     * sources publish to NATS JetStream and `precursor worker` processes run the stages.
     */
    stream: z
      .object({
        /** `nats://…`: switches to the scale-out mode. Unset: the stages run in the ingesting process. */
        url: z
          .string()
          .regex(/^nats:\/\/\S+$/, 'must be a nats://host:port URL')
          .optional(),
        /** Names the streams and consumers, so two deployments can share one NATS server. */
        prefix: z
          .string()
          .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ and - only (1–32)')
          .default('precursor'),
        /** Partitions of the observation subjects (fixed for the life of a stream). */
        partitions: z.coerce.number().int().min(1).max(256).default(16),
        /** Messages a worker takes from one partition at a time (its in-flight bound). */
        batch: z.coerce.number().int().min(1).max(10_000).default(500),
        /** Seconds before an unacknowledged message (its worker died) is delivered again. */
        ackWaitSeconds: z.coerce.number().int().min(1).max(3600).default(30),
        /** Deliveries of one message before it is dead-lettered. */
        maxDeliver: z.coerce.number().int().min(1).max(1000).default(5),
        /** How long the stream keeps messages, days (they are counted by `precursor status`). */
        maxAgeDays: z.coerce.number().min(0.01).max(3650).default(7),
      })
      .strict()
      .default({
        prefix: 'precursor',
        partitions: 16,
        batch: 500,
        ackWaitSeconds: 30,
        maxDeliver: 5,
        maxAgeDays: 7,
      }),
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.coerce.number().int().min(0).max(65535).default(8080),
        /** Largest accepted request body, bytes. */
        bodyLimit: z.coerce
          .number()
          .int()
          .positive()
          .default(10 * 1024 * 1024),
      })
      .strict()
      .default({ host: '127.0.0.1', port: 8080, bodyLimit: 10 * 1024 * 1024 }),
    scoring: z
      .object({
        /** Score from which an entity is flagged for a human. */
        flag: z.coerce.number().min(0).max(100).default(50),
        /** Score from which a verdict is `malicious`. */
        malicious: z.coerce.number().min(0).max(100).default(85),
      })
      .strict()
      .default({ flag: 50, malicious: 85 }),
    ingest: z
      .object({
        // 1,000 is as fast as 5,000 on SQLite and keeps ~90 MB less heap: fewer records outlive a
        // young-generation collection, so less garbage reaches V8's old generation (bench/ingest.ts).
        batchSize: z.coerce.number().int().min(1).max(100_000).default(1000),
        maxRawChars: z.coerce.number().int().min(16).default(4096),
      })
      .strict()
      .default({ batchSize: 1000, maxRawChars: 4096 }),
    // 5,000 observations per detect-stage transaction: each commit writes every B-tree page the slice
    // dirtied to the WAL, and the entity, link and assessment tables take random keys, so fewer, larger
    // slices write far fewer pages (a certstream month: commit CPU 9.6 s → 6.7 s with the larger cache).
    detect: z
      .object({
        batchSize: z.coerce.number().int().min(1).max(50_000).default(5000),
        // `signalled` (default): a certificate observation is turned into entity, link and assessment
        // rows only when one of its names scores above 0 or has a distinctive naming shape; `all`:
        // every one is (docs/model.md, "What the graph holds").
        materialise: z.enum(['signalled', 'all']).default('signalled'),
      })
      .strict()
      .default({ batchSize: 5000, materialise: 'signalled' }),
    /** Brand profiles: a directory or file of YAML profiles (default: the shipped `brands/`). */
    brands: z.string().min(1).optional(),
    /** Kit fingerprint rules: a directory of YAML rules (default: the shipped `kits/`). */
    kits: z.string().min(1).optional(),
    /** Link strength by pivot and value class (the pivot model); overrides of the documented defaults. */
    pivots: PivotsSchema.default({}),
    /** Per-detector settings, keyed by detector id; each detector validates its own. */
    detectors: z.record(z.string(), z.unknown()).default({}),
    crawl: z
      .object({
        /** The only way past the SSRF guard (labs and tests). */
        allowPrivate: z.boolean().default(false),
        /** Queue every newly flagged domain for a crawl of `https://<name>/` (drained by `crawl --queue`). */
        queueFlagged: z.boolean().default(true),
      })
      .strict()
      .default({ allowPrivate: false, queueFlagged: true }),
    /** The correlate stage (docs/correlation.md): campaigns and the evidence that flows inside them. */
    correlate: z
      .object({
        /** Run correlation after every ingest/detect run that processed something. */
        enabled: z.boolean().default(true),
        /**
         * Between full reclusters, take arrivals in incrementally (docs/correlation.md); false: a full
         * recluster after every run, as before.
         */
        incremental: z.boolean().default(true),
        /** Minutes after which the next run is a full recluster again (caps relearned, Louvain, ids). */
        fullEvery: z.number().min(0).default(60),
        /** Member entities (names, accounts, pages) a campaign needs at least. */
        minMembers: z.number().int().min(2).max(1000).default(2),
        /** Different medium pivots a pair must share to be tied. */
        conjunction: z.number().int().min(1).max(10).default(2),
        /** A medium value shared by more members than this ties nobody. */
        mediumCap: z.number().int().min(2).max(100_000).default(20),
        /** A component larger than this raises an alarm. */
        alarmSize: z.number().int().min(2).default(2000),
        /** Components larger than this are split into communities (Louvain). */
        splitAbove: z.number().int().min(2).default(2000),
        evidence: z
          .object({
            maxWeight: z.number().min(0).max(100).default(70),
            minWeight: z.number().min(0).max(100).default(10),
            minFlagged: z.number().int().min(1).default(2),
            minFamilies: z.number().int().min(1).default(2),
            strongScore: z.number().min(0).max(100).default(80),
          })
          .strict()
          .default({ maxWeight: 70, minWeight: 10, minFlagged: 2, minFamilies: 2, strongScore: 80 }),
        /** Lone flags resting on one weak source stay quiet (held under the flag threshold). */
        quiet: z
          .object({
            sources: z.array(z.enum(['tenant', 'domain', 'page'])).default(['tenant']),
            below: z.number().min(0).max(100).default(100),
          })
          .strict()
          .default({ sources: ['tenant'], below: 100 }),
      })
      .strict()
      .default({
        enabled: true,
        incremental: true,
        fullEvery: 60,
        minMembers: 2,
        conjunction: 2,
        mediumCap: 20,
        alarmSize: 2000,
        splitAbove: 2000,
        evidence: { maxWeight: 70, minWeight: 10, minFlagged: 2, minFamilies: 2, strongScore: 80 },
        quiet: { sources: ['tenant'], below: 100 },
      }),
    /** Webhooks by name: where review actions and audit anchors are delivered (docs/config.md). */
    webhooks: WebhooksSchema,
    /** Publishing confirmed intel: producer, indicator lifetime, default TLP, TAXII limits. */
    share: ShareSchema.default(ShareSchema.parse({})),
    /** `precursor run`: feeds followed beside the server, queue and stage intervals (docs/run.md). */
    run: RunSchema,
    /** The review stage: policy, action targets, decision TLP, outbox pace, audit anchor (docs/config.md). */
    review: ReviewSchema.default(REVIEW_DEFAULTS),
    log: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
      })
      .strict()
      .default({ level: 'info' }),
  })
  .strict();

export type Config = z.infer<typeof ConfigSchema>;
