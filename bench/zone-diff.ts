/**
 * Zone diff at registry scale: two generated zones of N delegations each (default 5,000,000, two NS
 * records per delegation plus glue for some), where the second drops 1% of the names, adds 1% new ones
 * and moves 1% to other name servers; records are written in a shuffled-by-block order, as registry
 * zones are not canonically sorted. Prints the diff's seconds and peak RSS (sampled), and checks counts.
 *
 *   node --import tsx bench/zone-diff.ts [--count 5000000] [--dir /tmp]
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { diffZones } from '../src/ingest/sources/zone/zone-diff.js';

const { values } = parseArgs({
  options: { count: { type: 'string', default: '5000000' }, dir: { type: 'string' } },
});
const N = Number(values.count);
const dir = mkdtempSync(join(values.dir ?? tmpdir(), 'precursor-bench-zone-'));
const mb = (b: number) => (b / 1024 / 1024).toFixed(0);

async function writeZone(path: string, version: 0 | 1): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  out.write(
    `$ORIGIN com.\n$TTL 172800\n@ 900 IN SOA a.gtld-servers.net. nstld.verisign-grs.com. 202601010${version} 1800 900 604800 86400\n@ IN NS a.gtld-servers.net.\n`,
  );
  let buf = '';
  // Blocks of 1,000 names written in a scrambled block order: the file is not sorted.
  const blocks = Math.ceil(N / 1000);
  for (let b = 0; b < blocks; b++) {
    const block = (b * 7919) % blocks;
    for (let i = block * 1000; i < Math.min(N, block * 1000 + 1000); i++) {
      const removed = version === 1 && i % 100 === 0;
      const moved = version === 1 && i % 100 === 1;
      const name = removed ? `new-${i.toString(36)}` : `name-${i.toString(36)}`;
      const host = moved ? 'ns-moved' : `ns${i % 500}`;
      buf += `${name} NS ${host}.dns-host-${i % 97}.net.\n${name} NS ${host}b.dns-host-${i % 89}.net.\n`;
      if (i % 50 === 0) buf += `ns1.${name} A 192.0.2.${i % 250}\n`;
      if (buf.length > 1 << 20) {
        if (!out.write(buf)) await once(out, 'drain');
        buf = '';
      }
    }
  }
  out.write(buf);
  out.end();
  await once(out, 'finish');
}

let t = performance.now();
await writeZone(join(dir, 'old.zone'), 0);
await writeZone(join(dir, 'new.zone'), 1);
const size = statSync(join(dir, 'old.zone')).size;
console.log(
  `generated 2 zones of ${N} delegations (${mb(size)} MB each) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 50);
const counts = { added: 0, removed: 0, changed: 0 };
t = performance.now();
const cpu0 = process.cpuUsage();
const stats = await diffZones(join(dir, 'old.zone'), join(dir, 'new.zone'), (c) => counts[c.change]++, {
  workDir: dir,
});
const secs = (performance.now() - t) / 1000;
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
console.log(
  `diff: ${stats.old.delegations} → ${stats.new.delegations} delegations, ${counts.added} added, ${counts.removed} removed, ${counts.changed} changed, ${stats.partitions} partitions`,
);
console.log(
  `diff seconds: ${secs.toFixed(1)} wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} CPU (the difference is time waiting for disk or for a busy machine); peak RSS: ${mb(peakRss)} MB (zone file ${mb(size)} MB)`,
);
const expect = N / 100;
console.log(
  counts.added === expect && counts.removed === expect && counts.changed === expect
    ? 'counts: exact'
    : 'counts: MISMATCH',
);
rmSync(dir, { recursive: true, force: true });
