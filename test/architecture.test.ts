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
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const imports = (file: string) =>
  [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((m) => (m[1] ?? m[2]) as string);
const area = (file: string) => relative(SRC, file).split('/')[0] as string;
const target = (file: string, spec: string) => relative(SRC, resolve(dirname(file), spec));

/** What each area may import from inside src/ (its own area always allowed). */
const ALLOWED: Record<string, readonly string[]> = {
  domain: [],
  config: ['domain'],
  store: ['domain'],
  detect: ['domain', 'ingest', 'store/store.ts'],
  ingest: ['domain', 'detect', 'store/store.ts'],
  correlate: ['domain', 'detect', 'store/store.ts'],
  review: ['domain', 'detect', 'correlate', 'store/store.ts'],
  share: ['domain', 'review', 'correlate', 'store/store.ts'],
  // Generates data (worlds with ground truth); it never detects, so it needs only the vocabulary.
  simulate: ['domain'],
  app: ['*'],
  server: ['*'],
  cli: ['*'],
};

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
        if (allowed.some((x) => (x.endsWith('.ts') ? t === x : ta === x))) continue;
        wrong.push(`${relative(SRC, f)} imports ${t}`);
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
