import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';
import { sqliteFactory, type TestStore } from '../../../test/support/stores.js';
import { assess } from '../../detect/score.js';
import type { EntityKey, Signal } from '../../domain/index.js';

const T0 = '2026-03-01T10:00:00.000Z';
const sig = (id: string, weight: number): Signal => ({
  id,
  detector: id.split('.')[0]!,
  weight,
  detail: id,
  evidence: [],
});

describe('precursor tune', () => {
  let t: TestStore;
  const dir = mkdtempSync(join(tmpdir(), 'precursor-tune-cli-'));
  before(async () => {
    t = await sqliteFactory.open();
    // A labelled history: kit pages are phish, edge aliases honest, every name a strong look-alike.
    const labels: string[] = [];
    for (let i = 0; i < 12; i++)
      for (const [name, extra, label] of [
        [`phish-${i}.example`, sig('page.kit.match', 40), 'malicious'],
        [`honest-${i}.example`, sig('domain.edge-alias', 30), 'benign'],
      ] as const) {
        const key = `domain:${name}` as EntityKey;
        const signals = [sig('domain.homoglyph', 95), extra];
        const at = new Date(Date.parse(T0) + i * 60_000).toISOString();
        await t.store.transaction(async (tx) => {
          await tx.entities.upsert([{ key, type: 'domain', display: name, seenAt: at }]);
          await tx.assessments.replaceSignals([
            { entity: key, detectors: ['domain', 'page'], signals, observedAt: at },
          ]);
          await tx.assessments.write([assess(key, signals, at)]);
        });
        labels.push(JSON.stringify({ entity: key, label, at }));
      }
    labels.push(JSON.stringify({ entity: 'domain:unknown.example', label: 'benign' }));
    writeFileSync(join(dir, 'labels.jsonl'), `${labels.join('\n')}\n`);
  });
  after(async () => t.cleanup());

  it('refuses to learn without labels of both kinds, and --from without --apply', async () => {
    const none = await cli(['tune'], t.env);
    assert.equal(none.code, 2, none.err);
    assert.match(none.err, /VALIDATION_FAILED/);
    const from = await cli(['tune', '--from', join(dir, 'w.json')], t.env);
    assert.equal(from.code, 2);
  });

  it('dry-runs from a labels file, writes the weights file, then applies it audited', async () => {
    const out = join(dir, 'w.json');
    const dry = await cli(['tune', '--labels', join(dir, 'labels.jsonl'), '--out', out, '--json'], t.env);
    assert.equal(dry.code, 0, dry.err);
    const r = JSON.parse(dry.out) as {
      labels: { fromFile: number; unknown: number };
      store: { lost: number };
      applied: unknown;
    };
    assert.deepEqual([r.labels.fromFile, r.labels.unknown], [24, 1]);
    assert.ok(r.store.lost >= 1, 'honest edge aliases would stop flagging');
    assert.equal(r.applied, null);
    assert.equal(await t.store.cases.activePolicy('weights'), undefined, 'a dry run changes nothing');
    const file = JSON.parse(readFileSync(out, 'utf8')) as { format: string; revision: number };
    assert.equal(file.format, 'precursor/signal-weights');

    const applied = await cli(['tune', '--from', out, '--apply', '--json'], t.env);
    assert.equal(applied.code, 0, applied.err);
    assert.equal((JSON.parse(applied.out) as { revision: number }).revision, 1);
    assert.equal((await t.store.assessments.get('domain:honest-0.example' as EntityKey))?.flagged, false);
    assert.equal((await t.store.assessments.get('domain:phish-0.example' as EntityKey))?.flagged, true);
    assert.ok((await t.store.audit.list()).some((e) => e.action === 'weights.apply'));
  });
});
