/**
 * Correlation end to end, on a simulated world (`precursor simulate world`; figures on generated data):
 *
 * 1. whole commands, correlation off beside on: `precursor ingest events` (tenant events) and
 *    `precursor ingest certstream` as child processes on fresh stores, so each rate includes what a user
 *    waits for — with correlation on, the full recluster at the end of a one-shot command;
 * 2. arrivals after a full recluster, in process: the world's tenant events and the first
 *    `--head` of its certstream are ingested and fully reclustered; the rest arrives in batches of
 *    `--batch` messages, each taken in by the incremental update (what a request waits for under
 *    `precursor serve`). Prints the update's cost per observation (median, p90) beside the full
 *    recluster's time, then runs a full recluster again and reports whether it changed anything.
 *
 *   node --import tsx bench/correlate-e2e.ts --world DIR [--bin "node dist/src/cli/bin.js"]
 *     [--head 0.9] [--batch 200] [--skip-commands]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openApp } from '../src/app/open-app.js';
import { tenantStageFor } from '../src/app/tenant-stage-for.js';
import { createCertstreamSource } from '../src/ingest/sources/certstream/certstream-source.js';
import { createTenantFileSource } from '../src/ingest/sources/tenant/tenant-source.js';

const { values } = parseArgs({
  options: {
    world: { type: 'string' },
    bin: { type: 'string', default: 'node dist/src/cli/bin.js' },
    head: { type: 'string', default: '0.9' },
    batch: { type: 'string', default: '200' },
    'skip-commands': { type: 'boolean', default: false },
  },
});
if (!values.world) throw new Error('--world DIR is required (precursor simulate world --out DIR)');
const world = values.world;
const [cmd, ...pre] = values.bin.split(' ');
const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
const work = mkdtempSync(join(tmpdir(), 'precursor-correlate-e2e-'));
const count = (file: string) => readFileSync(file, 'utf8').split('\n').filter(Boolean).length;
const events = join(world, 'tenant-events.jsonl');
const certstream = join(world, 'certstream.jsonl');

try {
  console.log(
    `world ${world}: ${count(events).toLocaleString()} tenant events, ${count(certstream).toLocaleString()} certstream messages; load ${load()}`,
  );
  if (!values['skip-commands']) {
    const rates: Record<string, Record<string, number>> = {};
    for (const mode of ['off', 'on'] as const) {
      const home = join(work, mode);
      const config = join(work, `${mode}.yaml`);
      writeFileSync(config, `home: ${home}\ncorrelate:\n  enabled: ${mode === 'on'}\n`);
      rates[mode] = {};
      for (const [name, args, n] of [
        ['tenant events', ['ingest', 'events', events], count(events)],
        ['certstream', ['ingest', 'certstream', certstream], count(certstream)],
      ] as const) {
        const t = performance.now();
        execFileSync(cmd!, [...pre, '--config', config, ...args], {
          stdio: ['ignore', 'ignore', 'inherit'],
          maxBuffer: 1 << 26,
        });
        const s = (performance.now() - t) / 1000;
        rates[mode]![name] = n / s;
        console.log(
          `  correlation ${mode}: ${name}: ${s.toFixed(1)} s, ${(n / s).toFixed(0)}/s (load ${load()})`,
        );
      }
    }
    for (const name of ['tenant events', 'certstream'])
      console.log(`  ${name}: on/off rate ratio ${(rates.on![name]! / rates.off![name]!).toFixed(2)}`);
  }

  // 2 — arrivals after a full recluster.
  const lines = readFileSync(certstream, 'utf8').split('\n').filter(Boolean);
  const head = Math.floor(lines.length * Number(values.head));
  writeFileSync(join(work, 'head.jsonl'), `${lines.slice(0, head).join('\n')}\n`);
  const app = await openApp({ overrides: { home: join(work, 'live') } });
  try {
    const p = app.pipeline;
    const quiet = { ignoreCheckpoint: true, correlate: false, review: false } as const;
    await p.ingest(createTenantFileSource({ path: events }), quiet);
    const stage = tenantStageFor(p.store, app.config);
    await stage.run();
    await stage.persist();
    await p.ingest(createCertstreamSource({ input: join(work, 'head.jsonl') }), quiet);
    const full = await p.correlate({ force: true });
    console.log(
      `full recluster: ${full.nodes.toLocaleString()} entities, ${full.links.toLocaleString()} links, ${full.campaigns} campaigns in ${(full.ms / 1000).toFixed(1)} s (load ${load()})`,
    );
    const batch = Number(values.batch);
    const perObservation: number[] = [];
    const perBatch: number[] = [];
    const cpuPerObservation: number[] = [];
    let stale = '';
    for (let i = head, n = 0; i < lines.length; i += batch, n++) {
      const file = join(work, `b${n}.jsonl`);
      writeFileSync(file, `${lines.slice(i, i + batch).join('\n')}\n`);
      const r = await p.ingest(createCertstreamSource({ input: file, sourceId: `certstream:b${n}` }), {
        ignoreCheckpoint: true,
        review: false,
      });
      const c = r.correlate;
      if (c?.mode !== 'incremental') {
        console.log(`  batch ${n}: ${c ? `a full recluster (${c.ms} ms)` : 'no correlation'}`);
        continue;
      }
      if (c.stale) stale = c.stale;
      perBatch.push(c.ms);
      if (c.observations > 0) {
        perObservation.push(c.ms / c.observations);
        cpuPerObservation.push(c.cpuMs / c.observations);
      }
    }
    const q = (xs: number[], f: number) => {
      const s = [...xs].sort((a, b) => a - b);
      return s[Math.min(s.length - 1, Math.floor(f * s.length))] ?? Number.NaN;
    };
    console.log(
      `incremental: ${perBatch.length} batches of ${batch} messages: per observation median ${(q(perObservation, 0.5) * 1000).toFixed(0)} µs wall (${(q(cpuPerObservation, 0.5) * 1000).toFixed(0)} µs CPU), p90 ${(q(perObservation, 0.9) * 1000).toFixed(0)} µs; per batch median ${q(perBatch, 0.5)} ms (full recluster ${full.ms} ms); stale: ${stale || 'no'} (load ${load()})`,
    );
    const again = await p.correlate({ force: true });
    console.log(
      `full recluster after the arrivals: ${again.created} created, ${again.merged} merged, ${again.split} split, ${again.dissolved} dissolved, ${again.signals} signals, in ${(again.ms / 1000).toFixed(1)} s`,
    );
  } finally {
    await app.close();
  }
  console.log(`peak RSS ${Math.round((process.resourceUsage().maxRSS * 1024) / 1048576)} MiB`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
