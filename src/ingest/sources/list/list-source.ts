/**
 * Plain lists: one name or URL per line (text), a chosen column of a CSV, or a chosen field of JSON
 * lines. The simplest source, and the reference for the contract: every line either becomes
 * observations or a dead letter naming the line and the reason.
 * @module
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseCsvLine } from 'csv-parse/sync';
import type { Observation } from '../../../domain/index.js';
import { startLines } from '../../file-checkpoint.js';
import { LineRecord, readLineBatches, readLines } from '../../line-reader.js';
import { type ParseResult, ok, reject, type Source, type SourceRecord } from '../../source.js';
import { observeValue } from './observe-value.js';

export type ListFormat = 'text' | 'csv' | 'jsonl';

export interface ListSourceOptions {
  readonly path: string;
  readonly format?: ListFormat;
  /** CSV: header name or 0-based index of the column holding the name/URL (default 0). */
  readonly column?: string | number;
  /** JSONL: dotted path of the field (default `domain`; arrays yield one observation per item). */
  readonly field?: string;
  /** Defaults to `list:<absolute path>`. */
  readonly sourceId?: string;
  /** Event time of the list's records (default: the file's modification time). */
  readonly observedAt?: string;
  /** What `-` reads (default: the process's standard input). */
  readonly stdin?: NodeJS.ReadableStream;
}

export function createListSource(options: ListSourceOptions): Source {
  const format = options.format ?? inferFormat(options.path);
  const path = options.path === '-' ? '-' : resolve(options.path);
  const id = options.sourceId ?? `list:${path === '-' ? 'stdin' : path}`;
  const observedAt =
    options.observedAt ?? (path === '-' ? new Date().toISOString() : statSync(path).mtime.toISOString());
  let columnIndex: number | undefined = typeof options.column === 'number' ? options.column : undefined;
  const field = (options.field ?? 'domain').split('.');

  const values = (record: SourceRecord): { values: string[] } | { error: ParseResult } => {
    const text = record.raw;
    switch (format) {
      case 'text': {
        const v = text.trim();
        return { values: v === '' || v.startsWith('#') ? [] : [v] };
      }
      case 'csv': {
        if (text.trim() === '') return { values: [] };
        let cells: string[];
        try {
          cells = (parseCsvLine(text, { relax_column_count: true }) as string[][])[0] ?? [];
        } catch (e) {
          return { error: reject('PARSE_ERROR', `malformed CSV: ${(e as Error).message}`) };
        }
        const header = (record.context as { header?: boolean } | undefined)?.header === true;
        if (header) {
          columnIndex = cells.findIndex((c) => c.trim() === options.column);
          if (columnIndex < 0)
            return {
              error: reject('SCHEMA_INVALID', `CSV header has no column '${String(options.column)}'`),
            };
          return { values: [] };
        }
        const idx = columnIndex ?? 0;
        const cell = cells[idx];
        if (cell === undefined)
          return { error: reject('SCHEMA_INVALID', `row has no column ${idx}`, `[${idx}]`) };
        return { values: cell.trim() === '' ? [] : [cell.trim()] };
      }
      case 'jsonl': {
        if (text.trim() === '') return { values: [] };
        let doc: unknown;
        try {
          doc = JSON.parse(text);
        } catch (e) {
          return { error: reject('PARSE_ERROR', `malformed JSON: ${(e as Error).message}`) };
        }
        let cur: unknown = doc;
        for (const k of field)
          cur = cur !== null && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined;
        const list = Array.isArray(cur) ? cur : [cur];
        if (cur === undefined || list.some((v) => typeof v !== 'string')) {
          return {
            error: reject(
              'SCHEMA_INVALID',
              `field '${field.join('.')}' is missing or not a string (or array of strings)`,
              field.join('.'),
            ),
          };
        }
        return { values: list as string[] };
      }
    }
  };

  return {
    id,
    async *read(cursor, signal, hooks) {
      const { from, cursorPrefix } = startLines(path, cursor, hooks);
      const needHeader = format === 'csv' && typeof options.column === 'string';
      if (needHeader && from.line > 0 && columnIndex === undefined) {
        // Resumed past the header: read it once again to learn the column.
        for await (const h of readLines(path, { offset: 0, line: 0 })) {
          values({ position: 'line 1', raw: h.text, cursor: '', context: { header: true } });
          break;
        }
      }
      for await (const lines of readLineBatches(path, from, signal, options.stdin)) {
        const out: SourceRecord[] = new Array(lines.length);
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i] as (typeof lines)[number];
          out[i] = new LineRecord(
            line,
            needHeader && line.number === 1 ? { header: true } : undefined,
            cursorPrefix,
          );
        }
        yield out;
      }
    },
    parse(record) {
      const v = values(record);
      if ('error' in v) return v.error;
      const out: Observation[] = [];
      for (const value of v.values) {
        const r = observeValue(id, value, observedAt);
        if (!r.ok) return r;
        out.push(r.observation);
      }
      return ok(out);
    },
  };
}

function inferFormat(path: string): ListFormat {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return 'text';
}
