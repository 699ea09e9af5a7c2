/**
 * Property-based checks of everything that takes input from outside: every source parser and every
 * HTTP body, fed arbitrary bytes and structures (and structures that are almost right: valid records
 * with one field changed). The properties:
 * - nothing throws and nothing answers 500;
 * - a run's summary adds up: records = inserted + duplicates + rejected + skipped;
 * - every rejected record is retrievable from the dead letters.
 * `test/fuzz.test.ts` runs them briefly in the suite; `bench/fuzz.ts` runs them long.
 * @module
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { createLogger } from '../../src/app/logger.js';
import { createPipeline } from '../../src/app/pipeline.js';
import { ConfigSchema } from '../../src/config/config-schema.js';
import { DetectorRegistry } from '../../src/detect/registry.js';
import { TenantStage } from '../../src/detect/tenant/tenant-stage.js';
import { ERROR_CODES, type Observation } from '../../src/domain/index.js';
import { type IngestSummary, runIngest } from '../../src/ingest/run-ingest.js';
import type { ParseResult, Source } from '../../src/ingest/source.js';
import {
  createCertstreamSource,
  parseCertstreamMessage,
} from '../../src/ingest/sources/certstream/certstream-source.js';
import { parseRfc6962Record } from '../../src/ingest/sources/ct/rfc6962-source.js';
import { createListSource } from '../../src/ingest/sources/list/list-source.js';
import { observeValue } from '../../src/ingest/sources/list/observe-value.js';
import { createTenantFileSource, parseTenantRecord } from '../../src/ingest/sources/tenant/tenant-source.js';
import { createZoneDiffSource } from '../../src/ingest/sources/zone/zone-diff-source.js';
import { ZoneParser } from '../../src/ingest/sources/zone/zone-parser.js';
import { rdapFacts } from '../../src/ingest/enrich/rdap.js';
import { createApiKey } from '../../src/server/api-keys.js';
import { createApp } from '../../src/server/app.js';
import { tenantRoutes } from '../../src/server/routes/tenant-routes.js';
import type { RouteDef } from '../../src/server/route.js';
import { sqliteFactory, type TestStore } from './stores.js';

// ── arbitraries ─────────────────────────────────────────────────────────────────────────────────

/** Text that breaks parsers: control characters, lone surrogates, combining marks, look-alikes. */
const nasty = fc.oneof(
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ufeff',
    '\ud800',
    'bad name!',
    '*.',
    '.',
    '..',
    'xn--',
    'xn--zz',
    '%ZZ',
    '\\',
    '"',
    '[]',
    '{}',
    'null',
    '-1',
    '1e999',
    'mіcrosoft.com',
    'a'.repeat(300),
  ),
  fc.domain(),
  fc.webUrl(),
);

/** Arbitrary JSON values, with nasty strings in them. */
const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    nasty,
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(nasty, fc.string()), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Sets `path` of a copy of `doc` to `value` (the "one field changed" mutation). */
function mutate(doc: unknown, path: readonly string[], value: unknown): unknown {
  const copy = JSON.parse(JSON.stringify(doc)) as Record<string, unknown>;
  let cur: Record<string, unknown> = copy;
  for (const k of path.slice(0, -1)) {
    const next = cur[k];
    if (next === null || typeof next !== 'object') return copy;
    cur = next as Record<string, unknown>;
  }
  const last = path[path.length - 1] as string;
  if (value === undefined) delete cur[last];
  else cur[last] = value;
  return copy;
}

const certstreamMessage = fc
  .record({
    index: fc.nat(),
    seen: fc.oneof(fc.double({ min: 0, max: 4e9, noNaN: true }), fc.double()),
    names: fc.array(fc.oneof(fc.domain(), nasty), { maxLength: 4 }),
    sha: fc.option(fc.constantFrom('ab'.repeat(32), 'AB:'.repeat(31) + 'AB', 'zz'), { nil: undefined }),
    url: fc.oneof(fc.constant('ct.example.net/logs/x/'), nasty),
  })
  .map((m) => ({
    message_type: 'certificate_update',
    data: {
      cert_index: m.index,
      seen: m.seen,
      source: { url: m.url },
      leaf_cert: { all_domains: m.names, ...(m.sha ? { sha256: m.sha } : {}), not_before: m.seen },
    },
  }));

