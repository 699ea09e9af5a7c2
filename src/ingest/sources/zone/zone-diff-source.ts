/**
 * A zone-file diff as a `Source`: two snapshots of one zone → `delegation` observations (added,
 * removed, changed); the added names reach the domain engine through the delegation extractor.
 * The diff (`zone-diff.ts`) is computed once into a JSON-lines file named after the two snapshots'
 * identity (path, size, mtime) in a work directory, then read with byte-offset cursors, so a restart
 * resumes mid-diff without diffing again. Malformed zone entries are written into the same file and
 * become dead letters naming the file and line.
 * @module
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { type Observation, PrecursorError } from '../../../domain/index.js';
import { readLines } from '../../line-reader.js';
import { ok, reject, type Source } from '../../source.js';
import { diffZones, type ZoneDiffStats } from './zone-diff.js';
import { absoluteName, isZoneError, ZoneParser } from './zone-parser.js';

export interface ZoneDiffSourceOptions {
  readonly oldPath: string;
  readonly newPath: string;
  /** Zone apex (`com`, `.` for the root); default: the owner of the new file's SOA. */
  readonly zone?: string;
  /** Where the diff file is kept (default `<tmp>/precursor-zone-diffs`). */
  readonly workDir?: string;
  /** Event time of the changes; default: the new SOA serial when it is a YYYYMMDDnn date, else the file's mtime. */
  readonly observedAt?: string;
  /** Partitions of the diff (see `ZoneDiffOptions`). */
  readonly partitions?: number;
  /** Told once the diff is computed (not on a resume that finds it done). */
  readonly onDiff?: (stats: ZoneDiffStats) => void;
}

/** Reads the first SOA of a zone file from its first MiB (registry zones start with it). */
export function sniffSoa(path: string): { apex: string; serial: number | undefined } | undefined {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const parser = new ZoneParser({ types: new Set(['SOA']) });
    for (const line of buf.subarray(0, n).toString('latin1').split('\n')) {
      const item = parser.line(line);
      if (item !== undefined && !isZoneError(item)) {
        const serial = Number(item.rdata[2]);
        return { apex: item.owner, serial: Number.isSafeInteger(serial) ? serial : undefined };
      }
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** `2026082201` → `2026-08-22T00:00:00.000Z` when the serial is a plausible date. */
export function serialDate(serial: number | undefined): string | undefined {
  if (serial === undefined) return undefined;
  const m = /^(\d{4})(\d{2})(\d{2})\d{2}$/.exec(String(serial));
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00Z`);
  const y = Number(m[1]);
  return Number.isNaN(d.getTime()) || y < 1990 || y > 2200 ? undefined : d.toISOString();
}

const lineSchema = z.union([
  z.object({
    name: z.string().min(1),
    change: z.enum(['added', 'removed', 'changed']),
    ns: z.array(z.string()),
    oldNs: z.array(z.string()).optional(),
  }),
  z.object({ error: z.string(), side: z.enum(['old', 'new']), line: z.number().int() }),
]);

/** Host-name labels as registries publish them (LDH, underscore for service labels). */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** `<diff identity>:<byte offset>:<line>` of the diff file. */
interface ZoneCursor {
  readonly diff: string;
  readonly offset: number;
  readonly line: number;
}

function decodeZoneCursor(s: string | undefined): ZoneCursor | undefined {
  if (s === undefined) return undefined;
  const m = /^([0-9a-f]{24}):(\d{1,15}):(\d{1,15})$/.exec(s);
  if (!m) throw new PrecursorError('VALIDATION_FAILED', `invalid zone-diff cursor '${s}'`);
  return { diff: m[1] as string, offset: Number(m[2]), line: Number(m[3]) };
}

export function createZoneDiffSource(
  options: ZoneDiffSourceOptions,
): Source & { /** The pair of snapshots, as its checkpoints name it. */ readonly identity: string } {
  const oldPath = resolve(options.oldPath);
  const newPath = resolve(options.newPath);
  const soa = sniffSoa(newPath);
  const apex = options.zone === undefined ? (soa?.apex ?? '.') : absoluteName(options.zone, '.');
  const zone = apex === '.' ? '.' : apex.slice(0, -1);
  const id = `zone:${zone}`;
  const o = statSync(oldPath);
  const n = statSync(newPath);
  const identity = createHash('sha256')
    .update(JSON.stringify([oldPath, o.size, o.mtimeMs, newPath, n.size, n.mtimeMs, apex]))
    .digest('hex')
    .slice(0, 24);
  const snapshot = soa?.serial === undefined ? identity : String(soa.serial);
  const observedAt = options.observedAt ?? serialDate(soa?.serial) ?? n.mtime.toISOString();
  const workDir = options.workDir ?? join(tmpdir(), 'precursor-zone-diffs');
  const diffFile = join(workDir, `${zone === '.' ? 'root' : zone}-${identity}.jsonl`);

  const ensureDiff = async (signal: AbortSignal): Promise<void> => {
    if (existsSync(diffFile)) return;
    mkdirSync(workDir, { recursive: true });
    const partial = `${diffFile}.partial`;
    const fd = openSync(partial, 'w');
    let buf = '';
    const put = (line: string): void => {
      buf += `${line}\n`;
      if (buf.length > 1 << 16) {
        writeSync(fd, buf);
        buf = '';
      }
    };
    try {
      const stats = await diffZones(oldPath, newPath, (c) => put(JSON.stringify(c)), {
        zone: apex,
        workDir,
        signal,
        onError: (side, e) => put(JSON.stringify({ error: e.error, side, line: e.line })),
        ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
      });
      writeSync(fd, buf);
      options.onDiff?.(stats);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, diffFile); // the diff exists only once it is complete
  };

  return {
    id,
    identity,
    async *read(cursor, signal) {
      // A checkpoint of another pair of snapshots: this pair starts from its beginning.
      const c = decodeZoneCursor(cursor);
      const from =
        c !== undefined && c.diff === identity ? { offset: c.offset, line: c.line } : { offset: 0, line: 0 };
      await ensureDiff(signal);
      for await (const line of readLines(diffFile, from, signal)) {
        yield {
          position: `change ${line.number}`,
          raw: line.text,
          cursor: `${identity}:${line.end}:${line.number}`,
        };
      }
    },
    parse(record) {
      let doc: unknown;
      try {
        doc = JSON.parse(record.raw);
      } catch (e) {
        return reject('PARSE_ERROR', `diff line is not JSON: ${(e as Error).message}`);
      }
      const r = lineSchema.safeParse(doc);
      if (!r.success) return reject('SCHEMA_INVALID', r.error.issues[0]?.message ?? 'invalid diff line');
      const v = r.data;
      if ('error' in v) {
        return reject(
          'PARSE_ERROR',
          `${v.side === 'old' ? oldPath : newPath} line ${v.line}: ${v.error}`,
          `${v.side}:${v.line}`,
        );
      }
      if (!v.name.split('.').every((l) => LABEL.test(l)))
        return reject('INVALID_VALUE', `'${v.name.slice(0, 120)}' is not a valid DNS name`, 'name');
      const obs: Observation<'delegation'> = {
        source: id,
        kind: 'delegation',
        observedAt,
        dedupeKey: `${id}|${snapshot}|${v.change}|${v.name}`,
        payload: { name: v.name, change: v.change, ns: v.ns, zone },
      };
      return ok([obs]);
    },
  };
}
