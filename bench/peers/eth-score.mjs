/**
 * The peer of the `precursor score` row in bench/user-path.ts: eth-phishing-detect (MetaMask's
 * detector) as a whole process doing the same job — read host names one per line, check each against
 * the benchmark brands' domains, write one JSON line per name. Plain JavaScript so it runs on bare Node.
 *
 *   node bench/peers/eth-score.mjs FILE DOMAIN...
 * @module
 */
import { createReadStream } from 'node:fs';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const [file, ...domains] = process.argv.slice(2);
if (file === undefined || domains.length === 0) {
  process.stderr.write('usage: eth-score.mjs FILE DOMAIN...\n');
  process.exit(2);
}
const PhishingDetector = createRequire(import.meta.url)('eth-phishing-detect/src/detector');
// The legacy configuration: the brands' domains are both the fuzzy targets and allowed.
const detector = new PhishingDetector({ whitelist: domains, fuzzylist: domains, blacklist: [] });
let buf = '';
let flagged = 0;
let names = 0;
for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
  if (line === '') continue;
  const r = detector.check(line);
  names++;
  if (r.result) flagged++;
  buf += `${JSON.stringify({ domain: line, flagged: r.result, type: r.type })}\n`;
  if (buf.length >= 65536) {
    if (!process.stdout.write(buf)) await new Promise((ok) => process.stdout.once('drain', ok));
    buf = '';
  }
}
process.stdout.write(buf);
process.stderr.write(`${names} names, ${flagged} flagged\n`);
