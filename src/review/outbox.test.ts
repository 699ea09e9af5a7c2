import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ConfigSchema } from '../config/config-schema.js';
import { WebhookSchema } from '../config/webhooks-schema.js';
import {
  afterAttempt,
  backoffMs,
  type DeliveryState,
  ID_HEADER,
  initialDelivery,
  isDue,
  type OutboxAction,
  type RetrySchedule,
  sign,
  TIMESTAMP_HEADER,
  verifySignature,
  type WebhookSettings,
  webhookRequest,
} from './outbox.js';
import { deliverDue, httpDeliverer, type OutboxPort } from './outbox-delivery.js';

const SECRET = 'a-long-enough-shared-secret';
const SCHEDULE: RetrySchedule = { initialMs: 1000, factor: 2, maxMs: 8000, jitter: 0, maxAttempts: 0 };
const action = (id = 'act-1', target = 'soc'): OutboxAction => ({
  id,
  kind: 'hold-and-review',
  target,
  createdAt: '2026-11-01T00:00:00.000Z',
  payload: {
    subject: 'campaign C-1',
    caseId: 'K-1',
    reason: '3 accounts behind a gated clone',
    accounts: ['account:a/1'],
  },
});

/** A loopback receiver that checks signatures and processes each action id once. */
class Receiver {
  server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      this.received++;
      if (this.hang > 0) {
        this.hang--;
        return; // never answers
      }
      if (this.failBefore > 0) {
        this.failBefore--;
        res.writeHead(503).end();
        return;
      }
      const ts = Number(req.headers[TIMESTAMP_HEADER]);
      const sig = String(req.headers['x-precursor-signature'] ?? '');
      if (this.checkSignature && !verifySignature(SECRET, body, ts, sig, Math.floor(Date.now() / 1000))) {
        this.badSignatures++;
        res.writeHead(401).end();
        return;
      }
      const id = String(req.headers[ID_HEADER]);
      this.bodies.push(body);
      if (!this.processed.has(id)) this.processed.set(id, JSON.parse(body));
      else this.duplicates++;
      if (this.failAfter > 0) {
        // Processed, but the acknowledgement is lost: the sender must retry, the receiver must not redo.
        this.failAfter--;
        res.writeHead(500).end();
        return;
      }
      res.writeHead(202).end('{}');
    });
  });
  processed = new Map<string, unknown>();
  bodies: string[] = [];
  received = 0;
  duplicates = 0;
  badSignatures = 0;
  failBefore = 0;
  failAfter = 0;
  hang = 0;
  checkSignature = true;
  url = '';
  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }
  stop() {
    this.server.closeAllConnections();
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}

/** An in-memory outbox: what the store aggregate will do with rows. */
class MemoryOutbox implements OutboxPort {
  rows = new Map<string, { action: OutboxAction; state: DeliveryState }>();
  crashOnRecord = 0;
  add(a: OutboxAction) {
    this.rows.set(a.id, { action: a, state: initialDelivery(a) });
  }
  async due(now: string, limit: number) {
    return [...this.rows.values()].filter((r) => isDue(r.state, now)).slice(0, limit);
  }
  async record(id: string, state: DeliveryState) {
    if (this.crashOnRecord > 0) {
      this.crashOnRecord--;
      throw new Error('process killed');
    }
    const row = this.rows.get(id)!;
    this.rows.set(id, { ...row, state });
  }
}

