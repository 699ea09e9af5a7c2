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
import type { Worker } from 'node:worker_threads';
import { moduleWorker } from '../../../lib/module-worker.js';
import { absoluteName, isZoneError, scanZoneNs, type ZoneParseError } from './zone-parser.js';

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
  /** Two worker threads (one per side, then one partition pair each); default: for files of 32 MiB and more. */
  readonly workers?: boolean;
  readonly signal?: AbortSignal;
  /** Told about each malformed entry (the diff goes on without it). */
  readonly onError?: (side: 'old' | 'new', error: ZoneParseError) => void;
}

const PARTITION_BYTES = 16 * 1024 * 1024;
const FLUSH_BYTES = 64 * 1024;
const NS_TYPES: ReadonlySet<string> = new Set(['NS', 'SOA']);

/** FNV-1a over bytes; fast and well spread for host names. */
function hashBytes(b: Uint8Array, len: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < len; i++) {
    h ^= b[i] as number;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const bare = (n: string): string => (n.length > 1 && n.endsWith('.') ? n.slice(0, -1) : n);

/** What partitioning one side reports (the worker sends it back as is). */
export interface PartitionResult {
  readonly apex: string | undefined;
  readonly serial: number | undefined;
  readonly lines: number;
  readonly nsRecords: number;
  readonly errors: number;
}

/**
 * Streams one zone through the parser's byte path and appends every delegation NS record, as
 * `owner target\n` (absolute, lower case), to partition `hash(owner) % parts`. Byte buffers per
 * partition, flushed at 64 KiB: no string is made for a common NS line.
 */
export async function partitionZone(
  path: string,
  dir: string,
  prefix: string,
  parts: number,
  zone: string | undefined,
  onError: (error: ZoneParseError) => void,
  signal?: AbortSignal,
): Promise<PartitionResult> {
  const fds = Array.from({ length: parts }, (_, i) => openSync(join(dir, `${prefix}-${i}`), 'w'));
  const buffers = Array.from({ length: parts }, () => Buffer.allocUnsafe(FLUSH_BYTES + 1024));
  const fill = new Int32Array(parts);
  let apex = zone === undefined ? undefined : absoluteName(zone, '.');
  let apexBytes = apex === undefined ? undefined : Buffer.from(apex, 'latin1');
  let serial: number | undefined;
  let records = 0;
  let errors = 0;
  const scratch = { owner: Buffer.allocUnsafe(1024), target: Buffer.allocUnsafe(1024) };

  const append = (owner: Buffer, ownerLen: number, target: Buffer, targetLen: number): void => {
    // NS at the apex are the zone's own servers, not a delegation. Before any SOA the apex is unknown:
    // registry zones start with their SOA; such records are dropped when the partitions are read.
    if (
      apexBytes !== undefined &&
      ownerLen === apexBytes.length &&
      apexBytes.compare(owner, 0, ownerLen) === 0
    )
      return;
    const p = hashBytes(owner, ownerLen) % parts;
    let buf = buffers[p] as Buffer;
    let at = fill[p] as number;
    const need = ownerLen + targetLen + 2;
    if (at + need > buf.length) {
      writeSync(fds[p] as number, buf, 0, at);
      at = 0;
      if (need > buf.length) buffers[p] = buf = Buffer.allocUnsafe(need);
    }
    // Byte loops: Buffer#copy costs more than it saves for names of a few dozen bytes.
    for (let i = 0; i < ownerLen; i++) buf[at++] = owner[i] as number;
    buf[at++] = 32;
    for (let i = 0; i < targetLen; i++) buf[at++] = target[i] as number;
    buf[at++] = 10;
    records++;
    if (at >= FLUSH_BYTES) {
      writeSync(fds[p] as number, buf, 0, at);
      at = 0;
    }
    fill[p] = at;
  };

  const bytesOf = (s: string, into: 'owner' | 'target'): [Buffer, number] => {
    if (scratch[into].length < s.length) scratch[into] = Buffer.allocUnsafe(s.length * 2);
    const b = scratch[into];
    return [b, b.write(s, 0, 'latin1')];
  };

  try {
    const lines = await scanZoneNs(
      path,
      append,
      (item) => {
        if (isZoneError(item)) {
          errors++;
          onError(item);
          return;
        }
        if (item.type === 'SOA') {
          if (apex === undefined) {
            apex = item.owner;
            apexBytes = Buffer.from(apex, 'latin1');
          }
          if (serial === undefined && item.owner === apex) serial = Number(item.rdata[2]);
          return;
        }
        // An NS record of an entry the byte path left to the string path (comments, parentheses…).
        const target = item.rdata[0];
        if (target === undefined) return;
        const [o, ol] = bytesOf(item.owner, 'owner');
        const [t, tl] = bytesOf(absoluteName(target, item.origin), 'target');
        append(o, ol, t, tl);
      },
      signal === undefined ? { types: NS_TYPES } : { types: NS_TYPES, signal },
    );
    for (let p = 0; p < parts; p++)
      if ((fill[p] as number) > 0) writeSync(fds[p] as number, buffers[p] as Buffer, 0, fill[p]);
    return { apex, serial: Number.isFinite(serial) ? serial : undefined, lines, nsRecords: records, errors };
  } finally {
    for (const fd of fds) closeSync(fd);
  }
}

/**
 * One side of a partition: owner → its records, as the partition's own text (`owner target\n` lines).
 * The records of an owner are almost always consecutive, so a run of them is one slice of the file's
 * text: no string per record, no concatenation (an owner seen again later is appended to).
 */
function loadPartition(file: string, apex: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  const text = readFileSync(file, 'latin1');
  let owner: string | undefined;
  let runStart = 0;
  const flush = (end: number): void => {
    if (owner === undefined || owner === apex) return; // the apex: see partitionZone
    const run = text.slice(runStart, end);
    const prev = map.get(owner);
    map.set(owner, prev === undefined ? run : prev + run);
  };
  let start = 0;
  for (let nl = text.indexOf('\n'); nl !== -1; nl = text.indexOf('\n', start)) {
    const sp = text.indexOf(' ', start);
    if (owner === undefined || sp - start !== owner.length || !text.startsWith(owner, start)) {
      flush(start);
      owner = text.slice(start, sp);
      runStart = start;
    }
    start = nl + 1;
  }
  flush(start);
  return map;
}

/** The name servers of an owner's records: distinct, sorted, without trailing dots. */
function nsSet(records: string): string[] {
  const out = new Set<string>();
  let start = 0;
  for (let nl = records.indexOf('\n'); nl !== -1; nl = records.indexOf('\n', start)) {
    out.add(records.slice(records.indexOf(' ', start) + 1, nl));
    start = nl + 1;
  }
  return [...out].sort().map(bare);
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

export interface PartitionDiff {
  readonly changes: DelegationChange[];
  readonly oldOwners: number;
  readonly newOwners: number;
}

/** Compares partition `p` of both sides; changes sorted by name. */
export function comparePartition(
  dir: string,
  p: number,
  oldApex: string | undefined,
  newApex: string | undefined,
): PartitionDiff {
  const before = loadPartition(join(dir, `old-${p}`), oldApex);
  const after = loadPartition(join(dir, `new-${p}`), newApex);
  const oldOwners = before.size;
  const newOwners = after.size;
  const changes: DelegationChange[] = [];
  for (const [owner, value] of after) {
    const prev = before.get(owner);
    if (prev === undefined) changes.push({ name: bare(owner), change: 'added', ns: nsSet(value) });
    else {
      // Equal record runs are equal sets; different ones may still be (order, duplicates).
      if (prev !== value) {
        const ns = nsSet(value);
        const oldNs = nsSet(prev);
        if (!sameSet(oldNs, ns)) changes.push({ name: bare(owner), change: 'changed', ns, oldNs });
      }
      before.delete(owner);
    }
  }
  for (const [owner, value] of before)
    changes.push({ name: bare(owner), change: 'removed', ns: nsSet(value) });
  changes.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { changes, oldOwners, newOwners };
}

/** A request to a diff worker (`zone-diff-worker.ts`): partition one side. */
export interface ZoneWorkerRequest {
  readonly path: string;
  readonly dir: string;
  readonly prefix: 'old' | 'new';
  readonly parts: number;
  readonly zone: string | undefined;
}

/** Replies of a diff worker: any number of `error`, then `partitioned` or `failed`. */
export type ZoneWorkerReply =
  | { readonly op: 'error'; readonly error: ZoneParseError }
  | { readonly op: 'partitioned'; readonly result: PartitionResult }
  | { readonly op: 'failed'; readonly message: string };

/** Files at least this large are diffed with two worker threads (below it, starting them costs more). */
const WORKER_MIN_BYTES = 32 * 1024 * 1024;

function spawnZoneWorker(): Worker {
  return moduleWorker(import.meta.url, 'zone-diff-worker');
}

/** Partitions one side in a worker; `onError` gets the parse errors it reports on the way. */
function partitionInWorker(
  w: Worker,
  req: ZoneWorkerRequest,
  onError: (e: ZoneParseError) => void,
): Promise<PartitionResult> {
  return new Promise<PartitionResult>((resolve, reject) => {
    const cleanup = (): void => {
      w.off('message', onMessage);
      w.off('error', onFail);
      w.off('exit', onExit);
    };
    const onMessage = (r: ZoneWorkerReply): void => {
      if (r.op === 'error') {
        onError(r.error);
        return;
      }
      cleanup();
      if (r.op === 'failed') reject(new Error(r.message));
      else resolve(r.result);
    };
    const onFail = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onExit = (code: number): void => {
      cleanup();
      reject(new Error(`zone-diff worker exited (code ${code})`));
    };
    w.on('message', onMessage);
    w.on('error', onFail);
    w.on('exit', onExit);
    w.postMessage(req);
  });
}

/**
 * Streams both zones and calls `onChange` for every delegation change, partition by partition
 * (names are sorted within a partition; the overall order is deterministic for given inputs, and the
 * same with or without workers). Parse errors reach `onError` old side first, in line order.
 *
 * Large zones are read by two worker threads, one per side: parsing is most of the work and the two
 * sides are independent until the comparison, which then runs here, one partition pair at a time.
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
  const useWorkers = options.workers ?? biggest >= WORKER_MIN_BYTES;
  const signal = options.signal;
  signal?.throwIfAborted();
  const workers = useWorkers ? [spawnZoneWorker(), spawnZoneWorker()] : [];
  const stop = (): void => {
    for (const w of workers) void w.terminate();
  };
  signal?.addEventListener('abort', stop, { once: true });
  const counts = { added: 0, removed: 0, changed: 0 };
  let oldOwners = 0;
  let newOwners = 0;
  // onError order: the old side's errors first; the new side's wait until the old side is read.
  let oldDone = false;
  const heldNew: ZoneParseError[] = [];
  const onOldError = (e: ZoneParseError): void => options.onError?.('old', e);
  const onNewError = (e: ZoneParseError): void => {
    if (oldDone) options.onError?.('new', e);
    else heldNew.push(e);
  };
  const emit = (d: PartitionDiff): void => {
    oldOwners += d.oldOwners;
    newOwners += d.newOwners;
    for (const c of d.changes) {
      counts[c.change]++;
      onChange(c);
    }
  };
  try {
    const partition = (
      side: 'old' | 'new',
      path: string,
      w: Worker | undefined,
    ): Promise<PartitionResult> => {
      const onError = side === 'old' ? onOldError : onNewError;
      return w === undefined
        ? partitionZone(path, dir, side, parts, options.zone, onError, signal)
        : partitionInWorker(w, { path, dir, prefix: side, parts, zone: options.zone }, onError);
    };
    const oldP = partition('old', oldPath, workers[0]).then((r) => {
      oldDone = true;
      for (const e of heldNew.splice(0)) options.onError?.('new', e);
      return r;
    });
    // In process the sides are read one after the other (sequential errors, one file at a time).
    const newP = useWorkers
      ? partition('new', newPath, workers[1])
      : oldP.then(() => partition('new', newPath, undefined));
    const [oldSide, newSide] = await Promise.all([oldP, newP]);
    signal?.throwIfAborted();
    if (oldSide.apex !== undefined && newSide.apex !== undefined && oldSide.apex !== newSide.apex) {
      throw new Error(`the two files are different zones ('${oldSide.apex}' and '${newSide.apex}')`);
    }
    // The workers' part is done: end them before the comparison, which needs the memory. (Comparing
    // in the workers too was tried: each worker's heap then holds a partition pair, ~3x the peak RSS.)
    stop();
    for (let p = 0; p < parts; p++) {
      signal?.throwIfAborted();
      emit(comparePartition(dir, p, oldSide.apex, newSide.apex));
    }
    return {
      old: { ...oldSide, delegations: oldOwners },
      new: { ...newSide, delegations: newOwners },
      ...counts,
      partitions: parts,
    };
  } catch (e) {
    signal?.throwIfAborted();
    throw e;
  } finally {
    signal?.removeEventListener('abort', stop);
    stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
