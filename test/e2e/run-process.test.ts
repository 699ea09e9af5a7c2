/**
 * `precursor run` as an operator runs it: started on a configuration with file feeds, fed while it
 * runs, stopped with SIGTERM, fed while stopped, restarted — it resumes from its checkpoints and
 * nothing is read twice.
 */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { generateWorld } from '../../src/simulate/index.js';
import { finished, runPrecursor, spawnPrecursor } from '../support/cli-process.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('precursor run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-run-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('follows its feeds while serving, stops cleanly on SIGTERM and resumes after a restart', async () => {
    const world = generateWorld({ seed: 'run-test', scale: 'small' });
    const events = world.tenantEvents;
    const names = [
      'micros0ft-login-verify.com',
      'example.org',
      'paypal-secure-account-update.top',
      'wikipedia.org',
    ];
    const more = ['rnicrosoft-office365-signin.live', 'github.com'];
    const files = {
      names: join(dir, 'names.txt'),
      events: join(dir, 'events.jsonl'),
      tx: join(dir, 'transactions.jsonl'),
    };
    writeFileSync(files.names, `${names.join('\n')}\n`);
    writeFileSync(files.events, `${events.slice(0, 300).join('\n')}\n`);
    writeFileSync(files.tx, `${world.transactions.slice(0, 20).join('\n')}\n`);
    const config = join(dir, 'precursor.yaml');
    writeFileSync(
      config,
      [
        `home: ${join(dir, 'home')}`,
        'run:',
        '  feeds:',
        `    - { type: list, file: ${files.names} }`,
        `    - { type: events, file: ${files.events} }`,
        `    - { type: transactions, file: ${files.tx} }`,
        '  pollSeconds: 0.2',
        '  detectSeconds: 0.2',
        '  crawl: { enabled: false }',
        '',
      ].join('\n'),
    );
    const keyRun = await runPrecursor(['--config', config, 'keys', 'create', '--role', 'reader']);
    assert.equal(keyRun.code, 0, keyRun.err);
    const key = keyRun.out.trim();

    const start = async () => {
      const child = spawnPrecursor(['--config', config, 'run', '--port', '0']);
      const done = finished(child);
      let out = '';
      child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
      for (const t0 = Date.now(); !/running on (http:\/\/\S+)/.test(out); await sleep(100)) {
        if (child.exitCode !== null) assert.fail(`run exited early:\n${out}\n${(await done).err}`);
        assert.ok(Date.now() - t0 < 60_000, `not listening within 60 s:\n${out}`);
      }
      const url = (/running on (http:\/\/\S+)/.exec(out) as RegExpExecArray)[1] as string;
      return { child, done, url, output: () => out };
    };
    const feeds = async (url: string) => {
      const r = await fetch(`${url}/v1/feeds`, { headers: { authorization: `Bearer ${key}` } });
      const body = (await r.json()) as {
        items: { source: string; observations: number; deadLetters: number }[];
      };
      const of = (prefix: string) => body.items.find((f) => f.source.startsWith(prefix));
      return { list: of('list:'), events: of('tenant:'), tx: of('transactions:') };
    };
    const until = async (what: string, ok: () => Promise<boolean>) => {
      for (const t0 = Date.now(); !(await ok()); await sleep(200))
        assert.ok(Date.now() - t0 < 60_000, `timed out waiting for ${what}`);
    };

    const first = await start();
    await until('the files to be read', async () => {
      const f = await feeds(first.url);
      return (
        f.list?.observations === names.length &&
        (f.events?.observations ?? 0) > 0 &&
        (f.tx?.observations ?? 0) === 20
      );
    });
    // Appended lines are picked up while the process runs, and names are scored.
    appendFileSync(files.names, `${more[0]}\n`);
    await until(
      'the appended name',
      async () => (await feeds(first.url)).list?.observations === names.length + 1,
    );
    await until('a flagged name', async () => {
      const r = await fetch(`${first.url}/v1/entities?type=domain&flagged=true`, {
        headers: { authorization: `Bearer ${key}` },
      });
      const body = (await r.json()) as { items: { entity: { key: string } }[] };
      return body.items.some((i) => i.entity.key === 'domain:micros0ft-login-verify.com');
    });
    const eventsBefore = (await feeds(first.url)).events?.observations ?? 0;
    first.child.kill('SIGTERM');
    const stopped = await first.done;
    assert.equal(stopped.code, 0, stopped.err);
    assert.match(stopped.out, /stopped/);

    // Fed while stopped; the restart reads only what is new.
    appendFileSync(files.names, `${more[1]}\n`);
    appendFileSync(files.events, `${events.slice(300, 400).join('\n')}\n`);
    const second = await start();
    await until('the lines appended while stopped', async () => {
      const f = await feeds(second.url);
      return (
        f.list?.observations === names.length + more.length && (f.events?.observations ?? 0) > eventsBefore
      );
    });
    const f = await feeds(second.url);
    assert.equal(f.tx?.observations, 20, 'nothing read twice');
    assert.equal(f.list?.deadLetters ?? 0, 0);
    second.child.kill('SIGINT');
    const end = await second.done;
    assert.equal(end.code, 0, end.err);
  });
});
