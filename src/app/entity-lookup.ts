/**
 * Reading entities as a person refers to them: one entity with its explanation, and pages of the list.
 * The CLI (`precursor entity`, `precursor entities`) and the API share these, so a key typed in either
 * means the same thing.
 * @module
 */
import { isIP } from 'node:net';
import {
  type Assessment,
  type Entity,
  type EntityKey,
  type Link,
  PrecursorError,
  parseEntityKey,
} from '../domain/index.js';
import { canonicalHost } from '../ingest/canonical-host.js';
import type { EntityFilter, EntityView, Store } from '../store/store.js';

/** The parts of the store these read. */
export type EntityReader = Pick<Store, 'entities' | 'assessments'>;

/**
 * The entity key meant by `input`, in the forms a list shows or a person types: a full key
 * (`domain:xn--mcrosoft-5ya.com`, `cert:sha256:…`), a domain in either spelling (`mіcrosoft.com`,
 * `domain:mіcrosoft.com`, `MICROSOFT.com.`), a URL, or an IP address. Undefined when it is none.
 */
export function resolveEntityKey(input: string): EntityKey | undefined {
  const text = input.trim();
  if (text === '') return undefined;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    try {
      const url = new URL(text);
      url.hash = '';
      return `url:${url.toString()}`;
    } catch {
      return undefined;
    }
  }
  const parsed = parseEntityKey(text);
  if (parsed) {
    if (parsed.type === 'domain' || parsed.type === 'ns') {
      const h = canonicalHost(parsed.value);
      return h.ok ? `${parsed.type}:${h.ascii}` : undefined;
    }
    return parsed.value === '' ? undefined : (text as EntityKey);
  }
  if (isIP(text) !== 0) return `ip:${text}`;
  const h = canonicalHost(text);
  return h.ok ? `domain:${h.ascii}` : undefined;
}

/** `resolveEntityKey`, failing as a usage error that says what keys look like. */
export function entityKeyOrThrow(input: string, what = 'entity key'): EntityKey {
  const key = resolveEntityKey(input);
  if (key === undefined)
    throw new PrecursorError(
      'VALIDATION_FAILED',
      `'${input.slice(0, 200)}' is not an ${what}: give a key as \`precursor entities\` prints it (type:value), a domain name, a URL or an IP address`,
    );
  return key;
}

export interface EntityDetail {
  readonly entity: Entity;
  readonly assessment: Assessment | undefined;
  readonly history: readonly Assessment[];
  readonly links: readonly Link[];
}

/**
 * One entity with its assessment (signals, weights, points), history and links; NOT_FOUND if absent.
 * `observed`: where an entity without a row is looked for next — the stored observations the detect
 * stage left unmaterialised (observed-entity.ts).
 */
export async function entityDetail(
  store: EntityReader,
  key: EntityKey,
  observed?: (key: EntityKey) => Promise<EntityDetail | undefined>,
): Promise<EntityDetail> {
  const entity = await store.entities.get(key);
  if (!entity) {
    const derived = await observed?.(key);
    if (derived) return derived;
    throw new PrecursorError('NOT_FOUND', `no entity ${key}`);
  }
  const [assessment, history, links] = await Promise.all([
    store.assessments.get(key),
    store.assessments.history(key),
    store.entities.links(key),
  ]);
  return { entity, assessment, history, links };
}

/** Largest page one query returns; bigger or unlimited listings are read page by page. */
export const PAGE_LIMIT = 1000;

export interface EntityPages {
  /** Rows of the listing, in order, fetched page by page. */
  readonly rows: AsyncIterable<EntityView>;
  /** After the rows are consumed: the key to pass as `after` for the next page, when more follow. */
  next(): EntityKey | undefined;
}

/**
 * A listing of `limit` entities (0: all of them) from `after` (a key in any form `resolveEntityKey`
 * accepts), in key or score order, read in pages so memory stays flat. One more row than asked is read
 * to know whether the list was cut, and `next()` then names where the following page starts.
 */
export async function entityPages(
  store: EntityReader,
  filter: Omit<EntityFilter, 'limit' | 'after' | 'afterScore' | 'offset'>,
  limit: number,
  after?: string,
): Promise<EntityPages> {
  let cursor: { key: EntityKey; score: number } | undefined;
  if (after !== undefined) {
    const key = entityKeyOrThrow(after, '--after key');
    let score = -1;
    if (filter.order === 'score') {
      const a = await store.assessments.get(key);
      if (!a && !(await store.entities.get(key)))
        throw new PrecursorError(
          'VALIDATION_FAILED',
          `--after ${after}: no such entity (in score order the page starts after a listed entity)`,
        );
      score = a?.score ?? -1;
    }
    cursor = { key, score };
  }
  let next: EntityKey | undefined;
  async function* rows(): AsyncGenerator<EntityView> {
    let left = limit === 0 ? Number.POSITIVE_INFINITY : limit;
    for (;;) {
      const want = Math.min(PAGE_LIMIT, left);
      const page = await store.entities.list({
        ...filter,
        limit: want + 1,
        ...(cursor ? { after: cursor.key, afterScore: cursor.score } : {}),
      });
      const more = page.length > want;
      const shown = more ? page.slice(0, want) : page;
      for (const v of shown) yield v;
      left -= shown.length;
      const last = shown[shown.length - 1];
      if (!more || !last) return;
      cursor = { key: last.entity.key, score: last.assessment?.score ?? -1 };
      if (left <= 0) {
        next = last.entity.key;
        return;
      }
    }
  }
  return { rows: rows(), next: () => next };
}
