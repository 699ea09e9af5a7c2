/**
 * `precursor crawl URL…|--file F [--render] [--json] [--allow-private]`: fetches (or renders) each URL
 * through the SSRF guard, stores the evidence, analyzes the page and writes one JSON line per URL:
 * `url`, `final_url`, `score`, `flagged`, `verdict`, `signals` (`id`, `weight`, `detail`), `evidence`
 * (snapshot hash), `entities`. A URL that cannot be crawled becomes a line with `error: {code, reason}`
 * and makes the exit code PARTIAL.
 * @module
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createPageAnalyzer } from '../../detect/page/analyze-page.js';
import { loadBrandCatalog } from '../../detect/page/brand-catalog.js';
import { loadKitRules } from '../../detect/page/kit-rules.js';
import { resolvePageConfig } from '../../detect/page/page-config.js';
import { defaultBrandsDir, packageRoot } from '../../detect/domain/package-paths.js';
import { isCrawlError } from '../../ingest/crawl/crawl-error.js';
import { type CrawlRecord, crawlUrl } from '../../app/crawl-page.js';
import { EvidenceStore } from '../../ingest/crawl/evidence-store.js';
import { DEFAULT_CHROMIUM, PageRenderer } from '../../ingest/crawl/page-renderer.js';
import { createPool } from '../../ingest/crawl/pool.js';
import { SsrfGuard } from '../../ingest/crawl/ssrf-guard.js';
import type { AppContext } from '../../app/open-app.js';
import { evidenceDir } from '../../app/detectors.js';
import { DEFAULT_RECRAWL, isLive, recrawlDelayMs } from '../../app/recrawl.js';
import { CRAWL_QUEUE } from '../../app/pipeline.js';
import { envFlag } from '../../config/load-config.js';
import { PrecursorError } from '../../domain/index.js';
import { createMemorySource } from '../../ingest/sources/memory-source.js';
import type { CliCommand, CliIo } from '../command.js';
import { action, reportError, withApp } from '../runtime.js';
import { EXIT } from '../exit-codes.js';

export interface CrawlOptions {
  readonly file?: string;
  readonly render?: boolean;
  readonly json?: boolean;
  /**
   * Let the crawler reach private and loopback addresses: `--allow-private`, or the caller's config
   * `crawl.allowPrivate` passed in explicitly (an explicit `false` wins over the environment). When
   * absent, env `PRECURSOR_ALLOW_PRIVATE` (`true`/`1`, the same env the config loader maps to
   * `crawl.allowPrivate`) decides; default off.
   */
  readonly allowPrivate?: boolean;
  readonly concurrency?: string;
  readonly evidence?: string;
  readonly brands?: string;
  readonly kits?: string;
  readonly chromium?: string;
  readonly differential?: boolean;
}

export const crawlCommand: CliCommand = {
  register(program: Command, io: CliIo, setExit: (code: number) => void): void {
    const cmd = program
      .command('crawl')
      .description(
        'fetch or render URLs safely, judge each page for phishing preparation, record the evidence',
      )
      .argument('[urls...]', 'URLs to crawl')
      .option('--file <file>', 'read URLs from a file (one per line)')
      .option('--queue', 'also crawl the queue of flagged domains (filled by the detect stage)')
      .option('--limit <n>', 'with --queue: at most n queued items (default 100)')
      .option('--render', 'render with Chromium (default: plain HTTP fetch)')
      .option('--json', 'write JSON lines (the only output format for now)')
      .option('--allow-private', 'let the crawler reach private and loopback addresses (labs and tests only)')
      .option('--concurrency <n>', 'pages in parallel (default 4)')
      .option('--evidence <dir>', 'evidence directory (default $PRECURSOR_HOME/evidence)')
      .option('--brands <dir>', 'brand profiles directory (default: the shipped brands/)')
      .option('--kits <dir>', 'kit fingerprint rules directory (default: the shipped kits/)')
      .option('--chromium <path>', `browser executable (default ${DEFAULT_CHROMIUM})`)
      .option('--no-differential', 'skip the second, crawler-identity fetch')
      .option('--no-store', 'do not record snapshots in the store (print only)');
    cmd.action(
      action(
        io,
        setExit,
        async (urls: string[], opts: CrawlOptions & { queue?: boolean; limit?: string; store?: boolean }) => {
          if (opts.store === false && !opts.queue) return runCrawl(urls, opts, io);
          return withApp(cmd, io, (app) => crawlIntoStore(app, urls, opts, io));
        },
      ),
    );
  },
};

