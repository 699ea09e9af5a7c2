import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { decodeLineCursor, readLines } from './line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'precursor-lines-'));
const collect = async (path: string, offset = 0, line = 0) => {
  const out = [];
  for await (const l of readLines(path, { offset, line })) out.push(l);
  return out;
};

describe('readLines', () => {
  it('reports byte offsets that resume exactly, across CRLF, multi-byte text and a missing final newline', async () => {
    const p = join(dir, 'a.txt');
    writeFileSync(p, 'exämple.com\r\n\nżółw.pl\nlast');
    const all = await collect(p);
    assert.deepEqual(
      all.map((l) => l.text),
      ['exämple.com', '', 'żółw.pl', 'last'],
    );
    assert.deepEqual(
      all.map((l) => l.number),
      [1, 2, 3, 4],
    );
    const resumed = await collect(p, all[1]!.end, all[1]!.number);
    assert.deepEqual(
      resumed.map((l) => [l.number, l.text]),
      [
        [3, 'żółw.pl'],
        [4, 'last'],
      ],
    );
  });
  it('handles lines longer than a read chunk and characters split between chunks', async () => {
    const p = join(dir, 'b.txt');
    const long = 'ż'.repeat(700_000);
    writeFileSync(p, `${long}\nx\n`);
    const all = await collect(p);
    assert.equal(all[0]?.text, long);
    assert.equal(all[1]?.text, 'x');
  });
  it('reports true byte offsets for lines that span read chunks, so any of them resumes exactly', async () => {
    const p = join(dir, 'c.txt');
    // ~3 MiB of lines of varied length with multi-byte text: many lines straddle the 1 MiB chunks.
    const lines = Array.from(
      { length: 60_000 },
      (_, i) => `${'ż'.repeat(i % 7)}line-${i}-${'x'.repeat(i % 41)}`,
    );
    writeFileSync(p, `${lines.join('\n')}\n`);
    const all = await collect(p);
    let offset = 0;
    for (const [i, l] of all.entries()) {
      offset += Buffer.byteLength(lines[i] as string) + 1;
      assert.equal(l.end, offset, `line ${i + 1}`);
    }
    for (const k of [17_000, 23_456, 47_999]) {
      const resumed = await collect(p, all[k - 1]!.end, k);
      assert.equal(resumed[0]?.text, lines[k]);
      assert.equal(resumed[0]?.number, k + 1);
      assert.equal(resumed.length, lines.length - k);
    }
  });
  it('rejects a corrupt cursor instead of guessing', () => {
    assert.throws(() => decodeLineCursor('-1:0'), /invalid line cursor/);
    assert.deepEqual(decodeLineCursor(undefined), { offset: 0, line: 0 });
  });
});
