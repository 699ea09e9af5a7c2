/**
 * Transaction exports (docs/transactions.md) as a checkpointed source: JSONL (one transaction object
 * per line) or CSV (header `chain,tx_hash,time,asset,from,to,fee`, parties as `address:amount|…`).
 * Each row becomes one `transaction` observation, or a dead letter naming the row and the field.
 * @module
 */
import { resolve } from 'node:path';
import { parse as parseCsvLine } from 'csv-parse/sync';
import type { Observation } from '../../../domain/index.js';
import { decodeLineCursor, LineRecord, readLineBatches, readLines } from '../../line-reader.js';
import { ok, type ParseResult, reject, type Source, type SourceRecord } from '../../source.js';
import {
  parsePartyList,
  type RawTransaction,
  transactionDedupeKey,
  validateTransaction,
} from './transaction-schema.js';

export type TransactionFormat = 'csv' | 'jsonl';

export const CSV_COLUMNS = ['chain', 'tx_hash', 'time', 'asset', 'from', 'to', 'fee'] as const;
/** Rows larger than this (in characters) are rejected as TOO_LARGE. */
export const MAX_ROW_CHARS = 1 << 20;

export interface TransactionSourceOptions {
  readonly path: string;
  /** Default: from the extension (`.csv` → csv, otherwise jsonl). */
  readonly format?: TransactionFormat;
  /** Defaults to `transactions:<absolute path>`. */
  readonly sourceId?: string;
}

export function createTransactionSource(options: TransactionSourceOptions): Source {
  const format = options.format ?? (/\.csv$/i.test(options.path) ? 'csv' : 'jsonl');
  const path = options.path === '-' ? '-' : resolve(options.path);
  const id = options.sourceId ?? `transactions:${path === '-' ? 'stdin' : path}`;
  let columns: Map<string, number> | undefined;

  const header = (text: string): ParseResult => {
    const cells = csvCells(text);
    if (typeof cells === 'string') return reject('PARSE_ERROR', cells);
    const names = cells.map((c) => c.trim().toLowerCase());
    const missing = CSV_COLUMNS.filter((c) => c !== 'fee' && !names.includes(c));
    if (missing.length > 0)
      return reject(
        'SCHEMA_INVALID',
        `CSV header lacks column(s) ${missing.join(', ')} (${CSV_COLUMNS.join(',')})`,
      );
    columns = new Map(names.map((n, i) => [n, i]));
    return ok([]);
  };

  const parseRow = (record: SourceRecord): ParseResult => {
    const text = record.raw;
    if (text.trim() === '') return ok([]);
    if (text.length > MAX_ROW_CHARS)
      return reject('TOO_LARGE', `row of ${text.length} characters exceeds ${MAX_ROW_CHARS}`);
    let raw: RawTransaction;
    if (format === 'jsonl') {
      try {
        raw = JSON.parse(text) as RawTransaction;
      } catch (e) {
        return reject('PARSE_ERROR', `malformed JSON: ${(e as Error).message}`);
      }
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
        return reject('SCHEMA_INVALID', 'a transaction must be a JSON object');
    } else {
      if ((record.context as { header?: boolean } | undefined)?.header) return header(text);
      if (!columns) return reject('SCHEMA_INVALID', 'CSV without a header line');
      const cells = csvCells(text);
      if (typeof cells === 'string') return reject('PARSE_ERROR', cells);
      const cell = (name: string) => {
        const i = columns?.get(name);
        return i === undefined ? undefined : cells[i];
      };
      const from = parsePartyList(cell('from') ?? '');
      if (typeof from === 'string') return reject('SCHEMA_INVALID', `from: ${from}`, 'from');
      const to = parsePartyList(cell('to') ?? '');
      if (typeof to === 'string') return reject('SCHEMA_INVALID', `to: ${to}`, 'to');
      raw = {
        chain: cell('chain'),
        tx_hash: cell('tx_hash'),
        time: cell('time'),
        asset: cell('asset'),
        from,
        to,
        fee: cell('fee'),
      };
    }
    const r = validateTransaction(raw);
    if (!r.ok) return { ok: false, rejection: r.rejection };
    const o: Observation<'transaction'> = {
      source: id,
      kind: 'transaction',
      observedAt: r.time,
      dedupeKey: transactionDedupeKey(r.payload),
      payload: r.payload,
    };
    return ok([o]);
  };

  return {
    id,
    async *read(cursor, signal) {
      const from = decodeLineCursor(cursor);
      if (format === 'csv' && from.line > 0 && !columns) {
        // Resumed past the header: read it once more to learn the columns.
        for await (const h of readLines(path, { offset: 0, line: 0 })) {
          header(h.text);
          break;
        }
      }
      for await (const lines of readLineBatches(path, from, signal)) {
        yield lines.map(
          (line) =>
            new LineRecord(line, format === 'csv' && line.number === 1 ? { header: true } : undefined),
        );
      }
    },
    parse: parseRow,
  };
}

function csvCells(text: string): string[] | string {
  try {
    return (parseCsvLine(text, { relax_column_count: true }) as string[][])[0] ?? [];
  } catch (e) {
    return `malformed CSV: ${(e as Error).message}`;
  }
}
