import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Kysely } from 'kysely';
import { describeEachStore } from '../../test/support/stores.js';
import type { StoredCase } from './cases.js';
import type { Database } from './schema.js';

const base = (id: string, subject: string, priority: number, openedAt: string): StoredCase => ({
  id,
  subject,
  campaignId: subject.startsWith('campaign:') ? subject.slice('campaign:'.length) : null,
  state: 'open',
  outcome: 'open-case',
  priority,
  queue: 'campaigns',
  score: 80,
  openedAt,
  updatedAt: openedAt,
  respondBy: '2026-01-02T00:00:00.000Z',
  resolveBy: '2026-01-03T00:00:00.000Z',
  respondedAt: null,
  resolvedAt: null,
  assignee: null,
  summary: `case ${id}`,
  memberCount: 2,
  reopened: 0,
  version: 1,
  decision: null,
  supersededBy: null,
  detail: {
    members: [
      {
        key: 'domain:a.example',
        type: 'domain',
        display: 'a.example',
        score: 80,
        flagged: true,
        signals: [],
      },
    ],
    rules: [{ id: 'campaign', matched: true, outcome: 'open-case', trace: { risk: 80 } }],
    evidence: { links: [], snapshots: [] },
    policy: { name: 'default', revision: '1', hash: 'h' },
  },
});

