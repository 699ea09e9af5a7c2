/**
 * Weights applied with `precursor tune --apply` reach a process that is already running — a `serve` or
 * a worker — without a restart: the detect stage reads the weights in force from the store at every run
 * (src/app/pipeline.ts, src/review/weights-source.ts), so the next observation the running pipeline
 * scores is scored with them. Here the running process is an app opened in this test; the apply is a
 * separate CLI process, as an operator runs it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type AppContext, openApp } from '../../src/app/open-app.js';
import type { EntityKey } from '../../src/domain/index.js';
import { createListSource } from '../../src/ingest/sources/list/list-source.js';
import { WEIGHTS_FORMAT } from '../../src/review/tune.js';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'precursor-weights-pickup-'));
const home = join(dir, 'home');
const config = join(dir, 'precursor.yaml');

describe('a running pipeline picks up applied weights', () => {
  let app: AppContext;
  before(async () => {
    writeFileSync(config, 'log: { level: error }\n');
    app = await openApp({ configFile: config, overrides: { home } });
  });
  after(async () => {
    await app?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const ingest = async (name: string) => {
    const file = join(dir, `${name}.txt`);
    writeFileSync(file, `${name}\n`);
    await app.pipeline.ingest(createListSource({ path: file }));
    return app.pipeline.store.assessments.get(`domain:${name}` as EntityKey);
  };

  it('scores the next observation with the weights another process applied', async () => {
    const before = await ingest('rnicrosoft-login.com');
    assert.equal(before?.flagged, true, 'flagged with the detectors’ own weights');
    const ids = before!.contributions.map((c) => c.id).filter((id) => !id.startsWith('review.'));
    assert.ok(ids.length > 0);
    // A reviewed weights file that silences every signal the name carried.
    const weights = join(dir, 'weights.json');
    writeFileSync(
      weights,
      JSON.stringify({
        format: WEIGHTS_FORMAT,
        version: 1,
        revision: 1,
        fittedAt: '2026-03-01T00:00:00.000Z',
        model: 'logistic-regression-l2',
        lambda: 1,
        intercept: 0,
        threshold: 99,
        signals: Object.fromEntries(
          ids.map((id) => [id, { weight: 1, coefficient: 0, support: 0, malicious: 0 }]),
        ),
        evaluation: { trainCases: 0, heldOutCases: 0, precision: 0, recall: 0, brier: 0.25 },
      }),
    );
    const applied = await cli(['--config', config, '--home', home, 'tune', '--from', weights, '--apply']);
    assert.equal(applied.code, 0, applied.err);
    // The same name pattern, seen after the apply by the process that was running all along.
    const afterApply = await ingest('rnicrosoft-login.net');
    const carried = afterApply!.contributions.map((c) => c.id);
    assert.ok(
      carried.every((id) => ids.includes(id)),
      `the new name carries only the silenced signals: ${carried.join(', ')}`,
    );
    assert.equal(afterApply?.flagged, false, 'scored with the applied weights, no restart');
  });
});
