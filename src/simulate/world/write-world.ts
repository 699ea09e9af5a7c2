/**
 * Writes a world to a directory in the shared formats (`docs/simulate.md`): `tenant-events.jsonl`,
 * `certstream.jsonl`, `transactions.jsonl`, `names.txt`, `pages/<host>/…` and `truth.json`. An existing
 * `pages/` is replaced so that a re-run with another seed leaves no stale pages behind.
 * @module
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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

const lines = (xs: readonly string[]) => (xs.length === 0 ? '' : `${xs.join('\n')}\n`);

export function writeWorld(world: World, dir: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, WORLD_FILES.tenantEvents), lines(world.tenantEvents));
  writeFileSync(join(dir, WORLD_FILES.certstream), lines(world.certstream));
  writeFileSync(join(dir, WORLD_FILES.transactions), lines(world.transactions));
  writeFileSync(join(dir, WORLD_FILES.names), lines(world.names));
  const pages = join(dir, WORLD_FILES.pages);
  rmSync(pages, { recursive: true, force: true });
  for (const p of world.pages) {
    const file = join(pages, p.path);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, p.body);
  }
  writeFileSync(join(dir, WORLD_FILES.truth), `${JSON.stringify(world.truth, null, 2)}\n`);
}
