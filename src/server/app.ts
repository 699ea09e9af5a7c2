/**
 * The HTTP server (Hono): health, metrics, OpenAPI + rendered docs, the v1 API and the dashboard.
 * Every route but health, docs and the dashboard's static files requires an API key with a role.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { accessCache } from '../app/access-cache.js';
import type { Pipeline } from '../app/pipeline.js';
import { PrecursorError } from '../domain/index.js';
import type { ApiKeyRecord } from '../store/store.js';
import { hashKey, roleAllows } from './api-keys.js';
import { errorBody } from './http-error.js';
import { createMetrics } from './metrics.js';
import { defineRoute, type RouteDef, openApiDocument, validate } from './route.js';
import { activityRoutes } from './routes/activity-routes.js';
import { adminRoutes } from './routes/admin-routes.js';
import { campaignRoutes } from './routes/campaign-routes.js';
import { caseRoutes } from './routes/case-routes.js';
import { policyRoutes } from './routes/policy-routes.js';
import { entityRoutes } from './routes/entity-routes.js';
import { ingestRoutes } from './routes/ingest-routes.js';
import { shareRoutes } from './routes/share-routes.js';
import { mountTaxii } from './taxii/taxii-routes.js';
import { sessionRoutes } from './routes/session-routes.js';

export interface AppOptions {
  readonly pipeline: Pipeline;
  readonly logger: Logger;
  readonly version: string;
  /** Built dashboard directory (web/dist: index.html and assets/); served at `/` when present. */
  readonly webRoot?: string | undefined;
  /** Extra routes contributed by other stages (tenant events, crawl, …). */
  readonly extraRoutes?: readonly RouteDef<never, never, never>[];
  /** Largest accepted request body in bytes (default 10 MiB). */
  readonly bodyLimit?: number;
  /**
   * The clock feed lag is measured against (default the wall clock; the live demo passes its replay
   * clock, because its data carries simulated times).
   */
  readonly now?: () => Date;
  /**
   * How fast `now` runs, in its seconds per wall second (default 1; the live demo's replay speed, 0
   * once it stands still). `GET /v1/me` hands both to the dashboard, which shows data times relative to
   * this clock.
   */
  readonly clockRate?: () => number;
}

type Env = { Variables: { key: ApiKeyRecord | undefined } };

const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

function presentedKey(c: Context): string | undefined {
  const auth = c.req.header('authorization');
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  return c.req.header('x-api-key')?.trim() || undefined;
}

