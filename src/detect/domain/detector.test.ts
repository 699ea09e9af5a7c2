import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DetectContext } from '../detector.js';
import { loadBrandProfiles } from './brand-profiles.js';
import { createDomainDetector } from './detector.js';
import { createDomainEngine } from './engine.js';
import { defaultBrandsDir } from './package-paths.js';

const ctx = (now: string): DetectContext => ({
  now,
  config: () => undefined,
  entity: async () => undefined,
  links: async () => [],
  signals: async () => [],
});

describe('createDomainDetector', () => {
  const detector = createDomainDetector(
    createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) }),
  );
  it('scores domain entities and cites the entity as evidence', async () => {
    const signals = await detector.detect(
      { key: 'domain:xn--mcrosoft-5ya.com', type: 'domain', display: 'mícrosoft.com', attrs: {} },
      ctx('2025-02-03T00:00:00Z'),
    );
    assert.ok(signals.some((s) => s.id === 'domain.homoglyph'));
    assert.deepEqual(signals[0]?.evidence, [{ kind: 'entity', key: 'domain:xn--mcrosoft-5ya.com' }]);
    assert.deepEqual(detector.entityTypes, ['domain']);
  });
  it('reads the registration date from attrs.registeredAt against ctx.now', async () => {
    const subject = {
      key: 'domain:paypal-invoice.com' as const,
      type: 'domain' as const,
      display: 'paypal-invoice.com',
    };
    const fresh = await detector.detect(
      { ...subject, attrs: { registeredAt: '2025-02-01T00:00:00Z' } },
      ctx('2025-02-03T00:00:00Z'),
    );
    assert.ok(fresh.some((s) => s.id === 'domain.new-registration' && s.weight > 0));
    const none = await detector.detect({ ...subject, attrs: {} }, ctx('2025-02-03T00:00:00Z'));
    assert.ok(!none.some((s) => s.id.endsWith('-registration')));
  });
  it('turns an unusable name into a weight-0 signal instead of throwing', async () => {
    const signals = await detector.detect(
      { key: 'domain:a..b', type: 'domain', display: 'a..b', attrs: {} },
      ctx('2025-02-03T00:00:00Z'),
    );
    assert.equal(signals[0]?.id, 'domain.invalid');
    assert.equal(signals[0]?.weight, 0);
  });
});
