/**
 * The floor of the ingest rows in bench/user-path.ts: a bare Node loop that reads a JSON-lines file and
 * parses every line — what any ingest of that file must at least do. Prints the line count.
 *
 *   node bench/peers/json-lines.mjs FILE
 * @module
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write('usage: json-lines.mjs FILE\n');
  process.exit(2);
}
let records = 0;
let keys = 0;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (line === '') continue;
  const v = JSON.parse(line);
  records++;
  // Touch the parsed value so the parse cannot be optimised away.
  if (v !== null && typeof v === 'object') keys += Object.keys(v).length;
}
process.stdout.write(`${records} records, ${keys} top-level keys\n`);
