/**
 * Speed work must leave output byte-identical: runs `precursor ingest events FILE --json` (or another
 * `ingest` kind) into a fresh SQLite home and writes a digest of everything it produced — every table of
 * the store, rows sorted, without the wall-clock columns — and the `--json` summary without its timings,
 * so that two commits' runs can be compared with `cmp`.
 *
 *   node --import tsx bench/same-output.ts --file EVENTS.jsonl --out DIR [--kind events] [--cli dist/src/cli/bin.js]
 *
 * Writes DIR/dump.txt (one line per row, `table<TAB>json`) and DIR/summary.json; prints their sha256.
 * Compare two runs with `cmp A/dump.txt B/dump.txt && cmp A/summary.json B/summary.json`.
 * @module
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({
  options: {
    file: { type: 'string' },
    out: { type: 'string' },
    kind: { type: 'string', default: 'events' },
    cli: { type: 'string', default: 'dist/src/cli/bin.js' },
  },
});
if (!values.file || !values.out) throw new Error('--file and --out are needed');
const out = resolve(values.out);
const home = join(out, 'home');
rmSync(out, { recursive: true, force: true });
mkdirSync(home, { recursive: true });

// Columns that hold the wall clock of the run (not the data's own times), and summary fields that time it.
const CLOCK_COLUMNS = new Set([
  'ingested_ms',
  'updated_at',
  'created_at',
  'enqueued_at',
  'available_at',
  'lease_until',
  'timestamp',
]);
const CLOCK_FIELDS = new Set(['seconds', 'ms']);

const started = Date.now() - 60_000;
const run = spawnSync(
  process.execPath,
  [
    '--max-semi-space-size=64',
    resolve(values.cli),
    '--home',
    home,
    'ingest',
    values.kind,
    resolve(values.file),
    '--json',
  ],
  { encoding: 'utf8', maxBuffer: 1 << 28, env: { ...process.env, PRECURSOR_HOME: undefined } },
);
if (run.status !== 0 && run.status !== 3) throw new Error(`exit ${run.status}: ${run.stderr.slice(-2000)}`);
const summary = JSON.stringify(JSON.parse(run.stdout), (k, v) => (CLOCK_FIELDS.has(k) ? undefined : v), 1);
writeFileSync(join(out, 'summary.json'), `${summary}\n`);

const db = new Database(join(home, 'precursor.db'), { readonly: true });
const lines: string[] = [];
const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as {
  name: string;
}[];
for (const { name } of tables) {
  if (name === 'kysely_migration' || name === 'kysely_migration_lock') continue;
  const cols = (db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[])
    .map((c) => c.name)
    .filter((c) => !CLOCK_COLUMNS.has(c));
  const rows = db
    .prepare(`SELECT ${cols.map((c) => `"${c}"`).join(', ')} FROM "${name}"`)
    .raw()
    .all();
  const text = rows.map((r) =>
    JSON.stringify(r, (_k, v) =>
      Buffer.isBuffer(v) ? v.toString('base64') : typeof v === 'bigint' ? String(v) : v,
    ),
  );
  for (let i = 0; i < text.length; i++) text[i] = unclock(text[i]!);
  text.sort();
  for (const t of text) lines.push(`${name}\t${t}`);
}
db.close();
const dump = `${lines.join('\n')}\n`;
writeFileSync(join(out, 'dump.txt'), dump);
/**
 * Clock values inside columns: ISO times from the run's start on (opened_at, respond_by …) and the
 * tenant snapshot's id (`POSITION.<Date.now() in base 36>`).
 */
function unclock(row: string): string {
  return row
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g, (iso) =>
      Date.parse(iso) >= started ? '<clock>' : iso,
    )
    .replace(/(\\"id\\":\\"\d+)\.[0-9a-z]+\\"/g, '$1.<clock>\\"');
}

const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
console.log(`${lines.length} rows, dump ${sha(dump)}, summary ${sha(summary)}`);
