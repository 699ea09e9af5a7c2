/**
 * An entity the detect stage saw but did not materialise (`detect.materialise: signalled`, docs/model.md):
 * a name on a certificate none of whose names mattered, or that certificate. Its observations are
 * still stored, so a lookup re-derives it from them exactly as the detect stage would have written it
 * — first and last seen, display and attributes, the certificate links — and asks the detectors again
 * for its assessment. Nothing is written: a lookup never changes the store.
 * @module
 */
import type { DetectContext } from '../detect/detector.js';
import { entityRow, pendingLinksOf, pendingView, storedSignals } from '../detect/pending-view.js';
import { assess, learnedThresholds } from '../detect/score.js';
import {
  type Entity,
  type EntityKey,
  type Link,
  type ObservationKind,
  parseEntityKey,
} from '../domain/index.js';
import { learnedScoring } from '../review/weights-source.js';
import type { EntityUpsert, LinkUpsert } from '../store/entities.js';
import type { EntityDetail } from './entity-lookup.js';
import type { Pipeline } from './pipeline.js';
import { extractorFor } from './pivots-for.js';

/** The kinds the detect stage may leave unmaterialised (pipeline.ts `DEFERRED_KINDS`). */
const KINDS: readonly ObservationKind[] = ['certificate'];

/** More observations of one name than this are not re-derived (a name on every certificate). */
const MAX_OBSERVATIONS = 10_000;

/** The text the stored payload of an observation mentioning `key` contains. */
function needle(key: EntityKey): string | undefined {
  const k = parseEntityKey(key);
  if (!k) return undefined;
  if (k.type === 'domain') return k.value;
  if (k.type === 'cert' && k.value.startsWith('sha256:')) return k.value.slice('sha256:'.length);
  return undefined;
}

/** `key` as its stored observations say it is; undefined when none mentions it. */
export async function observedEntity(pipeline: Pipeline, key: EntityKey): Promise<EntityDetail | undefined> {
  const text = needle(key);
  if (text === undefined || text === '') return undefined;
  const observations = await pipeline.store.observations.mentioning(text, KINDS, MAX_OBSERVATIONS);
  const extract = extractorFor(pipeline.config);
  let entity: { -readonly [K in keyof Entity]: Entity[K] } | undefined;
  // What the stage would have written with it, for the detectors' view of its neighbourhood.
  const pendingEntities: EntityUpsert[] = [];
  const pendingLinks: LinkUpsert[] = [];
  const links = new Map<string, { -readonly [K in keyof Link]: Link[K] } & { sources: Set<string> }>();
  for (const o of observations) {
    const x = extract(o);
    const e = x.entities.find((m) => m.key === key);
    if (!e) continue; // the text appeared elsewhere in the payload (a longer name, an issuer)
    for (const m of x.entities) pendingEntities.push(entityRow(o, m));
    pendingLinksOf(o, x, pendingLinks);
    if (!entity)
      entity = {
        key,
        type: e.type,
        display: e.display,
        firstSeen: o.observedAt,
        lastSeen: o.observedAt,
        attrs: {},
      };
    if (o.observedAt < entity.firstSeen) entity.firstSeen = o.observedAt;
    if (o.observedAt > entity.lastSeen) entity.lastSeen = o.observedAt;
    entity.display = e.display;
    entity.attrs = { ...entity.attrs, ...e.attrs };
    for (const l of x.links) {
      if (l.strength <= 0 || (l.from !== key && l.to !== key)) continue;
      const id = `${l.from}\u0000${l.to}\u0000${l.pivot}`;
      const prev = links.get(id);
      if (!prev) {
        links.set(id, {
          ...l,
          firstSeen: o.observedAt,
          lastSeen: o.observedAt,
          provenance: [],
          sources: new Set([o.source]),
        });
        continue;
      }
      prev.strength = l.strength;
      if (o.observedAt < prev.firstSeen) prev.firstSeen = o.observedAt;
      if (o.observedAt > prev.lastSeen) prev.lastSeen = o.observedAt;
      prev.sources.add(o.source);
    }
  }
  if (!entity) return undefined;
  const registry = await pipeline.registry();
  const detectors = registry.for(entity.type);
  let assessment: EntityDetail['assessment'];
  if (detectors.length > 0) {
    const store = pipeline.store;
    const view = pendingView(
      store,
      () => pendingEntities,
      () => pendingLinks,
    );
    const ctx: DetectContext = {
      now: entity.lastSeen,
      config: <T>(id: string) => pipeline.config.detectors[id] as T | undefined,
      entity: view.entity,
      links: view.links,
      signals: storedSignals(store),
    };
    const subject = { key, type: entity.type, display: entity.display, attrs: entity.attrs };
    const { signals } = await registry.analyze(subject, ctx);
    const learned = await learnedScoring(store);
    assessment = assess(
      key,
      signals,
      entity.lastSeen,
      learnedThresholds(pipeline.config.scoring, learned),
      learned?.weights,
    );
  }
  // In the order the store lists an entity's links (pivot, from, to).
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const linkList: Link[] = [...links.values()]
    .map(({ sources, ...l }) => ({ ...l, provenance: [...sources].sort().slice(0, 50) }))
    .sort((a, b) => cmp(a.pivot, b.pivot) || cmp(a.from, b.from) || cmp(a.to, b.to))
    .slice(0, 10_000);
  return {
    entity,
    assessment,
    history: assessment ? [assessment] : [],
    links: linkList,
  };
}
