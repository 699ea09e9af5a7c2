/**
 * Checkpoints that know which file they belong to. A byte offset means nothing in another file: a
 * list replaced at the same path, rewritten in place or cut shorter would otherwise resume mid-line,
 * skip names, or end at once with nothing read. So a file cursor carries the file's identity — device
 * and inode, its size when the checkpoint was taken, and a hash of its first block — and a resume
 * checks it. When the file is not the one the checkpoint was taken on, reading starts over from the
 * beginning (re-reading is safe: dedupe keys make known records duplicates) and the reason is told to
 * the caller, who says so on stderr and in the summary.
 *
 * Cursor: `f1:<dev>:<ino>:<size>:<headLen>:<headSha>:<offset>:<line>`; standard input, which cannot be
 * re-read, uses `stdin:<offset>:<line>` and always starts at its beginning.
 * @module
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { decodeLineCursor, type LineCursor } from './line-reader.js';
import type { ReadHooks } from './source.js';

/** Bytes hashed at the head of a file: enough to tell a rewritten feed from an appended one. */
const HEAD_BYTES = 4096;

interface Identity {
  readonly dev: number;
  readonly ino: number;
  readonly size: number;
  readonly headLen: number;
  readonly headSha: string;
}

export interface LineStart {
  /** Where to read from. */
  readonly from: LineCursor;
  /** Put before `offset:line` in every cursor of this read (the file's identity now). */
  readonly cursorPrefix: string;
  /** Set when a checkpoint existed but does not apply to this file: why reading starts over. */
  readonly reset?: string;
}

const headSha = (fd: number, len: number): string => {
  const buf = Buffer.alloc(len);
  let got = 0;
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, got);
    if (n === 0) break;
    got += n;
  }
  return createHash('sha256').update(buf.subarray(0, got)).digest('hex').slice(0, 32);
};

const CURSOR = /^f1:(\d+):(\d+):(\d+):(\d+):([0-9a-f]{32}):(\d{1,15}:\d{1,15})$/;

/**
 * Where a line-oriented read of `path` (`-` for stdin) starts, given the stored cursor. Throws the
 * file system's error when the file cannot be opened (the caller reports it).
 */
export function lineStart(path: string, cursor: string | undefined): LineStart {
  if (path === '-') return { from: { offset: 0, line: 0 }, cursorPrefix: 'stdin:' };
  const fd = openSync(path, 'r');
  try {
    const st = fstatSync(fd);
    const now = { dev: st.dev, ino: st.ino, size: st.size };
    const fresh = (reset?: string): LineStart => {
      const headLen = Math.min(HEAD_BYTES, now.size);
      const prefix = `f1:${now.dev}:${now.ino}:${now.size}:${headLen}:${headSha(fd, headLen)}:`;
      return reset === undefined
        ? { from: { offset: 0, line: 0 }, cursorPrefix: prefix }
        : { from: { offset: 0, line: 0 }, cursorPrefix: prefix, reset };
    };
    if (cursor === undefined) return fresh();
    const m = CURSOR.exec(cursor);
    if (!m) {
      return fresh(
        /^\d+:\d+$/.test(cursor) || cursor.startsWith('stdin:')
          ? 'the checkpoint does not say which file it was taken on'
          : `the checkpoint '${cursor.slice(0, 80)}' is not a file position`,
      );
    }
    const then: Identity = {
      dev: Number(m[1]),
      ino: Number(m[2]),
      size: Number(m[3]),
      headLen: Number(m[4]),
      headSha: m[5] as string,
    };
    const at = decodeLineCursor(m[6]);
    if (then.dev !== now.dev || then.ino !== now.ino)
      return fresh(`the file was replaced since the checkpoint (inode ${then.ino} → ${now.ino})`);
    if (now.size < then.size || now.size < at.offset)
      return fresh(
        `the file is shorter than when the checkpoint was taken (${now.size} < ${Math.max(then.size, at.offset)} bytes)`,
      );
    if (headSha(fd, then.headLen) !== then.headSha)
      return fresh('the file was rewritten since the checkpoint (its first bytes changed)');
    // The same file, possibly grown: resume. The identity keeps the first block it was checked on.
    return {
      from: at,
      cursorPrefix: `f1:${now.dev}:${now.ino}:${now.size}:${then.headLen}:${then.headSha}:`,
    };
  } finally {
    closeSync(fd);
  }
}

/** `lineStart`, telling `hooks` when a stored cursor is not used (and why, for a changed file). */
export function startLines(
  path: string,
  cursor: string | undefined,
  hooks: ReadHooks | undefined,
): LineStart {
  const start = lineStart(path, cursor);
  if (cursor !== undefined && (start.reset !== undefined || path === '-'))
    hooks?.checkpointReset?.(start.reset);
  return start;
}
