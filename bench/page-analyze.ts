/**
 * Page analysis benchmark.
 *   static:   analyze N stored snapshots (read from the evidence store + analyze + judge); target >= 300/s
 *   rendered: crawl M loopback pages with Chromium, C contexts in parallel; reports pages/s and peak RSS
 * Usage: node --import tsx bench/page-analyze.ts [--static N] [--rendered M] [--contexts C]
 * @module
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPageAnalyzer } from '../src/detect/page/analyze-page.js';
import { loadBrandCatalog } from '../src/detect/page/brand-catalog.js';
import { loadKitRules } from '../src/detect/page/kit-rules.js';
import { crawlUrl } from '../src/app/crawl-page.js';
import { EvidenceStore } from '../src/ingest/crawl/evidence-store.js';
import { DEFAULT_CHROMIUM, PageRenderer } from '../src/ingest/crawl/page-renderer.js';
import { createPool } from '../src/ingest/crawl/pool.js';
import { SsrfGuard } from '../src/ingest/crawl/ssrf-guard.js';
import { CORPUS, corpusSnapshot, FIXTURES, REPO } from '../test/support/page-corpus.js';
import { html, startTestServer } from '../test/support/test-server.js';

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};

/** Sum of RSS (bytes) of this process and all its descendants (the browser), from /proc. */
function treeRss(): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ppid = Number(fields[1]);
      rss.set(Number(d), Number(fields[21]) * 4096);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(d)]);
    } catch {
      // process ended while we looked
    }
  }
  let total = 0;
  const stack = [process.pid];
  while (stack.length) {
    const p = stack.pop() as number;
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

const mib = (b: number): string => `${(b / 1024 / 1024).toFixed(0)} MiB`;

/** The analyzer every run uses: the shipped brands plus the test catalogue, and the shipped kit rules. */
async function benchAnalyzer() {
  const brands = (await loadBrandCatalog(join(REPO, 'brands'))).catalog;
  const fixtureBrands = (await loadBrandCatalog(join(FIXTURES, 'brands'))).catalog;
  const kits = (await loadKitRules(join(REPO, 'kits'))).rules;
  const analyzer = createPageAnalyzer({
    brands: { brands: [...fixtureBrands.brands, ...brands.brands] },
    kitRules: kits,
  });
  return { analyzer, brandCount: brands.brands.length + fixtureBrands.brands.length, kitCount: kits.length };
}

async function main(): Promise<void> {
  const nStatic = arg('static', 10_000);
  const nRendered = arg('rendered', 200);
  const contexts = arg('contexts', 4);
  const { analyzer, brandCount, kitCount } = await benchAnalyzer();
  const dir = await mkdtemp(join(tmpdir(), 'precursor-bench-'));
  try {
    if (nStatic > 0) {
      // Store N snapshots cycling through the corpus (each made distinct so nothing is deduplicated).
      const store = new EvidenceStore(join(dir, 'static'));
      const hashes: string[] = [];
      for (let i = 0; i < nStatic; i++) {
        const c = CORPUS[i % CORPUS.length]!;
        const s = corpusSnapshot(c);
        hashes.push(
          await store.putSnapshot({
            ...s,
            html: `${s.html}<!-- ${i} -->`,
            fetchedAt: new Date(i * 1000).toISOString(),
          }),
        );
      }
      const bytes = hashes.length
        ? CORPUS.reduce((a, c) => a + corpusSnapshot(c).html.length, 0) / CORPUS.length
        : 0;
      // The machine is shared: CPU time says what the analysis costs, wall time what the load allowed.
      const load0 = loadavg()[0] ?? 0;
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      let flagged = 0;
      let analyzeMs = 0;
      for (const h of hashes) {
        // Analysis needs the image hashes recorded at capture, not the image bytes.
        const snap = await store.read(h, { images: 'unhashed' });
        if (!snap) throw new Error(`lost ${h}`);
        const a0 = performance.now();
        if (analyzer.judge(analyzer.analyze(snap, h)).flagged) flagged++;
        analyzeMs += performance.now() - a0;
      }
      const secs = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const cpuSecs = (cpu.user + cpu.system) / 1e6;
      console.log(
        `static: load average ${load0.toFixed(1)} → ${(loadavg()[0] ?? 0).toFixed(1)} (${cpuSecs.toFixed(2)} s CPU = ${(nStatic / cpuSecs).toFixed(0)} snapshots per CPU-second)`,
      );
      console.log(`static: analysis alone ${(nStatic / (analyzeMs / 1000)).toFixed(0)} snapshots/s`);
      console.log(
        `static: ${nStatic} stored snapshots (mean ${(bytes / 1024).toFixed(0)} KiB HTML, ${brandCount} brands, ${kitCount} kit rules) in ${secs.toFixed(2)} s = ${(nStatic / secs).toFixed(0)} snapshots/s; ${flagged} flagged; node maxRSS ${mib(process.resourceUsage().maxRSS * 1024)}`,
      );
    }
    if (nRendered > 0) {
      if (!existsSync(DEFAULT_CHROMIUM)) {
        console.log(`rendered: skipped, no browser at ${DEFAULT_CHROMIUM}`);
        return;
      }
      const pages = CORPUS.filter((c) => !c.file.startsWith('real/'));
      const srv = await startTestServer({
        '*': (req, res) => {
          const i = Number(/\/p\/(\d+)/.exec(req.url ?? '')?.[1] ?? 0);
          html(corpusSnapshot(pages[i % pages.length]!).html)(req, res);
        },
      });
      const guard = new SsrfGuard({ allowPrivate: true });
      const renderer = await PageRenderer.launch({ guard, limits: { timeoutMs: 10_000, settleMs: 300 } });
      let peak = treeRss();
      const sampler = setInterval(() => {
        peak = Math.max(peak, treeRss());
      }, 200);
      const pool = createPool(contexts);
      let ok = 0;
      const t0 = performance.now();
      for (let i = 0; i < nRendered; i++) {
        await pool.submit(async () => {
          await crawlUrl(`${srv.origin}/p/${i}`, { guard, analyzer, renderer, differential: false });
          ok++;
        });
      }
      await pool.drain();
      const secs = (performance.now() - t0) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, treeRss());
      console.log(
        `rendered: ${ok}/${nRendered} loopback pages with ${contexts} contexts in ${secs.toFixed(1)} s = ${(ok / secs).toFixed(1)} pages/s; peak RSS (node + Chromium) ${mib(peak)}`,
      );
      await renderer.close();
      await srv.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
