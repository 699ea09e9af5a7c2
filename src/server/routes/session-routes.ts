import type { Pipeline } from '../../app/pipeline.js';
import { SnapshotViews } from '../../app/snapshot-view.js';
import { PrecursorError } from '../../domain/index.js';
import { defineRoute } from '../route.js';
import { z } from 'zod';

/** Routes the dashboard needs beside the stages' own: who the key is, and page captures. */
export function sessionRoutes(p: Pipeline) {
  const snapshots = new SnapshotViews(p.config);
  const hash = z.object({ hash: z.string().regex(/^[0-9a-f]{64}$/, 'a SHA-256 hash in lower-case hex') });
  return [
    defineRoute({
      method: 'get',
      path: '/v1/me',
      role: 'any',
      tag: 'session',
      summary: "The presented key's id, label and role (the dashboard shows only what the role may do).",
      responses: { '200': '{id, label, role}' },
      handler(c, { key }) {
        if (!key) throw new PrecursorError('UNAUTHENTICATED', 'an API key is required');
        return c.json({ id: key.id, label: key.label, role: key.role });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/snapshots/:hash',
      role: 'reader',
      tag: 'evidence',
      summary: 'A page capture: URL, final URL, time, status, redirects, headers, request log, sizes.',
      params: hash,
      responses: { '200': 'the capture', '404': 'no such snapshot' },
      async handler(c, { params }) {
        return c.json(await snapshots.view(params.hash));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/snapshots/:hash/screenshot',
      role: 'reader',
      tag: 'evidence',
      summary: "A capture's screenshot (image/png).",
      params: hash,
      responses: { '200': 'image/png', '404': 'no such snapshot, or no screenshot' },
      async handler(c, { params }) {
        const png = await snapshots.screenshot(params.hash);
        return c.body(new Uint8Array(png), 200, {
          'content-type': 'image/png',
          'cache-control': 'private, max-age=86400',
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/snapshots/:hash/dom',
      role: 'reader',
      tag: 'evidence',
      summary: "A capture's DOM or response body, as text (never rendered: text/plain).",
      params: hash,
      responses: { '200': 'text/plain', '404': 'no such snapshot' },
      async handler(c, { params }) {
        return c.text(await snapshots.dom(params.hash), 200, { 'content-type': 'text/plain; charset=utf-8' });
      },
    }),
  ];
}
