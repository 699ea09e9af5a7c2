/**
 * Entities: things in the world with a stable canonical key (`type:value`).
 * Keys are the join column of every stage, so they must be identical across runs and store modes.
 * @module
 */

export const ENTITY_TYPES = [
  'domain',
  'url',
  'ip',
  'ns',
  'cert',
  'account',
  'payment',
  'wallet',
  'email',
  'snapshot',
  'kit',
  'asn',
  'device',
  'telegram-bot',
] as const;

export type EntityType = (typeof ENTITY_TYPES)[number];

/** `domain:xn--mcrosoft-5ya.com`, `account:cloud-a/12345`, … */
export type EntityKey = `${EntityType}:${string}`;

export interface Entity {
  readonly key: EntityKey;
  readonly type: EntityType;
  /** What a person reads (Unicode form of an IDN, a URL without tracking noise, …). */
  readonly display: string;
  /** Event time of the first and latest observation that mentioned it. */
  readonly firstSeen: string;
  readonly lastSeen: string;
  /** Type-specific facts (registrable domain, issuer, provider, …); plain JSON. */
  /**
   * Facts about the entity. Written as a shallow merge: a key given again replaces the stored value
   * whole (nested objects too), a key given as `null` is removed — an absent attribute and a null one
   * are the same (`mergeAttrs`).
   */
  readonly attrs: Readonly<Record<string, unknown>>;
}

/**
 * Attributes after `patch` is written over `base`, as both stores merge them: shallow, `null`
 * removes a key. Readers that predict what the store will hold (detect's view of an entity it is
 * about to write) use this so they see what a later read returns.
 */
export function mergeAttrs(
  base: Readonly<Record<string, unknown>> | undefined,
  patch: Readonly<Record<string, unknown>> | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base, ...patch };
  for (const k in patch) if (patch[k] === null) delete out[k];
  return out;
}

export function isEntityType(value: string): value is EntityType {
  return (ENTITY_TYPES as readonly string[]).includes(value);
}

export function entityKey(type: EntityType, value: string): EntityKey {
  return `${type}:${value}`;
}

/** Splits a key at its first colon; values may contain colons (`url:https://…`). */
export function parseEntityKey(key: string): { type: EntityType; value: string } | undefined {
  const i = key.indexOf(':');
  if (i <= 0) return undefined;
  const type = key.slice(0, i);
  if (!isEntityType(type)) return undefined;
  return { type, value: key.slice(i + 1) };
}