describe('outbox: schedule and signing', () => {
  it('backs off exponentially up to the cap, with bounded jitter', () => {
    assert.deepEqual(
      [1, 2, 3, 4, 5, 9].map((n) => backoffMs(n, SCHEDULE)),
      [1000, 2000, 4000, 8000, 8000, 8000],
    );
    const j = { ...SCHEDULE, jitter: 0.5 };
    assert.equal(
      backoffMs(1, j, () => 0),
      500,
    );
    assert.equal(
      backoffMs(1, j, () => 1),
      1500,
    );
  });

  it('moves pending → delivered on success, keeps retrying, and parks as dead only with maxAttempts', () => {
    const s0 = initialDelivery(action());
    assert.equal(isDue(s0, '2026-11-01T00:00:00.000Z'), true);
    const s1 = afterAttempt(s0, { ok: false, error: 'HTTP 500' }, '2026-11-01T00:00:00.000Z', SCHEDULE);
    assert.deepEqual(s1, {
      status: 'pending',
      attempts: 1,
      nextAttemptAt: '2026-11-01T00:00:01.000Z',
      lastError: 'HTTP 500',
    });
    assert.equal(isDue(s1, '2026-11-01T00:00:00.500Z'), false);
    const s2 = afterAttempt(s1, { ok: true }, '2026-11-01T00:00:01.000Z', SCHEDULE);
    assert.deepEqual(s2, { status: 'delivered', attempts: 2, deliveredAt: '2026-11-01T00:00:01.000Z' });
    assert.equal(isDue(s2, '2030-01-01T00:00:00Z'), false);
    let s: DeliveryState = s0;
    for (let i = 0; i < 50; i++)
      s = afterAttempt(s, { ok: false, error: 'x' }, '2026-11-01T00:00:00.000Z', SCHEDULE);
    assert.equal(s.status, 'pending');
    const capped = { ...SCHEDULE, maxAttempts: 3 };
    s = s0;
    for (let i = 0; i < 3; i++)
      s = afterAttempt(s, { ok: false, error: 'x' }, '2026-11-01T00:00:00.000Z', capped);
    assert.deepEqual([s.status, s.attempts, s.lastError], ['dead', 3, 'x']);
  });

  it('signs timestamp and body; a changed body, a wrong key or an old timestamp does not verify', () => {
    const { body, headers } = webhookRequest(
      action(),
      { body: 'json', signatureHeader: 'X-Hub-Signature-256' },
      SECRET,
      1_700_000_000,
    );
    const sig = headers['x-hub-signature-256']!;
    assert.match(sig, /^sha256=[0-9a-f]{64}$/);
    assert.equal(sig, sign(SECRET, 1_700_000_000, body));
    assert.equal(verifySignature(SECRET, body, 1_700_000_000, sig, 1_700_000_100), true);
    assert.equal(verifySignature(SECRET, `${body} `, 1_700_000_000, sig, 1_700_000_100), false);
    assert.equal(verifySignature('another-secret-entirely', body, 1_700_000_000, sig, 1_700_000_100), false);
    assert.equal(verifySignature(SECRET, body, 1_700_000_000, sig, 1_700_001_000), false);
    assert.equal(headers[ID_HEADER], 'act-1');
    assert.equal(headers['idempotency-key'], 'act-1');
    assert.deepEqual(JSON.parse(body), {
      id: 'act-1',
      kind: 'hold-and-review',
      created_at: '2026-11-01T00:00:00.000Z',
      payload: action().payload,
    });
  });

  it('renders a Slack-compatible body', () => {
    const { body } = webhookRequest(action(), { body: 'slack', signatureHeader: 'x-sig' }, undefined, 1);
    const parsed = JSON.parse(body) as { text: string };
    assert.equal(
      parsed.text,
      'Precursor: *hold-and-review* campaign C-1 (case K-1) — 3 accounts behind a gated clone',
    );
  });
});

