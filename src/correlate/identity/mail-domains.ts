/**
 * Maintained lists of mail domains: disposable ones (the `disposable-email-domains` npm package,
 * 120k+ domains, MIT) and free-mail providers (`data/tenant/free-email-domains.txt`, vendored from the
 * `freemail` package, ISC; see data/tenant/README.md). Loaded lazily, once.
 * @module
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type MailDomainClass = 'free' | 'disposable' | 'corporate';

let disposable: ReadonlySet<string> | undefined;
let free: ReadonlySet<string> | undefined;

function dataFile(name: string): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'data', 'tenant', name);
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir)
      throw new Error(`cannot find data/tenant/${name} above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

export function disposableMailDomains(): ReadonlySet<string> {
  if (!disposable) {
    const require = createRequire(import.meta.url);
    disposable = new Set((require('disposable-email-domains') as string[]).map((d) => d.toLowerCase()));
  }
  return disposable;
}

export function freeMailDomains(): ReadonlySet<string> {
  if (!free) {
    free = new Set(
      readFileSync(dataFile('free-email-domains.txt'), 'utf8')
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l !== '' && !l.startsWith('#')),
    );
  }
  return free;
}

/** Free before disposable: a few big providers appear on both lists, and they are not throwaway. */
export function classifyMailDomain(domain: string, extraFree: readonly string[] = []): MailDomainClass {
  const d = domain.toLowerCase();
  if (freeMailDomains().has(d) || extraFree.includes(d)) return 'free';
  if (disposableMailDomains().has(d)) return 'disposable';
  return 'corporate';
}
