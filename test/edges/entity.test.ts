/**
 * `precursor entity KEY [--json]`: one entity with its assessment (signals with weights, points and
 * details), its history and its links, for the key forms `precursor entities` shows.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { cli } from '../support/cli.js';

interface Detail {
  key: string;
  display: string;
  assessment: {
    score: number;
    flagged: boolean;
    verdict: string;
    signals: Array<{ id: string; weight: number; points: number; detail: string }>;
  } | null;
  history: Array<{ score: number; flagged: boolean; assessed_at: string }>;
  links: Array<{ from: string; to: string; pivot: string; strength: number; provenance: string[] }>;
}

describe('precursor entity', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-entity-'));
  const env = { PRECURSOR_HOME: join(dir, 'home') };
  const SHA = 'ab'.repeat(32);
  before(async () => {
    const file = join(dir, 'certstream.jsonl');
    writeFileSync(
      file,
      `${JSON.stringify({
        message_type: 'certificate_update',
        data: {
          cert_index: 42,
          seen: 1_767_225_600,
          source: { url: 'ct.example.net/logs/test2026/' },
          leaf_cert: {
            all_domains: ['mіcrosoft.com', 'www.mіcrosoft.com'],
            sha256: SHA,
            issuer: { aggregated: '/CN=Test CA' },
          },
        },
      })}\n`,
    );
    const r = await cli(['ingest', 'certstream', file], env);
    assert.equal(r.code, EXIT.OK, r.err);
  });

  it('shows the assessment with each signal’s weight, points and detail, the history and the links (--json)', async () => {
    const r = await cli(['entity', 'domain:xn--mcrosoft-thh.com', '--json'], env);
    assert.equal(r.code, EXIT.OK, r.err);
    const d = JSON.parse(r.out) as Detail;
    assert.equal(d.key, 'domain:xn--mcrosoft-thh.com');
    assert.equal(d.display, 'mіcrosoft.com');
    assert.ok(d.assessment?.flagged);
    const top = d.assessment?.signals[0];
    assert.equal(top?.id, 'domain.homoglyph');
    assert.ok((top?.weight ?? 0) > 0 && (top?.points ?? 0) > 0);
    assert.match(top?.detail ?? '', /microsoft/i);
    const total = d.assessment?.signals.reduce((s, x) => s + x.points, 0) ?? 0;
    assert.ok(Math.abs(total - (d.assessment?.score ?? 0)) < 0.5, 'points add up to the score');
    assert.equal(d.history.length, 1);
    assert.equal(d.history[0]?.score, d.assessment?.score);
    assert.deepEqual(
      d.links.map((l) => [l.pivot, l.from]),
      [['cert-name', `cert:sha256:${SHA}`]],
    );
  });

  it('accepts the forms the table shows: the key, the Unicode name, the bare A-label', async () => {
    for (const key of ['mіcrosoft.com', 'domain:mіcrosoft.com', 'xn--mcrosoft-thh.com', 'MІCROSOFT.com.']) {
      const r = await cli(['entity', key, '--json'], env);
      assert.equal(r.code, EXIT.OK, `${key}: ${r.err}`);
      assert.equal((JSON.parse(r.out) as Detail).key, 'domain:xn--mcrosoft-thh.com', key);
    }
    const cert = await cli(['entity', `cert:sha256:${SHA}`, '--json'], env);
    assert.equal((JSON.parse(cert.out) as Detail).links.length, 2);
  });

  it('prints a readable explanation in text mode', async () => {
    const r = await cli(['entity', 'mіcrosoft.com'], env);
    assert.equal(r.code, EXIT.OK, r.err);
    assert.match(r.out, /^domain:xn--mcrosoft-thh\.com {2}\(mіcrosoft\.com\)$/m);
    assert.match(r.out, /^score\s+\d+\.\d {2}FLAGGED/m);
    assert.match(r.out, /^signals\s+\+\s*\d+\.\d pts {2}domain\.homoglyph \(weight \d+\): /m);
    assert.match(r.out, /^links\s+1$/m);
    assert.match(r.out, /cert-name\s+← cert:sha256:abab/);
  });

  it('says when there is no such entity (exit 1) or the key is not one (exit 2)', async () => {
    const none = await cli(['entity', 'never-seen.example'], env);
    assert.equal(none.code, EXIT.FAILURE);
    assert.match(none.err, /^precursor: NOT_FOUND: no entity domain:never-seen\.example$/m);
    const bad = await cli(['entity', 'planet:x'], env);
    assert.equal(bad.code, EXIT.USAGE);
  });
});
