/**
 * A real Precursor server on 127.0.0.1 (an ephemeral port) over a fresh embedded store, seeded through
 * the public API the way a feed would: lookalike and honest names posted to /v1/ingest/names with an
 * ingest key, scored by the real detect stage.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from '../../src/app/open-app.js';
import { createApiKey } from '../../src/server/api-keys.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';

export const LOOKALIKES = [
  'micros0ft-365-login.xyz',
  'secure-paypa1-verify.top',
  'office365-docs-signin.click',
  'login-microsoftonline-auth.live',
  'wellsfargo-secure-alerts.info',
];
export const HONEST = ['example.org', 'weather-report.net', 'gardening-tips.org'];

export interface SeededServer {
  url: string;
  keys: { admin: string; analyst: string; reader: string; ingest: string };
  server: RunningServer;
  close(): Promise<void>;
}

export async function seededServer(): Promise<SeededServer> {
  const home = mkdtempSync(join(tmpdir(), 'precursor-browser-'));
  const app = await openApp({
    overrides: { home },
    env: { PRECURSOR_LOG_LEVEL: 'silent' },
  });
  const make = async (role: 'admin' | 'analyst' | 'reader' | 'ingest') =>
    (await createApiKey(app.pipeline.store.keys, role, `${role} (browser test)`)).key;
  const keys = {
    admin: await make('admin'),
    analyst: await make('analyst'),
    reader: await make('reader'),
    ingest: await make('ingest'),
  };
  const server = await startServer(app, { host: '127.0.0.1', port: 0 });
  const r = await fetch(`${server.url}/v1/ingest/names`, {
    method: 'POST',
    headers: { authorization: `Bearer ${keys.ingest}`, 'content-type': 'application/json' },
    body: JSON.stringify({ source: 'browser-test', values: [...LOOKALIKES, ...HONEST] }),
  });
  if (!r.ok) throw new Error(`seeding failed: ${r.status} ${await r.text()}`);
  return {
    url: server.url,
    keys,
    server,
    close: async () => {
      await server.close();
      await app.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}
