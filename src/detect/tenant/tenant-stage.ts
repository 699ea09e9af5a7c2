/**
 * The tenant stage: consumes `tenant-event` observations in sequence order (its own cursor), feeds the
 * windowed `TenantState`, and writes the changed accounts' signals and assessments with the cursor in
 * one transaction. The state is snapshotted to the store every `snapshotEvery` events; after a restart
 * the stage restores the snapshot and replays the observations between it and the cursor (signals are
 * replaced per detector, so re-writing them is harmless), which makes a crash cost a bounded replay.
 * @module
 */
import { repeatInTransactions } from '../commit-groups.js';
import type { PivotModel } from '../../correlate/pivots.js';
import {
  type Assessment,
  type EntityKey,
  normalisedTenantEvent,
  type Observation,
  type TenantEvent,
} from '../../domain/index.js';
import type { Aggregates, EntityUpsert, SignalReplacement } from '../../store/store.js';
import { assess, type LearnedScoring, learnedThresholds, strongestById } from '../score.js';
import { DEFAULT_TENANT_CONFIG, type TenantConfig } from './tenant-config.js';
import {
  type DomainScorer,
  TENANT_DETECTORS,
  TenantState,
  type TenantSnapshot,
  type TenantSnapshotV1,
  type TenantStateOptions,
} from './tenant-state.js';

/** Characters per persisted snapshot part (one `stage_state` row each). */
const SNAPSHOT_PART_CHARS = 1 << 20;
const PARTS_FORMAT = 'tenant-state-parts';

/** The stage's own `stage_state` row: which parts hold the snapshot. */
interface PartsHead {
  readonly format: typeof PARTS_FORMAT;
  readonly slot: 'a' | 'b';
  readonly id: string;
  readonly parts: number;
}

export interface TenantStageOptions {
  /** Stage name: cursor and state are stored under it (default `tenant`). */
  readonly stage?: string;
  /** Events per batch (default 5,000): the accounts they touch are re-assessed together. */
  readonly batchSize?: number;
  /**
   * Batches that follow within this many milliseconds of a transaction's start share it (default 0: a
   * commit per batch). Outputs do not depend on it, only how often the stage commits and how long other
   * users of the store's connection in this process wait (as the detect stage's `commitAfterMs`).
   */
  readonly commitAfterMs?: number;
  readonly config?: TenantConfig;
  /** The domain engine, for the lookalike-attached detector (optional). */
  readonly scoreDomain?: DomainScorer;
  /** The configured pivot model (identity attribute strengths; default its defaults). */
  readonly pivots?: PivotModel;
  /**
   * Reads a stored `tenant-event` payload back (undefined: no longer valid, skipped). Default: the
   * normalised events ingest stores (`normalisedTenantEvent`); the app passes ingest's decoder, which
   * also validates older or hand-written rows in full.
   */
  readonly decodeEvent?: (payload: unknown) => TenantEvent | undefined;
  /** Events between persisted snapshots of the state (default 250,000). */
  readonly snapshotEvery?: number;
  /**
   * The learned signal weights in force (`precursor tune --apply`), read once per run so that a
   * long-lived stage (the server's) picks up a newly applied weights file.
   */
  readonly learned?: () => Promise<LearnedScoring | undefined>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: TenantStageProgress) => void;
}

export interface TenantStageProgress {
  readonly events: number;
  /** Events the store held that no longer validate (skipped). */
  readonly invalid: number;
  readonly accountsUpdated: number;
  readonly flagged: number;
  readonly position: number;
}

type Store = Aggregates;

/**
 * Events the caller has just validated and stored, with the sequence number the store gave each
 * (`undefined` where the store already had it), in the order they were written.
 */
export interface FreshTenantEvents {
  readonly seqs: readonly (number | undefined)[];
  readonly events: readonly TenantEvent[];
  readonly dedupeKeys: readonly string[];
}

/** Collects events for a later `TenantStage.run` (see `collectFreshTenantEvents`). */
export interface FreshTenantEventsCollector {
  /** For `runIngest`'s `onCommitted` (with `wantSeqs`): a committed batch and its sequence numbers. */
  add(
    observations: readonly Observation[],
    stored: { readonly insertedSeqs?: readonly (number | undefined)[] },
  ): void;
  /** What was collected, for `run`. */
  readonly fresh: FreshTenantEvents;
}

