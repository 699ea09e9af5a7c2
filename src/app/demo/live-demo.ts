/**
 * The live demo's engine: a replay clock over a generated world, its traffic fed into the real
 * pipeline tick by tick (certstream, tenant events and transactions through the ingest runner; the
 * tenant stage; detect; a crawl of flagged names against the scenario web server; then whatever later
 * stages the app runs), and a scorecard against the world's truth, which the pipeline never sees.
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WORLD_FILES } from '../../simulate/world/write-world.js';
import { SsrfGuard } from '../../ingest/crawl/ssrf-guard.js';
import type { TenantStage } from '../../detect/tenant/tenant-stage.js';
import type { WorldTruth } from '../../simulate/world/truth.js';
import { type CrawlWorker, createCrawlWorker } from '../crawl-worker.js';
import type { AppContext } from '../open-app.js';
import { tenantStageFor } from '../tenant-stage-for.js';
import { type ScoreCard, scoreCard } from './demo-summary.js';
import { readSites, type ScenarioServer, startScenarioServer } from './scenario-server.js';
import { arrivedBy, cursorLine, type ReplayFeed, replaySource, worldFeeds } from './world-replay.js';

const HOUR = 3_600_000;

/** A stage that runs after detect on every tick (correlation, policy …), when the app has it. */
export interface DemoStage {
  readonly name: string;
  run(): Promise<unknown>;
}

export interface LiveDemoOptions {
  readonly app: AppContext;
  readonly worldDir: string;
  readonly pagesDir: string;
  readonly truth: WorldTruth;
  /** Simulated seconds per wall-clock second; `Infinity` replays as fast as the pipeline goes. */
  readonly speed: number;
  /** Wall time between ticks (default 500 ms). */
  readonly tickMs?: number;
  /** Most simulated time one tick covers (default 1 h): a slow tick falls behind rather than lumps. */
  readonly maxStepMs?: number;
  readonly stages?: readonly DemoStage[];
  /** Narrative: one line per notable moment. */
  readonly say?: (line: string) => void;
}

export interface FeedProgress {
  readonly id: string;
  readonly label: string;
  readonly replayed: number;
  readonly total: number;
}

export interface DemoStatus {
  readonly state: 'replaying' | 'finished';
  readonly seed: string;
  /** Simulated seconds per wall second (null: as fast as possible). */
  readonly speed: number | null;
  readonly world: { readonly start: string; readonly end: string; readonly days: number };
  readonly simulatedTime: string;
  readonly startedAt: string;
  readonly elapsedSeconds: number;
  readonly resumedFrom: string | null;
  /** The headline figures, flat (the same as in `score`), for displays that show scalars. */
  readonly operatorInfrastructure: number;
  readonly flaggedBeforeGoLive: number;
  readonly leadHours: number | null;
  readonly falseFlaggedNames: number;
  readonly falseFlaggedAccounts: number;
  readonly campaigns: number;
  readonly casesOpened: number;
  readonly openCases: number;
  readonly feeds: readonly FeedProgress[];
  readonly crawl: { readonly pages: number; readonly live: number; readonly retried: number };
  readonly scenario: { readonly origin: string; readonly served: Readonly<Record<string, number>> };
  readonly score: ScoreCard;
  readonly stages: Readonly<Record<string, { runs: number; lastError: string | null }>>;
}

export class LiveDemo {
  readonly tenant: TenantStage;
  readonly #o: LiveDemoOptions;
  readonly #feeds: ReplayFeed[];
  readonly #scenario: ScenarioServer;
  readonly #crawl: CrawlWorker;
  readonly #end: number;
  readonly #resumedFrom: number | null;
  readonly #startedAt = Date.now();
  readonly #replayed = new Map<string, number>();
  readonly #stages = new Map<string, { runs: number; lastError: string | null }>();
  #sim: number;
  /** Where the running replay started, wall and simulated, for its actual pace. */
  #runFrom: { wall: number; sim: number } | undefined;
  #finished = false;
  #crawlTotals = { pages: 0, live: 0, retried: 0 };
  #card: { at: number; card: Promise<ScoreCard> } | undefined;
  #announced = new Set<string>();