const CERTSTREAM_PATHS = [
  ['message_type'],
  ['data'],
  ['data', 'cert_index'],
  ['data', 'seen'],
  ['data', 'source'],
  ['data', 'source', 'url'],
  ['data', 'leaf_cert'],
  ['data', 'leaf_cert', 'all_domains'],
  ['data', 'leaf_cert', 'subject'],
  ['data', 'leaf_cert', 'as_der'],
  ['data', 'leaf_cert', 'not_after'],
  ['data', 'chain'],
];

const tenantEvent = fc.record({
  event_id: fc.oneof(fc.uuid(), nasty),
  type: fc.constantFrom(
    'account.created',
    'login',
    'payment.made',
    'domain.attached',
    'deployment.created',
    'nonsense',
  ),
  provider: fc.constantFrom('cloud-a', 'cloud-b', 'Bad Provider'),
  account_id: fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), nasty),
  ts: fc.oneof(
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    nasty,
  ),
  ip: fc.oneof(fc.ipV4(), fc.ipV6(), nasty),
  email: fc.oneof(fc.emailAddress(), nasty),
  domain: fc.oneof(fc.domain(), nasty),
  method: fc.constantFrom('card', 'crypto', 'cash'),
  fingerprint: fc.string({ maxLength: 20 }),
  kind: fc.constantFrom('worker', 'site', 'spaceship'),
});

const TENANT_FIELDS = [
  'event_id',
  'type',
  'provider',
  'account_id',
  'ts',
  'ip',
  'email',
  'domain',
  'schema_version',
];

/** One record of a line-oriented input: arbitrary text, structures, or almost-valid records. */
const recordLine = fc.oneof(
  nasty,
  json.map((v) => JSON.stringify(v) ?? 'undefined'),
  certstreamMessage.map((m) => JSON.stringify(m)),
  fc
    .tuple(certstreamMessage, fc.constantFrom(...CERTSTREAM_PATHS), fc.oneof(json, fc.constant(undefined)))
    .map(([m, p, v]) => JSON.stringify(mutate(m, p, v))),
  tenantEvent.map((e) => JSON.stringify(e)),
  fc
    .tuple(tenantEvent, fc.constantFrom(...TENANT_FIELDS), fc.oneof(json, fc.constant(undefined)))
    .map(([e, f, v]) => JSON.stringify(mutate(e, [f], v))),
  fc
    .array(fc.oneof(nasty, fc.domain()), { maxLength: 4 })
    .map((cells) => cells.map((c) => JSON.stringify(c)).join(',')),
);

/** File content as it comes: lines as bytes (some not UTF-8), LF or CRLF, a BOM or not, a final newline or not. */
const fileBytes = fc
  .record({
    lines: fc.array(
      fc.oneof(
        { weight: 6, arbitrary: recordLine.map((l) => Buffer.from(l.replace(/[\r\n]/g, ' '))) },
        {
          weight: 1,
          arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b.filter((x) => x !== 10))),
        },
      ),
      { maxLength: 25 },
    ),
    crlf: fc.boolean(),
    bom: fc.boolean(),
    finalNewline: fc.boolean(),
  })
  .map(({ lines, crlf, bom, finalNewline }) => {
    const eol = Buffer.from(crlf ? '\r\n' : '\n');
    const parts: Buffer[] = bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
    lines.forEach((l, i) => {
      parts.push(l);
      if (i < lines.length - 1 || finalNewline) parts.push(eol);
    });
    return Buffer.concat(parts);
  });

// ── checks ──────────────────────────────────────────────────────────────────────────────────────

const REJECTION_CODES = new Set(Object.keys(ERROR_CODES));

/** A parse result is well formed: observations with keys and times, or a coded rejection. */
function checkResult(r: ParseResult): void {
  if (r.ok) {
    for (const o of r.observations as Observation[]) {
      assert.equal(typeof o.dedupeKey, 'string');
      assert.ok(o.dedupeKey.length > 0);
      assert.ok(!Number.isNaN(Date.parse(o.observedAt)), `observedAt ${o.observedAt}`);
      assert.doesNotThrow(() => JSON.stringify(o.payload));
    }
  } else {
    assert.ok(REJECTION_CODES.has(r.rejection.code), r.rejection.code);
    assert.ok(r.rejection.reason.length > 0);
  }
}

