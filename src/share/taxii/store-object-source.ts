/**
 * The TaxiiObjectSource over the store's `intel` aggregate: what `precursor serve` pages from. The
 * semantics are those of MemoryObjectSource (the reference the protocol tests run against); the
 * store answers with one keyset query per page.
 * @module
 */
import type { IntelStore } from '../../store/store.js';
import type { TaxiiObjectSource, TaxiiQuery, TaxiiRecord } from './object-source.js';
import { TaxiiError } from './taxii-error.js';
import { canonicalTaxiiTimestamp } from './taxii-timestamp.js';

export class StoreObjectSource implements TaxiiObjectSource {
  readonly #intel: Pick<IntelStore, 'queryObjects'>;

  constructor(intel: Pick<IntelStore, 'queryObjects'>) {
    this.#intel = intel;
  }

  async query(q: TaxiiQuery): Promise<readonly TaxiiRecord[]> {
    const versions =
      typeof q.versions === 'object'
        ? {
            // Stored versions are canonical µs timestamps; a client may write the same instant otherwise.
            versions: q.versions.versions.map((v) => {
              const c = canonicalTaxiiTimestamp(v);
              if (c === undefined) throw new TaxiiError(400, `match[version] is not a timestamp: ${v}`);
              return c;
            }),
          }
        : q.versions;
    const rows = await this.#intel.queryObjects({
      collectionId: q.collectionId,
      tlp: q.tlp,
      versions,
      limit: q.limit,
      ...(q.after ? { after: q.after } : {}),
      ...(q.addedAfter !== undefined ? { addedAfter: q.addedAfter } : {}),
      ...(q.ids ? { ids: q.ids } : {}),
      ...(q.types ? { types: q.types } : {}),
      ...(q.specVersions ? { specVersions: q.specVersions } : {}),
    });
    return rows.map((r) => ({
      tlp: r.tlp,
      id: r.stixId,
      type: r.type,
      version: r.version,
      specVersion: r.specVersion,
      dateAdded: r.dateAdded,
      mediaType: r.mediaType,
      object: r.body,
    }));
  }
}
