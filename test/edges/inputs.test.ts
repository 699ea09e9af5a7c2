/**
 * Inputs as they come: a certstream feed with bad names or without fields Precursor does not use,
 * files replaced or rewritten under a checkpoint, a byte-order mark, bytes that are not UTF-8. Nothing
 * is skipped without a word.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EXIT } from '../../src/cli/exit-codes.js';
import { sqliteFactory } from '../support/stores.js';
import { cli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'precursor-inputs-'));
let n = 0;
const fresh = (name: string) => join(dir, `${++n}-${name}`);
const home = () => ({ PRECURSOR_HOME: mkdtempSync(join(dir, 'home-')) });

interface Summary {
  source: string;
  records: number;
  inserted: number;
  duplicates: number;
  rejected: number;
  skipped: number;
  resumedFrom?: string;
  checkpointReset?: string;
}
const summary = (out: string) => JSON.parse(out) as Summary;
const jsonLines = <T>(out: string) =>
  out
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);

/** A certstream `certificate_update` message with the fields Precursor reads. */
function message(index: number, names: string[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    message_type: 'certificate_update',
    data: {
      update_type: 'X509LogEntry',
      cert_index: index,
      seen: 1_767_225_600.5,
      source: { url: 'ct.example.net/logs/test2026/', name: 'test' },
      leaf_cert: { all_domains: names, subject: { aggregated: `/CN=${names[0]}` }, ...extra },
      chain: [],
    },
  });
}
const SHA = Array.from({ length: 32 }, (_, i) => (i + 16).toString(16)).join(':');

describe('certstream at the edges', () => {
  it('rejects each message with a bad name as a dead letter — a 10 MB name, invalid UTF-8, a NUL, "bad name!"', async () => {
    const env = home();
    const file = fresh('certstream.jsonl');
    const good = message(1, ['good-one.example.com', 'www.good-one.example.com']);
    const huge = message(2, ['x'.repeat(10 * 1024 * 1024)]);
    const nul = message(3, ['nul\u0000name.example.com']);
    const spaced = message(4, ['ok.example.com', 'bad name!']);
    const withSha = message(5, ['fine.example.org', 'bad name!'], { sha256: SHA });
    const badUtf8 = Buffer.concat([
      Buffer.from(message(6, ['placeholder.example.com']).replace('placeholder', 'bad\u00ff')),
    ]);
    // Replace the 2-byte UTF-8 of U+00FF by a lone 0xFF byte: not UTF-8.
    const i = badUtf8.indexOf(Buffer.from([0xc3, 0xbf]));
    const raw = Buffer.concat([badUtf8.subarray(0, i), Buffer.from([0xff]), badUtf8.subarray(i + 2)]);
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from(`${[good, huge, nul, spaced, withSha].join('\n')}\n`),
        raw,
        Buffer.from('\n'),
      ]),
    );
    const r = await cli(['ingest', 'certstream', file, '--no-detect', '--json'], env);
    assert.equal(r.code, EXIT.PARTIAL, r.err);
    const s = summary(r.out);
    assert.deepEqual([s.records, s.inserted, s.rejected], [6, 1, 5]);
    const dl = jsonLines<{ position: string; code: string; reason: string; path: string | null }>(
      (await cli(['dead-letters', '--json'], env)).out,
    );
    assert.deepEqual(
      dl.map((d) => [d.position, d.code]),
      [
        ['line 2', 'INVALID_VALUE'],
        ['line 3', 'INVALID_VALUE'],
        ['line 4', 'INVALID_VALUE'],
        ['line 5', 'INVALID_VALUE'],
        ['line 6', 'PARSE_ERROR'],
      ],
    );
    assert.match(dl[0]?.reason ?? '', /too long/);
    assert.equal(dl[2]?.path, 'data.leaf_cert.all_domains.1');
    assert.match(dl[4]?.reason ?? '', /not valid UTF-8/);
  });

  it('validates and canonicalises the names of a message that carries sha256', async () => {
    const t = await sqliteFactory.open();
    try {
      const file = fresh('sha.jsonl');
      writeFileSync(
        file,
        `${message(7, ['WWW.Good-Two.Example.COM', 'bücher.example', '*.wild.example'], { sha256: SHA })}\n`,
      );
      const r = await cli(['ingest', 'certstream', file, '--no-detect', '--json'], t.env);
      assert.equal(r.code, EXIT.OK, r.err);
      const [o] = await t.store.observations.after(0, 10);
      assert.deepEqual((o?.payload as { names: string[] } | undefined)?.names, [
        'www.good-two.example.com',
        'xn--bcher-kva.example',
        '*.wild.example',
      ]);
    } finally {
      await t.cleanup();
    }
  });

  it('accepts messages without leaf_cert.subject, a field it does not use', async () => {
    const env = home();
    const file = fresh('nosubject.jsonl');
    const strip = (m: string) => {
      const doc = JSON.parse(m);
      delete doc.data.leaf_cert.subject;
      return JSON.stringify(doc);
    };
    writeFileSync(
      file,
      `${strip(message(8, ['a-nosubject.example.com']))}\n${strip(message(9, ['b-nosubject.example.com'], { sha256: SHA }))}\n`,
    );
    const r = await cli(['ingest', 'certstream', file, '--no-detect', '--json'], env);
    assert.equal(r.code, EXIT.OK, r.err);
    assert.deepEqual([summary(r.out).inserted, summary(r.out).rejected], [2, 0]);
  });

  it('gives each file its own checkpoint: a different file does not resume where another stopped', async () => {
    const env = home();
    const a = fresh('a.jsonl');
    const b = fresh('b.jsonl');
    writeFileSync(a, `${[1, 2, 3].map((i) => message(100 + i, [`a${i}.example.com`])).join('\n')}\n`);
    writeFileSync(b, `${[1, 2, 3].map((i) => message(200 + i, [`b${i}.example.com`])).join('\n')}\n`);
    const ra = summary((await cli(['ingest', 'certstream', a, '--no-detect', '--json'], env)).out);
    const rb = summary((await cli(['ingest', 'certstream', b, '--no-detect', '--json'], env)).out);
    assert.equal(ra.source, `certstream:${a}`);
    assert.equal(rb.source, `certstream:${b}`);
    assert.deepEqual([rb.records, rb.inserted], [3, 3], 'the second file is read from its start');
  });
});

