/**
 * TAXII 2.1 paging, protocol level (no HTTP yet: the server routes are not wired): N object versions
 * in the reference in-memory source, half of them sharing one date_added, paged with `next` through
 * getObjects + envelopeJson as the server will. Prints objects/s, pages, and RSS before and at peak
 * during paging (the delta is what paging itself costs; it must stay flat as N grows). Checks that
 * every object is returned exactly once.
 *
 *   node --import tsx bench/taxii-paging.ts [--count 1000000] [--limit 1000]
 */
import { parseArgs } from 'node:util';
import { uuidv5 } from '../src/share/uuid-v5.js';
import { MemoryObjectSource } from '../src/share/taxii/memory-object-source.js';
import type { TaxiiRecord } from '../src/share/taxii/object-source.js';
import { envelopeJson, getObjects } from '../src/share/taxii/taxii-pages.js';
import { dateAdded } from '../src/share/taxii/taxii-timestamp.js';
import { STIX_MEDIA_TYPE } from '../src/share/taxii/taxii-media.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '1000000' }, limit: { type: 'string', default: '1000' } },
});
const N = Number(values.count);
const LIMIT = Number(values.limit);
const C = '5f0c3c9e-2f43-4b8e-a3ad-0e8f2d4c7b11';
const NS = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

let t = performance.now();
const source = new MemoryObjectSource();
const tie = dateAdded(Date.parse('2026-11-20T10:00:00.000Z'));
const batch: TaxiiRecord[] = [];
for (let i = 0; i < N; i++) {
  const id = `domain-name--${uuidv5(`n${i}`, NS)}`;
  const object = `{"type":"domain-name","spec_version":"2.1","id":"${id}","value":"lure-${i.toString(36)}.example"}`;
  const added =
    i % 2 === 0 ? tie : dateAdded(Date.parse('2026-11-20T09:00:00.000Z') + Math.floor(i / 2000), i % 1000);
  batch.push({
    tlp: 'green',
    id,
    type: 'domain-name',
    version: added,
    specVersion: '2.1',
    dateAdded: added,
    mediaType: STIX_MEDIA_TYPE,
    object,
  });
}
source.add(C, batch);
batch.length = 0;
console.log(`loaded ${N} records in ${((performance.now() - t) / 1000).toFixed(1)} s`);

globalThis.gc?.();
const before = process.memoryUsage().rss;
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
t = performance.now();
let seen = 0;
let pages = 0;
let bytes = 0;
let next: string | undefined;
do {
  const params = new URLSearchParams({ limit: String(LIMIT), ...(next ? { next } : {}) });
  const page = await getObjects(source, C, params, { maxPageSize: LIMIT, tlp: 'amber' });
  bytes += envelopeJson(page).length;
  seen += page.records.length;
  pages++;
  next = page.next;
  peak = Math.max(peak, process.memoryUsage().rss);
} while (next);
const secs = (performance.now() - t) / 1000;
clearInterval(sampler);
if (seen !== N) throw new Error(`paged ${seen} objects, expected ${N}`);
console.log(
  `paged ${seen} objects in ${pages} pages of ${LIMIT}: ${secs.toFixed(2)} s, ${Math.round(seen / secs)} objects/s, ${mb(bytes)} MB of envelopes; RSS ${mb(before)} MB before paging, peak ${mb(peak)} MB (+${mb(peak - before)} MB)`,
);