  private constructor(
    o: LiveDemoOptions,
    feeds: ReplayFeed[],
    scenario: ScenarioServer,
    sim: number,
    resumed: number | null,
    replayed: Map<string, number>,
    tenant: TenantStage,
  ) {
    this.#o = o;
    this.#feeds = feeds;
    this.#scenario = scenario;
    this.#end = Date.parse(o.truth.end);
    this.#sim = sim;
    this.#resumedFrom = resumed;
    this.#replayed = replayed;
    this.tenant = tenant;
    for (const s of o.stages ?? []) this.#stages.set(s.name, { runs: 0, lastError: null });
    this.#crawl = createCrawlWorker(o.app, {
      // The one door through the SSRF guard: the scenario server's loopback port, for the world's names.
      guard: new SsrfGuard({ scenario: scenario.network() }),
      concurrency: 4,
      now: () => new Date(this.#sim).toISOString(),
      // Re-crawl a name without a page after 2, 4, 8 … simulated hours (at most a day), in wall time.
      retryInMs: (attempts) => Math.min(24 * HOUR, 2 * HOUR * 2 ** attempts) / this.#pace(),
      maxAttempts: 10,
    });
  }

  /** Opens the scenario server and finds where a previous run of this data directory stopped. */
  static async open(o: LiveDemoOptions): Promise<LiveDemo> {
    const feeds = worldFeeds(o.worldDir);
    const store = o.app.pipeline.store;
    const start = Date.parse(o.truth.start);
    let resumed = start;
    const replayed = new Map<string, number>();
    for (const f of feeds) {
      const line = cursorLine(await store.observations.checkpoint(f.id));
      replayed.set(f.id, line + 1);
      if (line >= 0) resumed = Math.max(resumed, f.times[line] as number);
    }
    const deployed = new Map<string, number>();
    for (const op of o.truth.operators)
      for (const k of op.kitPages) deployed.set(k.host.toLowerCase(), Date.parse(k.deployedAt));
    // The scenario server answers in simulated time: the demo's clock once it exists.
    let clock = (): number => resumed;
    const scenario = await startScenarioServer({
      sites: readSites(o.pagesDir, deployed),
      hosts: new Set(readFileSync(join(o.worldDir, WORLD_FILES.names), 'utf8').split('\n').filter(Boolean)),
      now: () => clock(),
    });
    const demo = new LiveDemo(
      o,
      feeds,
      scenario,
      resumed,
      resumed > start ? resumed : null,
      replayed,
      tenantStageFor(store, o.app.config),
    );
    clock = () => demo.now();
    return demo;
  }

  /**
   * Simulated ms per wall ms the replay actually achieves (at full speed: what the pipeline manages),
   * so that back-offs in simulated time become the right wall-clock waits for the work queue.
   */
  #pace(): number {
    const from = this.#runFrom;
    const elapsed = from ? Date.now() - from.wall : 0;
    if (from && elapsed > 1000 && this.#sim > from.sim) return (this.#sim - from.sim) / elapsed;
    return Number.isFinite(this.#o.speed) ? this.#o.speed : 10_000;
  }

  /** The replay clock (epoch ms, simulated). */
  now(): number {
    return this.#sim;
  }

  /**
   * How fast the replay clock runs now, in simulated seconds per wall second: the pace achieved while
   * replaying, 0 before the replay starts and once the week is replayed (the clock then stands still).
   */
  rate(): number {
    if (this.#finished || !this.#runFrom) return 0;
    return this.#pace();
  }

  get finished(): boolean {
    return this.#finished;
  }

  /** Ticks until the world is replayed (and then keeps crawling and running stages) or `signal` aborts. */
  async run(
    signal: AbortSignal,
    options: { untilFinished?: boolean; onFinished?: () => Promise<void> | void } = {},
  ): Promise<void> {
    const tickMs = this.#o.tickMs ?? 500;
    const maxStep = this.#o.maxStepMs ?? HOUR;
    const wall0 = Date.now();
    const sim0 = this.#sim;
    this.#runFrom = { wall: wall0, sim: sim0 };
    let lastStatus = Date.now();
    let reported = false;
    while (!signal.aborted) {
      const began = Date.now();
      const target = Number.isFinite(this.#o.speed)
        ? sim0 + (began - wall0) * this.#o.speed
        : Number.POSITIVE_INFINITY;
      this.#sim = Math.min(this.#end, Math.max(this.#sim, Math.min(target, this.#sim + maxStep)));
      await this.tick(signal);
      if (Date.now() - lastStatus >= 10_000) {
        lastStatus = Date.now();
        await this.#statusLine();
      }
      if (this.#finished && !reported) {
        reported = true;
        await options.onFinished?.();
      }
      if (this.#finished && options.untilFinished) return;
      const wait = Math.max(0, (this.#finished ? 2000 : tickMs) - (Date.now() - began));
      if (wait > 0 && Number.isFinite(this.#o.speed)) await sleep(wait, signal);
    }
  }

  /** One step: ingest what has arrived, run the stages, crawl what is queued. */
  async tick(signal?: AbortSignal): Promise<void> {
    const app = this.#o.app;
    const until = this.#sim;
    let fresh = 0;
    for (const f of this.#feeds) {
      const { ingest } = await app.pipeline.ingest(replaySource(f, until), {
        detect: false,
        ...(signal ? { signal } : {}),
      });
      fresh += ingest.records;
      this.#replayed.set(f.id, arrivedBy(f, until));
    }
    if (fresh > 0) await this.tenant.run();
    const crawled = await this.#crawl.drain(16);
    this.#crawlTotals = {
      pages: this.#crawlTotals.pages + crawled.claimed,
      live: this.#crawlTotals.live + crawled.live,
      retried: this.#crawlTotals.retried + crawled.retried,
    };
    if (fresh > 0 || crawled.claimed > 0) await app.pipeline.detect(signal ? { signal } : {});
    for (const s of this.#o.stages ?? []) {
      const st = this.#stages.get(s.name) ?? { runs: 0, lastError: null };
      try {
        await s.run();
        this.#stages.set(s.name, { runs: st.runs + 1, lastError: null });
      } catch (e) {
        // A failing later stage is reported, not fatal: the demo keeps replaying and says what broke.
        const msg = (e as Error).message;
        if (st.lastError !== msg) this.#o.say?.(`stage ${s.name} failed: ${msg}`);
        this.#stages.set(s.name, { runs: st.runs + 1, lastError: msg });
      }
    }
    const done = this.#feeds.every((f) => (this.#replayed.get(f.id) ?? 0) >= f.lines.length);
    if (done && until >= this.#end && !this.#finished) {
      this.#finished = true;
      await this.tenant.persist();
    }
    await this.#narrate();
  }

  /** Go-live moments and first flags, as the replay passes them. */
  async #narrate(): Promise<void> {
    const say = this.#o.say;
    if (!say) return;
    const card = await this.score();
    for (const op of card.operators) {
      if (op.firstFlaggedAt && !this.#announced.has(`flag:${op.id}`)) {
        this.#announced.add(`flag:${op.id}`);
        say(
          `${iso(this.#sim)}  first flag on ${op.id}'s infrastructure (at ${op.firstFlaggedAt.slice(0, 16)}Z)`,
        );
      }
      if (op.live && !this.#announced.has(`live:${op.id}`)) {
        this.#announced.add(`live:${op.id}`);
        say(
          `${iso(this.#sim)}  ${op.id} goes live (first lure): ${op.flaggedBeforeGoLive} of ${op.infrastructure.total} of its accounts and names already flagged${op.leadHours !== null ? `, ${op.leadHours} h ahead` : ''}`,
        );
      }
    }
    for (const b of card.campaigns.best) {
      if (b.campaign && !this.#announced.has(`campaign:${b.operator}`)) {
        this.#announced.add(`campaign:${b.operator}`);
        say(
          `${iso(this.#sim)}  campaign ${b.campaign} (${b.name}) now holds ${b.members} of ${b.operator}'s accounts and names`,
        );
      }
    }
    if (card.cases.opened > 0 && !this.#announced.has('case')) {
      this.#announced.add('case');
      say(`${iso(this.#sim)}  the policy opens the first case for a human (${card.cases.opened} so far)`);
    }
    if (this.#finished && !this.#announced.has('finished')) {
      this.#announced.add('finished');
      say(`${iso(this.#sim)}  replay finished`);
    }
  }

  async #statusLine(): Promise<void> {
    const card = await this.score();
    const feeds = this.#feeds
      .map((f) => `${f.label} ${this.#replayed.get(f.id) ?? 0}/${f.lines.length}`)
      .join(', ');
    this.#o.say?.(
      `${iso(this.#sim)}  ${feeds}; operator infrastructure flagged before go-live ${card.infrastructure.flaggedBeforeGoLive}/${card.infrastructure.total}; false flags ${card.falseFlags.names} names, ${card.falseFlags.accounts} accounts`,
    );
  }

  /** The scorecard, recomputed at most every `maxAgeMs` (default 1 s). */
  score(maxAgeMs = 1000): Promise<ScoreCard> {
    const now = Date.now();
    if (!this.#card || now - this.#card.at > maxAgeMs) {
      const card = scoreCard(this.#o.app.pipeline.store, this.#o.truth, this.#sim);
      card.catch(() => {
        this.#card = undefined;
      });
      this.#card = { at: now, card };
    }
    return this.#card.card;
  }

  async status(): Promise<DemoStatus> {
    const score = await this.score();
    return {
      state: this.#finished ? 'finished' : 'replaying',
      seed: this.#o.truth.seed,
      speed: Number.isFinite(this.#o.speed) ? this.#o.speed : null,
      world: { start: this.#o.truth.start, end: this.#o.truth.end, days: this.#o.truth.days },
      simulatedTime: iso(this.#sim),
      startedAt: new Date(this.#startedAt).toISOString(),
      elapsedSeconds: Math.round((Date.now() - this.#startedAt) / 100) / 10,
      resumedFrom: this.#resumedFrom === null ? null : iso(this.#resumedFrom),
      operatorInfrastructure: score.infrastructure.total,
      flaggedBeforeGoLive: score.infrastructure.flaggedBeforeGoLive,
      leadHours: score.leadHours,
      falseFlaggedNames: score.falseFlags.names,
      falseFlaggedAccounts: score.falseFlags.accounts,
      campaigns: score.campaigns.flagged,
      casesOpened: score.cases.opened,
      openCases: score.cases.open,
      feeds: this.#feeds.map((f) => ({
        id: f.id,
        label: f.label,
        replayed: this.#replayed.get(f.id) ?? 0,
        total: f.lines.length,
      })),
      crawl: this.#crawlTotals,
      scenario: { origin: this.#scenario.origin, served: { ...this.#scenario.served } },
      score,
      stages: Object.fromEntries(this.#stages),
    };
  }

  async close(): Promise<void> {
    await this.tenant.persist();
    await this.#scenario.close();
  }
}

const iso = (t: number) => new Date(t).toISOString();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