describe('checkpoints know which file they belong to', () => {
  it('a file replaced at the same path is read from the beginning, with a notice', async () => {
    const env = home();
    const file = fresh('feed.txt');
    writeFileSync(
      file,
      'one-a.example.com\ntwo-a.example.com\nthree-a.example.com\nfour-a.example.com\nfive-a.example.com\n',
    );
    assert.equal((await cli(['ingest', 'list', file, '--no-detect'], env)).code, EXIT.OK);
    // A new file renamed over the old one (another inode), longer: resuming at the old offset would
    // skip its first names and cut a line in half.
    const next = `${file}.new`;
    writeFileSync(
      next,
      'alpha-b.example.com\nbeta-b.example.com\ngamma-b.example.com\ndelta-b.example.com\nepsilon-b.example.com\nzeta-b.example.com\n',
    );
    renameSync(next, file);
    const r = await cli(['ingest', 'list', file, '--no-detect', '--json'], env);
    assert.equal(r.code, EXIT.OK, r.err);
    const s = summary(r.out);
    assert.deepEqual([s.records, s.inserted, s.rejected], [6, 6, 0]);
    assert.match(s.checkpointReset ?? '', /replaced/);
    assert.match(
      r.err,
      /^precursor: notice: list:.*feed\.txt: the file was replaced since the checkpoint .*reading it from the beginning/m,
    );
  });

  it('a file rewritten shorter in place is read again (not "0 records, exit 0")', async () => {
    const env = home();
    const file = fresh('shrunk.txt');
    writeFileSync(
      file,
      'one-c.example.com\ntwo-c.example.com\nthree-c.example.com\nfour-c.example.com\nfive-c.example.com\n',
    );
    await cli(['ingest', 'list', file, '--no-detect'], env);
    writeFileSync(file, 'new-c.example.com\nbad line!\n');
    const r = await cli(['ingest', 'list', file, '--no-detect', '--json'], env);
    const s = summary(r.out);
    assert.deepEqual([s.records, s.inserted, s.rejected], [2, 1, 1]);
    assert.equal(r.code, EXIT.PARTIAL);
    const dl = jsonLines<{ position: string }>((await cli(['dead-letters', '--json'], env)).out);
    assert.deepEqual(
      dl.map((d) => d.position),
      ['line 2'],
      'the line number of the new file, not "line 6"',
    );
  });

  it('a file rewritten in place with the same length is read again; an appended one resumes', async () => {
    const env = home();
    const file = fresh('same.txt');
    writeFileSync(file, 'aaaa-d.example.com\nbbbb-d.example.com\n');
    await cli(['ingest', 'list', file, '--no-detect'], env);
    writeFileSync(file, 'cccc-d.example.com\ndddd-d.example.com\n');
    const rewritten = summary((await cli(['ingest', 'list', file, '--no-detect', '--json'], env)).out);
    assert.deepEqual([rewritten.records, rewritten.inserted], [2, 2]);
    assert.match(rewritten.checkpointReset ?? '', /rewritten/);
    writeFileSync(file, 'cccc-d.example.com\ndddd-d.example.com\neeee-d.example.com\n');
    const appended = summary((await cli(['ingest', 'list', file, '--no-detect', '--json'], env)).out);
    assert.deepEqual([appended.records, appended.inserted], [1, 1]);
    assert.ok(appended.resumedFrom, 'the same file, grown: resumed');
    assert.equal(appended.checkpointReset, undefined);
    const again = summary(
      (await cli(['ingest', 'list', file, '--no-detect', '--json', '--from-start'], env)).out,
    );
    assert.deepEqual([again.records, again.duplicates], [3, 3], '--from-start reads it all again');
  });

  it('tenant event files are checked the same way', async () => {
    const env = home();
    const file = fresh('events.jsonl');
    const ev = (id: string) =>
      JSON.stringify({
        event_id: id,
        type: 'login',
        ts: '2026-03-01T10:00:00.000Z',
        provider: 'cloud-a',
        account_id: `acct-${id}`,
        ip: '192.0.2.10',
      });
    writeFileSync(file, `${ev('r1')}\n${ev('r2')}\n${ev('r3')}\n`);
    const first = summary(
      JSON.stringify(
        JSON.parse((await cli(['ingest', 'events', file, '--no-detect', '--json'], env)).out).files[0],
      ),
    );
    assert.equal(first.records, 3, JSON.stringify(first));
    writeFileSync(`${file}.new`, `${ev('r4')}\n`);
    renameSync(`${file}.new`, file);
    const r = await cli(['ingest', 'events', file, '--no-detect', '--json'], env);
    const s = JSON.parse(r.out).files[0] as Summary;
    assert.deepEqual([s.records, s.inserted], [1, 1]);
    assert.match(r.err, /precursor: notice: tenant:.*replaced/);
  });
});

