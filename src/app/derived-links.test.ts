/**
 * Links a detector derives from stored facts follow the facts and the current rules: a page's kit and
 * exfiltration links come from analysing the stored snapshot, so a replay with new kit rules re-links
 * old pages (what crawls used to freeze into the observation is ignored).
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CORPUS, corpusSnapshot } from '../../test/support/page-corpus.js';
import { describeEachStore } from '../../test/support/stores.js';
import { createPivotModel } from '../correlate/pivots.js';
import { runDetectStage } from '../detect/detect-stage.js';
import { parseKitRules } from '../detect/page/kit-rules.js';
import { createPageDetector } from '../detect/page/page-detector.js';
import { DetectorRegistry } from '../detect/registry.js';
import type { EntityKey, PageSnapshot } from '../domain/index.js';
import { extract } from '../ingest/extract.js';

const hash = 'ab'.repeat(32);
const snapshotKey = `snapshot:sha256:${hash}` as EntityKey;
const page = corpusSnapshot(CORPUS.find((c) => c.file === 'demo/m365-gated-clone.html')!);
const reader = {
  read: async (h: string): Promise<PageSnapshot | undefined> => (h === hash ? page : undefined),
};

const kit = (id: string, pattern: string) => {
  const r = parseKitRules(
    `- id: ${id}\n  name: ${id}\n  weight: 30\n  match:\n    all:\n      - html: ${pattern}\n`,
  );
  if (!r.ok) throw new Error(r.error);
  return r.rules;
};
const registry = (rules: ReturnType<typeof kit>) =>
  new DetectorRegistry([createPageDetector({ reader, kitRules: rules })]);

describeEachStore('links derived by detectors', (t, skip) => {
  it('derives a page’s kit and exfiltration links from the stored snapshot, and re-derives them on replay', {
    skip,
  }, async () => {
    await t.store.observations.writeBatch({
      source: 'crawl',
      observations: [
        {
          source: 'crawl',
          kind: 'snapshot',
          observedAt: '2026-03-01T10:00:00.000Z',
          dedupeKey: `crawl|${hash}|${page.url}`,
          // What an older crawl recorded: ignored now.
          payload: {
            sha256: hash,
            url: page.url,
            finalUrl: page.finalUrl,
            entities: ['kit:frozen-at-crawl'],
          },
        },
      ],
      deadLetters: [],
    });
    const linksOf = async () =>
      (await t.store.entities.links(snapshotKey))
        .filter((l) => l.from === snapshotKey && l.pivot !== 'snapshot-of')
        .map((l) => [l.pivot, l.to, l.strength, l.provenance.join(',')]);

    const first = await runDetectStage(t.store, registry(kit('first-rule', 'loginfmt')), { extract });
    assert.equal(first.observations, 1);
    const exfil = (await linksOf()).filter(([p]) => p === 'exfil-to');
    assert.ok(
      exfil.some(([, to]) => String(to).startsWith('telegram-bot:')),
      JSON.stringify(exfil),
    );
    assert.ok(exfil.every(([, , strength, by]) => strength === 0.9 && by === 'detector:page'));
    const kits = async () => (await linksOf()).filter(([p]) => p === 'same-kit');
    assert.deepEqual(await kits(), [['same-kit', 'kit:first-rule', 0.9, 'detector:page']]);
    assert.equal((await t.store.entities.get('kit:first-rule'))?.type, 'kit');
    assert.equal(await t.store.entities.get('kit:frozen-at-crawl'), undefined);

    // A replay (a stage that starts over) with other kit rules and a configured pivot model.
    const replay = await runDetectStage(t.store, registry(kit('second-rule', 'i0116')), {
      extract,
      stage: 'replay',
      pivots: createPivotModel({ strengths: { 'same-kit': 0.7 } }),
    });
    assert.equal(replay.observations, 1);
    assert.deepEqual(await kits(), [['same-kit', 'kit:second-rule', 0.7, 'detector:page']]);
    assert.deepEqual(
      (await linksOf()).filter(([p]) => p === 'exfil-to'),
      exfil,
    );

    // Rules that no longer match withdraw the kit link; the exfiltration endpoints are still in the page.
    await runDetectStage(t.store, registry([]), { extract, stage: 'replay-2' });
    assert.deepEqual(await kits(), []);
    assert.equal((await linksOf()).length, exfil.length);
  });
});
