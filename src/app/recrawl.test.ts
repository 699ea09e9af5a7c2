import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isLive, recrawlDelayMs } from './recrawl.js';

describe('re-crawl of names not live yet', () => {
  it('calls a page live only when a 2xx answer carries a credential form', () => {
    assert.equal(isLive({ status: 200, signals: [{ id: 'page.capture.password-field' }] }), true);
    assert.equal(isLive({ status: 200, signals: [{ id: 'page.prep.parked' }] }), false);
    assert.equal(isLive({ status: 404, signals: [{ id: 'page.capture.password-field' }] }), false);
    assert.equal(isLive({ signals: [] }), false);
  });

  it('backs off 1 h, 2 h, 4 h … and never waits more than a day', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6, 10].map((a) => recrawlDelayMs(a) / 3_600_000),
      [1, 2, 4, 8, 16, 24, 24],
    );
  });
});