export function createApp(options: AppOptions): Hono<Env> {
  const { pipeline, logger } = options;
  const store = pipeline.store;
  const metrics = createMetrics(store);
  const keys = accessCache(store);
  const app = new Hono<Env>();
  const routes = [
    ...operationRoutes(),
    ...entityRoutes(pipeline),
    ...campaignRoutes(pipeline),
    ...ingestRoutes(pipeline),
    ...adminRoutes(pipeline),
    ...shareRoutes(pipeline),
    ...activityRoutes(store, options.now ?? (() => new Date())),
    ...caseRoutes(pipeline),
    ...sessionRoutes(pipeline, {
      now: options.now ?? (() => new Date()),
      simulated: options.now !== undefined,
      rate: options.clockRate ?? (() => 1),
    }),
    ...policyRoutes(pipeline),
    ...(options.extraRoutes ?? []),
  ] as unknown as RouteDef<unknown, unknown, unknown>[];
  const openapi = openApiDocument(routes as unknown as RouteDef<never, never, never>[], {
    title: 'Precursor',
    version: options.version,
  });

  app.onError((err, c) => {
    const { status, body } = errorBody(err);
    if (status >= 500) logger.error({ err, path: c.req.path }, 'request failed');
    return c.json(body, status as 400);
  });
  app.notFound((c) =>
    c.json({ error: { code: 'NOT_FOUND', message: `no route ${c.req.method} ${c.req.path}` } }, 404),
  );

  app.use('*', async (c, next) => {
    // Browsers must not guess content types (an API answer is never a script or a page), and no page
    // of this origin is to be framed by another.
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('X-Frame-Options', 'DENY');
    // A percent-escape that does not decode (`/v1/entities/%ZZ`) is the client's mistake: 400, before
    // any handler sees a half-decoded value.
    const url = new URL(c.req.url);
    for (const [part, text] of [
      ['path', url.pathname],
      ['query', url.search.replace(/\+/g, ' ')],
    ] as const) {
      try {
        decodeURIComponent(text);
      } catch {
        throw new PrecursorError(
          'VALIDATION_FAILED',
          `${part}: malformed percent-encoding in '${text.slice(0, 200)}'`,
          { details: { in: part, issues: [{ field: '', reason: 'malformed percent-encoding' }] } },
        );
      }
    }
    await next();
  });

  const limitBody = bodyLimit({
    maxSize: options.bodyLimit ?? 10 * 1024 * 1024,
    onError: () => {
      throw new PrecursorError(
        'TOO_LARGE',
        `request body exceeds ${options.bodyLimit ?? 10 * 1024 * 1024} bytes`,
      );
    },
  });
  // GET and HEAD handlers never read a body; asking for one makes @hono/node-server build a full
  // Request object per request, which cost the URL check a third of its throughput.
  app.use('/v1/*', (c, next) =>
    c.req.method === 'GET' || c.req.method === 'HEAD' ? next() : limitBody(c, next),
  );
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    const route = c.req.routePath || 'unmatched';
    metrics.requests.inc({ method: c.req.method, route, status: String(c.res.status) });
    metrics.duration.observe({ method: c.req.method, route }, (performance.now() - started) / 1000);
  });

  const authenticate = async (
    c: Context<Env>,
    required: RouteDef['role'],
  ): Promise<ApiKeyRecord | undefined> => {
    if (required === 'public') return undefined;
    const presented = presentedKey(c);
    if (!presented)
      throw new PrecursorError(
        'UNAUTHENTICATED',
        'an API key is required (Authorization: Bearer <key> or X-API-Key)',
      );
    const key = await keys.keyByHash(hashKey(presented));
    if (!key) throw new PrecursorError('UNAUTHENTICATED', 'unknown or revoked API key');
    if (required !== 'any' && !roleAllows(key.role, required)) {
      throw new PrecursorError(
        'FORBIDDEN',
        `this route requires role '${required}'; the key has role '${key.role}'`,
      );
    }
    return key;
  };

  app.get('/healthz', (c) => c.json({ status: 'ok', version: options.version }));
  app.get('/readyz', async (c) => {
    try {
      await store.ping();
      return c.json({ status: 'ready', store: store.capabilities.dialect });
    } catch (err) {
      logger.warn({ err }, 'store not ready');
      return c.json({ status: 'unavailable', store: store.capabilities.dialect }, 503);
    }
  });
  app.get('/metrics', async (c) => {
    await authenticate(c, 'reader');
    return c.body(await metrics.registry.metrics(), 200, { 'content-type': metrics.registry.contentType });
  });
  app.get('/openapi.json', (c) => c.json(openapi));
  mountDocs(app);

  for (const r of routes) {
    if (OPERATION_PATHS.has(r.path)) continue; // served above, declared for the document only
    app.on(r.method.toUpperCase(), r.path, async (c) => {
      const key = await authenticate(c, r.role);
      c.set('key', key);
      const params = validate(r.params, c.req.param(), 'path');
      const query = validate(r.query, c.req.query(), 'query');
      let body: unknown;
      if (r.body) {
        let raw: unknown;
        try {
          raw = await c.req.json();
        } catch {
          throw new PrecursorError('VALIDATION_FAILED', 'body: not valid JSON', {
            details: { in: 'body', issues: [{ field: '', reason: 'not valid JSON' }] },
          });
        }
        body = validate(r.body, raw, 'body');
      }
      return r.handler(c, { params, query, body, key });
    });
  }

  mountTaxii(app, pipeline, logger);
  if (options.webRoot && existsSync(join(options.webRoot, 'index.html'))) mountStatic(app, options.webRoot);
  return app;
}

