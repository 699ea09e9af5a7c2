/**
 * The unit of a lone domain's case: its registrable domain, so `x.lat`, `www.x.lat` and `login.x.lat`
 * — one registrant, one decision — share one case instead of three. Where the registrable domain is
 * not one owner's, the unit is narrower: on a shared platform (`platform-suffixes.txt`: `workers.dev`,
 * `azureedge.net`, …) and under any Public Suffix List private suffix it is the tenant's own name
 * (`team-4f2c1.workers.dev`); under a CDN or edge vendor whose names carry a customer's host name as
 * labels (`edge-suffixes.txt`: `b-cdn.net`, …) it is the whole name.
 * @module
 */
import { getDomain } from 'tldts';
import { readFileSync } from 'node:fs';
import { packageFile } from '../correlate/package-file.js';
import type { EntityKey } from '../domain/index.js';

let lists: { platforms: readonly string[]; edges: readonly string[] } | undefined;

function suffixLists() {
  if (lists === undefined) {
    // The domain engine's lists (data/), read alone: the rest of its vocabulary is not needed here.
    // Longest first, so `blob.core.windows.net` wins over `windows.net`.
    const read = (file: string) =>
      readFileSync(packageFile('data', file), 'utf8')
        .split('\n')
        .map((l) => l.replace(/#.*/, '').trim().toLowerCase())
        .filter((l) => l !== '')
        .sort((a, b) => b.length - a.length);
    lists = { platforms: read('platform-suffixes.txt'), edges: read('edge-suffixes.txt') };
  }
  return lists;
}

/** The host name whose case a lone domain joins. */
export function loneUnit(host: string): string {
  const h = host.toLowerCase().replace(/\.$/, '');
  const { platforms, edges } = suffixLists();
  for (const p of platforms) {
    if (h === p) return h;
    if (h.endsWith(`.${p}`)) {
      const rest = h.slice(0, -(p.length + 1));
      return `${rest.slice(rest.lastIndexOf('.') + 1)}.${p}`;
    }
  }
  for (const e of edges) if (h.endsWith(`.${e}`)) return h;
  return getDomain(h, { allowPrivateDomains: true }) ?? h;
}

/** The case subject of a lone entity: a domain's unit, any other entity itself. */
export function loneSubjectKey(key: EntityKey): EntityKey {
  if (!key.startsWith('domain:')) return key;
  return `domain:${loneUnit(key.slice('domain:'.length))}` as EntityKey;
}
