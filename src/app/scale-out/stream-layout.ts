/**
 * How the scale-out mode lays observations out on NATS JetStream: one stream per deployment
 * (`<prefix>_observations`), one subject per partition and source
 * (`<prefix>.obs.p<k>.<source token>`), one durable pull consumer per partition
 * (`<prefix>-store-p<k>`, filtering `<prefix>.obs.p<k>.>`: nats-server 2.9 allows one filter per
 * consumer, and one wildcard filter per partition is all this needs).
 *
 * Why partitions, and why by these keys: the stages downstream keep state per key — a registrable
 * domain's names, certificates and pages; an account's tenant events; a wallet's transactions. Every
 * observation about one key hashes to one partition (a tenant source's events all share one: see
 * `partitionKey`), a partition is drained by one worker at a time
 * (an advisory lock, see worker.ts) with at most one batch unacknowledged (`max_ack_pending`), so a
 * key's observations reach the store in the order they were published — also after a crash, when the
 * unacknowledged batch is delivered again before anything after it. Different keys spread over the
 * partitions, and so over the workers.
 * @module
 */
import { getDomain } from 'tldts';
import type { Observation } from '../../domain/index.js';

export interface StreamSettings {
  readonly url: string;
  readonly prefix: string;
  readonly partitions: number;
  readonly batch: number;
  readonly ackWaitSeconds: number;
  readonly maxDeliver: number;
  readonly maxAgeDays: number;
}

export interface StreamLayout {
  readonly prefix: string;
  readonly stream: string;
  readonly partitions: number;
  /** The stream's subjects: every partition and source. */
  readonly subjects: string;
  subject(partition: number, source: string): string;
  filter(partition: number): string;
  consumer(partition: number): string;
  /** The source id a subject carries (its last token). */
  sourceOf(subject: string): string | undefined;
  partitionOf(o: Observation): number;
}

/** Source ids hold dots, slashes and colons; a subject token may not hold dots: base64url it. */
const token = (source: string) => Buffer.from(source, 'utf8').toString('base64url');

/** FNV-1a: stable across processes and versions, which a partition function must be. */
function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const hostOf = (url: string): string => {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
};
const registrable = (host: string): string => getDomain(host, { allowPrivateDomains: true }) ?? host;

/**
 * The key whose state the observation updates: registrable domain for names, certificates (their
 * first name), delegations, URLs and pages; the tenant source for a tenant event; the first paying wallet for
 * a transaction; the entity for an enrichment.
 */
export function partitionKey(o: Observation): string {
  const p = o.payload as unknown as Record<string, unknown>;
  switch (o.kind) {
    case 'domain':
    case 'delegation':
      return `d:${registrable(String(p.name ?? ''))}`;
    case 'certificate': {
      const names = Array.isArray(p.names) ? (p.names as string[]) : [];
      return `d:${registrable(String(names[0] ?? p.sha256 ?? '').replace(/^\*\./, ''))}`;
    }
    case 'url':
    case 'snapshot':
      return `d:${registrable(hostOf(String(p.url ?? '')))}`;
    case 'tenant-event':
      // One partition per tenant source, so its events reach the store in the order it sent them:
      // the tenant stage's windows follow event time across accounts (clusters join accounts through
      // shared attributes) and drop events later than `allowedLatenessHours` behind the watermark. Per
      // account would keep each account in order but let one partition run days ahead of another.
      return `t:${o.source}`;
    case 'transaction': {
      const from = Array.isArray(p.from) ? (p.from as Array<{ address?: string }>) : [];
      return `w:${from[0]?.address ?? String(p.txHash ?? '')}`;
    }
    case 'enrichment':
      return `e:${String(p.entity ?? '')}`;
    default:
      return `k:${o.dedupeKey}`;
  }
}

export function streamLayout(prefix: string, partitions: number): StreamLayout {
  return {
    prefix,
    stream: `${prefix}_observations`,
    partitions,
    subjects: `${prefix}.obs.>`,
    subject: (k, source) => `${prefix}.obs.p${k}.${token(source)}`,
    filter: (k) => `${prefix}.obs.p${k}.>`,
    consumer: (k) => `${prefix}-store-p${k}`,
    sourceOf(subject) {
      const last = subject.slice(subject.lastIndexOf('.') + 1);
      if (!subject.startsWith(`${prefix}.obs.p`) || last === '') return undefined;
      return Buffer.from(last, 'base64url').toString('utf8');
    },
    partitionOf: (o) => fnv1a(partitionKey(o)) % partitions,
  };
}
