/**
 * Child process of the kill-and-restart test: ingests one loopback CT log into a SQLite store and
 * prints each committed batch, so the parent can `kill -9` it mid-run. Not part of the product.
 * Usage: node --import tsx ct-kill-child.ts <sqlite path> <log url> <log name>
 * @module
 */
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { runIngest } from '../../src/ingest/run-ingest.js';
import { createRfc6962Source } from '../../src/ingest/sources/ct/rfc6962-source.js';

const [dbPath, url, name] = process.argv.slice(2) as [string, string, string];
const store = createSqliteStore({ path: dbPath });
await store.migrate();
const source = createRfc6962Source(
  {
    name,
    description: 'kill test',
    operator: 'test',
    kind: 'rfc6962',
    url,
    logId: 'AAAA',
    mmd: 60,
    state: 'usable',
  },
  { start: 0, batchSize: 5, retry: { retries: 20, baseDelayMs: 1, maxDelayMs: 10 } },
);
const summary = await runIngest(source, store, {
  batchSize: 5,
  onProgress: (p) => process.stdout.write(`committed ${p.position}\n`),
});
process.stdout.write(
  `done ${JSON.stringify({ records: summary.records, resumedFrom: summary.resumedFrom })}\n`,
);
await store.close();
