/**
 * Writes a world to a directory in the shared formats (`docs/simulate.md`): `tenant-events.jsonl`,
 * `certstream.jsonl`, `transactions.jsonl`, `names.txt`, `pages/<host>/…` and `truth.json`. An existing
 * `pages/` is replaced so that a re-run with another seed leaves no stale pages behind.
 * @module
 */
import { closeSync, mkdirSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { World } from './world.js';

export const WORLD_FILES = {
  tenantEvents: 'tenant-events.jsonl',
  certstream: 'certstream.jsonl',
  transactions: 'transactions.jsonl',
  names: 'names.txt',
  pages: 'pages',
  truth: 'truth.json',
} as const;

/** Writes lines in chunks: a month's files are hundreds of megabytes, never held as one string. */
function writeLines(file: string, lines: Iterable<string>): void {
  const fd = openSync(file, 'w');
  try {
    let chunk: string[] = [];
    for (const l of lines) {
      chunk.push(l);
      if (chunk.length === 4096) {
        writeSync(fd, `${chunk.join('\n')}\n`);
        chunk = [];
      }
    }
    if (chunk.length > 0) writeSync(fd, `${chunk.join('\n')}\n`);
  } finally {
    closeSync(fd);
  }
}

export function writeWorld(world: World, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeLines(join(dir, WORLD_FILES.tenantEvents), world.tenantEvents);
  writeLines(join(dir, WORLD_FILES.certstream), world.certstreamLines());
  writeLines(join(dir, WORLD_FILES.transactions), world.transactions);
  writeLines(join(dir, WORLD_FILES.names), world.names);
  const pages = join(dir, WORLD_FILES.pages);
  rmSync(pages, { recursive: true, force: true });
  for (const p of world.pages) {
    const file = join(pages, p.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, p.body);
  }
  writeFileSync(join(dir, WORLD_FILES.truth), `${JSON.stringify(world.truth, null, 2)}\n`);
}
