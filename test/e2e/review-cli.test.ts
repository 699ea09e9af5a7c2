/**
 * The review queue through the CLI, as an analyst uses it: ingest names, the policy opens cases,
 * claim and decide, the decision's feedback keeps the name quiet when it is seen again, and
 * `audit verify` finds an edited, a deleted and a reordered entry in a copy of the store each.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'precursor-review-'));
const home = join(dir, 'home');
const config = join(dir, 'precursor.yaml');
const policyFile = join(dir, 'policy.yaml');
const g = ['--config', config, '--home', home];
const run = (args: string[], env: Record<string, string> = {}) =>
  cli([...g, ...args], { PRECURSOR_ACTOR: 'cli:ana', ...env });
const lines = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('review on the command line', () => {
  before(() => {
    // The shipped policy, with lone names sent to a human from score 70 instead of 90.
    const shipped = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');
    writeFileSync(
      policyFile,
      shipped.replace('subject.kind == "entity" && risk >= 90.0', 'subject.kind == "entity" && risk >= 70.0'),
    );
    writeFileSync(
      config,
      [
        'webhooks:',
        '  provider: { url: "http://127.0.0.1:9/hook", secret: "0123456789abcdef0123" }',
        '  chat: { url: "http://127.0.0.1:9/chat", body: slack }',
        'review:',
        `  policy: ${JSON.stringify(policyFile)}`,
        '  provider: provider',
        '  notify: [chat]',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'names.txt'), 'rnicrosoft-login.com\npaypal-account-verify.xyz\nwikipedia.org\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  let id = '';
  it('opens a case per name the policy selects; lists them as JSON lines', async () => {
    const ing = await run(['ingest', 'list', join(dir, 'names.txt')]);
    assert.equal(ing.code, 0, ing.err);
    const r = await run(['cases', '--json']);
    assert.equal(r.code, 0, r.err);
    const items = lines(r.out);
    assert.deepEqual(items.map((c) => c.subject).sort(), [
      'domain:paypal-account-verify.xyz',
      'domain:rnicrosoft-login.com',
    ]);
    for (const c of items)
      assert.deepEqual(Object.keys(c).sort(), [
        'assignee',
        'campaignId',
        'dueAt',
        'id',
        'memberCount',
        'openedAt',
        'outcome',
        'priority',
        'queue',
        'score',
        'state',
        'subject',
        'summary',
        'supersededBy',
        'updatedAt',
      ]);
    id = items.find((c) => c.subject === 'domain:rnicrosoft-login.com')!.id as string;
    const one = await run(['cases', '--json', '--limit', '1']);
    assert.equal(lines(one.out).length, 1);
    assert.match(one.err, /Next page: precursor cases --after K-/);
    const detail = await run(['case', id, '--json']);
    const d = JSON.parse(detail.out) as Record<string, unknown> & {
      members: { key: string; signals: unknown[] }[];
    };
    assert.equal(d.members[0]?.key, 'domain:rnicrosoft-login.com');
    assert.ok(d.members[0]!.signals.length > 0);
    for (const k of ['rules', 'evidence', 'history', 'decision']) assert.ok(k in d, k);
    const text = await run(['case', id]);
    assert.match(text.out, /domain\.homoglyph/);
  });

  it('refuses to decide an unclaimed case (exit 1, CASE_ILLEGAL_TRANSITION); an unknown id is CASE_NOT_FOUND', async () => {
    const r = await run(['decide', id, '--as', 'benign', '--note', 'test']);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /^precursor: CASE_ILLEGAL_TRANSITION: case K-[0-9a-f]+: cannot decide a case that is open/,
    );
    const nf = await run(['claim', 'K-0000000000']);
    assert.equal(nf.code, 1);
    assert.match(nf.err, /CASE_NOT_FOUND/);
    const bad = await run(['decide', id, '--as', 'maybe', '--note', 'x']);
    assert.equal(bad.code, 2);
  });

  it('claims and decides; the benign name stays quiet when it is seen again', async () => {
    assert.equal((await run(['claim', id])).code, 0);
    const d = await run(['decide', id, '--as', 'benign', '--note', 'the brand owns it', '--json']);
    assert.equal(d.code, 0, d.err);
    const res = JSON.parse(d.out) as { case: { state: string }; actions: string[]; audit: { seq: number } };
    assert.equal(res.case.state, 'benign');
    assert.equal(res.actions.length, 1, 'a notification to chat');
    writeFileSync(join(dir, 'again.txt'), 'rnicrosoft-login.com\n');
    const again = await run(['ingest', 'list', join(dir, 'again.txt'), '--json']);
    assert.equal(again.code, 0, again.err);
    // The name was scored again by the detect stage (a new observation), and is not flagged.
    assert.deepEqual(
      (JSON.parse(again.out) as { detect: { observations: number; flagged: number } }).detect,
      { ...(JSON.parse(again.out) as { detect: object }).detect, observations: 1, flagged: 0 },
    );
    const e = await run(['entity', 'domain:rnicrosoft-login.com', '--json']);
    const entity = JSON.parse(e.out) as { assessment: { flagged: boolean; signals: { id: string }[] } };
    assert.equal(entity.assessment.flagged, false);
    assert.ok(entity.assessment.signals.some((c) => c.id === 'review.benign'));
    const c = JSON.parse((await run(['case', id, '--json'])).out) as { state: string };
    assert.equal(c.state, 'benign', 'not reopened by the same evidence');
  });

  it('audit verify: exit 0 and the head hash on an intact chain', async () => {
    const r = await run(['audit', 'verify']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /audit chain intact: 2 entries, head [0-9a-f]{64}/);
    const j = await run(['audit', 'verify', '--json']);
    const v = JSON.parse(j.out) as { ok: boolean; count: number; head: { seq: number; hash: string } };
    assert.deepEqual([v.ok, v.count, v.head.seq], [true, 2, 2]);
  });

  it('policy test is a dry run beside the live policy; policy apply makes it live and audits it', async () => {
    const strict = readFileSync(policyFile, 'utf8').replace(
      'subject.kind == "entity" && risk >= 70.0',
      'subject.kind == "entity" && risk >= 99.0',
    );
    const candidate = join(dir, 'strict.yaml');
    writeFileSync(candidate, strict);
    const before = lines((await run(['cases', '--json'])).out).length;
    const t = await run(['policy', 'test', candidate, '--json']);
    assert.equal(t.code, 0, t.err);
    const r = JSON.parse(t.out) as {
      subjects: number;
      versusLive: { lost: number; lostSubjects: string[] };
      rules: Record<string, { hits: number }>;
      contradictions: unknown[];
    };
    assert.ok(r.subjects >= 1);
    assert.deepEqual(r.versusLive.lostSubjects, ['domain:paypal-account-verify.xyz']);
    assert.equal(r.rules['lone-strong']?.hits, 0);
    assert.equal(lines((await run(['cases', '--json'])).out).length, before, 'a dry run changes nothing');
    const bad = await run(['policy', 'test', join(dir, 'names.txt')]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /CONFIG_INVALID/);
    const a = await run(['policy', 'apply', candidate]);
    assert.equal(a.code, 0, a.err);
    const show = JSON.parse((await run(['policy', 'show', '--json'])).out) as {
      source: string;
      hash: string;
    };
    assert.equal(show.source, 'store');
    const audit = await run(['audit', 'verify', '--json']);
    assert.equal((JSON.parse(audit.out) as { count: number }).count, 3, 'claim, decide, policy.apply');
  });

  const tampered = async (name: string, tamper: (db: Database.Database) => void) => {
    const copy = join(dir, name);
    cpSync(home, copy, { recursive: true });
    const db = new Database(join(copy, 'precursor.db'));
    // Whoever tampers bypasses the append-only triggers.
    db.exec('DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete;');
    tamper(db);
    db.close();
    return cli(['--config', config, '--home', copy, 'audit', 'verify', '--json']);
  };

  it('audit verify names an edited entry (exit 1)', async () => {
    const r = await tampered('edited', (db) =>
      db.prepare("UPDATE audit_events SET actor = 'cli:mallory' WHERE seq = 1").run(),
    );
    assert.equal(r.code, 1);
    assert.match(r.err, /AUDIT_BROKEN: audit entry 1: edited/);
    assert.equal((JSON.parse(r.out) as { firstBad: { seq: number } }).firstBad.seq, 1);
  });

  it('audit verify names a deleted entry (exit 1)', async () => {
    await run(['reopen', id, '--note', 'third entry']);
    const r = await tampered('deleted', (db) => db.prepare('DELETE FROM audit_events WHERE seq = 2').run());
    assert.equal(r.code, 1);
    assert.match(r.err, /audit entry 2: removed/);
  });

  it('audit verify names a reordered entry (exit 1)', async () => {
    const r = await tampered('reordered', (db) => {
      // Swap the stored order of entries 1 and 2 (their contents trade row ids).
      const rows = db.prepare('SELECT * FROM audit_events WHERE seq IN (1, 2) ORDER BY id').all() as Record<
        string,
        unknown
      >[];
      const [a, b] = rows as [Record<string, unknown>, Record<string, unknown>];
      const set = db.prepare(
        'UPDATE audit_events SET at=@at, actor=@actor, action=@action, subject=@subject, detail=@detail, seq=@seq, prev_hash=@prev_hash, hash=@hash WHERE id=@id',
      );
      db.prepare('UPDATE audit_events SET seq = NULL WHERE seq IN (1, 2)').run();
      set.run({ ...b, id: a.id });
      set.run({ ...a, id: b.id });
    });
    assert.equal(r.code, 1);
    assert.match(r.err, /audit entry [12]: reordered/);
  });
});