/** Crawl lease: a worker that dies mid-crawl gives its items back after this long. */
const LEASE_MS = 15 * 60_000;

/**
 * Crawls with the configuration of `app`, records every snapshot as an observation (so the pipeline
 * materialises snapshot, URL and domain entities, and the page detector scores the stored snapshot and
 * links it to the kit and exfiltration endpoints it names), and settles the queue items it took.
 */
export async function crawlIntoStore(
  app: AppContext,
  urls: readonly string[],
  opts: CrawlOptions & { queue?: boolean; limit?: string; store?: boolean },
  io: CliIo,
): Promise<number> {
  const store = app.pipeline.store;
  const limit = opts.limit === undefined ? 100 : Number(opts.limit);
  if (!Number.isInteger(limit) || limit < 1)
    throw new PrecursorError('VALIDATION_FAILED', '--limit must be a positive integer');
  const claimed = opts.queue ? await store.queue.claim(CRAWL_QUEUE, limit, LEASE_MS) : [];
  const byUrl = new Map<string, string>();
  for (const c of claimed) if (typeof c.payload.url === 'string') byUrl.set(c.payload.url, c.key);
  const list = [...urls, ...byUrl.keys()];
  if (list.length === 0 && opts.queue && !opts.file) {
    io.stderr.write('precursor: notice: the crawl queue is empty\n');
    return EXIT.OK;
  }
  const outcomes: CrawlOutcome[] = [];
  const brands = opts.brands ?? app.config.brands;
  const kits = opts.kits ?? app.config.kits;
  const code = await runCrawl(
    list,
    {
      ...opts,
      allowPrivate: opts.allowPrivate === true || app.config.crawl.allowPrivate,
      evidence: opts.evidence ?? evidenceDir(app.config),
      ...(brands ? { brands } : {}),
      ...(kits ? { kits } : {}),
    },
    io,
    (o) => outcomes.push(o),
  );
  if (code === EXIT.USAGE || code === EXIT.UNAVAILABLE) return code;
  const observedAt = new Date().toISOString();
  const records = outcomes.flatMap((o) => (o.ok && o.record.evidence ? [o.record] : []));
  if (opts.store !== false && records.length > 0) {
    const source = createMemorySource('crawl', records, (r) => ({
      ok: true,
      observations: [
        {
          source: 'crawl',
          kind: 'snapshot',
          observedAt,
          dedupeKey: `crawl|${r.evidence}|${r.url}`,
          payload: {
            sha256: r.evidence as string,
            url: r.url,
            finalUrl: r.final_url,
            ...(r.status === undefined ? {} : { status: r.status }),
          },
        },
      ],
    }));
    await app.pipeline.ingest(source, { ignoreCheckpoint: true });
  }
  // A queued name whose page is not live yet is crawled again later (back-off), so its go-live is seen.
  const attempts = new Map(claimed.map((c) => [c.key, c.attempts]));
  const notLive = outcomes.flatMap((o) => (o.ok && byUrl.has(o.url) && !isLive(o.record) ? [o] : []));
  const done = outcomes.flatMap((o) =>
    o.ok && byUrl.has(o.url) && isLive(o.record) ? [byUrl.get(o.url) as string] : [],
  );
  await store.queue.complete(CRAWL_QUEUE, done);
  for (const o of notLive) {
    const key = byUrl.get(o.url) as string;
    const n = attempts.get(key) ?? 1;
    await store.queue.fail(CRAWL_QUEUE, key, `NOT_LIVE: no credential form yet (crawl ${n})`, {
      retryInMs: recrawlDelayMs(n),
      maxAttempts: DEFAULT_RECRAWL.maxAttempts,
    });
  }
  for (const o of outcomes) {
    const key = byUrl.get(o.url);
    if (!o.ok && key)
      await store.queue.fail(CRAWL_QUEUE, key, `${o.code}: ${o.reason}`, {
        retryInMs: 3_600_000,
        maxAttempts: 3,
      });
  }
  return code;
}

async function readUrls(urls: readonly string[], file: string | undefined, cwd: string): Promise<string[]> {
  const out = [...urls];
  if (file) {
    const text = await readFile(resolve(cwd, file), 'utf8');
    for (const line of text.split(/\r?\n/)) {
      const t = line.trim();
      if (t && !t.startsWith('#')) out.push(t);
    }
  }
  return out;
}