describe('outbox: delivery to a loopback receiver', () => {
  const rx = new Receiver();
  let hook: WebhookSettings;
  before(async () => {
    await rx.start();
    hook = WebhookSchema.parse({ url: rx.url, secret: SECRET, timeoutMs: 2000, retry: SCHEDULE });
  });
  after(() => rx.stop());

  // A fake clock that jumps past each back-off, so retries run at once.
  const clock = () => {
    let t = Date.parse('2026-11-01T00:00:00.000Z');
    return { now: () => new Date(t).toISOString(), advance: (ms: number) => (t += ms) };
  };

  it('delivers a signed action on 2xx', async () => {
    const result = await httpDeliverer()(action('ok-1'), hook);
    assert.deepEqual(result, { ok: true });
    assert.ok(rx.processed.has('ok-1'));
    assert.equal(rx.badSignatures, 0);
  });

  it('retries with back-off until the receiver acknowledges', async () => {
    const box = new MemoryOutbox();
    box.add(action('retry-1'));
    rx.failBefore = 2;
    const c = clock();
    const deliver = httpDeliverer();
    const r1 = await deliverDue(box, { soc: hook }, deliver, { now: c.now });
    assert.deepEqual(r1, { attempted: 1, delivered: 0, failed: 1, dead: 0 });
    assert.equal(box.rows.get('retry-1')!.state.lastError, 'HTTP 503');
    assert.equal((await deliverDue(box, { soc: hook }, deliver, { now: c.now })).attempted, 0, 'not yet due');
    c.advance(1000);
    await deliverDue(box, { soc: hook }, deliver, { now: c.now });
    c.advance(2000);
    const r3 = await deliverDue(box, { soc: hook }, deliver, { now: c.now });
    assert.equal(r3.delivered, 1);
    assert.equal(box.rows.get('retry-1')!.state.attempts, 3);
    assert.ok(rx.processed.has('retry-1'));
  });

  it('a lost acknowledgement and a crash before recording both redeliver, and the receiver acts once', async () => {
    const box = new MemoryOutbox();
    box.add(action('once-1'));
    const deliver = httpDeliverer();
    const c = clock();
    rx.failAfter = 1; // processed, answer lost
    await deliverDue(box, { soc: hook }, deliver, { now: c.now });
    c.advance(1000);
    box.crashOnRecord = 1; // delivered, then the process dies before writing it down
    await assert.rejects(deliverDue(box, { soc: hook }, deliver, { now: c.now }), /process killed/);
    assert.equal(box.rows.get('once-1')!.state.status, 'pending', 'the crash lost nothing');
    const r = await deliverDue(box, { soc: hook }, deliver, { now: c.now });
    assert.equal(r.delivered, 1);
    const copies = rx.bodies.filter((b) => (JSON.parse(b) as { id: string }).id === 'once-1');
    assert.equal(copies.length, 3, 'sent three times');
    assert.equal([...rx.processed.keys()].filter((k) => k === 'once-1').length, 1, 'acted on once');
    assert.equal(rx.duplicates >= 2, true);
  });

  it('keeps an action whose webhook is not configured, or whose secret is unset, pending', async () => {
    const box = new MemoryOutbox();
    box.add(action('nowhere', 'missing'));
    box.add(action('nosecret', 'env'));
    const envHook = WebhookSchema.parse({
      url: rx.url,
      secretEnv: 'PRECURSOR_TEST_UNSET_SECRET',
      retry: SCHEDULE,
    });
    const received = rx.received;
    const r = await deliverDue(box, { env: envHook }, httpDeliverer({ env: {} }), { now: clock().now });
    assert.deepEqual(r, { attempted: 2, delivered: 0, failed: 2, dead: 0 });
    assert.match(box.rows.get('nowhere')!.state.lastError ?? '', /no webhook named missing/);
    assert.match(box.rows.get('nosecret')!.state.lastError ?? '', /not sent unsigned/);
    assert.equal(rx.received, received, 'nothing went out');
    const withEnv = await httpDeliverer({ env: { PRECURSOR_TEST_UNSET_SECRET: SECRET } })(
      action('env-1'),
      envHook,
    );
    assert.deepEqual(withEnv, { ok: true });
  });

  it('gives up an attempt at the timeout and fails a redirect', async () => {
    rx.hang = 1;
    const quick = { ...hook, timeoutMs: 200 };
    const r = await httpDeliverer()(action('slow-1'), quick);
    assert.equal(r.ok, false);
    const redirect = createServer((_q, s) => s.writeHead(302, { location: rx.url }).end());
    await new Promise<void>((res) => redirect.listen(0, '127.0.0.1', res));
    try {
      const url = `http://127.0.0.1:${(redirect.address() as AddressInfo).port}/`;
      assert.deepEqual(await httpDeliverer()(action('redir-1'), { ...hook, url }), {
        ok: false,
        error: 'HTTP 302',
      });
    } finally {
      await new Promise<void>((res) => redirect.close(() => res()));
    }
  });
});

describe('webhook configuration', () => {
  it('fills documented defaults', () => {
    const w = WebhookSchema.parse({ url: 'https://hooks.example/x', secret: SECRET });
    assert.deepEqual(
      { ...w, url: undefined, secret: undefined },
      {
        url: undefined,
        secret: undefined,
        signatureHeader: 'x-precursor-signature',
        body: 'json',
        timeoutMs: 10_000,
        retry: { initialMs: 5000, factor: 2, maxMs: 3_600_000, jitter: 0.2, maxAttempts: 0 },
      },
    );
    assert.deepEqual(ConfigSchema.parse({}).webhooks, {});
    assert.equal(WebhookSchema.parse({ url: 'https://hooks.example/x', body: 'slack' }).body, 'slack');
  });

  it('rejects unknown keys, unsigned JSON hooks, two secrets and non-HTTP URLs', () => {
    const bad = (v: unknown) => assert.equal(WebhookSchema.safeParse(v).success, false, JSON.stringify(v));
    bad({ url: 'https://h.example/x', secret: SECRET, retries: 3 });
    bad({ url: 'https://h.example/x', secret: SECRET, retry: { initalMs: 1 } });
    bad({ url: 'https://h.example/x' });
    bad({ url: 'https://h.example/x', secret: SECRET, secretEnv: 'X' });
    bad({ url: 'ftp://h.example/x', secret: SECRET });
    bad({ url: 'https://h.example/x', secret: 'short' });
    assert.equal(
      ConfigSchema.safeParse({ webhooks: { 'Bad Name': { url: 'https://h/x', body: 'slack' } } }).success,
      false,
    );
  });
});
