/**
 * The reference TaxiiObjectSource: records held in memory in (date_added, id, version) order, a binary
 * search to the cursor, then a forward scan. It defines the semantics a store-backed source must
 * match (the TAXII tests run against it) and serves small deployments and the benchmarks.
 * @module
 */
import { stricterTlp, type Tlp, tlpAllows } from '../model.js';
import { TLP_MARKING_IDS } from '../stix/tlp-marking.js';
import {
  comparePosition,
  type TaxiiObjectSource,
  type TaxiiQuery,
  type TaxiiRecord,
} from './object-source.js';
import { dateAdded as makeDateAdded } from './taxii-timestamp.js';
import { STIX_MEDIA_TYPE } from './taxii-media.js';

const TLP_BY_MARKING = new Map<string, Tlp>(
  Object.entries(TLP_MARKING_IDS).map(([tlp, id]) => [id, tlp as Tlp]),
);

/**
 * The TLP of a STIX object: its strictest TLP 2.0 marking. Marking definitions are public; an object
 * with no TLP marking gets `unmarked` (default red: what nobody marked is shown to nobody by accident).
 */
export function tlpOfStixObject(object: Readonly<Record<string, unknown>>, unmarked: Tlp = 'red'): Tlp {
  if (object.type === 'marking-definition') return 'clear';
  const refs = Array.isArray(object.object_marking_refs) ? object.object_marking_refs : [];
  let tlp: Tlp | undefined;
  for (const ref of refs) {
    const t = typeof ref === 'string' ? TLP_BY_MARKING.get(ref) : undefined;
    if (t) tlp = tlp ? stricterTlp(tlp, t) : t;
  }
  return tlp ?? unmarked;
}

/** A TAXII record for a STIX object added at `dateAdded`. */
export function taxiiRecordOf(
  object: Readonly<Record<string, unknown>>,
  dateAdded: string,
  unmarked: Tlp = 'red',
): TaxiiRecord {
  const version = String(object.modified ?? object.created ?? dateAdded);
  return {
    tlp: tlpOfStixObject(object, unmarked),
    id: String(object.id),
    type: String(object.type),
    version,
    specVersion: String(object.spec_version ?? '2.0'),
    dateAdded,
    mediaType: STIX_MEDIA_TYPE,
    object,
  };
}

interface Collection {
  records: TaxiiRecord[];
  /** Versions of each object, oldest first by version. */
  byId: Map<string, TaxiiRecord[]>;
}

export class MemoryObjectSource implements TaxiiObjectSource {
  readonly #collections = new Map<string, Collection>();
  #lastMs = 0;
  #micro = 0;

  /** Adds records (any order); a record with an existing (id, version) is ignored (TAXII keeps the first). */
  add(collectionId: string, records: readonly TaxiiRecord[]): number {
    const c = this.#collection(collectionId);
    let added = 0;
    for (const r of records) {
      const versions = c.byId.get(r.id) ?? [];
      if (versions.some((v) => v.version === r.version)) continue;
      versions.push(r);
      versions.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
      c.byId.set(r.id, versions);
      c.records.push(r);
      added++;
    }
    c.records.sort(comparePosition);
    return added;
  }

  /** Adds STIX objects now, each with a distinct, increasing date_added (µs counter within a millisecond). */
  addObjects(
    collectionId: string,
    objects: readonly Readonly<Record<string, unknown>>[],
    now = Date.now(),
  ): number {
    return this.add(
      collectionId,
      objects.map((o) => taxiiRecordOf(o, this.#nextDateAdded(now))),
    );
  }

  #nextDateAdded(now: number): string {
    if (now > this.#lastMs) {
      this.#lastMs = now;
      this.#micro = 0;
    } else if (++this.#micro > 999) {
      this.#lastMs++;
      this.#micro = 0;
    }
    return makeDateAdded(this.#lastMs, this.#micro);
  }

  #collection(id: string): Collection {
    let c = this.#collections.get(id);
    if (!c) {
      c = { records: [], byId: new Map() };
      this.#collections.set(id, c);
    }
    return c;
  }

  async query(q: TaxiiQuery): Promise<readonly TaxiiRecord[]> {
    const c = this.#collections.get(q.collectionId);
    if (!c) return [];
    const ids = q.ids ? new Set(q.ids) : undefined;
    const types = q.types ? new Set(q.types) : undefined;
    const specs = q.specVersions ? new Set(q.specVersions) : undefined;
    const wanted =
      typeof q.versions === 'object' ? new Set(q.versions.versions.map(normaliseVersion)) : undefined;
    const out: TaxiiRecord[] = [];
    // The same object id listed several times is one candidate set; scan only its versions.
    const pool =
      ids && ids.size <= 64
        ? [...ids].flatMap((id) => c.byId.get(id) ?? []).sort(comparePosition)
        : c.records;
    for (let i = this.#start(pool, q); i < pool.length && out.length < q.limit; i++) {
      const r = pool[i] as TaxiiRecord;
      if (!tlpAllows(q.tlp, r.tlp)) continue;
      if (q.addedAfter !== undefined && r.dateAdded <= q.addedAfter) continue;
      if (ids && !ids.has(r.id)) continue;
      if (types && !types.has(r.type)) continue;
      if (specs ? !specs.has(r.specVersion) : !this.#latestSpec(c, r)) continue;
      if (!this.#versionMatches(c, r, q, wanted)) continue;
      out.push(r);
    }
    return out;
  }

  /** First index strictly after the cursor (binary search), else 0. */
  #start(pool: readonly TaxiiRecord[], q: TaxiiQuery): number {
    let lo = 0;
    let hi = pool.length;
    const after = q.after;
    const added = q.addedAfter;
    if (!after && added === undefined) return 0;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const r = pool[mid] as TaxiiRecord;
      const before = after ? comparePosition(r, after) <= 0 : false;
      const early = added !== undefined && r.dateAdded <= added;
      if (before || early) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  #latestSpec(c: Collection, r: TaxiiRecord): boolean {
    // Without match[spec_version] only the newest spec version of each object is returned (§3.5.1).
    const versions = c.byId.get(r.id) ?? [];
    return versions.every((v) => v.specVersion <= r.specVersion);
  }

  #versionMatches(c: Collection, r: TaxiiRecord, q: TaxiiQuery, wanted: Set<number> | undefined): boolean {
    if (q.versions === 'all') return true;
    if (wanted) return wanted.has(normaliseVersion(r.version));
    // first and last among the versions this reader may see
    const versions = (c.byId.get(r.id) as TaxiiRecord[]).filter((v) => tlpAllows(q.tlp, v.tlp));
    const pick = q.versions === 'last' ? versions.at(-1) : versions[0];
    return pick === r;
  }
}

function normaliseVersion(v: string): number {
  return Date.parse(v);
}
