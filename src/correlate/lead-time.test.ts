import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assess } from '../detect/score.js';
import type { Signal } from '../domain/index.js';
import { firstOwnFlag, leadTime } from './lead-time.js';

const sig = (id: string, weight: number): Signal => ({
  id,
  detector: id.split('.')[0]!,
  weight,
  detail: id,
  evidence: [],
});

describe('lead time', () => {
  it('takes go-live from the first live credential form, else the first deployment', () => {
    assert.deepEqual(
      leadTime(
        '2026-03-01T00:00:00.000Z',
        ['2026-03-03T00:00:00.000Z', '2026-03-02T12:00:00.000Z'],
        ['2026-03-01T06:00:00.000Z'],
      ),
      {
        firstFlaggedAt: '2026-03-01T00:00:00.000Z',
        goLiveAt: '2026-03-02T12:00:00.000Z',
        basis: 'live-form',
        hours: 36,
      },
    );
    assert.equal(leadTime('2026-03-01T10:00:00.000Z', [], ['2026-03-01T06:00:00.000Z'])?.hours, -4);
    assert.deepEqual(leadTime('2026-03-01T10:00:00.000Z', [], []), {
      firstFlaggedAt: '2026-03-01T10:00:00.000Z',
      goLiveAt: null,
      basis: null,
      hours: null,
    });
    assert.equal(leadTime(null, [], []), null);
  });

  it('counts a member as flagged when its own signals flag it, not when the campaign lent the flag', () => {
    const lent = assess(
      'domain:a.top',
      [sig('domain.lure-vocabulary', 30), sig('campaign.member', 60)],
      '2026-03-02T00:00:00.000Z',
    );
    const own = assess(
      'domain:a.top',
      [sig('domain.lure-vocabulary', 30), sig('page.kit', 50)],
      '2026-03-04T00:00:00.000Z',
    );
    assert.ok(lent.flagged);
    assert.equal(firstOwnFlag([lent, own], { flag: 50, malicious: 85 }), '2026-03-04T00:00:00.000Z');
    assert.equal(firstOwnFlag([lent], { flag: 50, malicious: 85 }), null);
  });
});
