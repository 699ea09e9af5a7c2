/**
 * Dependencies point one way: domain ← stages ← composition roots. This test reads every import in
 * src/ and fails on one that points the wrong way, so the layering cannot erode silently.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';

const SRC = resolve(new URL('../src', import.meta.url).pathname);
const files: string[] = [];
const walk = (d: string) => {
  for (const n of readdirSync(d)) {
    const p = join(d, n);
    if (statSync(p).isDirectory()) walk(p);
    else if (n.endsWith('.ts') && !n.endsWith('.test.ts')) files.push(p);
  }
};
walk(SRC);

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;
const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => (m[1] ?? m[2] ?? m[3]) as string);
const area = (file: string) => relative(SRC, file).split('/')[0] as string;
const target = (file: string, spec: string) => relative(SRC, resolve(dirname(file), spec));

/**
 * What each area may import from inside src/ (its own area always allowed): a whole area, one file
 * (`store/store.ts`) or one folder (`correlate/identity/`). Ingest and detect never import each other:
 * what both need is vocabulary in `domain/`, a shared library (`evidence/`) or a module of correlation
 * that other stages build on (the pivot model and the identity rules, see SHARED); wiring that needs
 * both lives in `app/`.
 */
const ALLOWED: Record<string, readonly string[]> = {
  domain: [],
  // Runtime helpers with no Precursor vocabulary (worker threads).
  lib: [],
  config: ['domain'],
  store: ['domain'],
  evidence: ['domain'],
  ingest: ['domain', 'evidence', 'lib', 'correlate/pivots.ts', 'correlate/identity/', 'store/store.ts'],
  detect: ['domain', 'evidence', 'correlate/pivots.ts', 'correlate/identity/', 'store/store.ts'],
  correlate: ['domain', 'detect', 'store/store.ts'],
  review: ['domain', 'detect', 'correlate', 'store/store.ts'],
  share: ['domain', 'review', 'correlate', 'store/store.ts'],
  // Generates data (worlds with ground truth); it never detects, so it needs only the vocabulary.
  simulate: ['domain'],
  app: ['*'],
  server: ['*'],
  cli: ['*'],
};

/** Whether the import target `t` (`area/…/file.ts`) is the allowed entry `x`: an area, a file or a folder. */
const matches = (t: string, x: string): boolean =>
  x.endsWith('.ts') ? t === x : x.endsWith('/') ? t.startsWith(x) : t.split('/')[0] === x;

/**
 * Modules of one stage that other stages import. They import nothing but the domain and each other,
 * so a stage that imports them can never reach back into itself through them.
 */
const SHARED: readonly string[] = ['correlate/pivots.ts', 'correlate/identity/'];

describe('architecture', () => {
  it('has no import that points the wrong way', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const a = area(f);
      const allowed = ALLOWED[a];
      if (!allowed) {
        wrong.push(`${relative(SRC, f)}: area '${a}' has no declared dependencies`);
        continue;
      }
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) {
          if (a === 'domain' && !spec.startsWith('node:'))
            wrong.push(`${relative(SRC, f)} imports package '${spec}' (domain has no dependencies)`);
          continue;
        }
        const t = target(f, spec).replace(/\.js$/, '.ts');
        const ta = t.split('/')[0] as string;
        if (ta === a || allowed.includes('*')) continue;
        if (allowed.some((x) => matches(t, x))) continue;
        wrong.push(`${relative(SRC, f)} imports ${t}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps the modules other stages share free of stage imports', () => {
    const wrong: string[] = [];
    for (const f of files) {
      const rel = relative(SRC, f);
      if (!SHARED.some((x) => matches(rel, x))) continue;
      for (const spec of imports(f)) {
        if (!spec.startsWith('.')) continue;
        const t = target(f, spec).replace(/\.js$/, '.ts');
        if (t.split('/')[0] === 'domain' || SHARED.some((x) => matches(t, x))) continue;
        wrong.push(`${rel} imports ${t}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('keeps dialects apart: only store/open-store.ts and composition roots pick an implementation', () => {
    const wrong = files.filter((f) => {
      const rel = relative(SRC, f);
      if (['app', 'cli', 'server'].includes(area(f)) || rel === 'store/open-store.ts') return false;
      return imports(f).some((s) => {
        const t = s.startsWith('.') ? target(f, s) : s;
        return (
          (/store\/(sqlite|postgres)\//.test(t) && !rel.startsWith(t.split('/').slice(0, 2).join('/'))) ||
          s === 'better-sqlite3' ||
          (s === 'pg' && !rel.startsWith('store/postgres/'))
        );
      });
    });
    assert.deepEqual(
      wrong.map((f) => relative(SRC, f)),
      [],
    );
  });
});
