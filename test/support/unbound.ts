/**
 * A real recursive resolver (Debian's `unbound`) on loopback, loading a response policy zone and an
 * authoritative test zone as its only upstream data. Outside CI an absent binary skips the suite with
 * a reason; under CI=true (.ci/run installs unbound) its absence fails it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resolver } from 'node:dns/promises';

export const UNBOUND = process.env.PRECURSOR_TEST_UNBOUND ?? '/usr/sbin/unbound';

export function unboundSkip(): string | undefined {
  if (existsSync(UNBOUND)) return undefined;
  const reason = `${UNBOUND} is not installed`;
  if (process.env.CI === 'true')
    throw new Error(`${reason}; under CI=true the RPZ resolver test is mandatory`);
  return `${reason}; apt-get install unbound (or set PRECURSOR_TEST_UNBOUND) to run it`;
}

/** A port free for both UDP and TCP on 127.0.0.1. */
async function freePort(): Promise<number> {
  for (let i = 0; i < 20; i++) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
      s.on('error', reject);
    });
    const ok = await new Promise<boolean>((resolve) => {
      const u = createSocket('udp4');
      u.once('error', () => resolve(false));
      u.bind(port, '127.0.0.1', () => u.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free loopback port');
}

export interface RunningResolver {
  readonly port: number;
  /** A4 answers, or the DNS error code (ENOTFOUND for NXDOMAIN). */
  resolve4(name: string): Promise<string[] | string>;
  stop(): Promise<void>;
}

export async function startUnbound(opts: {
  rpzOrigin: string;
  rpzZone: string;
  authOrigin: string;
  authZone: string;
}): Promise<RunningResolver> {
  const dir = mkdtempSync(join(tmpdir(), 'precursor-unbound-'));
  const port = await freePort();
  writeFileSync(join(dir, 'rpz.zone'), opts.rpzZone);
  writeFileSync(join(dir, 'auth.zone'), opts.authZone);
  writeFileSync(
    join(dir, 'unbound.conf'),
    [
      'server:',
      '  interface: 127.0.0.1',
      `  port: ${port}`,
      '  do-daemonize: no',
      '  use-syslog: no',
      '  logfile: ""',
      '  chroot: ""',
      '  username: ""',
      `  directory: "${dir}"`,
      `  pidfile: "${join(dir, 'unbound.pid')}"`,
      '  module-config: "respip iterator"',
      '  access-control: 127.0.0.0/8 allow',
      '  do-ip6: no',
      '  num-threads: 1',
      'auth-zone:',
      `  name: "${opts.authOrigin}."`,
      `  zonefile: "${join(dir, 'auth.zone')}"`,
      '  for-downstream: no',
      '  for-upstream: yes',
      '  fallback-enabled: no',
      'rpz:',
      `  name: "${opts.rpzOrigin}."`,
      `  zonefile: "${join(dir, 'rpz.zone')}"`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(UNBOUND, ['-d', '-c', join(dir, 'unbound.conf')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr += String(d);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const resolver = new Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);
  const resolve4 = async (name: string) => {
    try {
      return await resolver.resolve4(name);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code ?? String(e);
    }
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  // Ready when the SOA of the authoritative zone answers (bounded: 10 s).
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`unbound exited: ${stderr}`);
    }
    try {
      await resolver.resolveSoa(`${opts.authOrigin}`);
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`unbound did not answer on port ${port}: ${stderr}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return { port, resolve4, stop };
}
