/**
 * The detect stage: consumes committed observations in sequence order, materialises the entities
 * and links they mention, runs the detectors on every touched entity and writes signals, assessments,
 * the links detectors derive (replacing what they derived before) and the stage cursor in one
 * transaction. It is replayable (cursor per stage) and idempotent (entity
 * and link upserts, signal replacement per detector), so a crash anywhere re-does at most one slice.
 * @module
 */
import { DEFAULT_PIVOTS, type PivotModel } from '../correlate/pivots.js';
import {
  type Assessment,
  type EntityKey,
  type Extraction,
  mergeAttrs,
  type EntityType,
  type Observation,
  type ObservationKind,
  parseEntityKey,
  type Signal,
} from '../domain/index.js';
import type {
  Aggregates,
  Enqueue,
  EntityUpsert,
  IngestBatchResult,
  LinkUpsert,
  SignalReplacement,
  StoredObservation,
} from '../store/store.js';
import type { DetectContext, DetectSubject } from './detector.js';
import { repeatInTransactions } from './commit-groups.js';
import type { DetectorRegistry, RegistryResult } from './registry.js';
import {
  entityRow,
  type PendingView,
  pendingLinksOf,
  pendingOf,
  pendingView,
  storedSignals,
} from './pending-view.js';
import { assess, DEFAULT_THRESHOLDS, type ScoreThresholds, type SignalWeights } from './score.js';

export interface DetectStageOptions {
  /**
   * What an observation says about the world (ingest's extractors, wired in by the app): the entities
   * it mentions and the links between them.
   */
  readonly extract: (o: Observation) => Extraction;
  /** Strengths of the links detectors derive (the configured pivot model; default its defaults). */
  readonly pivots?: PivotModel;
  readonly stage?: string;
  /** Observations per slice (default 5,000): what the detectors judge together. */
  readonly batchSize?: number;
  /**
   * Slices that follow within this many milliseconds of a transaction's start share it (default 0: a
   * commit per slice). Outputs do not depend on it, only how often the stage commits — and how long
   * anything else that uses the store's connection in this process waits (detectors run inside the
   * open transaction), so only a one-shot command sets it (`BULK_COMMIT_AFTER_MS`).
   */
  readonly commitAfterMs?: number;
  readonly thresholds?: ScoreThresholds;
  /** Learned signal weights (`precursor tune --apply`) that replace the detectors' own. */
  readonly weights?: SignalWeights;
  /** Per-detector configuration, by detector id. */
  readonly detectorConfig?: Readonly<Record<string, unknown>>;
  readonly signal?: AbortSignal;
  readonly onProgress?: (p: DetectProgress) => void;
  /** Work to queue for an assessment (e.g. crawl a flagged domain); queued in the same transaction. */
  readonly followUp?: (assessment: Assessment, subject: DetectSubject) => Enqueue | undefined;
  /**
   * Observation kinds whose entities and links are written only when the observation matters
   * (docs/model.md, "What the graph holds"): an entity it mentions (of a type some detector reads)
   * draws signals that score above 0 or a derived link, or is one `keep` asks for. Otherwise the
   * observation stays stored (a lookup re-derives from it) and nothing else is written for it. The decision is the
   * observation's alone, so it is the same however observations are sliced or partitioned. The kinds
   * deferred must bring no attribute a detector reads (a certificate's names are judged by the name
   * alone), so what the detectors say of a new name here is final. Default: none.
   */
  readonly deferKinds?: ReadonlySet<ObservationKind>;
  /** Keys to materialise though they draw no signal (e.g. names of a distinctive naming shape). */
  readonly keep?: (key: EntityKey) => boolean;
  /**
   * The keys `extract` gives for an observation, without extracting it (undefined: extract to know):
   * a deferred observation all of whose names were judged earlier in the slice — the certificate of a
   * precertificate, with the same names — is then decided without being extracted again.
   */
  readonly mentions?: (o: Observation) => readonly EntityKey[] | undefined;
  /**
   * True for the sequence number of an observation of a deferred kind already known to matter to
   * nothing, judged as this stage would judge it (app/certificate-prejudge.ts, in a worker thread
   * while it was ingested): it is left stored without being read back, extracted or its names scored.
   */
  readonly idle?: (seq: number) => boolean;
  /**
   * Observations the caller has just stored, in sequence order (`holdObservations` over an ingest): a
   * slice whose pending observations are exactly a run of these is taken from here instead of being
   * read back from the store and its payloads parsed again. Anything else pending is read as usual.
   */
  readonly fresh?: readonly StoredObservation[];
}

