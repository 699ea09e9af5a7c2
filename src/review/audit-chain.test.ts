import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isPrecursorError } from '../domain/index.js';
import { appendAnchor, readAnchors } from './audit-anchor.js';
import {
  type Anchor,
  anchorDue,
  assertChain,
  type ChainedEntry,
  chainEntry,
  entryHash,
  GENESIS,
  verifyChain,
} from './audit-chain.js';

function build(n: number): ChainedEntry[] {
  const out: ChainedEntry[] = [];
  for (let i = 0; i < n; i++) {
    const prev = out.at(-1);
    out.push(
      chainEntry(prev && { seq: prev.seq, hash: prev.hash }, {
        actor: i % 2 ? 'key:7' : 'cli:ana',
        at: new Date(Date.UTC(2026, 10, 1, 0, i)).toISOString(),
        action: 'case.decide',
        subject: `case:K-${i}`,
        before: { state: 'in-review' },
        after: { state: i % 3 ? 'benign' : 'confirmed-malicious', note: `n${i}` },
      }),
    );
  }
  return out;
}

/** Rebuild the chain from `from` on, as someone with write access to the table could. */
function recompute(entries: ChainedEntry[], from: number): ChainedEntry[] {
  const out = entries.slice(0, from);
  for (const e of entries.slice(from)) {
    const prev = out.at(-1);
    out.push(chainEntry(prev && { seq: prev.seq, hash: prev.hash }, e));
  }
  return out;
}

const bad = (entries: ChainedEntry[], anchors: Anchor[] = []) => verifyChain(entries, anchors).firstBad;

describe('audit chain', () => {
  it('verifies an intact chain and reports its head', () => {
    const c = build(10);
    const v = verifyChain(c);
    assert.deepEqual([v.ok, v.count, v.head], [true, 10, { seq: 10, hash: c[9]!.hash }]);
    assert.equal(c[0]!.prevHash, GENESIS);
    assert.equal(verifyChain([]).ok, true);
    assert.doesNotThrow(() => assertChain(v));
  });

  it('hashes a canonical form: key order does not matter, every field does', () => {
    const r = {
      actor: 'a',
      at: '2026-11-01T00:00:00Z',
      action: 'x',
      subject: 's',
      before: { a: 1, b: 2 },
      after: null,
    };
    assert.equal(entryHash(r, 1, GENESIS), entryHash({ ...r, before: { b: 2, a: 1 } }, 1, GENESIS));
    for (const changed of [
      { ...r, actor: 'b' },
      { ...r, at: '2026-11-01T00:00:01Z' },
      { ...r, action: 'y' },
      { ...r, subject: 't' },
      { ...r, before: { a: 1, b: 3 } },
      { ...r, after: {} },
    ])
      assert.notEqual(entryHash(changed, 1, GENESIS), entryHash(r, 1, GENESIS));
    assert.notEqual(entryHash(r, 2, GENESIS), entryHash(r, 1, GENESIS));
    assert.notEqual(entryHash(r, 1, 'f'.repeat(64)), entryHash(r, 1, GENESIS));
  });

  it('names an edited entry', () => {
    const c = build(10);
    c[4] = { ...c[4]!, after: { state: 'benign', note: 'changed' } };
    assert.deepEqual(bad(c)?.seq, 5);
    assert.equal(bad(c)?.reason, 'edited');
  });

  it('names an entry edited and re-hashed (the next link no longer fits)', () => {
    const c = build(10);
    const e = { ...c[4]!, actor: 'cli:mallory' };
    c[4] = { ...e, hash: entryHash(e, e.seq, e.prevHash) };
    assert.deepEqual([bad(c)?.seq, bad(c)?.reason], [5, 'edited']);
  });

  it('names a deleted entry', () => {
    const c = build(10);
    c.splice(6, 1);
    assert.deepEqual([bad(c)?.seq, bad(c)?.reason], [7, 'removed']);
    const two = build(10);
    two.splice(2, 2);
    assert.match(bad(two)?.detail ?? '', /3–4/);
  });

  it('names a reordered entry', () => {
    const c = build(10);
    [c[3], c[4]] = [c[4]!, c[3]!];
    assert.deepEqual([bad(c)?.seq, bad(c)?.reason], [4, 'reordered']);
    const moved = build(10);
    const [e] = moved.splice(2, 1);
    moved.push(e!);
    assert.deepEqual([bad(moved)?.seq, bad(moved)?.reason], [3, 'reordered']);
  });

  it('misses a deleted tail or a recomputed chain without an anchor, and catches both with one', () => {
    const c = build(12);
    const anchors: Anchor[] = [4, 8, 12].map((n) => ({ count: n, head: c[n - 1]!.hash }));
    assert.equal(verifyChain(c, anchors).ok, true);
    assert.equal(verifyChain(c, anchors).anchorsChecked, 3);

    const cut = c.slice(0, 10);
    assert.equal(verifyChain(cut).ok, true, 'internally consistent');
    assert.deepEqual([bad(cut, anchors)?.seq, bad(cut, anchors)?.reason], [11, 'truncated']);

    const forged = recompute([...c.slice(0, 5), { ...c[5]!, after: { state: 'benign' } }, ...c.slice(6)], 5);
    assert.equal(verifyChain(forged).ok, true, 'internally consistent');
    assert.deepEqual([bad(forged, anchors)?.seq, bad(forged, anchors)?.reason], [8, 'anchor-mismatch']);
  });

  it('throws AUDIT_BROKEN naming the first bad entry', () => {
    const c = build(5);
    c[1] = { ...c[1]!, subject: 'case:other' };
    assert.throws(
      () => assertChain(verifyChain(c)),
      (e: unknown) => isPrecursorError(e) && e.code === 'AUDIT_BROKEN' && /entry 2: edited/.test(e.message),
    );
  });

  it('anchors every N entries', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 6].filter((s) => anchorDue(s, 3)),
      [3, 6],
    );
    assert.equal(anchorDue(5, 0), false);
  });

  it('keeps anchors in a file and refuses a damaged one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'precursor-anchor-'));
    try {
      const file = join(dir, 'anchors.jsonl');
      assert.deepEqual(readAnchors(file), []);
      const c = build(4);
      appendAnchor(file, { count: 2, head: c[1]!.hash, at: c[1]!.at });
      appendAnchor(file, { count: 4, head: c[3]!.hash, at: c[3]!.at });
      const anchors = readAnchors(file);
      assert.deepEqual(
        anchors.map((a) => a.count),
        [2, 4],
      );
      assert.equal(verifyChain(c, anchors).ok, true);
      writeFileSync(file, '{"count":2,"head":"nothex"}\n', { flag: 'a' });
      assert.throws(() => readAnchors(file), /line 3/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
