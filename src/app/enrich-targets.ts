/**
 * Which addresses IP-network enrichment looks up for a set of domains: those they resolve to as the
 * store knows it (`resolves-to` links from earlier DNS enrichment), so the hosting network's abuse
 * contact is known by the time an abuse report is written. This run's own DNS answers are followed by
 * the enrichment source itself (`followAddresses`).
 * @module
 */
import type { EntityKey } from '../domain/index.js';
import type { EntityGraph } from '../store/entities.js';

export async function resolvedAddresses(
  entities: Pick<EntityGraph, 'links'>,
  domains: readonly string[],
): Promise<string[]> {
  const out = new Set<string>();
  for (const d of domains) {
    const key = `domain:${d}` as EntityKey;
    for (const l of await entities.links(key)) {
      if (l.pivot !== 'resolves-to') continue;
      const other = l.from === key ? l.to : l.from;
      if (other.startsWith('ip:')) out.add(other.slice('ip:'.length));
    }
  }
  return [...out].sort();
}
