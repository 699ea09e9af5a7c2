/**
 * CT ingest throughput: N recorded-format RFC 6962 entries (`leaf_input` + `extra_data`, base64)
 * through parse (TLS leaf + X.509) → store (SQLite, batched) → score (domain engine via the detect
 * stage). Entries are precert entries derived from a recorded Let's Encrypt precert, each with its
 * own names (a mix of honest names and lookalikes), plus the recorded x509 entries.
 * Prints entries/s for each phase and end to end, and peak RSS.
 *
 *   node --import tsx bench/ct-ingest.ts [--count 50000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { AsnParser, AsnSerializer } from '@peculiar/asn1-schema';
import { id_ce_subjectAltName, TBSCertificate } from '@peculiar/asn1-x509';
import {
  createDomainDetector,
  createDomainEngine,
  defaultBrandsDir,
  loadBrandProfiles,
} from '../src/detect/domain/index.js';
import { runDetectStage } from '../src/detect/detect-stage.js';
import { DetectorRegistry } from '../src/detect/registry.js';
import { extract } from '../src/ingest/extract.js';
import { runIngest } from '../src/ingest/run-ingest.js';
import type { Source } from '../src/ingest/source.js';
import {
  certificatePathCounts,
  fullTbsCertificateFacts,
  tbsCertificateFacts,
} from '../src/ingest/sources/ct/ct-certificate.js';
import { encodeMerkleTreeLeaf, parseMerkleTreeLeaf } from '../src/ingest/sources/ct/ct-leaf.js';
import { parseRfc6962Record } from '../src/ingest/sources/ct/rfc6962-source.js';
import { type RecordedEntry, recordedEntries } from '../src/ingest/sources/ct/test-log.js';
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const { values } = parseArgs({ options: { count: { type: 'string', default: '50000' } } });
const N = Number(values.count);
const FIXTURES = new URL('../test/fixtures/ct', import.meta.url).pathname;
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 25);

// --- build N recorded-format entries with distinct names --------------------------------------
const base = recordedEntries(FIXTURES);
const precert = base[4] as RecordedEntry;
const leaf = parseMerkleTreeLeaf(Buffer.from(precert.leaf_input, 'base64'));
const WORDS = [
  'secure',
  'login',
  'account',
  'verify',
  'portal',
  'mail',
  'shop',
  'cloud',
  'support',
  'billing',
];
const BRANDS = [
  'microsoft',
  'rnicrosoft',
  'micros0ft',
  'office365',
  'paypal',
  'paypa1',
  'outlook',
  'example',
  'contoso',
  'acme',
];
// Each variant is the recorded TBSCertificate with its subject and SAN extension replaced. The
// fixed parts are serialised once; the per-entry parts are DER-encoded by hand (generation is setup,
// not measured, but it used to take a minute through the ASN.1 schema).
const tbs = AsnParser.parse(leaf.der, TBSCertificate);
const ser = (v: unknown): Buffer => Buffer.from(AsnSerializer.serialize(v));
function derLen(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n < 0x100) return Buffer.from([0x81, n]);
  return Buffer.from([0x82, n >> 8, n & 0xff]);
}
const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), derLen(body.length), body]);
};
const head = Buffer.concat([
  tlv(0xa0, Buffer.from([0x02, 0x01, tbs.version])),
  tlv(0x02, Buffer.from(tbs.serialNumber)),
  ser(tbs.signature),
  ser(tbs.issuer),
  ser(tbs.validity),
]);
const spki = ser(tbs.subjectPublicKeyInfo);
const exts = (tbs.extensions ?? []).map((e) => (e.extnID === id_ce_subjectAltName ? undefined : ser(e)));
const CN_OID = Buffer.from([0x06, 0x03, 0x55, 0x04, 0x03]);
const SAN_OID = Buffer.from([0x06, 0x03, 0x55, 0x1d, 0x11]);
function variant(i: number): string {
  const name = `${WORDS[i % 10]}-${BRANDS[Math.floor(i / 10) % 10]}-${i.toString(36)}.${['com', 'net', 'org', 'io'][i % 4]}`;
  const subject = tlv(0x30, tlv(0x31, tlv(0x30, CN_OID, tlv(0x0c, Buffer.from(name)))));
  const san = tlv(
    0x30,
    SAN_OID,
    tlv(0x04, tlv(0x30, tlv(0x82, Buffer.from(name)), tlv(0x82, Buffer.from(`www.${name}`)))),
  );
  const der = tlv(0x30, head, subject, spki, tlv(0xa3, tlv(0x30, ...exts.map((e) => e ?? san))));
  return encodeMerkleTreeLeaf({ ...leaf, der, timestamp: 1_700_000_000_000 + i }).toString('base64');
}
const t0 = performance.now();
const entries: RecordedEntry[] = [];
for (let i = 0; i < N; i++) {
  entries.push(
    i % 10 === 9
      ? (base[i % 4] as RecordedEntry)
      : { leaf_input: variant(i), extra_data: precert.extra_data },
  );
}
console.log(`generated ${N} entries in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
// The hand-encoded variants must read the same through the full parsers as through the fast reader.
for (const i of [0, 1, 2, 3].filter((k) => k < N)) {
  const der = parseMerkleTreeLeaf(Buffer.from((entries[i] as RecordedEntry).leaf_input, 'base64')).der;
  if (JSON.stringify(fullTbsCertificateFacts(der)) !== JSON.stringify(tbsCertificateFacts(der)))
    throw new Error(`generated entry ${i}: the fast reader and the full parsers disagree`);
}
certificatePathCounts.der = certificatePathCounts.native = certificatePathCounts.asn1 = 0;

const cpuStart = process.cpuUsage();
/** CPU seconds since `from` (this process; the phases are single-threaded, so ≈ the work done). */
const cpuSince = (from: NodeJS.CpuUsage): number => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1e6;
};
const cpuRate = (secs: number): string => `${secs.toFixed(2)} CPU s = ${Math.round(N / secs)} entries/CPU-s`;
// --- parse only ---------------------------------------------------------------------------------
let t = performance.now();
let c = process.cpuUsage();
let names = 0;
for (let i = 0; i < N; i++) {
  const e = entries[i] as RecordedEntry;
  const r = parseRfc6962Record('ct:bench', 'bench', {
    position: '',
    raw: '',
    cursor: '',
    context: { index: i, ...e },
  });
  if (r.ok) names += r.observations.length;
}
const parseSecs = (performance.now() - t) / 1000;
const parseCpu = cpuSince(c);
console.log(
  `parse: ${N} entries in ${parseSecs.toFixed(2)} s = ${Math.round(N / parseSecs)} entries/s (${names} observations; certificates decoded by the DER reader ${certificatePathCounts.der}, OpenSSL ${certificatePathCounts.native}, asn1-x509 ${certificatePathCounts.asn1}); ${cpuRate(parseCpu)}`,
);