export interface DetectProgress {
  readonly observations: number;
  /** Distinct entities the slices wrote (those the observations mention and those detectors derived). */
  readonly entities: number;
  readonly flagged: number;
  readonly position: number;
  /**
   * With `deferKinds`: observations of those kinds that mattered to nothing, left stored without
   * entity, link or assessment rows.
   */
  readonly deferred?: number;
}

/** What one detector derived from one subject: it replaces what that detector derived before. */
interface DerivedLinks {
  readonly from: EntityKey;
  readonly provenance: string;
  readonly links: LinkUpsert[];
}

export async function runDetectStage(
  store: Aggregates,
  registry: DetectorRegistry,
  options: DetectStageOptions,
): Promise<DetectProgress> {
  const stage = options.stage ?? 'detect';
  const batchSize = options.batchSize ?? 5000;
  const totals = { observations: 0, entities: 0, flagged: 0, position: await store.stages.cursor(stage) };
  let deferred = 0;
  const report = (): DetectProgress => (options.deferKinds?.size ? { ...totals, deferred } : { ...totals });

  /** One slice read and judged with `db`, committed with it; false when nothing was pending. */
  const slice = async (db: Aggregates): Promise<boolean> => {
    if (options.signal?.aborted) return false;
    const { batch, last, skipped } = await pendingSlice(db, totals.position, batchSize, options);
    if (last === undefined) return false;
    const r = await detectSlice(db, registry, options, batch, (tx) => tx.stages.setCursor(stage, last));
    totals.observations += batch.length + skipped;
    totals.entities += r.entities;
    totals.flagged += r.flagged;
    deferred += r.deferred + skipped;
    totals.position = last;
    options.onProgress?.(report());
    return true;
  };
  // Slices that share a transaction write a row or index page that several of them touch to the
  // write-ahead log once per commit instead of once per slice: on a month of tenant events a commit per
  // slice logged ~1 GB of pages for a graph of ~120 MB.
  await repeatInTransactions(store, options.commitAfterMs ?? 0, slice);
  return report();
}

/**
 * The next slice: the observations after `seq`, at most `limit` — those known `idle` only counted
 * (`skipped`), not read — and the last sequence number it covers (undefined: nothing is pending).
 */
async function pendingSlice(
  store: Aggregates,
  seq: number,
  limit: number,
  options: Pick<DetectStageOptions, 'fresh' | 'idle'>,
): Promise<{ batch: readonly StoredObservation[]; last: number | undefined; skipped: number }> {
  const idle = options.idle;
  if (idle && !options.fresh) {
    const seqs = await store.observations.seqsAfter(seq, limit);
    const wanted = seqs.filter((s) => !idle(s));
    const batch = wanted.length > 0 ? await store.observations.bySeqs(wanted) : [];
    return { batch, last: seqs[seqs.length - 1], skipped: seqs.length - wanted.length };
  }
  const batch = await readSlice(store, seq, limit, options.fresh);
  return { batch, last: batch[batch.length - 1]?.seq, skipped: 0 };
}

/** The observations after `seq`, at most `limit`: from `fresh` when they are a run of it. */
async function readSlice(
  store: Aggregates,
  seq: number,
  limit: number,
  fresh: readonly StoredObservation[] | undefined,
): Promise<readonly StoredObservation[]> {
  const last = fresh?.[fresh.length - 1];
  if (fresh && last && seq < last.seq) {
    const seqs = await store.observations.seqsAfter(seq, limit);
    if (seqs.length === 0) return [];
    // The first held observation at or after the first pending one.
    let lo = 0;
    let hi = fresh.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((fresh[mid] as StoredObservation).seq < (seqs[0] as number)) lo = mid + 1;
      else hi = mid;
    }
    let run = lo + seqs.length <= fresh.length;
    for (let k = 0; run && k < seqs.length; k++) run = (fresh[lo + k] as StoredObservation).seq === seqs[k];
    if (run) return fresh.slice(lo, lo + seqs.length);
  }
  return store.observations.after(seq, limit);
}

