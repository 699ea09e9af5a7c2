/**
 * Ownership evidence from certificates, through the whole pipeline (certstream ingest → detect, the
 * default `detect.materialise: signalled`): a certificate that names a brand's own domain together
 * with a name clears that name — at once when it comes first, and by re-judging the stored name when
 * it comes later — while a shared certificate of an intermediary clears nothing.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { EntityKey } from '../domain/index.js';
import { createCertstreamSource } from '../ingest/sources/certstream/certstream-source.js';
import { openApp } from './open-app.js';

const DAY = 86_400;
const T0 = Date.parse('2026-03-01T00:00:00Z') / 1000;

let index = 0;

/** A certstream message for a certificate over `names`, seen `day` days after T0. */
function line(names: string[], day: number): string {
  const hex = createHash('sha256')
    .update(`${names.join(',')}|${day}`)
    .digest('hex')
    .toUpperCase();
  const seen = T0 + day * DAY;
  return JSON.stringify({
    message_type: 'certificate_update',
    data: {
      update_type: 'X509LogEntry',
      cert_index: ++index,
      seen,
      source: { name: 'Test log', url: 'https://ct.example/log/' },
      leaf_cert: {
        all_domains: names,
        subject: { CN: names[0], aggregated: `/CN=${names[0]}` },
        issuer: { CN: 'Test CA', aggregated: '/CN=Test CA' },
        sha256: hex.match(/../g)?.join(':'),
        serial_number: hex.slice(0, 16),
        not_before: seen,
        not_after: seen + 90 * DAY,
      },
    },
  });
}

describe('ownership evidence from certificates in the pipeline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-cert-ownership-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it("clears a brand's own secondary domain when a certificate names it with the brand's domain", async () => {
    const app = await openApp({ overrides: { home: join(dir, 'home') } });
    try {
      const p = app.pipeline;
      const ingest = async (name: string, lines: string[]) => {
        const file = join(dir, `${name}.jsonl`);
        writeFileSync(file, `${lines.join('\n')}\n`);
        await p.ingest(createCertstreamSource({ input: file }), {
          ignoreCheckpoint: true,
          correlate: false,
          review: false,
        });
      };
      const assessment = (name: string) => p.store.assessments.get(`domain:${name}` as EntityKey);

      // Day 0: the secondary domain on a certificate of its own (a look-alike by its name alone); a
      // phish on an old-style CDN shared certificate beside the brand's domain; and a name that first
      // appears on a certificate with the brand's domain.
      await ingest('day0', [
        line(['yahoo-net.jp', 'www.yahoo-net.jp'], 0),
        line(['sni4821.cdnshared.net', 'yahoo.co.jp', 'yahoo-login-verify.com'], 0),
        line(['yahoo.co.jp', 'www.yahoo.co.jp', 'wwwyahoo.jp'], 0),
      ]);
      assert.equal((await assessment('yahoo-net.jp'))?.flagged, true, 'flagged on its name alone');
      assert.equal(
        (await assessment('yahoo-login-verify.com'))?.flagged,
        true,
        'a shared certificate clears nothing',
      );
      const first = await assessment('wwwyahoo.jp');
      assert.equal(first?.flagged, false, JSON.stringify(first));
      assert.ok(first?.contributions.some((c) => c.id === 'domain.brand-co-named'));
      // The evidence is in the graph: the certificate and its link to the name.
      const links = await p.store.entities.links('domain:wwwyahoo.jp' as EntityKey);
      const cert = links.find((l) => l.pivot === 'cert-name')?.from;
      assert.ok(cert && (await p.store.entities.get(cert)), 'the certificate is materialised');

      // Day 3: the brand's certificate over both arrives; the stored verdict gives way to it.
      await ingest('day3', [line(['yahoo.co.jp', 'www.yahoo.co.jp', 'yahoo-net.jp', 'www.yahoo-net.jp'], 3)]);
      for (const name of ['yahoo-net.jp', 'www.yahoo-net.jp']) {
        const a = await assessment(name);
        assert.equal(a?.flagged, false, `${name}: ${JSON.stringify(a)}`);
        const c = a?.contributions.find((x) => x.id === 'domain.brand-co-named');
        assert.match(c?.detail ?? '', /named on one certificate with yahoo\.co\.jp, which Yahoo/);
      }

      // Day 10: a certificate of the name alone again: the evidence already stored still holds.
      await ingest('day10', [line(['yahoo-net.jp'], 10)]);
      assert.equal((await assessment('yahoo-net.jp'))?.flagged, false);
      assert.equal((await assessment('yahoo-login-verify.com'))?.flagged, true);
    } finally {
      await app.close();
    }
  });
});
