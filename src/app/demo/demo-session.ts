/**
 * One run of the live demo over its data directory: the world (generated once per seed), the embedded
 * store and evidence, and a marker file that says which seed the directory holds and whether its
 * replay finished. Re-running is safe: an interrupted replay resumes from the feeds' checkpoints, a
 * finished one (or another seed's directory, or `--fresh`) starts over; a directory that is not a
 * demo's is never wiped.
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PrecursorError } from '../../domain/index.js';
import { generateWorld, WORLD_FILES, writeWorld } from '../../simulate/index.js';
import type { WorldTruth } from '../../simulate/world/truth.js';
import { laterStages } from '../later-stages.js';
import { type AppContext, openApp } from '../open-app.js';
import { type DemoStage, type DemoStatus, LiveDemo } from './live-demo.js';

const MARKER = 'demo.json';

interface Marker {
  readonly version: 1;
  readonly seed: string;
  readonly finished: boolean;
}

export interface OpenDemoOptions {
  readonly seed: string;
  readonly speed: number;
  /** The command's global flags (`--config`, `--home`). */
  readonly global: { readonly config?: string | undefined; readonly home?: string | undefined };
  /** Data directory (default `<home>/demo`). */
  readonly data?: string;
  readonly fresh: boolean;
  readonly io: {
    readonly env: NodeJS.ProcessEnv;
    readonly cwd: string;
    readonly stderr: NodeJS.WritableStream;
  };
  readonly say: (line: string) => void;
  /** Stages run after detect on every tick (default: those of `demoStages`). */
  readonly stages?: (app: AppContext) => readonly DemoStage[];
}

export interface DemoRun {
  readonly app: AppContext;
  readonly demo: LiveDemo;
  readonly dataDir: string;
  status(): Promise<DemoStatus>;
  /** Marks the directory's replay finished and returns the final status. */
  finish(): Promise<DemoStatus>;
  close(): Promise<void>;
}

/**
 * Stages after detect that the demo runs each tick: the build's incremental stages every tick, its
 * periodic ones (full recluster, policy sweep, outbox) at most every 10 s of wall time.
 */
export function demoStages(app: AppContext): DemoStage[] {
  const stages = laterStages(app);
  const periodic = stages.periodic.map((st): DemoStage => {
    let last = 0;
    return {
      name: st.name,
      run: async () => {
        if (Date.now() - last < 10_000) return;
        last = Date.now();
        await st.run();
      },
    };
  });
  return [
    ...stages.afterDetect.map((st): DemoStage => ({ name: st.name, run: () => st.run() })),
    ...periodic,
  ];
}

function readMarker(dir: string): Marker | undefined {
  try {
    const m = JSON.parse(readFileSync(join(dir, MARKER), 'utf8')) as Marker;
    return m.version === 1 && typeof m.seed === 'string' ? m : undefined;
  } catch {
    return undefined;
  }
}

const writeMarker = (dir: string, m: Marker) => writeFileSync(join(dir, MARKER), `${JSON.stringify(m)}\n`);

/** What the demo writes into its directory, and nothing else is removed. */
function wipe(dir: string): void {
  for (const f of [MARKER, 'world', 'evidence', 'precursor.db', 'precursor.db-wal', 'precursor.db-shm'])
    rmSync(join(dir, f), { recursive: true, force: true });
}

/** Picks fresh or resumed, generates the world when needed; says which on `say`. */
function prepareDirectory(dir: string, seed: string, fresh: boolean, say: (s: string) => void): void {
  const marker = readMarker(dir);
  if (existsSync(dir) && !marker && readdirSync(dir).length > 0)
    throw new PrecursorError(
      'VALIDATION_FAILED',
      `${dir} is not empty and holds no demo (${MARKER}); give an empty or new directory with --data`,
    );
  if (marker) {
    const why = fresh
      ? 'starting over (--fresh)'
      : marker.seed !== seed
        ? `it held seed ${marker.seed}; starting over with seed ${seed}`
        : marker.finished
          ? 'its replay had finished; starting over'
          : undefined;
    if (why) {
      say(`demo data ${dir}: ${why}`);
      wipe(dir);
    } else say(`demo data ${dir}: resuming the interrupted replay of seed ${seed}`);
  }
  mkdirSync(dir, { recursive: true });
  const worldDir = join(dir, 'world');
  if (!existsSync(join(worldDir, WORLD_FILES.truth))) {
    writeWorld(generateWorld({ seed, scale: 'small' }), worldDir);
  }
  writeMarker(dir, { version: 1, seed, finished: false });
}

export async function openDemo(o: OpenDemoOptions): Promise<DemoRun> {
  const home = resolve(o.io.cwd, o.global.home ?? o.io.env.PRECURSOR_HOME ?? '.precursor');
  const dataDir = resolve(o.io.cwd, o.data ?? join(home, 'demo'));
  prepareDirectory(dataDir, o.seed, o.fresh, o.say);
  const worldDir = join(dataDir, 'world');
  const truth = JSON.parse(readFileSync(join(worldDir, WORLD_FILES.truth), 'utf8')) as WorldTruth;
  // The demo always runs on the embedded store in its own directory, never on a configured database.
  const env = { ...o.io.env };
  delete env.PRECURSOR_DATABASE_URL;
  const app = await openApp({
    configFile: o.global.config,
    env,
    cwd: o.io.cwd,
    overrides: { home: dataDir },
    logStream: o.io.stderr,
  });
  try {
    if (app.config.database.url)
      throw new PrecursorError(
        'CONFIG_INVALID',
        'the demo runs on its own embedded store; remove database.url from the configuration it is given',
      );
    o.say(
      `Precursor demo — seed ${o.seed}: ${truth.counts.certstreamMessages} certificates, ${truth.counts.tenantEvents} cloud-tenant events, ${truth.counts.transactions} transactions over ${truth.days} days; ${truth.operators.length} operators hidden among ${truth.counts.honestAccounts} honest accounts`,
    );
    // Build the detectors now: the first tick should not pay for it while the clock runs.
    await app.pipeline.registry();
    const demo = await LiveDemo.open({
      app,
      worldDir,
      pagesDir: join(worldDir, WORLD_FILES.pages),
      truth,
      speed: o.speed,
      stages: (o.stages ?? demoStages)(app),
      say: o.say,
    });
    return {
      app,
      demo,
      dataDir,
      status: () => demo.status(),
      async finish() {
        if (demo.finished) writeMarker(dataDir, { version: 1, seed: o.seed, finished: true });
        return demo.status();
      },
      async close() {
        await demo.close();
        await app.close();
      },
    };
  } catch (e) {
    await app.close();
    throw e;
  }
}