/** The run adds up and every rejected record is a dead letter of the source, at its position. */
async function checkRun(
  store: TestStore['store'],
  s: IngestSummary,
  rejectedPositions: string[],
): Promise<void> {
  assert.equal(s.inserted + s.duplicates + s.rejected + s.skipped, s.records, JSON.stringify(s));
  assert.equal(rejectedPositions.length, s.rejected);
  const stored = new Set(
    (await store.observations.deadLetters({ source: s.source, limit: 10_000 })).map((d) => d.position),
  );
  for (const p of rejectedPositions) assert.ok(stored.has(p), `dead letter at ${p} of ${s.source}`);
}

/** Runs `source` to its end, noting the position of every record the runner rejects. */
async function ingestNoting(
  source: Source,
  store: TestStore['store'],
): Promise<{ s: IngestSummary; rejected: string[] }> {
  const rejected: string[] = [];
  const noting: Source = {
    id: source.id,
    read: (c, sig, hooks) => source.read(c, sig, hooks),
    parse(record) {
      const r = source.parse(record);
      if (!r.ok) rejected.push(record.position);
      return r;
    },
  };
  // Records whose bytes are not UTF-8 are rejected by the runner before `parse`: note those too.
  const s = await runIngest(
    {
      ...noting,
      async *read(c, sig, hooks) {
        for await (const item of noting.read(c, sig, hooks)) {
          const list = Array.isArray(item) ? item : [item];
          for (const r of list) if (r.encodingError !== undefined) rejected.push(r.position);
          yield item;
        }
      },
    },
    store,
    { batchSize: 7, ignoreCheckpoint: true },
  );
  return { s, rejected };
}

// ── the properties ──────────────────────────────────────────────────────────────────────────────

export interface FuzzContext {
  readonly store: TestStore['store'];
  readonly dir: string;
  readonly app: ReturnType<typeof createApp>;
  readonly keys: { ingest: string; analyst: string; admin: string; reader: string };
  close(): Promise<void>;
}

export async function openFuzzContext(): Promise<FuzzContext> {
  const t = await sqliteFactory.open();
  const dir = mkdtempSync(join(tmpdir(), 'precursor-fuzz-'));
  const pipeline = createPipeline(t.store, async () => new DetectorRegistry([]), ConfigSchema.parse({}));
  const stage = new TenantStage(t.store, { stage: 'fuzz-tenant' });
  const app = createApp({
    pipeline,
    logger: createLogger('silent'),
    version: 'fuzz',
    extraRoutes: tenantRoutes(pipeline, stage) as unknown as RouteDef<never, never, never>[],
  });
  const key = async (role: 'ingest' | 'analyst' | 'admin' | 'reader') =>
    (await createApiKey(t.store.keys, role, role)).key;
  return {
    store: t.store,
    dir,
    app,
    keys: {
      ingest: await key('ingest'),
      analyst: await key('analyst'),
      admin: await key('admin'),
      reader: await key('reader'),
    },
    close: () => t.cleanup(),
  };
}

let serial = 0;
const file = (ctx: FuzzContext, name: string, bytes: Buffer): string => {
  const p = join(ctx.dir, `${++serial}-${name}`);
  writeFileSync(p, bytes);
  return p;
};

export interface FuzzProperty {
  readonly name: string;
  /** Relative cost of one case: the suite runs fewer cases of costly properties. */
  readonly cost: number;
  property(ctx: FuzzContext): fc.IAsyncPropertyWithHooks<never> | fc.IAsyncProperty<never>;
}

const prop = <T>(arb: fc.Arbitrary<T>, check: (v: T) => Promise<void> | void) =>
  fc.asyncProperty(arb, async (v) => {
    await check(v);
  }) as unknown as fc.IAsyncProperty<never>;