/**
 * Collects the tenant events of committed ingest batches, for one `run` after the ingest: the stage
 * then takes them from memory instead of reading each back from the store and parsing it again. At
 * most `limit` events are held (memory stays bounded on a large file): the stage reads what it was
 * not handed from the store, as it does for any pending event missing from `fresh`.
 */
export function collectFreshTenantEvents(limit: number): FreshTenantEventsCollector {
  const seqs: number[] = [];
  const events: TenantEvent[] = [];
  const dedupeKeys: string[] = [];
  return {
    add(observations, { insertedSeqs }) {
      if (!insertedSeqs) return;
      for (let i = 0; i < observations.length && events.length < limit; i++) {
        const seq = insertedSeqs[i];
        const o = observations[i] as Observation;
        if (seq === undefined || o.kind !== 'tenant-event') continue;
        const event = normalisedTenantEvent(o.payload);
        if (!event) continue;
        seqs.push(seq);
        events.push(event);
        dedupeKeys.push(o.dedupeKey);
      }
    },
    fresh: { seqs, events, dedupeKeys },
  };
}

export class TenantStage {
  readonly #store: Store;
  readonly #options: TenantStageOptions;
  readonly #stage: string;
  readonly #decode: (payload: unknown) => TenantEvent | undefined;
  #state: TenantState | undefined;
  #position = 0;
  #sinceSnapshot = 0;
  /** The snapshot slot the stage's row names (the next snapshot goes to the other one). */
  #slot: 'a' | 'b' | undefined;
  #running: Promise<unknown> = Promise.resolve();
  #learned: LearnedScoring | undefined;

  constructor(store: Store, options: TenantStageOptions = {}) {
    this.#store = store;
    this.#options = options;
    this.#stage = options.stage ?? 'tenant';
    this.#decode = options.decodeEvent ?? normalisedTenantEvent;
  }

  /** The in-memory state (loaded on first use). */
  async state(): Promise<TenantState> {
    return this.#load();
  }

  /**
   * Processes every pending tenant event. Calls are serialised: concurrent callers wait their turn.
   * `fresh` are events the caller has just stored, with their sequence numbers: the stage still asks
   * the store which sequence numbers are pending (so order, gaps and other writers are respected, and
   * the cursor moves only with the writes), but takes those events from memory instead of reading and
   * parsing them back. Any pending event not in `fresh` is read from the store as usual. `upTo`: the
   * last sequence number the stage may take (a scale-out leader's detect frontier: events detect has
   * not materialised yet wait for the next run).
   */
  run(fresh?: FreshTenantEvents, upTo?: number): Promise<TenantStageProgress> {
    const next = this.#running.then(() => this.#run(fresh, upTo));
    this.#running = next.catch(() => {});
    return next;
  }

  /** Persists the state now (e.g. on shutdown); waits for a run in progress, and a run waits for it. */
  persist(): Promise<void> {
    const next = this.#running.then(async () => this.#persist(await this.#load(), this.#position));
    this.#running = next.catch(() => {});
    return next;
  }

  /**
   * Writes the state in parts of about 1 MiB (`TenantState.snapshotParts`), each a `stage_state` row
   * of its own (`<stage>/snapshot-<slot>/<n>`), then the stage's own row naming them. Two slots
   * alternate, so the parts the stage's row names are never overwritten while it names them: a crash
   * mid-way leaves the previous snapshot whole. Each part carries the snapshot's id, so a part from
   * another snapshot is never mixed in (the stage then replays from the start instead).
   */
  async #persist(state: TenantState, position: number, db: Store = this.#store): Promise<void> {
    const slot = this.#slot === 'a' ? 'b' : 'a';
    const id = `${position}.${Date.now().toString(36)}`;
    let parts = 0;
    for (const part of state.snapshotParts(SNAPSHOT_PART_CHARS)) {
      await db.stages.writeState(
        `${this.#stage}/snapshot-${slot}/${parts}`,
        position,
        `{"id":${JSON.stringify(id)},"part":${part}}`,
      );
      parts += 1;
    }
    const head: PartsHead = { format: PARTS_FORMAT, slot, id, parts };
    await db.stages.writeState(this.#stage, position, JSON.stringify(head));
    this.#slot = slot;
    this.#sinceSnapshot = 0;
  }