/**
 * Holds the observations of committed ingest batches that the store reported new (`runIngest`'s
 * `onCommitted` with `wantSeqs`) as the store holds them, for the detect stage's `fresh`. At most
 * `limit` are held (memory stays bounded on a large input); the stage reads the rest.
 */
export function holdObservations(limit: number): {
  add(observations: readonly Observation[], stored: IngestBatchResult): void;
  readonly observations: readonly StoredObservation[];
} {
  const held: StoredObservation[] = [];
  return {
    add(observations, { insertedSeqs, ingestedAt }) {
      if (!insertedSeqs || ingestedAt === undefined) return;
      for (let i = 0; i < observations.length && held.length < limit; i++) {
        const seq = insertedSeqs[i];
        if (seq === undefined) continue;
        const o = observations[i] as Observation;
        held.push({
          seq,
          source: o.source,
          kind: o.kind,
          dedupeKey: o.dedupeKey,
          observedAt: o.observedAt,
          ingestedAt,
          payload: o.payload,
        } as StoredObservation);
      }
    },
    observations: held,
  };
}

/**
 * One slice of the detect stage: the observations' entities and links, the detectors' verdicts on
 * every touched entity, written in one transaction together with whatever `finish` writes (the
 * stage's cursor here; a scale-out worker's partition bookkeeping). The slice reads the stored state
 * of the entities it touches, so slices over disjoint keys may run side by side.
 */