export const PROPERTIES: readonly FuzzProperty[] = [
  {
    name: 'parsers: certstream message',
    cost: 1,
    property: () => prop(recordLine, (line) => checkResult(parseCertstreamMessage('certstream:fuzz', line))),
  },
  {
    name: 'parsers: tenant event line',
    cost: 1,
    property: () =>
      prop(recordLine, (line) =>
        checkResult(parseTenantRecord({ position: 'line 1', raw: line, cursor: '' }, 'tenant:fuzz')),
      ),
  },
  {
    name: 'parsers: list value (name or URL)',
    cost: 1,
    property: () =>
      prop(nasty, (v) => {
        const r = observeValue('list:fuzz', v, '2026-01-01T00:00:00.000Z');
        checkResult(r.ok ? { ok: true, observations: [r.observation] } : r);
      }),
  },
  {
    name: 'parsers: CT MerkleTreeLeaf (arbitrary bytes and truncated real leaves)',
    cost: 1,
    property: () =>
      prop(
        fc.record({
          leaf: fc.oneof(
            fc.uint8Array({ maxLength: 300 }),
            // version 0, leaf type 0, a timestamp, x509 or precert, then arbitrary (DER-ish) bytes
            fc
              .tuple(fc.constantFrom(0, 1), fc.uint8Array({ maxLength: 200 }))
              .map(([type, rest]) =>
                Uint8Array.from([0, 0, 0, 0, 1, 0x8f, 0, 0, 0, 0, 0, type, 0, 0, rest.length, ...rest]),
              ),
          ),
          extra: fc.option(fc.uint8Array({ maxLength: 64 }), { nil: undefined }),
        }),
        ({ leaf, extra }) =>
          checkResult(
            parseRfc6962Record('ct:fuzz', 'fuzz', {
              position: 'index 1',
              raw: '',
              cursor: '2',
              context: {
                index: 1,
                leaf_input: Buffer.from(leaf).toString('base64'),
                ...(extra ? { extra_data: Buffer.from(extra).toString('base64') } : {}),
              },
            }),
          ),
      ),
  },
  {
    name: 'parsers: zone-file lines',
    cost: 1,
    property: () =>
      prop(
        fc.array(
          fc.oneof(
            nasty,
            fc.constantFrom(
              '$ORIGIN com.',
              '$TTL 3600',
              'example NS ns1.example.net.',
              '( ',
              ' )',
              '@ IN SOA a. b. 1 2 3 4 5',
              'x 300 IN NS y.',
              ';c',
            ),
          ),
          { maxLength: 12 },
        ),
        (lines) => {
          const p = new ZoneParser({ origin: 'com.' });
          for (const l of lines) p.line(l);
        },
      ),
  },
  {
    name: 'parsers: RDAP responses',
    cost: 1,
    property: () => prop(json, (doc) => void rdapFacts(doc)),
  },
  {
    name: 'ingest list (text, csv, jsonl) from arbitrary bytes: adds up, rejects are dead letters',
    cost: 8,
    property: (ctx) =>
      prop(
        fc.tuple(
          fileBytes,
          fc.constantFrom('text', 'csv', 'jsonl') as fc.Arbitrary<'text' | 'csv' | 'jsonl'>,
          fc.option(fc.constantFrom('host', '1', 'data.leaf_cert.all_domains'), { nil: undefined }),
        ),
        async ([bytes, format, where]) => {
          const path = file(ctx, `list.${format}`, bytes);
          const column =
            format === 'csv' && where !== undefined
              ? /^\d+$/.test(where)
                ? Number(where)
                : where
              : undefined;
          const source = createListSource({
            path,
            format,
            ...(column !== undefined ? { column } : {}),
            ...(format === 'jsonl' && where !== undefined ? { field: where } : {}),
          });
          const { s, rejected } = await ingestNoting(source, ctx.store);
          await checkRun(ctx.store, s, rejected);
        },
      ),
  },
  {
    name: 'ingest certstream file from arbitrary bytes: adds up, rejects are dead letters',
    cost: 8,
    property: (ctx) =>
      prop(fileBytes, async (bytes) => {
        const { s, rejected } = await ingestNoting(
          createCertstreamSource({ input: file(ctx, 'cs.jsonl', bytes) }),
          ctx.store,
        );
        await checkRun(ctx.store, s, rejected);
      }),
  },
  {
    name: 'ingest tenant events file from arbitrary bytes: adds up, rejects are dead letters',
    cost: 8,
    property: (ctx) =>
      prop(fileBytes, async (bytes) => {
        const { s, rejected } = await ingestNoting(
          createTenantFileSource({ path: file(ctx, 'ev.jsonl', bytes) }),
          ctx.store,
        );
        await checkRun(ctx.store, s, rejected);
      }),
  },
  {
    name: 'ingest zone diff of two arbitrary zone files: adds up, rejects are dead letters',
    cost: 20,
    property: (ctx) => {
      const zoneLines = fc.array(
        fc.oneof(
          fc.constantFrom('$ORIGIN com.', '$TTL 86400', '@ IN SOA a.nic.com. h.nic.com. 2026010101 1 2 3 4'),
          fc.tuple(fc.domain(), fc.domain()).map(([a, b]) => `${a.split('.')[0]} 172800 IN NS ${b}.`),
          nasty.map((s) => s.replace(/[\r\n]/g, ' ')),
        ),
        { maxLength: 15 },
      );
      return prop(fc.tuple(zoneLines, zoneLines), async ([a, b]) => {
        const oldPath = file(ctx, 'old.zone', Buffer.from(a.join('\n')));
        const newPath = file(ctx, 'new.zone', Buffer.from(b.join('\n')));
        const source = createZoneDiffSource({
          oldPath,
          newPath,
          zone: 'com',
          workDir: join(ctx.dir, `zw-${serial}`),
        });
        const { s, rejected } = await ingestNoting(source, ctx.store);
        await checkRun(ctx.store, s, rejected);
      });
    },
  },
  {
    name: 'HTTP POST /v1/ingest/names with arbitrary bodies: no 500; adds up; rejects are dead letters',
    cost: 3,
    property: (ctx) =>
      prop(
        fc.oneof(
          fc.record({
            source: fc.constantFrom('fuzz', 'fuzz-2'),
            values: fc.array(nasty, { minLength: 1, maxLength: 12 }),
          }),
          json,
        ),
        async (body) => {
          const r = await ctx.app.request('/v1/ingest/names', {
            method: 'POST',
            headers: { authorization: `Bearer ${ctx.keys.ingest}`, 'content-type': 'application/json' },
            body: JSON.stringify(body) ?? '',
          });
          assert.ok(r.status < 500, `status ${r.status}`);
          const answer = (await r.json()) as Record<string, unknown>;
          if (r.status !== 200 && !('records' in answer)) {
            assert.equal((answer.error as { code: string }).code, 'VALIDATION_FAILED');
            return;
          }
          const a = answer as {
            records: number;
            inserted: number;
            duplicates: number;
            skipped: number;
            rejected: Array<{ index: number }>;
          };
          assert.equal(a.inserted + a.duplicates + a.rejected.length + a.skipped, a.records);
          const source = `api:${(body as { source?: string }).source ?? 'api'}`;
          const values = (body as { values: string[] }).values;
          const letters = await ctx.store.observations.deadLetters({ source, limit: 10_000 });
          for (const { index } of a.rejected)
            assert.ok(
              letters.some(
                (d) =>
                  d.position === `item ${index}` &&
                  d.raw.startsWith((JSON.stringify(values[index]) ?? '').slice(0, 4000)),
              ),
              `dead letter for item ${index}`,
            );
        },
      ),
  },
  {
    name: 'HTTP POST /v1/events with arbitrary bodies: no 500; adds up; rejects are dead letters',
    cost: 3,
    property: (ctx) =>
      prop(
        fc.oneof(
          fc.array(
            fc.oneof(
              tenantEvent,
              fc
                .tuple(tenantEvent, fc.constantFrom(...TENANT_FIELDS), json)
                .map(([e, f, v]) => mutate(e, [f], v)),
              json,
            ),
            { minLength: 1, maxLength: 10 },
          ),
          json,
        ),
        async (body) => {
          const r = await ctx.app.request('/v1/events', {
            method: 'POST',
            headers: { authorization: `Bearer ${ctx.keys.ingest}`, 'content-type': 'application/json' },
            body: JSON.stringify(body) ?? '',
          });
          assert.ok(r.status < 500, `status ${r.status}`);
          const answer = (await r.json()) as Record<string, unknown>;
          if (!('records' in answer)) {
            assert.equal((answer.error as { code: string }).code, 'VALIDATION_FAILED');
            return;
          }
          const a = answer as {
            records: number;
            inserted: number;
            duplicates: number;
            skipped: number;
            rejected: Array<{ index: number }>;
          };
          assert.equal(a.inserted + a.duplicates + a.rejected.length + a.skipped, a.records);
          const events = (Array.isArray(body) ? body : (body as { events: unknown[] }).events) as unknown[];
          const letters = await ctx.store.observations.deadLetters({ source: 'tenant:api', limit: 100_000 });
          for (const { index } of a.rejected) {
            const raw = JSON.stringify(events[index]) ?? 'undefined';
            assert.ok(
              letters.some(
                (d) =>
                  (d.position.endsWith(`item ${index})`) || d.position.endsWith(`item ${index}`)) &&
                  d.raw.startsWith(raw.slice(0, 4000)),
              ),
              `dead letter for event ${index}`,
            );
          }
        },
      ),
  },
  {
    name: 'HTTP: a malformed percent-escape in any path or query is a coded 400',
    cost: 1,
    property: (ctx) =>
      prop(
        fc.record({
          path: fc.constantFrom(
            '/v1/entities/',
            '/v1/entities?search=',
            '/v1/dead-letters?source=',
            '/v1/keys/',
            '/',
          ),
          good: fc.string({ unit: 'grapheme-ascii', maxLength: 8 }).map((s) => encodeURIComponent(s)),
          bad: fc.oneof(
            fc.constantFrom('%', '%Z', '%ZZ', '%E0%A4%A', '%C3', '%ED%A0%80', '%FF'),
            fc
              .tuple(
                fc.constantFrom('%'),
                fc.string({ unit: fc.constantFrom('G', 'z', '%', '-'), minLength: 1, maxLength: 2 }),
              )
              .map(([a, b]) => a + b),
          ),
          key: fc.constantFrom('reader', 'admin') as fc.Arbitrary<'reader' | 'admin'>,
        }),
        async (q) => {
          const r = await ctx.app.request(`http://x${q.path}${q.good}${q.bad}`, {
            headers: { authorization: `Bearer ${ctx.keys[q.key]}` },
          });
          assert.equal(r.status, 400, `${q.path}${q.good}${q.bad}`);
          assert.equal(((await r.json()) as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
        },
      ),
  },
  {
    name: 'HTTP: arbitrary paths, queries and bodies on every route never answer 500',
    cost: 1,
    property: (ctx) =>
      prop(
        fc.record({
          method: fc.constantFrom('GET', 'POST', 'DELETE'),
          path: fc.constantFrom(
            '/v1/entities',
            '/v1/entities/',
            '/v1/stats',
            '/v1/dead-letters',
            '/v1/keys',
            '/v1/keys/',
            '/v1/audit',
            '/v1/ingest/names',
            '/v1/events',
            '/metrics',
            '/openapi.json',
            '/healthz',
            '/',
          ),
          tail: fc.oneof(
            fc.constant(''),
            fc.constantFrom('%ZZ', 'domain:%E0%A4%A', '%', 'url:https%3A%2F%2Fx%2F%25', '%C0%AF', '%2e%2e/x'),
            nasty.map((s) => encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'))),
            fc.string({ unit: 'binary-ascii' }),
          ),
          query: fc.dictionary(
            fc.constantFrom(
              'limit',
              'after',
              'order',
              'type',
              'flagged',
              'min_score',
              'search',
              'offset',
              'source',
              'x',
            ),
            fc.oneof(nasty, fc.string({ unit: 'binary-ascii' })),
            { maxKeys: 3 },
          ),
          body: fc.oneof(
            fc.constant(undefined),
            json.map((v) => JSON.stringify(v) ?? ''),
            fc.string({ unit: 'binary' }),
          ),
          key: fc.constantFrom('reader', 'admin', 'ingest', 'none') as fc.Arbitrary<
            'reader' | 'admin' | 'ingest' | 'none'
          >,
        }),
        async (q) => {
          const qs = Object.entries(q.query)
            .map(([k, v]) => `${k}=${v}`)
            .join('&');
          let url: string;
          try {
            url = new URL(`http://x${q.path}${q.tail}${qs ? `?${qs}` : ''}`).toString();
          } catch {
            return; // not a URL a client could send
          }
          const headers: Record<string, string> = { 'content-type': 'application/json' };
          if (q.key !== 'none') headers.authorization = `Bearer ${ctx.keys[q.key]}`;
          const r = await ctx.app.request(url, {
            method: q.method,
            headers,
            ...(q.body !== undefined && q.method !== 'GET' ? { body: q.body } : {}),
          });
          assert.ok(r.status < 500, `${q.method} ${url}: ${r.status} ${await r.text()}`);
        },
      ),
  },
];
