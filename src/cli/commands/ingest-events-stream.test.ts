import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cli } from '../../../test/support/cli.js';
import { NATS_URL, natsSkip, testStream } from '../../../test/support/nats.js';
import { EXIT } from '../exit-codes.js';

// Five linked sign-ups (same device) in ten minutes, then a deployment: enough for the tenant stage to
// see a burst, and one malformed message for the dead letters.
const events = (provider: string) => [
  ...Array.from({ length: 5 }, (_, i) =>
    JSON.stringify({
      event_id: `${provider}-c${i}`,
      type: 'account.created',
      provider,
      account_id: `acct-${i}`,
      ts: `2026-04-01T10:0${i}:00Z`,
      email: `user${i}@example.org`,
      ip: '198.51.100.7',
      device_id: 'device-shared-1',
    }),
  ),
  '{"type": "account.created", "provider": ',
  JSON.stringify({
    event_id: `${provider}-d1`,
    type: 'deployment.created',
    provider,
    account_id: 'acct-0',
    ts: '2026-04-01T10:30:00Z',
    kind: 'worker',
    url: 'https://login-rnicrosoft.example.workers.dev/',
  }),
];

describe('precursor ingest events --nats', async () => {
  const skip = await natsSkip();
  const dir = mkdtempSync(join(tmpdir(), 'precursor-events-stream-'));
  let s: Awaited<ReturnType<typeof testStream>>;
  before(async () => {
    if (!skip) s = await testStream();
  });
  after(async () => {
    if (!skip) await s.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a stream to its end, dead-letters bad messages and resumes from its checkpoint', {
    skip,
  }, async () => {
    for (const e of events('cloud-a')) await s.publish('tenant.cloud-a', e);
    await s.publish('other.noise', '{"not": "an event"}');
    const home = join(dir, 'home');
    const args = ['--home', home, 'ingest', 'events', '--nats', NATS_URL, '--stream', s.name];
    const subject = ['--subject', `${s.subjectPrefix}.tenant.>`];
    const first = await cli([...args, ...subject, '--json']);
    assert.equal(first.code, EXIT.PARTIAL, first.err);
    const summary = JSON.parse(first.out) as {
      files: Array<{ records: number; inserted: number; rejected: number; position: string }>;
      tenant: { events: number };
    };
    assert.equal(summary.files[0]?.records, 7);
    assert.equal(summary.files[0]?.inserted, 6);
    assert.equal(summary.files[0]?.rejected, 1);
    assert.equal(summary.tenant.events, 6);

    const again = await cli([...args, ...subject, '--json']);
    assert.equal(again.code, EXIT.OK, again.err);
    assert.equal((JSON.parse(again.out) as typeof summary).files[0]?.records, 0);

    const usage = await cli([...args.slice(0, 4), '--stream', s.name]);
    assert.equal(usage.code, EXIT.USAGE, 'a stream without --nats is a usage error');
    const missing = await cli([...args.slice(0, 6), '--stream', 'no_such_stream']);
    assert.notEqual(missing.code, EXIT.OK);
    assert.match(missing.err, /no stream 'no_such_stream'/);
  });

  // No NATS needed: nothing listens on port 1 of the loopback address.
  it('answers exit 4 (UNAVAILABLE) when the broker cannot be reached', async () => {
    const r = await cli([
      '--home',
      join(dir, 'home-unreachable'),
      'ingest',
      'events',
      '--nats',
      'nats://127.0.0.1:1',
      '--stream',
      'anything',
    ]);
    assert.equal(r.code, EXIT.UNAVAILABLE, r.err);
    assert.match(r.err, /SOURCE_UNAVAILABLE: .*cannot connect/);
  });
});