describeEachStore('cases contract', (t, skip) => {
  it('keeps one case per subject, lists in queue order with keyset paging', { skip }, async () => {
    await t.store.cases.insert(base('K-b', 'campaign:C-2', 2, '2026-01-01T02:00:00.000Z'));
    await t.store.cases.insert(base('K-a', 'campaign:C-1', 2, '2026-01-01T01:00:00.000Z'));
    await t.store.cases.insert(base('K-c', 'domain:x.example', 1, '2026-01-01T03:00:00.000Z'));
    await assert.rejects(t.store.cases.insert(base('K-d', 'campaign:C-1', 3, '2026-01-01T04:00:00.000Z')));
    assert.deepEqual(
      (await t.store.cases.list()).map((c) => c.id),
      ['K-c', 'K-a', 'K-b'],
    );
    assert.deepEqual(
      (await t.store.cases.list({ after: 'K-c', limit: 1 })).map((c) => c.id),
      ['K-a'],
    );
    assert.deepEqual(
      (await t.store.cases.list({ after: 'K-a' })).map((c) => c.id),
      ['K-b'],
    );
    const got = await t.store.cases.bySubject('campaign:C-1');
    assert.equal(got?.id, 'K-a');
    assert.equal(got?.campaignId, 'C-1');
    assert.deepEqual(got?.detail.rules[0]?.trace, { risk: 80 });
    assert.deepEqual(await t.store.cases.countByState(), { open: 3 });
  });

  it('refuses an update from a stale version', { skip }, async () => {
    const c = (await t.store.cases.get('K-a'))!;
    const claimed = { ...c, state: 'in-review' as const, assignee: 'cli:ana', version: c.version + 1 };
    assert.equal(await t.store.cases.update(claimed, c.version), true);
    assert.equal(await t.store.cases.update({ ...c, assignee: 'cli:bob', version: 2 }, c.version), false);
    const now = (await t.store.cases.get('K-a'))!;
    assert.equal(now.assignee, 'cli:ana');
    assert.equal(now.state, 'in-review');
    assert.deepEqual(
      (await t.store.cases.list({ states: ['in-review'] })).map((x) => x.id),
      ['K-a'],
    );
    assert.deepEqual(
      (await t.store.cases.list({ queue: 'nope' })).map((x) => x.id),
      [],
    );
  });

  it('keeps case events append-only and lists them by kind', { skip }, async () => {
    await t.store.cases.appendEvent({
      caseId: 'K-a',
      at: '2026-01-01T05:00:00.000Z',
      actor: 'cli:ana',
      kind: 'claim',
      from: 'open',
      to: 'in-review',
      note: null,
      detail: {},
    });
    await t.store.cases.appendEvent({
      caseId: 'K-a',
      at: '2026-01-01T06:00:00.000Z',
      actor: 'cli:ana',
      kind: 'decide',
      from: 'in-review',
      to: 'benign',
      note: 'a school',
      detail: { as: 'benign', tlp: 'amber' },
    });
    const h = await t.store.cases.history('K-a');
    assert.deepEqual(
      h.map((e) => [e.kind, e.from, e.to, e.note]),
      [
        ['claim', 'open', 'in-review', null],
        ['decide', 'in-review', 'benign', 'a school'],
      ],
    );
    const decided = await t.store.cases.events({ kind: 'decide' });
    assert.equal(decided.length, 1);
    assert.deepEqual(decided[0]?.detail, { as: 'benign', tlp: 'amber' });
    assert.deepEqual(await t.store.cases.events({ kind: 'decide', afterId: decided[0]!.id! }), []);
    const db = (t.store as unknown as { db: Kysely<Database> }).db;
    await assert.rejects(db.updateTable('case_events').set({ note: 'x' }).execute(), /append-only/);
    await assert.rejects(db.deleteFrom('case_events').execute(), /append-only/);
  });

  it('keeps a superseded case with its successor, lists a case’s predecessors', { skip }, async () => {
    const b = (await t.store.cases.get('K-b'))!;
    assert.equal(b.supersededBy, null);
    const gone = { ...b, state: 'superseded' as const, supersededBy: 'K-c', version: b.version + 1 };
    assert.equal(await t.store.cases.update(gone, b.version), true);
    await t.store.cases.appendEvent({
      caseId: 'K-b',
      at: '2026-01-01T07:00:00.000Z',
      actor: 'system',
      kind: 'supersede',
      from: 'open',
      to: 'superseded',
      note: 'superseded by K-c',
      detail: { by: 'K-c' },
    });
    await t.store.cases.appendEvent({
      caseId: 'K-c',
      at: '2026-01-01T07:00:00.000Z',
      actor: 'system',
      kind: 'absorb',
      from: null,
      to: null,
      note: 'took over K-b',
      detail: { from: 'K-b', notes: [] },
    });
    const got = (await t.store.cases.get('K-b'))!;
    assert.deepEqual([got.state, got.supersededBy], ['superseded', 'K-c']);
    assert.deepEqual(
      (await t.store.cases.list({ supersededBy: 'K-c' })).map((x) => x.id),
      ['K-b'],
    );
    assert.deepEqual(await t.store.cases.list({ supersededBy: 'K-a' }), []);
    assert.deepEqual(
      (await t.store.cases.list({ states: ['superseded'] })).map((x) => x.id),
      ['K-b'],
    );
    assert.deepEqual(
      (await t.store.cases.history('K-c')).map((e) => [e.kind, e.detail.from]),
      [['absorb', 'K-b']],
    );
    assert.equal((await t.store.cases.countByState()).superseded, 1);
    // Back (its subject judged alone again): the successor is cleared.
    const back = { ...got, state: 'open' as const, supersededBy: null, version: got.version + 1 };
    assert.equal(await t.store.cases.update(back, got.version), true);
    assert.equal((await t.store.cases.get('K-b'))?.supersededBy, null);
  });

  it('suppresses, lists active suppressions and lifts them per case', { skip }, async () => {
    const s = {
      caseId: 'K-a',
      at: '2026-01-01T06:00:00.000Z',
      actor: 'cli:ana',
      factor: 0,
      reason: 'benign',
      liftedAt: null,
    };
    await t.store.cases.suppress([
      { ...s, key: 'domain:a.example', kind: 'entity' },
      { ...s, key: 'pivot:office-ip:192.0.2.1', kind: 'pivot', factor: 0.2 },
    ]);
    await t.store.cases.suppress([{ ...s, key: 'domain:a.example', kind: 'entity', factor: 0.1 }]);
    const all = await t.store.cases.suppressions();
    assert.deepEqual(
      all.map((x) => [x.key, x.kind, x.factor]),
      [
        ['domain:a.example', 'entity', 0.1],
        ['pivot:office-ip:192.0.2.1', 'pivot', 0.2],
      ],
    );
    assert.equal((await t.store.cases.suppressions(['domain:a.example'])).length, 1);
    assert.deepEqual(await t.store.cases.suppressions([]), []);
    assert.equal(await t.store.cases.liftSuppressions('K-a', '2026-01-02T00:00:00.000Z'), 2);
    assert.deepEqual(await t.store.cases.suppressions(), []);
  });

  it('records policy versions; the latest of a kind is active', { skip }, async () => {
    assert.equal(await t.store.cases.activePolicy('policy'), undefined);
    const v = { name: 'default', revision: '1', kind: 'policy' as const, text: 'a', actor: 'cli:ana' };
    await t.store.cases.recordPolicy({ ...v, hash: 'h1', appliedAt: '2026-01-01T00:00:00.000Z' });
    await t.store.cases.recordPolicy({ ...v, hash: 'h2', appliedAt: '2026-01-02T00:00:00.000Z' });
    assert.equal((await t.store.cases.activePolicy('policy'))?.hash, 'h2');
    assert.equal(await t.store.cases.activePolicy('weights'), undefined);
  });

  it('rolls back a case written in a failed transaction', { skip }, async () => {
    await assert.rejects(
      t.store.transaction(async (tx) => {
        await tx.cases.insert(base('K-z', 'campaign:C-9', 1, '2026-01-01T00:00:00.000Z'));
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await t.store.cases.get('K-z'), undefined);
  });
});
