/**
 * Diffs two snapshots of one zone into added, removed and changed delegations, in bounded memory.
 *
 * Design: hash partitioning on disk (a Grace hash join). Each zone is streamed once and its
 * delegation NS records are appended to one of P partition files chosen by a hash of the owner
 * name, so every owner's records land in the same partition number on both sides. Then the
 * partitions are compared one pair at a time with in-memory maps. Peak memory is one partition
 * pair (≈ zone size / P), whatever the zone's order: registry zones are not sorted canonically,
 * so a sorted merge would first need an external sort, which costs the same I/O plus the sort.
 * P defaults to one partition per 16 MiB of the larger zone file.
 * @module
 */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { absoluteName, isZoneError, scanZone, type ZoneParseError } from './zone-parser.js';

export type DelegationChangeKind = 'added' | 'removed' | 'changed';

export interface DelegationChange {
  /** Delegated name, lower case, without the trailing dot (`example.com`, or a TLD in the root zone). */
  readonly name: string;
  readonly change: DelegationChangeKind;
  /** Name servers after the change (before it, for `removed`), sorted, without trailing dots. */
  readonly ns: readonly string[];
  /** `changed` only: the name servers before. */
  readonly oldNs?: readonly string[];
}

export interface ZoneSide {
  /** Zone apex from the SOA record, absolute (`com.`, `.`). */
  readonly apex: string | undefined;
  /** SOA serial. */
  readonly serial: number | undefined;
  readonly lines: number;
  /** NS records of delegations. */
  readonly nsRecords: number;
  /** Delegated names (distinct owners). */
  readonly delegations: number;
  readonly errors: number;
}

export interface ZoneDiffStats {
  readonly old: ZoneSide;
  readonly new: ZoneSide;
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly partitions: number;
}

export interface ZoneDiffOptions {
  /** Zone apex (absolute, e.g. `com.`); default: the owner of each file's SOA record. */
  readonly zone?: string;
  /** Where partition files go (default the OS temp dir); removed afterwards. */
  readonly workDir?: string;
  /** Partition count (default: one per 16 MiB of the larger file, 1–512). */
  readonly partitions?: number;
  readonly signal?: AbortSignal;
  /** Told about each malformed entry (the diff goes on without it). */
  readonly onError?: (side: 'old' | 'new', error: ZoneParseError) => void;
}

const PARTITION_BYTES = 16 * 1024 * 1024;
const FLUSH_CHARS = 64 * 1024;
const NS_TYPES: ReadonlySet<string> = new Set(['NS', 'SOA']);

/** FNV-1a over UTF-16 code units; fast and well spread for host names. */
function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const bare = (n: string): string => (n.length > 1 && n.endsWith('.') ? n.slice(0, -1) : n);

async function partitionZone(
  path: string,
  dir: string,
  prefix: string,
  parts: number,
  options: ZoneDiffOptions,
  side: 'old' | 'new',
): Promise<ZoneSide> {
  const fds = Array.from({ length: parts }, (_, i) => openSync(join(dir, `${prefix}-${i}`), 'w'));
  const buffers: string[] = new Array(parts).fill('');
  let apex = options.zone === undefined ? undefined : absoluteName(options.zone, '.');
  let serial: number | undefined;
  let records = 0;
  let errors = 0;
  try {
    const lines = await scanZone(
      path,
      (item) => {
        if (isZoneError(item)) {
          errors++;
          options.onError?.(side, item);
          return;
        }
        if (item.type === 'SOA') {
          if (apex === undefined) apex = item.owner;
          if (serial === undefined && item.owner === apex) serial = Number(item.rdata[2]);
          return;
        }
        // NS at the apex are the zone's own servers, not a delegation. Before any SOA, the apex is unknown:
        // registry zones start with their SOA, so such records are counted as delegations of the origin.
        if (item.owner === apex) return;
        const target = item.rdata[0];
        if (target === undefined) return;
        const p = hash(item.owner) % parts;
        const buf = `${buffers[p]}${item.owner} ${absoluteName(target, item.origin)}\n`;
        records++;
        if (buf.length >= FLUSH_CHARS) {
          writeSync(fds[p] as number, buf, null, 'latin1');
          buffers[p] = '';
        } else buffers[p] = buf;
      },
      options.signal === undefined ? { types: NS_TYPES } : { types: NS_TYPES, signal: options.signal },
    );
    buffers.forEach((b, p) => {
      if (b !== '') writeSync(fds[p] as number, b, null, 'latin1');
    });
    return {
      apex,
      serial: Number.isFinite(serial) ? serial : undefined,
      lines,
      nsRecords: records,
      delegations: 0,
      errors,
    };
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

function loadPartition(file: string, apex: string | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const text = readFileSync(file, 'latin1');
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    const sp = text.indexOf(' ', start);
    const owner = text.slice(start, sp);
    const ns = text.slice(sp + 1, nl);
    start = nl + 1;
    // The apex could only be known after some NS were partitioned (no leading SOA): drop them here.
    if (owner === apex) continue;
    const list = map.get(owner);
    if (list === undefined) map.set(owner, [ns]);
    else if (!list.includes(ns)) list.push(ns);
  }
  return map;
}

const sameSet = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Streams both zones and calls `onChange` for every delegation change, partition by partition
 * (names are sorted within a partition; the overall order is deterministic for given inputs).
 */
export async function diffZones(
  oldPath: string,
  newPath: string,
  onChange: (c: DelegationChange) => void,
  options: ZoneDiffOptions = {},
): Promise<ZoneDiffStats> {
  const biggest = Math.max(statSync(oldPath).size, statSync(newPath).size);
  const parts = options.partitions ?? Math.min(512, Math.max(1, Math.ceil(biggest / PARTITION_BYTES)));
  const dir = mkdtempSync(join(options.workDir ?? tmpdir(), 'precursor-zone-diff-'));
  const counts = { added: 0, removed: 0, changed: 0 };
  let oldOwners = 0;
  let newOwners = 0;
  try {
    const oldSide = await partitionZone(oldPath, dir, 'old', parts, options, 'old');
    const newSide = await partitionZone(newPath, dir, 'new', parts, options, 'new');
    if (oldSide.apex !== undefined && newSide.apex !== undefined && oldSide.apex !== newSide.apex) {
      throw new Error(`the two files are different zones ('${oldSide.apex}' and '${newSide.apex}')`);
    }
    for (let p = 0; p < parts; p++) {
      options.signal?.throwIfAborted();
      const before = loadPartition(join(dir, `old-${p}`), oldSide.apex);
      const after = loadPartition(join(dir, `new-${p}`), newSide.apex);
      oldOwners += before.size;
      newOwners += after.size;
      const changes: DelegationChange[] = [];
      for (const [owner, ns] of after) {
        ns.sort();
        const prev = before.get(owner);
        if (prev === undefined) changes.push({ name: bare(owner), change: 'added', ns: ns.map(bare) });
        else {
          prev.sort();
          if (!sameSet(prev, ns))
            changes.push({ name: bare(owner), change: 'changed', ns: ns.map(bare), oldNs: prev.map(bare) });
          before.delete(owner);
        }
      }
      for (const [owner, ns] of before)
        changes.push({ name: bare(owner), change: 'removed', ns: ns.sort().map(bare) });
      changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const c of changes) {
        counts[c.change]++;
        onChange(c);
      }
    }
    return {
      old: { ...oldSide, delegations: oldOwners },
      new: { ...newSide, delegations: newOwners },
      ...counts,
      partitions: parts,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
