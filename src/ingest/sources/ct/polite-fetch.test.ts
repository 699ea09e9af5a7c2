import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PrecursorError } from '../../../domain/index.js';
import { politeGetJson, readBodyCapped } from './polite-fetch.js';

/** A body streamed in `n` chunks of `size` bytes, with no Content-Length. */
function streamed(n: number, size: number): Response {
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent++ >= n) return c.close();
      c.enqueue(new Uint8Array(size).fill(0x20));
    },
  });
  return new Response(body);
}

describe('response bodies are read up to a bound', () => {
  it('reads a body within the bound whole, across chunks', async () => {
    const bytes = await readBodyCapped(streamed(4, 1000), 'http://127.0.0.1/x', 4000);
    assert.equal(bytes.byteLength, 4000);
  });

  it('refuses a body that streams past the bound, without a Content-Length', async () => {
    await assert.rejects(readBodyCapped(streamed(100, 1000), 'http://127.0.0.1/x', 4000), (e) => {
      assert.ok(e instanceof PrecursorError);
      assert.equal(e.code, 'SOURCE_FAILED');
      assert.match(e.message, /larger than 4000 bytes/);
      return true;
    });
  });

  it('refuses by a declared Content-Length before reading', async () => {
    const res = new Response('{}', { headers: { 'content-length': '999999' } });
    await assert.rejects(readBodyCapped(res, 'http://127.0.0.1/x', 10), /Content-Length 999999/);
  });

  it('an oversized JSON answer fails at once: the same URL would send it again', async () => {
    let calls = 0;
    const fetch = async (): Promise<Response> => {
      calls++;
      return new Response(JSON.stringify({ pad: 'x'.repeat(5000) }));
    };
    await assert.rejects(
      politeGetJson('http://127.0.0.1/rdap/ip/1.2.3.4', AbortSignal.timeout(5000), {
        fetch,
        maxBodyBytes: 1000,
        baseDelayMs: 1,
      }),
      /larger than 1000 bytes/,
    );
    assert.equal(calls, 1);
  });
});