// --- parse → store ------------------------------------------------------------------------------
const dir = mkdtempSync(join(tmpdir(), 'precursor-bench-ct-'));
const store = createSqliteStore({ path: join(dir, 'precursor.db') });
await store.migrate();
const source: Source = {
  id: 'ct:bench',
  async *read(cursor) {
    for (let i = cursor === undefined ? 0 : Number(cursor); i < N; i++) {
      const e = entries[i] as RecordedEntry;
      yield { position: `index ${i}`, raw: e.leaf_input, cursor: String(i + 1), context: { index: i, ...e } };
    }
  },
  parse: (record) => parseRfc6962Record('ct:bench', 'bench', record),
};
t = performance.now();
c = process.cpuUsage();
const summary = await runIngest(source, store, { batchSize: 1000 });
const ingestSecs = (performance.now() - t) / 1000;
const ingestCpu = cpuSince(c);
console.log(
  `parse → store: ${summary.records} entries, ${summary.inserted} stored in ${ingestSecs.toFixed(2)} s = ${Math.round(N / ingestSecs)} entries/s; ${cpuRate(ingestCpu)}`,
);

// --- score (detect stage with the domain engine) -------------------------------------------------
t = performance.now();
const engine = createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) });
const registry = new DetectorRegistry([createDomainDetector(engine)]);
console.log(`domain engine built in ${((performance.now() - t) / 1000).toFixed(1)} s`);
t = performance.now();
c = process.cpuUsage();
const detect = await runDetectStage(store, registry, { extract, batchSize: 2000 });
const detectSecs = (performance.now() - t) / 1000;
const detectCpu = cpuSince(c);
console.log(
  `score: ${detect.observations} observations, ${detect.entities} entities, ${detect.flagged} flagged in ${detectSecs.toFixed(2)} s = ${Math.round(N / detectSecs)} entries/s; ${cpuRate(detectCpu)}`,
);
console.log(
  `end to end (parse → store → score): ${Math.round(N / (ingestSecs + detectSecs))} entries/s wall; ${Math.round(N / (ingestCpu + detectCpu))} entries/CPU-s`,
);
const cpuAll = process.cpuUsage(cpuStart);
console.log(
  `CPU seconds for parse + parse→store + score: ${((cpuAll.user + cpuAll.system) / 1e6).toFixed(1)} (wall ${(parseSecs + ingestSecs + detectSecs).toFixed(1)})`,
);
clearInterval(sampler);
console.log(`peak RSS: ${mb(peakRss)} MB`);
await store.close();
rmSync(dir, { recursive: true, force: true });
