/**
 * `run`: what `precursor run` keeps going beside the server — the feeds it follows and how often the
 * queues and periodic stages run (docs/run.md). Strict: an unknown key or feed type is an error.
 * @module
 */
import { z } from 'zod';

const seconds = (d: number) => z.coerce.number().min(0.1).max(86_400).default(d);
const file = z.string().min(1);
/** Section defaults, used when the section is absent and when `run:` itself is. */
const CRAWL_DEFAULTS = { enabled: true, everySeconds: 5, batch: 16, concurrency: 4 };
const ENRICH_DEFAULTS = {
  enabled: false,
  everySeconds: 600,
  limit: 200,
  rdap: true,
  ipRdap: true,
  dns: true,
  timeoutMs: 10_000,
};

const FeedSchema = z.discriminatedUnion('type', [
  z
    .object({
      type: z.literal('certstream'),
      /** `wss://…` for a live stream, or a JSON-lines file re-read as it grows. */
      input: z.string().min(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('ct'),
      /** A v3 log list (log_list.json). */
      logList: file,
      /** Only logs whose URL or description contains one of these. */
      match: z.array(z.string().min(1)).optional(),
      states: z
        .array(z.enum(['pending', 'qualified', 'usable', 'readonly', 'retired', 'rejected']))
        .optional(),
      /** Logs read at once. */
      concurrency: z.coerce.number().int().min(1).max(64).default(4),
    })
    .strict(),
  z
    .object({
      type: z.literal('events'),
      /** A JSONL file re-read as it grows … */
      file: file.optional(),
      /** … or a NATS JetStream stream, followed. */
      nats: z.string().min(1).optional(),
      stream: z.string().min(1).optional(),
      subjects: z.array(z.string().min(1)).optional(),
    })
    .strict()
    .refine((f) => (f.file === undefined) !== (f.nats === undefined), 'give either file or nats')
    .refine((f) => f.nats === undefined || f.stream !== undefined, 'nats needs stream'),
  z
    .object({
      type: z.literal('transactions'),
      file,
      format: z.enum(['csv', 'jsonl']).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('list'),
      file,
      format: z.enum(['text', 'csv', 'jsonl']).optional(),
    })
    .strict(),
  z
    .object({
      type: z.literal('zone'),
      /** The zone file as it was … */
      old: file.optional(),
      /** … and as it is now: diffed once at start (newly delegated names); a new pair needs a restart. */
      new: file.optional(),
      /**
       * Or a directory of one zone's snapshots, watched: each new snapshot is diffed against the one
       * before it (by file name; on a first start the newest pair only).
       */
      dir: file.optional(),
      /** With `dir`: which files are snapshots (the end of their names). */
      suffix: z.string().min(1).default('.zone'),
    })
    .strict()
    .refine(
      (f) =>
        f.dir === undefined
          ? f.old !== undefined && f.new !== undefined
          : f.old === undefined && f.new === undefined,
      'give either old and new, or dir',
    ),
]);

export type FeedConfig = z.infer<typeof FeedSchema>;

export const RunSchema = z
  .object({
    feeds: z.array(FeedSchema).default([]),
    /** How often file feeds are read again for appended lines. */
    pollSeconds: seconds(10),
    /** How often the tenant stage and detect run over what the feeds committed (sooner when woken). */
    detectSeconds: seconds(2),
    crawl: z
      .object({
        enabled: z.boolean().default(true),
        everySeconds: seconds(5),
        /** Queue items claimed per round. */
        batch: z.coerce.number().int().min(1).max(1000).default(16),
        concurrency: z.coerce.number().int().min(1).max(64).default(4),
      })
      .strict()
      .default(CRAWL_DEFAULTS),
    enrich: z
      .object({
        enabled: z.boolean().default(false),
        everySeconds: seconds(600),
        /** Flagged domains looked up per round (those not yet looked up by this process today). */
        limit: z.coerce.number().int().min(1).max(100_000).default(200),
        /** IANA RDAP bootstrap (file or URL; default IANA's). */
        bootstrap: z.string().min(1).optional(),
        rdap: z.boolean().default(true),
        /** RDAP of the networks the flagged domains' addresses are in (the hosting abuse contact). */
        ipRdap: z.boolean().default(true),
        /** IANA RDAP IP bootstrap files (file or URL; default the copies shipped in data/rdap/). */
        ipv4Bootstrap: z.string().min(1).optional(),
        ipv6Bootstrap: z.string().min(1).optional(),
        dns: z.boolean().default(true),
        timeoutMs: z.coerce.number().int().min(1).max(600_000).default(10_000),
      })
      .strict()
      .default(ENRICH_DEFAULTS),
    /** How often the periodic stages (full recluster, policy, outbox) run, when the build has them. */
    reclusterSeconds: seconds(600),
  })
  .strict()
  .default({
    feeds: [],
    pollSeconds: 10,
    detectSeconds: 2,
    crawl: CRAWL_DEFAULTS,
    enrich: ENRICH_DEFAULTS,
    reclusterSeconds: 600,
  });
