/**
 * Look-up structures over a brand catalogue, built once per catalogue: a single regular expression
 * for every brand term (one scan of the page text instead of one per brand) and suffix maps for
 * official domains. With sixty brands and hundreds of official domains each, this is what keeps
 * analysis in the thousands of pages per second.
 * @module
 */
import type { BrandCatalog, PageBrand } from './brand-catalog.js';

export interface BrandIndex {
  /** Every brand term; matches are lower-cased and mapped back through `byTerm`. */
  readonly terms: RegExp | undefined;
  readonly byTerm: ReadonlyMap<string, readonly PageBrand[]>;
  /** Official registrable domain → the brands that own it. */
  readonly byOfficial: ReadonlyMap<string, readonly PageBrand[]>;
  /** Every sign-in marker of every brand, case-sensitive (markup ids are). */
  readonly markers: readonly string[];
  /**
   * All markers in one alternation, longest first: one pass over the page instead of one `includes`
   * per marker, which cost a tenth of a second per megabyte of page with the hundred-odd markers of
   * the shipped catalogue.
   * (A plain alternation restarted one past each match is faster in V8 than a lookahead wrapper and
   * finds the same occurrences, overlapping ones included.)
   */
  readonly markerPattern: RegExp | undefined;
  /** Marker → the other markers it contains (`msauth.net` inside `aadcdn.msauth.net`). */
  readonly markerParts: ReadonlyMap<string, readonly string[]>;
}

const cache = new WeakMap<BrandCatalog, BrandIndex>();

const escapeTerm = (t: string): string => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s*');

function push<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) {
    if (!list.includes(v)) list.push(v);
  } else m.set(k, [v]);
}

export function brandIndex(catalog: BrandCatalog): BrandIndex {
  let idx = cache.get(catalog);
  if (idx) return idx;
  const byTerm = new Map<string, PageBrand[]>();
  const byOfficial = new Map<string, PageBrand[]>();
  for (const b of catalog.brands) {
    for (const t of b.tokens) if (t.length >= 3) push(byTerm, t.replace(/\s+/g, ' '), b);
    for (const d of b.officialDomains) push(byOfficial, d, b);
  }
  // Longest first, so `microsoft 365` wins over `microsoft` at the same position.
  const alts = [...byTerm.keys()].sort((a, b) => b.length - a.length).map(escapeTerm);
  const terms = alts.length
    ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${alts.join('|')})(?![\\p{L}\\p{N}])`, 'giu')
    : undefined;
  const markers = [...new Set(catalog.brands.flatMap((b) => b.signInMarkers).filter((m) => m.length >= 3))];
  const longestFirst = [...markers].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  const markerPattern = markers.length
    ? new RegExp(longestFirst.map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g')
    : undefined;
  const markerParts = new Map<string, string[]>();
  for (const m of markers) {
    const parts = markers.filter((o) => o !== m && m.includes(o));
    if (parts.length) markerParts.set(m, parts);
  }
  idx = { terms, byTerm, byOfficial, markers, markerPattern, markerParts };
  cache.set(catalog, idx);
  return idx;
}

/** Brands owning `host` or one of its parent domains. */
export function ownersOf(index: BrandIndex, host: string): Set<PageBrand> {
  const owners = new Set<PageBrand>();
  const labels = host.split('.');
  for (let i = 0; i < labels.length; i++)
    for (const b of index.byOfficial.get(labels.slice(i).join('.')) ?? []) owners.add(b);
  return owners;
}

/** True when `segment` (a URL path piece) is an official brand domain or a host under one. */
export function isOfficialHost(index: BrandIndex, segment: string): boolean {
  return segment.includes('.') && ownersOf(index, segment).size > 0;
}

/** Counts term matches per brand in `text`, keeping which terms matched. */
export function termHits(index: BrandIndex, text: string): Map<PageBrand, string[]> {
  const hits = new Map<PageBrand, string[]>();
  if (!index.terms || !text) return hits;
  for (const m of text.matchAll(index.terms)) {
    const term = m[0].toLowerCase().replace(/\s+/g, ' ');
    for (const b of index.byTerm.get(term) ?? []) push(hits, b, term);
  }
  return hits;
}

/**
 * Which catalogue markers occur anywhere in the given texts: exactly the markers `m` with
 * `texts.some((t) => t.includes(m))`. At each position the pattern reports the longest marker that
 * starts there; a shorter marker starting at the same position is a prefix of it, and is added back
 * through `markerParts`. Stops early once every marker has been seen.
 */
export function markersIn(index: BrandIndex, texts: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const re = index.markerPattern;
  if (!re) return seen;
  const total = index.markers.length;
  for (const t of texts) {
    re.lastIndex = 0;
    for (let m = re.exec(t); m; m = re.exec(t)) {
      const found = m[0];
      if (!seen.has(found)) {
        seen.add(found);
        for (const p of index.markerParts.get(found) ?? []) seen.add(p);
        if (seen.size >= total) return seen;
      }
      re.lastIndex = m.index + 1; // overlapping occurrences count too
    }
  }
  return seen;
}
