/**
 * The one implementation of `Store`, over any Kysely dialect: migrations, the transaction boundary and
 * the aggregates (each in its own module), bound either to the store's pool or to one transaction.
 * Dialect differences come in through `DialectAdapter`; nothing here names SQLite or PostgreSQL.
 * @module
 */
import { type Kysely, Migrator, sql } from 'kysely';
import { PrecursorError } from '../../domain/index.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { migrationsFor } from '../migrations/index.js';
import type { Database } from '../schema.js';
import type { Aggregates, Store, StoreStats } from '../store.js';
import type { StoreContext } from './context.js';
import { KyselyActivity } from './kysely-activity.js';
import { KyselyAssessments } from './kysely-assessments.js';
import { KyselyAudit } from './kysely-audit.js';
import { KyselyCampaigns } from './kysely-campaigns.js';
import { KyselyCases } from './kysely-cases.js';
import { KyselyEntities } from './kysely-entities.js';
import { KyselyIntel } from './kysely-intel.js';
import { KyselyKeys } from './kysely-keys.js';
import { KyselyObservations } from './kysely-observations.js';
import { KyselyOutbox } from './kysely-outbox.js';
import { KyselyQueue } from './kysely-queue.js';
import { KyselyStages } from './kysely-stages.js';
import { num } from './rows.js';
import { Scope } from './scope.js';

/** The aggregates bound to `scope`; their `transaction` opens one, or joins the one `scope` is in. */
function bind(scope: Scope, ctx: StoreContext): Aggregates {
  const aggregates: Aggregates = {
    observations: new KyselyObservations(scope, ctx),
    entities: new KyselyEntities(scope, ctx),
    assessments: new KyselyAssessments(scope, ctx),
    stages: new KyselyStages(scope),
    queue: new KyselyQueue(scope, ctx),
    keys: new KyselyKeys(scope),
    audit: new KyselyAudit(scope, ctx),
    intel: new KyselyIntel(scope, ctx),
    campaigns: new KyselyCampaigns(scope),
    activity: new KyselyActivity(scope),
    cases: new KyselyCases(scope),
    outbox: new KyselyOutbox(scope, ctx),
    transaction: (fn) => scope.atomic((tx) => fn(tx === scope ? aggregates : bind(tx, ctx))),
  };
  return aggregates;
}

export class KyselyStore implements Store {
  readonly #db: Kysely<Database>;
  readonly #adapter: DialectAdapter;
  readonly #onClose: () => Promise<void>;
  readonly #schema: string | undefined;
  readonly #root: Aggregates;

  readonly observations: Aggregates['observations'];
  readonly entities: Aggregates['entities'];
  readonly assessments: Aggregates['assessments'];
  readonly stages: Aggregates['stages'];
  readonly queue: Aggregates['queue'];
  readonly keys: Aggregates['keys'];
  readonly audit: Aggregates['audit'];
  readonly intel: Aggregates['intel'];
  readonly campaigns: Aggregates['campaigns'];
  readonly activity: Aggregates['activity'];
  readonly cases: Aggregates['cases'];
  readonly outbox: Aggregates['outbox'];

  /**
   * `schema`: the PostgreSQL schema the store lives in, when not `public`. Kysely's migrator looks its
   * own tables up across every schema, so it must be told which one is ours.
   */
  constructor(
    db: Kysely<Database>,
    adapter: DialectAdapter,
    onClose: () => Promise<void> = async () => {},
    schema?: string,
  ) {
    this.#db = db;
    this.#adapter = adapter;
    this.#onClose = onClose;
    this.#schema = schema;
    const root = bind(new Scope(db), { adapter, sourceIds: new Map() });
    this.#root = root;
    this.observations = root.observations;
    this.entities = root.entities;
    this.assessments = root.assessments;
    this.stages = root.stages;
    this.queue = root.queue;
    this.keys = root.keys;
    this.audit = root.audit;
    this.intel = root.intel;
    this.campaigns = root.campaigns;
    this.activity = root.activity;
    this.cases = root.cases;
    this.outbox = root.outbox;
  }

  get capabilities() {
    return this.#adapter.capabilities;
  }

  /** For tests and migrations that need raw access (never stages). */
  get db(): Kysely<Database> {
    return this.#db;
  }

  transaction<T>(fn: (tx: Aggregates) => Promise<T>): Promise<T> {
    return this.#root.transaction(fn);
  }

  #migrator(): Migrator {
    return new Migrator({
      db: this.#db,
      ...(this.#schema ? { migrationTableSchema: this.#schema } : {}),
      provider: { getMigrations: async () => migrationsFor(this.#adapter.flavor) },
      // Migration names were reserved per stage (0007 correlation, 0008 review, 0009 sharing) and land
      // in any order; none depends on another's tables, so a store that already has a later one
      // applies an earlier newcomer instead of refusing to start.
      allowUnorderedMigrations: true,
    });
  }

  /** Names of the migrations this build has and the store has not applied (reads only). */
  async pendingMigrations(): Promise<string[]> {
    return (await this.#migrator().getMigrations()).filter((m) => !m.executedAt).map((m) => m.name);
  }

  /** Applies every migration, or moves up or down to the named one (`to`, for migration tests). */
  async migrate(options: { to?: string } = {}): Promise<string[]> {
    const migrator = this.#migrator();
    const run = () => (options.to ? migrator.migrateTo(options.to) : migrator.migrateToLatest());
    let { error, results } = await run();
    // Kysely's migrator introspects every schema of the database before it takes its lock; DDL that
    // another process runs in another schema at that moment makes the catalog query fail: a dropped
    // schema (3F000 invalid_schema_name), table (42P01) or column (42703, from pg_get_serial_sequence
    // over a column being dropped). Seen when two deployments (or test schemas) migrate at once. Only an
    // attempt that ran no migration is retried, and migrations are idempotent under Kysely's lock.
    const catalogRace = (e: unknown, r: typeof results) =>
      (r === undefined || r.length === 0) &&
      ['3F000', '42P01', '42703'].includes((e as { code?: string } | undefined)?.code ?? '');
    for (let attempt = 1; error && catalogRace(error, results) && attempt <= 3; attempt++) {
      await new Promise((r) => setTimeout(r, 100 * attempt));
      ({ error, results } = await run());
    }
    if (error) {
      throw new PrecursorError(
        'MIGRATION_FAILED',
        `migration failed: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async stats(): Promise<StoreStats> {
    const count = async (t: 'observations' | 'entities' | 'dead_letters' | 'links') => {
      const q = this.#db.selectFrom(t).select((eb) => eb.fn.countAll().as('n'));
      return num((await q.executeTakeFirstOrThrow()).n);
    };
    const flagged = await this.#db
      .selectFrom('assessments')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('flagged', '=', 1)
      .executeTakeFirstOrThrow();
    return {
      observations: await count('observations'),
      entities: await count('entities'),
      flagged: num(flagged.n),
      deadLetters: await count('dead_letters'),
      links: await count('links'),
    };
  }

  async close(): Promise<void> {
    await this.#db.destroy();
    await this.#onClose();
  }
}