describe('bytes as they come', () => {
  const BOM = '\ufeff';

  it('a UTF-8 byte-order mark does not cost the first record (lists, events, certstream)', async () => {
    const env = home();
    const list = fresh('bom.jsonl');
    writeFileSync(list, `${BOM}{"domain":"first-bom.example.com"}\n{"domain":"second-bom.example.com"}\n`);
    const l = summary((await cli(['ingest', 'list', list, '--no-detect', '--json'], env)).out);
    assert.deepEqual([l.inserted, l.rejected], [2, 0]);

    const text = fresh('bom.txt');
    writeFileSync(text, `${BOM}first-bom-text.example.com\n`);
    const tx = summary((await cli(['ingest', 'list', text, '--no-detect', '--json'], env)).out);
    assert.deepEqual([tx.inserted, tx.rejected], [1, 0]);

    const cs = fresh('bom-certstream.jsonl');
    writeFileSync(cs, `${BOM}${message(300, ['bom-cert.example.com'])}\n`);
    const c = summary((await cli(['ingest', 'certstream', cs, '--no-detect', '--json'], env)).out);
    assert.deepEqual([c.inserted, c.rejected], [1, 0]);

    const ev = fresh('bom-events.jsonl');
    writeFileSync(
      ev,
      `${BOM}${JSON.stringify({ event_id: 'bom1', type: 'login', ts: '2026-03-01T10:00:00.000Z', provider: 'cloud-a', account_id: 'acct-bom', ip: '192.0.2.11' })}\n`,
    );
    const e = JSON.parse((await cli(['ingest', 'events', ev, '--no-detect', '--json'], env)).out)
      .files[0] as Summary;
    assert.deepEqual([e.inserted, e.rejected], [1, 0]);

    const piped = await cli(['ingest', 'list', '-', '--no-detect', '--json'], env, {
      stdin: `${BOM}bom-stdin.example.com\n`,
    });
    assert.deepEqual([summary(piped.out).inserted, summary(piped.out).rejected], [1, 0]);
  });

  it('a line that is not UTF-8 is a PARSE_ERROR dead letter, not a name with U+FFFD in it', async () => {
    const env = home();
    const file = fresh('latin1.txt');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('ok-utf8.example.com\nm'),
        Buffer.from([0xfc]),
        Buffer.from('nchen.example.com\n'),
      ]),
    );
    const r = await cli(['ingest', 'list', file, '--no-detect', '--json'], env);
    assert.equal(r.code, EXIT.PARTIAL);
    const [d] = jsonLines<{ code: string; reason: string; position: string }>(
      (await cli(['dead-letters', '--json'], env)).out,
    );
    assert.deepEqual([d?.position, d?.code], ['line 2', 'PARSE_ERROR']);
    assert.match(d?.reason ?? '', /not valid UTF-8/);
  });
});