function mountDocs(app: Hono<Env>): void {
  const require = createRequire(import.meta.url);
  let uiDir: string;
  try {
    uiDir = dirname(require.resolve('swagger-ui-dist/package.json'));
  } catch {
    return;
  }
  app.get('/docs', (c) =>
    c.html(`<!doctype html><html><head><meta charset="utf-8"><title>Precursor API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head><body><div id="ui"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', persistAuthorization: true });</script>
</body></html>`),
  );
  app.get('/docs/assets/:file', (c) => {
    const file = c.req.param('file');
    if (!/^[a-z0-9._-]+$/i.test(file)) return c.notFound();
    const path = join(uiDir, file);
    if (!existsSync(path)) return c.notFound();
    return c.body(readFileSync(path), 200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
    });
  });
}

/**
 * The dashboard as built (`npm run build:web`, Vite): `index.html` and the hashed files under
 * `assets/` — never anything else of the folder. Served with a strict Content-Security-Policy (scripts,
 * styles, requests and workers — the graph layout's — from this origin only; no inline code, no eval, no plugins; images also from
 * `blob:`, for screenshots fetched with the key) and no framing (clickjacking): the page holds an API
 * key. Hashed assets never change under their name, so browsers may keep them; the page itself is
 * revalidated so a new build is picked up at once.
 */
const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/** Whether a path below the web root is a built asset the dashboard may serve. */
export function isDashboardAsset(rel: string): boolean {
  if (rel === 'index.html') return true;
  return /^assets\/[A-Za-z0-9._-]+\.(js|css|map|svg|png|woff2?)$/.test(rel);
}

function mountStatic(app: Hono<Env>, root: string): void {
  const base = normalize(root) + sep;
  app.get('/*', (c) => {
    // Hono's path is still percent-encoded here; it decodes once (malformed escapes were refused above).
    const rel = c.req.path === '/' ? 'index.html' : decodeURIComponent(c.req.path.slice(1));
    if (!isDashboardAsset(rel)) return c.notFound();
    const path = normalize(join(root, rel));
    if (!path.startsWith(base) || !existsSync(path)) return c.notFound();
    return c.body(readFileSync(path), 200, {
      'content-type': MIME[extname(path)] ?? 'application/octet-stream',
      'cache-control': rel === 'index.html' ? 'no-cache' : 'public, max-age=31536000, immutable',
      ...DASHBOARD_HEADERS,
    });
  });
}

/** Paths served directly by `createApp`, declared as routes so that the OpenAPI document lists them. */
const OPERATION_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

function operationRoutes(): RouteDef[] {
  const unused = (): never => {
    throw new Error('served directly by createApp');
  };
  return [
    defineRoute({
      method: 'get',
      path: '/healthz',
      role: 'public',
      tag: 'operations',
      summary: 'Liveness: the process answers.',
      responses: { '200': '{status: "ok", version}' },
      handler: unused,
    }),
    defineRoute({
      method: 'get',
      path: '/readyz',
      role: 'public',
      tag: 'operations',
      summary: 'Readiness: the store answers.',
      responses: { '200': '{status: "ready", store}', '503': 'the store does not answer' },
      handler: unused,
    }),
    defineRoute({
      method: 'get',
      path: '/metrics',
      role: 'reader',
      tag: 'operations',
      summary:
        'Prometheus metrics (text exposition format): HTTP requests and durations by route, store counts.',
      responses: { '200': 'text/plain; version=0.0.4 — Prometheus text format' },
      handler: unused,
    }),
  ];
}