/** What happened to one URL, for callers that record results (the store, the crawl queue). */
export type CrawlOutcome =
  | { readonly url: string; readonly ok: true; readonly record: CrawlRecord }
  | { readonly url: string; readonly ok: false; readonly code: string; readonly reason: string };

/** The command body, callable without commander. Resolves to an exit code (errors reported on stderr). */
export async function runCrawl(
  urls: readonly string[],
  opts: CrawlOptions,
  io: CliIo,
  onOutcome?: (o: CrawlOutcome) => void,
): Promise<number> {
  try {
    return await crawlUrls(urls, opts, io, onOutcome);
  } catch (e) {
    return reportError(io, e);
  }
}

async function crawlUrls(
  urls: readonly string[],
  opts: CrawlOptions,
  io: CliIo,
  onOutcome?: (o: CrawlOutcome) => void,
): Promise<number> {
  const usage = (message: string) => new PrecursorError('VALIDATION_FAILED', message);
  const list = await readUrls(urls, opts.file, io.cwd);
  if (list.length === 0) throw usage('give URLs or --file');
  const concurrency = opts.concurrency === undefined ? 4 : Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw usage('--concurrency must be an integer from 1 to 64');
  // A mistyped data path must stop the crawl, not quietly turn brand or kit signals off.
  for (const [flag, path] of [
    ['--brands', opts.brands],
    ['--kits', opts.kits],
  ] as const) {
    if (path !== undefined && !existsSync(resolve(io.cwd, path)))
      throw usage(`${flag} ${path}: no such file or directory`);
  }
  const allowPrivate = opts.allowPrivate ?? envFlag(io.env.PRECURSOR_ALLOW_PRIVATE);
  const guard = new SsrfGuard({ allowPrivate });
  const home = io.env.PRECURSOR_HOME ?? join(io.cwd, '.precursor');
  const store = new EvidenceStore(resolve(io.cwd, opts.evidence ?? join(home, 'evidence')));
  const brands = await loadBrandCatalog(opts.brands ? resolve(io.cwd, opts.brands) : defaultBrandsDir());
  const kits = await loadKitRules(opts.kits ? resolve(io.cwd, opts.kits) : join(packageRoot(), 'kits'));
  // A broken file among good ones is skipped, and said so; the rest of the catalogue still applies.
  for (const p of [...brands.problems, ...kits.problems])
    io.stderr.write(`precursor: notice: skipped ${p}\n`);
  const analyzer = createPageAnalyzer({
    brands: brands.catalog,
    kitRules: kits.rules,
    config: resolvePageConfig(undefined),
  });

  let renderer: PageRenderer | undefined;
  if (opts.render) {
    try {
      renderer = await PageRenderer.launch({ guard, executablePath: opts.chromium ?? DEFAULT_CHROMIUM });
    } catch (e) {
      io.stderr.write(`precursor: BROWSER_UNAVAILABLE: ${(e as Error).message}\n`);
      return EXIT.UNAVAILABLE;
    }
  }
  let failed = 0;
  // Lines come out in input order whatever order the pages finish in, so output aligns with input.
  const done = new Map<number, string>();
  let next = 0;
  const emit = (i: number, line: string) => {
    done.set(i, line);
    for (let l = done.get(next); l !== undefined; l = done.get(next)) {
      io.stdout.write(`${l}\n`);
      done.delete(next++);
    }
  };
  try {
    const pool = createPool(concurrency);
    for (const [i, url] of list.entries()) {
      await pool.submit(async () => {
        try {
          const rec = await crawlUrl(url, {
            guard,
            analyzer,
            store,
            ...(renderer ? { renderer } : {}),
            differential: opts.differential !== false,
          });
          emit(i, JSON.stringify(rec));
          onOutcome?.({ url, ok: true, record: rec });
        } catch (e) {
          failed++;
          const code = isCrawlError(e) ? e.code : 'INTERNAL';
          emit(i, JSON.stringify({ url, error: { code, reason: (e as Error).message } }));
          onOutcome?.({ url, ok: false, code, reason: (e as Error).message });
        }
      });
    }
    await pool.drain();
  } finally {
    await renderer?.close();
  }
  return failed > 0 ? EXIT.PARTIAL : EXIT.OK;
}
