/**
 * What detectors see of the graph while the detect stage judges a slice: the stored entities and links
 * with the rows the slice is about to write laid over them. A certificate is judged in the slice that
 * brings it, before it is stored; a detector that reads a name's certificates (ownership evidence,
 * domain/co-named.ts) must see it then, or its verdict would depend on how the feed was sliced.
 * @module
 */
import {
  type Entity,
  type EntityKey,
  type Extraction,
  type Link,
  mergeAttrs,
  type Observation,
} from '../domain/index.js';
import type { Aggregates, EntityUpsert, LinkUpsert } from '../store/store.js';
import type { DetectContext } from './detector.js';

export type PendingView = Pick<DetectContext, 'entity' | 'links'>;

/** `DetectContext.signals` over `store`: the signals stored for a key (none without a store). */
export function storedSignals(store: Pick<Aggregates, 'assessments'> | undefined): DetectContext['signals'] {
  return async (key) => (store ? ((await store.assessments.signalsOf([key])).get(key) ?? []) : []);
}

/**
 * `store`'s entities and links with `entities` and `links` (not yet written) laid over them; both are
 * asked for only when a detector reads the view. Without a store, the pending rows alone: what one
 * observation shows. `unstored` names keys known to have no stored rows (their reads skip the store:
 * most names in a feed are new, and a look-up per name would cost more than judging it).
 */
export function pendingView(
  store: Pick<Aggregates, 'entities'> | undefined,
  entities: () => readonly EntityUpsert[],
  links: () => readonly LinkUpsert[],
  unstored: (key: EntityKey) => boolean = () => false,
): PendingView {
  const stored = (key: EntityKey) => store !== undefined && !unstored(key);
  // Indexed on the first read: most slices are judged without one.
  let byEntity: Map<EntityKey, EntityUpsert[]> | undefined;
  let byLink: Map<EntityKey, LinkUpsert[]> | undefined;
  const storedRows = new Map<string, Promise<Map<EntityKey, Entity>>>();
  const add = <T>(m: Map<EntityKey, T[]>, k: EntityKey, v: T) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  // Merged once per key: a name or certificate the slice mentions many times is read as often.
  const merged = new Map<EntityKey, Promise<Entity | undefined>>();
  const mergedLinks = new Map<EntityKey, Promise<readonly Link[]>>();
  const entity = async (key: EntityKey): Promise<Entity | undefined> => {
    if (!byEntity) {
      byEntity = new Map();
      for (const e of entities()) add(byEntity, e.key, e);
    }
    const pending = byEntity.get(key);
    if (!pending) return stored(key) ? store?.entities.get(key) : undefined;
    // The stored rows of every pending entity of this type, in one read: a detector that reads one
    // certificate of the slice reads most of them.
    const type = key.slice(0, key.indexOf(':'));
    let rows = storedRows.get(type);
    if (!rows) {
      const keys: EntityKey[] = [];
      for (const k of byEntity.keys()) if (k.startsWith(`${type}:`) && stored(k)) keys.push(k);
      rows = store && keys.length > 0 ? store.entities.getMany(keys) : Promise.resolve(new Map());
      storedRows.set(type, rows);
    }
    const row = (await rows).get(key);
    let out: { -readonly [K in keyof Entity]: Entity[K] } | undefined = row && { ...row };
    for (const e of pending) {
      if (!out) {
        out = { key, type: e.type, display: e.display, firstSeen: e.seenAt, lastSeen: e.seenAt, attrs: {} };
      }
      out.display = e.display;
      out.attrs = mergeAttrs(out.attrs, e.attrs);
      if (e.seenAt < out.firstSeen) out.firstSeen = e.seenAt;
      if (e.seenAt > out.lastSeen) out.lastSeen = e.seenAt;
    }
    return out;
  };
  const linksOf = async (key: EntityKey): Promise<readonly Link[]> => {
    if (!byLink) {
      byLink = new Map();
      for (const l of links()) {
        add(byLink, l.from, l);
        if (l.to !== l.from) add(byLink, l.to, l);
      }
    }
    const rows = stored(key) ? ((await store?.entities.links(key)) ?? []) : [];
    const pending = byLink.get(key);
    if (!pending) return rows;
    // The common case, a new name on one certificate of the slice: nothing to merge.
    if (rows.length === 0 && pending.length === 1) return [linkOf(pending[0] as LinkUpsert)];
    const id = (l: { from: string; to: string; pivot: string }) => `${l.from}\u0000${l.to}\u0000${l.pivot}`;
    const out = new Map<string, { -readonly [K in keyof Link]: Link[K] }>();
    for (const l of rows) out.set(id(l), { ...l });
    for (const l of pending) {
      const k = id(l);
      const prev = out.get(k);
      if (!prev) {
        out.set(k, linkOf(l));
        continue;
      }
      prev.strength = l.strength;
      if (l.seenAt < prev.firstSeen) prev.firstSeen = l.seenAt;
      if (l.seenAt > prev.lastSeen) prev.lastSeen = l.seenAt;
      if (!prev.provenance.includes(l.provenance)) prev.provenance = [...prev.provenance, l.provenance];
    }
    return [...out.values()];
  };
  return {
    entity(key) {
      let e = merged.get(key);
      if (!e) {
        e = entity(key);
        merged.set(key, e);
      }
      return e;
    },
    async links(key) {
      let l = mergedLinks.get(key);
      if (!l) {
        l = linksOf(key);
        mergedLinks.set(key, l);
      }
      return [...(await l)];
    },
  };
}

const linkOf = (l: LinkUpsert): { -readonly [K in keyof Link]: Link[K] } => ({
  from: l.from,
  to: l.to,
  pivot: l.pivot,
  strength: l.strength,
  firstSeen: l.seenAt,
  lastSeen: l.seenAt,
  provenance: [l.provenance],
});

/** The entities of `o`'s extraction as rows to write. */
export function pendingOf(o: Observation, x: Extraction): EntityUpsert[] {
  return x.entities.map((e) => entityRow(o, e));
}

/** One extracted entity of `o` as a row to write (attributes only when it has some). */
export function entityRow(o: Observation, e: Extraction['entities'][number]): EntityUpsert {
  return e.attrs
    ? { key: e.key, type: e.type, display: e.display, seenAt: o.observedAt, attrs: e.attrs }
    : { key: e.key, type: e.type, display: e.display, seenAt: o.observedAt };
}

/**
 * The links of `o`'s extraction as rows to write, added to `out`: a strength of 0 is the pivot model
 * saying the value links nothing. (Fields listed: a spread that adds fields takes V8's slow copy, once
 * per link mention.)
 */
export function pendingLinksOf(o: Observation, x: Extraction, out: LinkUpsert[] = []): LinkUpsert[] {
  for (const l of x.links)
    if (l.strength > 0)
      out.push({
        from: l.from,
        to: l.to,
        pivot: l.pivot,
        strength: l.strength,
        seenAt: o.observedAt,
        provenance: o.source,
      });
  return out;
}