export async function detectSlice(
  store: Aggregates,
  registry: DetectorRegistry,
  options: Omit<
    DetectStageOptions,
    'stage' | 'batchSize' | 'commitAfterMs' | 'signal' | 'onProgress' | 'fresh'
  >,
  batch: readonly Observation[],
  finish: (tx: Aggregates) => Promise<void>,
): Promise<{ readonly entities: number; readonly flagged: number; readonly deferred: number }> {
  const { extract } = options;
  const pivots = options.pivots ?? DEFAULT_PIVOTS;
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const config = options.detectorConfig ?? {};
  const deferKinds = options.deferKinds?.size ? options.deferKinds : undefined;
  const keep = options.keep ?? (() => false);
  const idle = options.idle;
  const prejudgedIdle = (o: Observation): boolean => {
    const seq = (o as Partial<StoredObservation>).seq;
    return idle !== undefined && seq !== undefined && idle(seq);
  };
  let flagged = 0;
  let deferred = 0;
  // What the detectors said of a name of a deferred observation, asked with what that observation
  // says of it alone: for a name that is new and mentioned only by deferred observations, the same
  // as they say in step 3, which reuses it.
  // `read`: the detectors read the neighbourhood (as the observation showed it) to say it.
  const analysed = new Map<EntityKey, { readonly result: RegistryResult; readonly read: boolean }>();
  // Whether each key judged so far matters (a signal, a derived link, or `keep`).
  const verdicts = new Map<EntityKey, boolean>();
  // Keys more than one observation of the slice mentions: what one of them showed is not all there is.
  const repeated = new Set<EntityKey>();
  /** Known not to matter without extracting `o`: every key some detector reads was judged, and none mattered. */
  const judgedIdle = (o: Observation): boolean => {
    const keys = options.mentions?.(o);
    if (!keys) return false;
    for (const k of keys) {
      const v = verdicts.get(k);
      if (v === false) continue;
      if (v === true || registry.for(k.slice(0, k.indexOf(':')) as EntityType).length > 0) return false;
    }
    return true;
  };
  const matters = async (o: Observation, x: Extraction): Promise<boolean> => {
    let view: PendingView | undefined;
    for (const e of x.entities) {
      const known = verdicts.get(e.key);
      if (known !== undefined || analysed.has(e.key)) repeated.add(e.key);
      if (known !== undefined) {
        if (known) return true;
        continue;
      }
      if (registry.for(e.type).length === 0) continue;
      let r = analysed.get(e.key)?.result;
      if (!r) {
        // What this observation shows (its certificate among a name's links), not what is stored: the
        // decision stays the observation's own, and costs no look-up per name. A stored name is
        // judged again with the stored graph in step 3 (it is not reused).
        view ??= pendingView(
          undefined,
          () => pendingOf(o, x),
          () => pendingLinksOf(o, x),
        );
        const shown = view;
        let read = false;
        const ctx: DetectContext = {
          now: o.observedAt,
          config: <T>(id: string) => config[id] as T | undefined,
          entity: (k) => {
            read = true;
            return shown.entity(k);
          },
          links: (k) => {
            read = true;
            return shown.links(k);
          },
          // What the observation alone shows: nothing stored.
          signals: storedSignals(undefined),
        };
        r = await registry.analyze(
          { key: e.key, type: e.type, display: e.display, attrs: { ...e.attrs } },
          ctx,
        );
        analysed.set(e.key, { result: r, read });
      }
      // A name matters when its signals give it a score: one whose signals only say it is honest (a
      // brand's own domain, a CDN alias, a popular name — a third of a CT feed's signalled names) is
      // no more use to a case or a campaign than a name with none. Unless a signal cites another
      // entity of this observation as its evidence (a certificate that shows the name is a brand's):
      // that evidence must be in the graph, and a verdict stored before must give way to it.
      const v =
        (r.signals.length > 0 &&
          assess(e.key, r.signals, o.observedAt, thresholds, options.weights).score > 0) ||
        [...r.links.values()].some((l) => l.length > 0) ||
        citesOther(r.signals, e.key, x) ||
        keep(e.key);
      verdicts.set(e.key, v);
      if (v) return true;
    }
    return false;
  };
  // Step 1 — extract: what the observations say, with the event time of each mention.
  const entities: EntityUpsert[] = [];
  const links: LinkUpsert[] = [];
  const seenAt = new Map<EntityKey, string>();
  // Keys mentioned by an observation of a kind not deferred: their subject may hold more. Only
  // subjects are asked (keys of a type some detector reads): a tenant event's e-mail, IP and device
  // keys are not kept (a Set of every key of a slice cost ~60 ms a month of tenant events).
  const other = new Set<EntityKey>();
  for (const o of batch) {
    if (deferKinds?.has(o.kind) && (prejudgedIdle(o) || judgedIdle(o))) {
      deferred += 1;
      continue;
    }
    const x = extract(o);
    if (deferKinds?.has(o.kind)) {
      if (!(await matters(o, x))) {
        deferred += 1;
        continue;
      }
    } else if (deferKinds) for (const e of x.entities) if (registry.for(e.type).length > 0) other.add(e.key);
    for (const e of x.entities) {
      entities.push(entityRow(o, e));
      const prev = seenAt.get(e.key);
      if (prev !== undefined) repeated.add(e.key);
      if (!prev || o.observedAt > prev) seenAt.set(e.key, o.observedAt);
    }
    pendingLinksOf(o, x, links);
  }

  // Step 2 — subjects: the stored entity merged with this slice's news, as detectors will see it.
  // Only entities of a type some detector reads are subjects: the others (e-mail addresses, IPs,
  // devices …) are written as upserts and never read back here.
  const wanted = new Set<EntityKey>();
  for (const e of entities) if (registry.for(e.type).length > 0) wanted.add(e.key);
  const keys = [...wanted];
  const stored = await store.entities.getMany(keys);
  // Keys with no entity row yet have no stored signals, links or assessment to read back.
  const fresh = new Set<EntityKey>();
  for (const k of keys) if (!stored.has(k)) fresh.add(k);
  const subjects = new Map<EntityKey, DetectSubject>();
  for (const e of entities) {
    if (registry.for(e.type).length === 0) continue;
    const prev = subjects.get(e.key) ?? stored.get(e.key);
    subjects.set(e.key, {
      key: e.key,
      type: e.type,
      display: e.display,
      attrs: mergeAttrs(prev?.attrs, e.attrs),
    });
  }

  // Step 3 — detect: every detector for the subject's type.
  const replacements: SignalReplacement[] = [];
  const newSignals = new Map<EntityKey, { detectors: Set<string>; signals: Signal[] }>();
  const derived: DerivedLinks[] = [];
  const targets = new Set<EntityKey>();
  // Detectors see the graph as this slice leaves it: its certificates among a name's links. A name
  // without an entity row has no stored links either.
  const view = pendingView(
    store,
    () => entities,
    () => links,
    (k) => fresh.has(k),
  );
  const signalsOf = storedSignals(store);
  for (const subject of subjects.values()) {
    const detectors = registry.for(subject.type);
    const now = seenAt.get(subject.key) as string;
    const ctx: DetectContext = {
      now,
      config: <T>(id: string) => config[id] as T | undefined,
      entity: view.entity,
      links: view.links,
      signals: signalsOf,
    };
    // What the detectors said when deciding whether an observation mattered, if it still holds: the
    // entity is new, only deferred observations mention it, and — when they read its neighbourhood —
    // only the one they were shown.
    const earlier = analysed.get(subject.key);
    const reuse =
      fresh.has(subject.key) &&
      !other.has(subject.key) &&
      earlier !== undefined &&
      (!earlier.read || !repeated.has(subject.key)) &&
      earlier.result;
    const { signals, links: byDetector } = reuse || (await registry.analyze(subject, ctx));
    const ids = detectors.map((d) => d.id);
    for (const [detector, list] of byDetector) {
      const provenance = `detector:${detector}`;
      const upserts: LinkUpsert[] = [];
      for (const l of list) {
        const target = parseEntityKey(l.to);
        const strength = pivots.strength(l.pivot);
        if (!target || target.value === '' || strength <= 0) continue;
        if (!seenAt.has(l.to) && !targets.has(l.to)) {
          targets.add(l.to);
          entities.push({ key: l.to, type: target.type, display: target.value, seenAt: now });
        }
        upserts.push({ from: subject.key, to: l.to, pivot: l.pivot, strength, seenAt: now, provenance });
      }
      derived.push({ from: subject.key, provenance, links: upserts });
    }
    replacements.push({ entity: subject.key, detectors: ids, signals, observedAt: now });
    newSignals.set(subject.key, { detectors: new Set(ids), signals });
  }

  // Step 4 — assess: this slice's signals plus what other detectors said before.
  const known: EntityKey[] = [];
  for (const k of newSignals.keys()) if (!fresh.has(k)) known.push(k);
  const previous = await store.assessments.signalsOf(known);
  const assessments: Assessment[] = [];
  const enqueue: Enqueue[] = [];
  for (const [key, fresh] of newSignals) {
    const kept = (previous.get(key) ?? []).filter((s) => !fresh.detectors.has(s.detector));
    const a = assess(
      key,
      [...kept, ...fresh.signals],
      seenAt.get(key) as string,
      thresholds,
      options.weights,
    );
    assessments.push(a);
    if (a.flagged) flagged += 1;
    const work = options.followUp?.(a, subjects.get(key) as DetectSubject);
    if (work) enqueue.push(work);
  }

  // Step 5 — commit: everything above and the caller's bookkeeping, atomically.
  const hints = { newEntities: fresh };
  await store.transaction(async (tx) => {
    await tx.queue.enqueue(enqueue);
    await tx.entities.upsert(entities);
    await tx.entities.upsertLinks(links, hints);
    for (const d of derived) await tx.entities.replaceLinks(d.from, d.provenance, d.links);
    await tx.assessments.replaceSignals(replacements, hints);
    await tx.assessments.write(assessments, hints);
    await finish(tx);
  });
  return { entities: seenAt.size + targets.size, flagged, deferred };
}

/** Whether a signal about `key` cites as evidence another entity `x` mentions. */
function citesOther(signals: readonly Signal[], key: EntityKey, x: Extraction): boolean {
  for (const s of signals)
    for (const ev of s.evidence) {
      if (ev.kind !== 'entity' || ev.key === key) continue;
      for (const e of x.entities) if (e.key === ev.key) return true;
    }
  return false;
}
