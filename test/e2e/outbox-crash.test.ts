/**
 * Exactly-once delivery as a receiver sees it: a decision's actions are written by a process that
 * exits before delivering them; the serving process that then delivers is killed while the receiver
 * holds the first request (sent, never recorded); a new serving process delivers everything again
 * under the same action ids. The loopback receiver checks every signature and acts on each id once:
 * each action is acted on exactly once and every outbox row ends delivered.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { verifySignature } from '../../src/review/outbox.js';
import { cli } from '../support/cli.js';
import { spawnPrecursor } from '../support/cli-process.js';

const SECRET = 'loopback-secret-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'precursor-outbox-'));
const home = join(dir, 'home');
const config = join(dir, 'precursor.yaml');
const g = ['--config', config, '--home', home];

interface Receiver {
  url: string;
  /** Every request, in arrival order: action id and whether its signature verified. */
  seen: { id: string; signed: boolean }[];
  /** Ids acted upon (once each). */
  acted: Map<string, number>;
  /** While true, requests are received and held without an answer. */
  hold: boolean;
  held: ServerResponse[];
  close(): Promise<void>;
}

async function receiver(): Promise<Receiver> {
  const r: Receiver = { url: '', seen: [], acted: new Map(), hold: true, held: [], close: async () => {} };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const id = String(req.headers['x-precursor-action-id']);
      const ts = Number(req.headers['x-precursor-timestamp']);
      const signed = verifySignature(
        SECRET,
        body,
        ts,
        String(req.headers['x-precursor-signature']),
        Date.now() / 1000,
      );
      r.seen.push({ id, signed });
      if (r.hold) {
        r.held.push(res);
        return;
      }
      // Idempotent on the action id: a repeat is acknowledged, not acted on again.
      if (signed && !r.acted.has(id)) r.acted.set(id, r.seen.length);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  r.close = () =>
    new Promise((res) => {
      server.closeAllConnections();
      server.close(() => res());
    });
  return r;
}

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 30_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

function serve(): { child: ChildProcess; ready: Promise<void> } {
  const child = spawnPrecursor([...g, 'serve', '--port', '0']);
  let out = '';
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('listening on')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`serve exited early (${code})`)));
  });
  return { child, ready };
}

describe('outbox: a crash between decision and delivery', () => {
  let rx: Receiver;
  before(async () => {
    rx = await receiver();
    const shipped = readFileSync(new URL('../../policies/default.yaml', import.meta.url), 'utf8');
    writeFileSync(
      join(dir, 'policy.yaml'),
      shipped.replace('subject.kind == "entity" && risk >= 90.0', 'subject.kind == "entity" && risk >= 70.0'),
    );
    writeFileSync(
      config,
      [
        'webhooks:',
        `  provider: { url: ${JSON.stringify(rx.url)}, secret: ${JSON.stringify(SECRET)}, retry: { initialMs: 50, maxMs: 200 } }`,
        'review:',
        `  policy: ${JSON.stringify(join(dir, 'policy.yaml'))}`,
        '  provider: provider',
        '  notify: [provider]',
        '  outbox: { intervalMs: 50, leaseMs: 1000 }',
        '',
      ].join('\n'),
    );
    writeFileSync(join(dir, 'names.txt'), 'rnicrosoft-login.com\n');
  });
  after(async () => {
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('delivers each action exactly once as the receiver sees it', { timeout: 120_000 }, async () => {
    assert.equal((await cli([...g, 'ingest', 'list', join(dir, 'names.txt')])).code, 0);
    const [first] = (await cli([...g, 'cases', '--json'])).out.trim().split('\n');
    const id = (JSON.parse(first!) as { id: string }).id;
    assert.equal((await cli([...g, 'claim', id])).code, 0);
    // The deciding process writes the actions and exits: nothing is delivered yet.
    const d = await cli([...g, 'decide', id, '--as', 'malicious', '--note', 'kit live', '--json']);
    assert.equal(d.code, 0, d.err);
    const actions = (JSON.parse(d.out) as { actions: string[] }).actions;
    assert.equal(actions.length, 2, 'block and notify');
    assert.equal(rx.seen.length, 0);

    // A server delivers; the receiver holds the first request; the server is killed before recording it.
    const s1 = serve();
    await s1.ready;
    await until('the first delivery', () => rx.seen.length >= 1);
    s1.child.kill('SIGKILL');
    await new Promise((r) => s1.child.once('exit', r));
    const inFlight = rx.seen[0]!.id;
    assert.ok(actions.includes(inFlight));
    for (const res of rx.held) res.destroy();
    rx.hold = false;

    // A new server: the lease on the in-flight action ends, everything is delivered, each id acted on once.
    const s2 = serve();
    await s2.ready;
    const status = async () => {
      const c = await cli([...g, 'case', id, '--json']);
      return (JSON.parse(c.out) as { actions: { id: string; status: string }[] }).actions;
    };
    await until('every action delivered', async () =>
      (await status()).every((a) => a.status === 'delivered'),
    );
    s2.child.kill('SIGTERM');
    await new Promise((r) => s2.child.once('exit', r));

    assert.ok(
      rx.seen.every((x) => x.signed),
      'every request is signed',
    );
    assert.ok(rx.seen.filter((x) => x.id === inFlight).length >= 2, 'the in-flight action was sent again');
    assert.deepEqual([...rx.acted.keys()].sort(), [...actions].sort(), 'each action acted on exactly once');
    assert.deepEqual(
      (await status()).map((a) => a.status),
      ['delivered', 'delivered'],
    );
  });
});
