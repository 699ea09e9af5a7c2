import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CORPUS, corpusSnapshot, LOOKALIKE } from '../../../test/support/page-corpus.js';
import type { DetectContext } from '../detector.js';
import type { PageSnapshot } from '../../domain/index.js';
import { createPageDetector } from './page-detector.js';

const ctx = (config?: unknown): DetectContext => ({
  now: '2025-01-01T00:00:00Z',
  config: <T>() => config as T,
  entity: async () => undefined,
  links: async () => [],
  signals: async (key) => (key === 'domain:rnicrosoft-login.top' ? [LOOKALIKE] : []),
});

describe('createPageDetector', () => {
  const hash = 'ef'.repeat(32);
  const snap = corpusSnapshot(CORPUS.find((c) => c.file === 'demo/gate-shell.html')!);
  const reader = {
    read: async (h: string): Promise<PageSnapshot | undefined> => (h === hash ? snap : undefined),
  };

  it('reads the snapshot by key and adds combos with the name signals, without echoing them', async () => {
    const d = createPageDetector({ reader });
    const out = await d.detect(
      { key: `snapshot:sha256:${hash}`, type: 'snapshot', display: '', attrs: {} },
      ctx(),
    );
    const ids = out.signals.map((s) => s.id);
    assert.ok(ids.includes('page.prep.gate-shell'));
    assert.ok(ids.includes('page.combo.shell-new-name'));
    assert.ok(!ids.includes('domain.homoglyph'));
  });

  it('honours configured weights and ignores unknown snapshots', async () => {
    const d = createPageDetector({ reader });
    const subject = {
      key: `snapshot:sha256:${hash}` as const,
      type: 'snapshot' as const,
      display: '',
      attrs: {},
    };
    const out = await d.detect(subject, ctx({ weights: { 'page.prep.gate-shell': 7 } }));
    assert.equal(out.signals.find((s) => s.id === 'page.prep.gate-shell')?.weight, 7);
    const nothing = { signals: [], links: [] };
    assert.deepEqual(
      await d.detect({ ...subject, key: `snapshot:sha256:${'0'.repeat(64)}` }, ctx()),
      nothing,
    );
    assert.deepEqual(await d.detect({ ...subject, key: 'snapshot:nope' }, ctx()), nothing);
  });
});
