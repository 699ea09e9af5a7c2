/**
 * An RFC 6962 CT log as a `Source`: `get-sth` for the tree size, then `get-entries` in ranges. The
 * cursor is the next index to read (decimal), so a restart resumes exactly after the last committed
 * entry. A log may answer with fewer entries than asked (its own batch limit): the client advances by
 * what it got and asks for that many from then on. Retries and backoff live in `polite-fetch.ts`.
 * @module
 */
import { z } from 'zod';
import { PrecursorError } from '../../../domain/index.js';
import { type ParseResult, reject, type Source, type SourceRecord } from '../../source.js';
import { observeCtEntry } from './ct-entry.js';
import { CtDecodeError, parseExtraData, parseMerkleTreeLeaf } from './ct-leaf.js';
import type { CtLogDescriptor } from './ct-log-list.js';
import {
  BadBodyError,
  DEFAULT_RETRY,
  politeGet,
  type RetryPolicy,
  readBodyCapped,
  sleep,
} from './polite-fetch.js';

export interface CtReadOptions {
  /** Where to start when there is no cursor: an index, or `'now'` (the current tree size). Default `'now'`. */
  readonly start?: number | 'now';
  /** Stop before this index (exclusive); default: the tree size, and beyond it when following. */
  readonly end?: number;
  /** Keep polling for new entries once caught up (until aborted). Default false. */
  readonly follow?: boolean;
  /** Wait between polls when caught up, ms (default: 10,000). */
  readonly pollIntervalMs?: number;
  /** Entries asked per `get-entries` (default 256; the log may cap it lower). */
  readonly batchSize?: number;
  readonly retry?: RetryPolicy;
}

/**
 * After a pass over the log: whether to read again. A follower waits one poll interval (false when the
 * read is aborted meanwhile); a one-shot read, or one that reached `end`, stops.
 */
export async function waitForNewEntries(
  options: CtReadOptions,
  next: number,
  signal: AbortSignal,
): Promise<boolean> {
  if (!options.follow || (options.end !== undefined && next >= options.end)) return false;
  try {
    await sleep(options.pollIntervalMs ?? 10_000, signal);
    return true;
  } catch {
    return false;
  }
}

const sthSchema = z.object({ tree_size: z.number().int().nonnegative(), timestamp: z.number().optional() });
const entriesSchema = z.object({ entries: z.array(z.unknown()) });
const entrySchema = z.object({ leaf_input: z.string().min(1), extra_data: z.string().optional() });

export const ctSourceId = (log: Pick<CtLogDescriptor, 'name'>): string => `ct:${log.name}`;

export function decodeIndexCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const n = Number(cursor);
  if (!/^\d+$/.test(cursor) || !Number.isSafeInteger(n)) {
    throw new PrecursorError('VALIDATION_FAILED', `invalid CT cursor '${cursor}' (expected the next index)`);
  }
  return n;
}

/** Fetches and validates JSON; a body of the wrong shape is retried as a bad answer of the log. */
async function getJson<T>(
  url: string,
  schema: z.ZodType<T>,
  signal: AbortSignal,
  retry: RetryPolicy,
): Promise<T> {
  return politeGet(
    url,
    signal,
    retry,
    async (res) => {
      let doc: unknown;
      try {
        doc = JSON.parse(
          new TextDecoder().decode(
            await readBodyCapped(res, url, retry.maxBodyBytes ?? DEFAULT_RETRY.maxBodyBytes),
          ),
        );
      } catch (e) {
        throw new BadBodyError(`body is not JSON: ${(e as Error).message}`);
      }
      const r = schema.safeParse(doc);
      if (!r.success)
        throw new BadBodyError(`unexpected response shape: ${r.error.issues[0]?.message ?? ''}`);
      return r.data;
    },
    { accept: 'application/json' },
  );
}

export function createRfc6962Source(log: CtLogDescriptor, options: CtReadOptions = {}): Source {
  const id = ctSourceId(log);
  const retry = options.retry ?? {};
  const base = `${log.url}ct/v1/`;
  const treeSize = async (signal: AbortSignal): Promise<number> =>
    (await getJson(`${base}get-sth`, sthSchema, signal, retry)).tree_size;

  return {
    id,
    async *read(cursor, signal) {
      const start = options.start ?? 'now';
      let next: number = decodeIndexCursor(cursor) ?? (start === 'now' ? await treeSize(signal) : start);
      let ask = options.batchSize ?? 256;
      for (;;) {
        const size = await treeSize(signal);
        const end = options.end === undefined ? size : Math.min(options.end, size);
        while (next < end) {
          const want = Math.min(ask, end - next);
          const got = (
            await getJson(
              `${base}get-entries?start=${next}&end=${next + want - 1}`,
              entriesSchema,
              signal,
              retry,
            )
          ).entries;
          if (got.length === 0) {
            // A log must return at least one entry below its tree size; treat silence as a failure.
            throw new PrecursorError(
              'SOURCE_FAILED',
              `${log.name}: get-entries from ${next} returned no entries below tree size ${size}`,
            );
          }
          if (got.length < want) ask = got.length; // the log's own batch limit
          const n = Math.min(got.length, want);
          for (let i = 0; i < n; i++) {
            const index: number = next;
            const e = got[i];
            const ok = entrySchema.safeParse(e);
            yield {
              position: `index ${index}`,
              raw: ok.success
                ? `${ok.data.leaf_input} ${ok.data.extra_data ?? ''}`
                : (JSON.stringify(e) ?? 'undefined'),
              cursor: String(index + 1),
              context: ok.success
                ? { index, ...ok.data }
                : { index, invalid: ok.error.issues[0]?.message ?? 'invalid' },
            } satisfies SourceRecord;
            next = index + 1;
            if (signal.aborted) return;
          }
        }
        if (!(await waitForNewEntries(options, next, signal))) return;
      }
    },
    parse(record) {
      return parseRfc6962Record(id, log.name, record);
    },
  };
}

type EntryContext =
  | { index: number; leaf_input: string; extra_data?: string }
  | { index: number; invalid: string };

export function parseRfc6962Record(source: string, log: string, record: SourceRecord): ParseResult {
  const c = record.context as EntryContext;
  if ('invalid' in c) return reject('SCHEMA_INVALID', `get-entries item: ${c.invalid}`, 'leaf_input');
  try {
    const entry = parseMerkleTreeLeaf(Buffer.from(c.leaf_input, 'base64'));
    let preCertificate: Uint8Array | undefined;
    if (entry.entryType === 'precert' && c.extra_data !== undefined && c.extra_data !== '') {
      try {
        preCertificate = parseExtraData(Buffer.from(c.extra_data, 'base64'), 'precert').preCertificate;
      } catch {
        // Without a readable pre_certificate the fingerprint falls back to the TBSCertificate's hash.
      }
    }
    return observeCtEntry({ source, log, index: c.index, entry, preCertificate });
  } catch (e) {
    if (e instanceof CtDecodeError)
      return reject('PARSE_ERROR', `malformed MerkleTreeLeaf: ${e.message}`, 'leaf_input');
    throw e;
  }
}
