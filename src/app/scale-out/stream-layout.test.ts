import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../../domain/index.js';
import { decodeObservation } from './worker.js';
import { partitionKey, streamLayout } from './stream-layout.js';

const obs = (kind: Observation['kind'], payload: unknown, source = 'list:a.txt'): Observation =>
  ({
    source,
    kind,
    observedAt: '2026-05-01T00:00:00.000Z',
    dedupeKey: `${kind}:${JSON.stringify(payload)}`,
    payload,
  }) as Observation;

describe('stream layout', () => {
  const layout = streamLayout('pfx', 16);

  it('puts every observation about one registrable domain or account in one partition', () => {
    const a = layout.partitionOf(obs('domain', { name: 'login.paypa1-secure.com' }));
    assert.equal(layout.partitionOf(obs('domain', { name: 'www.paypa1-secure.com' })), a);
    assert.equal(
      layout.partitionOf(obs('certificate', { sha256: 'x', names: ['*.paypa1-secure.com', 'b.example'] })),
      a,
    );
    assert.equal(layout.partitionOf(obs('url', { url: 'https://cdn.paypa1-secure.com/x' })), a);
    assert.equal(
      partitionKey(obs('tenant-event', { event: { account_id: 'acct-1' } }, 'tenant:e.jsonl')),
      't:tenant:e.jsonl',
    );
    // Stable across processes and releases: a change would reorder keys in a running stream.
    assert.equal(
      layout.partitionOf(obs('domain', { name: 'example.com' })),
      layout.partitionOf(obs('domain', { name: 'a.example.com' })),
    );
  });

  it('spreads keys over the partitions', () => {
    const used = new Set<number>();
    for (let i = 0; i < 400; i++)
      used.add(layout.partitionOf(obs('domain', { name: `n${i}.example${i}.com` })));
    assert.equal(used.size, 16);
  });

  it('names subjects per partition and source, and reads the source back', () => {
    const s = layout.subject(3, 'list:/var/spool/names.txt');
    assert.match(s, /^pfx\.obs\.p3\.[A-Za-z0-9_-]+$/);
    assert.equal(layout.sourceOf(s), 'list:/var/spool/names.txt');
    assert.equal(layout.filter(3), 'pfx.obs.p3.>');
    assert.equal(layout.consumer(3), 'pfx-store-p3');
  });

  it('decodes observations and says why a message is not one', () => {
    const o = obs('domain', { name: 'a.example' });
    assert.deepEqual(decodeObservation(JSON.stringify(o)), o);
    assert.match(decodeObservation('{') as string, /^not JSON/);
    assert.match(decodeObservation(JSON.stringify({ ...o, kind: 'nope' })) as string, /^kind: unknown/);
    assert.match(decodeObservation(JSON.stringify({ ...o, observedAt: 'x' })) as string, /observedAt/);
  });
});
