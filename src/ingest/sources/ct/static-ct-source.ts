/**
 * A C2SP static-ct-api ("tiled", Sunlight-style) CT log as a `Source`: the tree size from
 * `<monitoring prefix>/checkpoint`, entries from data tiles `tile/data/<N>[.p/<W>]` of 256 leaves.
 * The cursor is the next index, exactly as for RFC 6962 logs, so both kinds checkpoint alike.
 * A tile that does not decode is unreadable past the bad leaf (no framing to resynchronise on): its
 * remaining indexes become dead letters, one per index, so nothing is skipped silently.
 * @module
 */
import { PrecursorError } from '../../../domain/index.js';
import { type ParseResult, reject, type Source, type SourceRecord } from '../../source.js';
import { observeCtEntry } from './ct-entry.js';
import { parseDataTile, type TileLeaf } from './ct-leaf.js';
import type { CtLogDescriptor } from './ct-log-list.js';
import { BadBodyError, DEFAULT_RETRY, politeGet, type RetryPolicy, readBodyCapped } from './polite-fetch.js';
import { type CtReadOptions, ctSourceId, decodeIndexCursor, waitForNewEntries } from './rfc6962-source.js';

export const TILE_WIDTH = 256;

/** static-ct-api tile index path: 1234067 → `x001/x234/067`. */
export function tileIndexPath(n: number): string {
  const s = String(n);
  const groups: string[] = [];
  for (let end = s.length; end > 0; end -= 3)
    groups.unshift(s.slice(Math.max(0, end - 3), end).padStart(3, '0'));
  return groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
}

/** The size line of a checkpoint (c2sp.org/tlog-checkpoint): origin, size, root hash, then signatures. */
export function parseCheckpoint(text: string): { origin: string; size: number; rootHash: string } {
  const lines = text.split('\n');
  const [origin, sizeLine, rootHash] = lines;
  if (origin === undefined || sizeLine === undefined || rootHash === undefined || !/^\d+$/.test(sizeLine)) {
    throw new BadBodyError('checkpoint does not have an origin, a decimal size and a root hash');
  }
  return { origin, size: Number(sizeLine), rootHash };
}

type TileContext = { index: number; leaf: TileLeaf } | { index: number; error: string };

export function createStaticCtSource(log: CtLogDescriptor, options: CtReadOptions = {}): Source {
  const id = ctSourceId(log);
  const retry: RetryPolicy = options.retry ?? {};
  const limit = retry.maxBodyBytes ?? DEFAULT_RETRY.maxBodyBytes;
  const treeSize = async (signal: AbortSignal): Promise<number> =>
    politeGet(
      `${log.url}checkpoint`,
      signal,
      retry,
      async (res) =>
        parseCheckpoint(new TextDecoder().decode(await readBodyCapped(res, `${log.url}checkpoint`, limit)))
          .size,
    );

  const fetchTile = async (tile: number, width: number, signal: AbortSignal): Promise<Uint8Array> => {
    const path = `${log.url}tile/data/${tileIndexPath(tile)}`;
    if (width === TILE_WIDTH)
      return politeGet(path, signal, retry, (r) => readBodyCapped(r, path, limit), {
        'accept-encoding': 'gzip, identity',
      });
    try {
      return await politeGet(`${path}.p/${width}`, signal, retry, (r) => readBodyCapped(r, path, limit), {
        'accept-encoding': 'gzip, identity',
      });
    } catch (e) {
      // Logs may drop a partial tile once the full one exists; the full tile has our entries too.
      if (e instanceof PrecursorError && e.details.status === 404) {
        return politeGet(path, signal, retry, (r) => readBodyCapped(r, path, limit), {
          'accept-encoding': 'gzip, identity',
        });
      }
      throw e;
    }
  };

  return {
    id,
    async *read(cursor, signal) {
      const start = options.start ?? 'now';
      let next: number = decodeIndexCursor(cursor) ?? (start === 'now' ? await treeSize(signal) : start);
      for (;;) {
        const size = await treeSize(signal);
        const end = options.end === undefined ? size : Math.min(options.end, size);
        while (next < end) {
          const tile = Math.floor(next / TILE_WIDTH);
          const width = Math.min(TILE_WIDTH, size - tile * TILE_WIDTH);
          const bytes = await fetchTile(tile, width, signal);
          const { leaves, error } = parseDataTile(bytes);
          if (error === undefined && leaves.length < width) {
            throw new PrecursorError(
              'SOURCE_FAILED',
              `${log.name}: data tile ${tile} has ${leaves.length} leaves, expected ${width}`,
            );
          }
          const stop = Math.min(end, tile * TILE_WIDTH + width);
          for (let index = next; index < stop; index++) {
            const leaf = leaves[index - tile * TILE_WIDTH];
            const context: TileContext = leaf
              ? { index, leaf }
              : { index, error: `data tile ${tile} does not decode: ${error}` };
            yield {
              position: `index ${index}`,
              raw: leaf ? Buffer.from(leaf.raw).toString('base64') : `tile ${tile}`,
              cursor: String(index + 1),
              context,
            } satisfies SourceRecord;
            next = index + 1;
            if (signal.aborted) return;
          }
        }
        if (!(await waitForNewEntries(options, next, signal))) return;
      }
    },
    parse(record): ParseResult {
      const c = record.context as TileContext;
      if ('error' in c) return reject('PARSE_ERROR', c.error);
      if (c.leaf.leafIndex !== undefined && c.leaf.leafIndex !== c.index) {
        return reject(
          'INVALID_VALUE',
          `leaf_index extension says ${c.leaf.leafIndex}, tile position says ${c.index}`,
          'extensions',
        );
      }
      return observeCtEntry({
        source: id,
        log: log.name,
        index: c.index,
        entry: c.leaf,
        preCertificate: c.leaf.preCertificate,
      });
    },
  };
}
