/**
 * What the page analyzers need to know about a brand. Brand profiles are owned by the domain engine
 * (`brands/*.yaml`); this module reads only the fields it needs, under the several spellings a profile
 * may use, and ignores everything else, so the two engines can evolve their formats independently.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { yamlFiles } from './yaml-files.js';

export interface PageBrand {
  readonly id: string;
  readonly name: string;
  /** Words that name the brand on a page (`microsoft`, `outlook`, `office 365`). Lower case. */
  readonly tokens: readonly string[];
  /** Registrable domains the brand owns; its own pages are not impersonations of it. */
  readonly officialDomains: readonly string[];
  /** Strings found in the brand's real sign-in markup (`loginfmt`, `i0116`, `flowToken`). */
  readonly signInMarkers: readonly string[];
  /** Hosts serving the brand's static assets (`aadcdn.msauth.net`). */
  readonly assetHosts: readonly string[];
  /** 64-bit dHashes (16 hex digits) of the brand's icons and logos. */
  readonly faviconHashes: readonly string[];
  /** 64-bit dHashes of screenshots of the brand's sign-in pages. */
  readonly screenshotHashes: readonly string[];
}

export interface BrandCatalog {
  readonly brands: readonly PageBrand[];
}

export const EMPTY_CATALOG: BrandCatalog = Object.freeze({ brands: [] });

const strings = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.flatMap((x) =>
        typeof x === 'string' ? [x] : x && typeof x === 'object' && 'name' in x ? [String(x.name)] : [],
      )
    : typeof v === 'string'
      ? [v]
      : [];

const pick = (o: Record<string, unknown>, ...keys: string[]): string[] => keys.flatMap((k) => strings(o[k]));

const HEX64 = /^[0-9a-f]{16}$/;

/** Reads one parsed profile; undefined when it has no usable id. Never throws. */
export function brandFromProfile(raw: unknown): PageBrand | undefined {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return undefined;
  const o = raw as Record<string, unknown>;
  const pageRaw = o.page;
  const page =
    pageRaw && typeof pageRaw === 'object' && !Array.isArray(pageRaw)
      ? (pageRaw as Record<string, unknown>)
      : {};
  const id = typeof o.id === 'string' ? o.id : typeof o.brand === 'string' ? o.brand : undefined;
  if (!id) return undefined;
  const name = typeof o.name === 'string' ? o.name : typeof o.display === 'string' ? o.display : id;
  const lower = (xs: string[]) => [...new Set(xs.map((x) => x.trim().toLowerCase()).filter(Boolean))];
  return {
    id,
    name,
    tokens: lower([
      name,
      ...pick(o, 'tokens', 'products', 'terms', 'keywords'),
      ...pick(page, 'tokens', 'terms'),
    ]),
    officialDomains: lower(
      pick(
        o,
        'official',
        'officialDomains',
        'official_domains',
        'domains',
        'allowlist',
        'owned',
        'portfolio',
      ),
    ),
    signInMarkers: [
      ...new Set(
        pick(page, 'signInMarkers', 'sign_in_markers', 'markers').concat(
          pick(o, 'signInMarkers', 'sign_in_markers'),
        ),
      ),
    ],
    assetHosts: lower(pick(page, 'assetHosts', 'asset_hosts').concat(pick(o, 'assetHosts', 'asset_hosts'))),
    faviconHashes: lower(pick(page, 'faviconHashes', 'favicon_hashes', 'iconHashes')).filter((h) =>
      HEX64.test(h),
    ),
    screenshotHashes: lower(pick(page, 'screenshotHashes', 'screenshot_hashes')).filter((h) => HEX64.test(h)),
  };
}

export interface CatalogLoad {
  readonly catalog: BrandCatalog;
  /** Files that could not be read or parsed, with the reason; the rest still load. */
  readonly problems: readonly string[];
}

/**
 * Loads every `*.yaml`/`*.yml` profile in `dir` (or the one file `dir` names, as the domain engine
 * accepts). A path that cannot be read, or holds no profile, is a problem like a broken file: a typo in
 * `--brands` must not silently turn brand matching off.
 */
export async function loadBrandCatalog(dir: string): Promise<CatalogLoad> {
  const listed = await yamlFiles(dir, 'brand profiles');
  if (!listed.ok) return { catalog: EMPTY_CATALOG, problems: [listed.problem] };
  const files = listed.files;
  const brands: PageBrand[] = [];
  const problems: string[] = [];
  for (const f of files) {
    try {
      // A file holds one profile or a list of them (docs/brands.md), as the domain engine reads it.
      const doc: unknown = parseYaml(await readFile(f, 'utf8'));
      for (const entry of Array.isArray(doc) ? doc : [doc]) {
        const brand = brandFromProfile(entry);
        if (brand) brands.push(brand);
        else problems.push(`${basename(f)}: no brand id`);
      }
    } catch (e) {
      problems.push(`${basename(f)}: ${(e as Error).message}`);
    }
  }
  return { catalog: { brands }, problems };
}
