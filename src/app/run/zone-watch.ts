/**
 * A directory of zone snapshots as a feed of `precursor run`: a registry (or a CZDS mirror) drops a
 * snapshot a day; each new snapshot is diffed against the one before it and the newly delegated names
 * go through the pipeline. Snapshots are ordered by file name (date-stamped names sort by time); the
 * zone's checkpoint names the pair it is in, so a restart resumes that pair and then takes the later
 * ones. On the first start only the newest pair is diffed: the feed watches from now on, it does not
 * replay the directory's history.
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Observation } from '../../domain/index.js';
import { createZoneDiffSource } from '../../ingest/sources/zone/zone-diff-source.js';
import type { Pipeline } from '../pipeline.js';

/** The snapshots in `dir` whose names end with `suffix`, oldest first (by name). */
export function zoneSnapshots(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.endsWith(suffix) && !n.startsWith('.'))
    .sort()
    .map((n) => join(dir, n))
    .filter((p) => statSync(p).isFile());
}

/**
 * Diffs the pairs not read yet: from the pair the zone's checkpoint is in (or the newest pair on a
 * first start) to the newest. Returns how many pairs were read.
 */
export async function readNewZonePairs(
  pipeline: Pipeline,
  dir: string,
  suffix: string,
  options: { signal: AbortSignal; onCommitted: (observations: readonly Observation[]) => void },
): Promise<number> {
  const files = zoneSnapshots(dir, suffix);
  if (files.length < 2) return 0;
  const pair = (i: number) =>
    createZoneDiffSource({ oldPath: files[i - 1] as string, newPath: files[i] as string });
  // From the newest pair back to the one the checkpoint is in (usually the newest: one look per poll).
  const newest = pair(files.length - 1);
  const cursor = await pipeline.store.observations.checkpoint(newest.id);
  const todo = [newest];
  if (cursor !== undefined && !cursor.startsWith(`${newest.identity}:`))
    for (let i = files.length - 2; i >= 1; i--) {
      const p = pair(i);
      todo.unshift(p);
      if (cursor.startsWith(`${p.identity}:`)) break;
      // No pair matches (its snapshots were removed or rewritten): the newest pair only.
      if (i === 1) todo.splice(0, todo.length - 1);
    }
  let read = 0;
  for (const source of todo) {
    if (options.signal.aborted) break;
    await pipeline.ingest(source, {
      detect: false,
      signal: options.signal,
      onCommitted: options.onCommitted,
    });
    read++;
  }
  return read;
}