  /** The persisted state, or undefined (none, or unreadable: the stage then replays from the start). */
  async #restore(
    row: { position: number; state: string },
    opts: TenantStateOptions,
  ): Promise<TenantState | undefined> {
    const head = JSON.parse(row.state) as PartsHead | TenantSnapshot | TenantSnapshotV1;
    // A single-document snapshot (what stages wrote before parts, or a small state written by hand).
    if ('version' in head) return TenantState.restore(head, opts);
    if (head.format !== PARTS_FORMAT) return undefined;
    const restorer = TenantState.restorer(opts);
    for (let n = 0; n < head.parts; n++) {
      const part = await this.#store.stages.state(`${this.#stage}/snapshot-${head.slot}/${n}`);
      if (!part || part.position !== row.position) return undefined;
      const doc = JSON.parse(part.state) as { id: string; part: unknown };
      if (doc.id !== head.id) return undefined;
      restorer.add(doc.part);
    }
    this.#slot = head.slot;
    return restorer.done();
  }

  async #load(): Promise<TenantState> {
    if (this.#state) return this.#state;
    const opts = {
      config: this.#options.config ?? DEFAULT_TENANT_CONFIG,
      ...(this.#options.scoreDomain ? { scoreDomain: this.#options.scoreDomain } : {}),
      ...(this.#options.pivots ? { pivots: this.#options.pivots } : {}),
    };
    const row = await this.#store.stages.state(this.#stage);
    const restored = row ? await this.#restore(row, opts) : undefined;
    const state = restored ?? new TenantState(opts);
    const cursor = await this.#store.stages.cursor(this.#stage);
    // Catch up from the snapshot to the cursor: the signals of that stretch are already stored.
    let pos = restored && row ? row.position : 0;
    while (pos < cursor) {
      const batch = await this.#store.observations.after(pos, this.#options.batchSize ?? 5000, [
        'tenant-event',
      ]);
      const upto = batch.filter((o) => o.seq <= cursor);
      for (const o of upto) {
        const e = this.#decode(o.payload);
        if (e) state.apply(e, o.dedupeKey);
      }
      if (upto.length < batch.length || batch.length === 0) break;
      pos = (batch[batch.length - 1] as { seq: number }).seq;
    }
    state.drainDirty();
    this.#position = cursor;
    this.#state = state;
    return state;
  }

  async #pending(
    db: Store,
    batchSize: number,
    fresh: FreshTenantEvents | undefined,
  ): Promise<{ seq: number; observedAt: string; dedupeKey: string; event: TenantEvent | undefined }[]> {
    if (fresh && fresh.events.length > 0) {
      const seqs = await db.observations.seqsAfter(this.#position, batchSize, ['tenant-event']);
      const out = [];
      // Both lists ascend (the store numbers rows in the order they were written): one walk matches
      // them. Anything pending that the caller did not hand over sends the stage to the store.
      let j = 0;
      for (const seq of seqs) {
        while (j < fresh.seqs.length && ((fresh.seqs[j] ?? -1) as number) < seq) j += 1;
        if (fresh.seqs[j] !== seq) break;
        const event = fresh.events[j] as TenantEvent;
        out.push({ seq, observedAt: event.ts, dedupeKey: fresh.dedupeKeys[j] as string, event });
      }
      if (out.length === seqs.length) return out;
    }
    const batch = await db.observations.after(this.#position, batchSize, ['tenant-event']);
    return batch.map((o) => ({
      seq: o.seq,
      observedAt: o.observedAt,
      dedupeKey: o.dedupeKey,
      event: this.#decode(o.payload),
    }));
  }

  async #run(fresh?: FreshTenantEvents, upTo?: number): Promise<TenantStageProgress> {
    const state = await this.#load();
    this.#learned = await this.#options.learned?.();
    const totals = { events: 0, invalid: 0, accountsUpdated: 0, flagged: 0, position: this.#position };
    const batch = async (db: Store) =>
      !this.#options.signal?.aborted && this.#batch(db, state, totals, fresh, upTo);
    try {
      await repeatInTransactions(this.#store, this.#options.commitAfterMs ?? 0, batch);
    } catch (e) {
      // The windows took in events whose writes were rolled back: the next run starts again from
      // what the store holds.
      this.#state = undefined;
      throw e;
    }
    return totals;
  }

  /**
   * One batch of pending events, read and written with `db` (its writes in one transaction, or in the
   * one `db` is bound to); false when there was none or no other should follow.
   */
  async #batch(
    db: Store,
    state: TenantState,
    totals: { events: number; invalid: number; accountsUpdated: number; flagged: number; position: number },
    fresh: FreshTenantEvents | undefined,
    upTo: number | undefined,
  ): Promise<boolean> {
    const batchSize = this.#options.batchSize ?? 5000;
    const read = await this.#pending(db, batchSize, fresh);
    const batch = upTo === undefined ? read : read.filter((o) => o.seq <= upTo);
    if (batch.length === 0) return false;

    // Step 1 — feed the windows, in the order the store committed the events.
    for (const o of batch) {
      const e = o.event;
      if (e) state.apply(e, o.dedupeKey);
      else totals.invalid += 1;
    }
    const position = (batch[batch.length - 1] as { seq: number }).seq;
    const lastAt = (batch[batch.length - 1] as { observedAt: string }).observedAt;

    // Step 2 — the accounts whose signals changed: merge with what is stored and re-assess.
    const dirty = state.drainDirty();
    const { replacements, assessments, entities } = await this.#derive(db, state, dirty, lastAt);
    totals.flagged += assessments.filter((a) => a.flagged).length;

    // Step 3 — commit signals, assessments and the cursor together.
    await db.transaction(async (tx) => {
      await tx.entities.upsert(entities);
      await tx.assessments.replaceSignals(replacements);
      await tx.assessments.write(assessments);
      await tx.stages.setCursor(this.#stage, position);
    });
    this.#position = position;
    totals.events += batch.length;
    totals.accountsUpdated += dirty.length;
    totals.position = position;
    this.#sinceSnapshot += batch.length;
    if (this.#sinceSnapshot >= (this.#options.snapshotEvery ?? 250_000))
      await this.#persist(state, position, db);
    this.#options.onProgress?.({ ...totals });
    // A caller that hands its events over runs the stage after each write of its own, so after a
    // short slice (everything pending when it was read) it need not ask again: what another writer
    // commits meanwhile is that writer's run. Without a hand-over (a follow loop, `detect`), the
    // stage keeps asking until nothing is pending.
    return !((fresh && batch.length < batchSize) || batch.length < read.length);
  }

  async #derive(
    db: Store,
    state: TenantState,
    dirty: readonly EntityKey[],
    fallbackAt: string,
  ): Promise<{ replacements: SignalReplacement[]; assessments: Assessment[]; entities: EntityUpsert[] }> {
    const replacements: SignalReplacement[] = [];
    const assessments: Assessment[] = [];
    const entities: EntityUpsert[] = [];
    if (dirty.length === 0) return { replacements, assessments, entities };
    const stored = await db.assessments.signalsOf(dirty);
    const tenantIds = new Set<string>(TENANT_DETECTORS);
    for (const key of dirty) {
      const previous = stored.get(key) ?? [];
      const before = previous.filter((s) => tenantIds.has(s.detector));
      // Signals are sticky: what the store had (e.g. before this account left the window) stays.
      const mine = strongestById([...before, ...state.signalsOf(key)]);
      const others = previous.filter((s) => !tenantIds.has(s.detector));
      const at = state.lastSeen(key) ?? fallbackAt;
      const provider = key.slice('account:'.length, key.indexOf('/'));
      const thresholds = learnedThresholds(state.rules.for(provider).thresholds, this.#learned);
      // `mine` keeps every stored tenant signal (the stored object itself unless a stronger one
      // replaced it; ties keep the stored one), so nothing ever needs deleting: writing only the new
      // or stronger signals (no detectors to clear) leaves the same rows as replacing them all, in
      // one statement per changed signal instead of a delete and a write per signal.
      const kept = new Set(before);
      const changed = mine.filter((s) => !kept.has(s));
      replacements.push({ entity: key, detectors: [], signals: changed, observedAt: at });
      assessments.push(assess(key, [...others, ...mine], at, thresholds, this.#learned?.weights));
      entities.push({
        key,
        type: 'account',
        display: key.slice('account:'.length),
        seenAt: at,
        attrs: { provider },
      });
    }
    return { replacements, assessments, entities };
  }
}

export function createTenantStage(store: Store, options: TenantStageOptions = {}): TenantStage {
  return new TenantStage(store, options);
}
