/**
 * `precursor demo` as a user runs it: a real process that prints the dashboard URL with a key, serves
 * the API while it replays the world, stops on SIGINT, and resumes where it stopped.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { finished, spawnPrecursor } from '../support/cli-process.js';

interface DemoBody {
  state: string;
  resumedFrom: string | null;
  feeds: { id: string; replayed: number; total: number }[];
  score: {
    infrastructure: { total: number; flaggedBeforeGoLive: number; share: number };
    falseFlags: { names: number; accounts: number; honestNamesSeen: number; honestAccountsSeen: number };
    leadHours: number | null;
    campaigns: { flagged: number; operator: number; honestOnly: number };
    cases: { opened: number; open: number; operator: number; honestOnly: number };
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('precursor demo (live)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-demo-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the dashboard URL within 60 s, serves the live figures, stops on SIGINT and resumes', async () => {
    const started = Date.now();
    // As `npm start` runs it: default seed and speed.
    const child = spawnPrecursor(['demo', '--port', '0', '--data', dir]);
    const done = finished(child);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    while (!/Admin key: /.test(out)) {
      assert.ok(Date.now() - started < 60_000, `no dashboard URL within 60 s:\n${out}`);
      if (child.exitCode !== null) assert.fail(`the demo exited early:\n${out}\n${(await done).err}`);
      await sleep(100);
    }
    const url = /Dashboard: +(http:\/\/[^/\s]+)\/#key=(\S+)/.exec(out);
    assert.ok(url, out);
    const [, origin, key] = url as unknown as [string, string, string];
    const get = async (path: string, auth = true) =>
      fetch(`${origin}${path}`, auth ? { headers: { authorization: `Bearer ${key}` } } : {});
    assert.equal((await get('/v1/demo', false)).status, 401);

    // Within 90 s of the start the API holds a flagged campaign of operator infrastructure.
    let campaigns: { items: { id: string; flagged: boolean; memberCount: number }[] } = { items: [] };
    while (!campaigns.items.some((c) => c.flagged)) {
      assert.ok(Date.now() - started < 90_000, `no flagged campaign within 90 s:\n${out}`);
      await sleep(500);
      campaigns = (await (await get('/v1/campaigns')).json()) as typeof campaigns;
    }
    // … and an open case for a human.
    let cases: { items: { id: string; state: string }[] } = { items: [] };
    while (cases.items.length === 0) {
      assert.ok(Date.now() - started < 90_000, `no open case within 90 s:\n${out}`);
      await sleep(500);
      cases = (await (await get('/v1/cases?state=open')).json()) as typeof cases;
    }
    assert.ok(cases.items.every((c) => c.state === 'open'));
    let body = (await (await get('/v1/demo')).json()) as DemoBody;
    while (body.score.campaigns.operator === 0) {
      assert.ok(Date.now() - started < 90_000, `no campaign of operator infrastructure within 90 s:\n${out}`);
      await sleep(500);
      body = (await (await get('/v1/demo')).json()) as DemoBody;
    }
    assert.ok(body.score.infrastructure.flaggedBeforeGoLive > 0, JSON.stringify(body));
    assert.ok(body.feeds.every((f) => f.replayed > 0));
    const feeds = (await (await get('/v1/feeds')).json()) as {
      items: { source: string; observations: number }[];
    };
    assert.ok((feeds.items.find((f) => f.source === 'demo:certstream')?.observations ?? 0) > 0);
    const flags = (await (await get('/v1/stats/flags?bucket=hour')).json()) as {
      items: unknown[];
      types: string[];
    };
    assert.ok(flags.items.length > 0 && flags.types.includes('domain'), JSON.stringify(flags));
    const dashboard = await get('/', false);
    assert.equal(dashboard.status, 200);

    child.kill('SIGINT');
    const first = await done;
    assert.equal(first.code, 0, first.err);
    const marker = JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')) as { finished: boolean };
    assert.equal(marker.finished, false);

    // The same directory resumes from the feeds' checkpoints; at full speed it finishes the week.
    const again = spawnPrecursor(['demo', '--no-serve', '--json', '--data', dir]);
    const second = await finished(again);
    assert.equal(second.code, 0, second.err);
    const final = JSON.parse(second.out.trim().split('\n').pop() as string) as DemoBody;
    assert.equal(final.state, 'finished');
    assert.ok(final.resumedFrom, 'resumed, not started over');
    assert.ok(final.feeds.every((f) => f.replayed === f.total));
    const { infrastructure: infra, falseFlags: ff } = final.score;
    // Before go-live, most of what makes the operators' infrastructure visible is flagged …
    assert.ok(infra.share >= 0.5, `operator infrastructure flagged before go-live: ${JSON.stringify(infra)}`);
    // Each flagged campaign holds operator infrastructure; honest tenants do not form one.
    assert.ok(final.score.campaigns.operator >= 2, JSON.stringify(final.score.campaigns));
    assert.ok(final.score.campaigns.honestOnly <= 1, JSON.stringify(final.score.campaigns));
    // Most cases are about the operators.
    const cs = final.score.cases;
    assert.ok(cs.operator >= 2 && cs.operator > cs.honestOnly, JSON.stringify(cs));
    assert.ok((final.score.leadHours ?? 0) > 0);
    // … and honest names and accounts are rarely flagged.
    assert.ok(ff.names / ff.honestNamesSeen < 0.01, JSON.stringify(ff));
    assert.ok(ff.accounts / ff.honestAccountsSeen < 0.03, JSON.stringify(ff));
    assert.equal(JSON.parse(readFileSync(join(dir, 'demo.json'), 'utf8')).finished, true);
  });
});
