/**
 * The TAXII collections every deployment has: `confirmed` (what review confirmed, read-only) and
 * `partner-submissions` (where ingest keys POST partners' intel). Their ids are UUIDv5 of the alias,
 * so they are the same in every deployment and across restarts. Operators add grants, not code.
 * @module
 */
import type { Aggregates, IntelCollection } from '../store/store.js';
import { PRECURSOR_NAMESPACE } from './stix/stix-id.js';
import { uuidv5 } from './uuid-v5.js';

export const CONFIRMED_ALIAS = 'confirmed';
export const SUBMISSIONS_ALIAS = 'partner-submissions';

export function collectionId(alias: string): string {
  return uuidv5(`taxii-collection:${alias}`, PRECURSOR_NAMESPACE);
}

export const DEFAULT_COLLECTIONS: readonly Omit<IntelCollection, 'createdAt'>[] = [
  {
    id: collectionId(CONFIRMED_ALIAS),
    alias: CONFIRMED_ALIAS,
    title: 'Confirmed phishing infrastructure',
    description:
      'Indicators, observables, campaigns and relationships confirmed by a human review; revoked and re-versioned, never edited.',
    canWrite: false,
  },
  {
    id: collectionId(SUBMISSIONS_ALIAS),
    alias: SUBMISSIONS_ALIAS,
    title: 'Partner submissions',
    description:
      "Partners' intel POSTed by ingest keys; fed into the pipeline as observations of its own source.",
    canWrite: true,
  },
];

/** Creates the default collections when absent (idempotent); returns them as stored. */
export async function ensureDefaultCollections(store: Aggregates, now: Date): Promise<IntelCollection[]> {
  const out: IntelCollection[] = [];
  for (const c of DEFAULT_COLLECTIONS)
    out.push(await store.intel.ensureCollection({ ...c, createdAt: now.toISOString() }));
  return out;
}
