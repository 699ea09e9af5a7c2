/**
 * Browser-test support: Debian's Chromium driven by playwright-core (never a downloaded browser), a
 * fresh profile per run, and the built dashboard. Outside CI a machine without /usr/bin/chromium skips
 * with a message; under CI=true the suite must run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, DEFAULT_CHROMIUM } from '../../src/ingest/crawl/page-renderer.js';

/** Debian's Chromium, launched with the crawler's own flags (no sandbox, no QUIC, nothing phoning home). */
export const CHROMIUM = DEFAULT_CHROMIUM;
export const ROOT = new URL('../..', import.meta.url).pathname;
/** Screenshots land here (ignored by git): test-artifacts/browser/<name>.png. */
export const ARTEFACTS = process.env.PRECURSOR_ARTEFACTS ?? join(ROOT, 'test-artifacts', 'browser');

/** Why the suite cannot run here, or undefined; under CI a missing browser is a failure, not a skip. */
export function skipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium`);
  return `${CHROMIUM} is missing (apt-get install chromium); browser tests skipped outside CI`;
}

const newest = (dir: string): number => {
  let t = 0;
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
};

/** Builds web/dist when it is missing or older than its sources, so the suite tests what it sees. */
export function ensureDashboardBuilt(): void {
  const index = join(ROOT, 'web', 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(ROOT, 'web', 'src'))) return;
  const r = spawnSync('npm', ['run', 'build:web'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build:web failed:\n${r.stdout}\n${r.stderr}`);
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A persistent context over a fresh --user-data-dir, removed on close. */
export async function launch(
  options: { width?: number; height?: number; colorScheme?: 'dark' | 'light' } = {},
): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), 'precursor-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    colorScheme: options.colorScheme ?? 'dark',
    timeout: 60_000,
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export function artefact(name: string): string {
  mkdirSync(ARTEFACTS, { recursive: true });
  return join(ARTEFACTS, `${name}.png`);
}
