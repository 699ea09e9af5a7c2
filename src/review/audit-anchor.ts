/**
 * Audit anchors in a file outside the store: one JSON line `{"count","head","at"}` per anchor, appended
 * and flushed to disk. Whoever keeps the file (another host, write-once storage) can later prove the chain
 * was not cut or recomputed. The webhook form of the same anchor goes out through the outbox.
 * @module
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { PrecursorError } from '../domain/index.js';
import type { Anchor } from './audit-chain.js';

export function appendAnchor(path: string, anchor: Anchor): void {
  const fd = openSync(path, 'a');
  try {
    writeSync(fd, `${JSON.stringify({ count: anchor.count, head: anchor.head, at: anchor.at })}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Every anchor in the file (none when it does not exist yet); a damaged line is itself a broken audit. */
export function readAnchors(path: string): Anchor[] {
  if (!existsSync(path)) return [];
  const out: Anchor[] = [];
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      v = undefined;
    }
    const a = v as Partial<Anchor> | undefined;
    if (
      a === undefined ||
      typeof a.count !== 'number' ||
      !Number.isInteger(a.count) ||
      a.count < 0 ||
      typeof a.head !== 'string' ||
      !/^[0-9a-f]{64}$/.test(a.head)
    ) {
      throw new PrecursorError('AUDIT_BROKEN', `audit anchor file ${path}: line ${i + 1} is not an anchor`, {
        details: { file: path, line: i + 1 },
      });
    }
    out.push({ count: a.count, head: a.head, ...(typeof a.at === 'string' ? { at: a.at } : {}) });
  });
  return out;
}
