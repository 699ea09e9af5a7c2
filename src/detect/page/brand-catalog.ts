/**
 * What the page analyzers need to know about a brand. Brand profiles are owned by the domain engine
 * (`brands/*.yaml`); this module reads only the fields it needs, under the several spellings a profile
 * may use, and ignores everything else, so the two engines can evolve their formats independently.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileSetDigest, readCompiled } from '../compiled-files.js';
import { packageRoot } from '../domain/package-paths.js';
import { yamlFiles } from '../yaml-files.js';

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
  const texts: (string | Error)[] = [];
  for (const f of files) texts.push(await readFile(f, 'utf8').catch((e: Error) => e));
  const compiled = compiledCatalog(files, texts);
  if (compiled !== undefined) return { catalog: compiled, problems: [] };
  // Loaded here, not at start: with the compiled catalogue no YAML is parsed (`precursor ingest` start-up).
  const { parse: parseYaml } = await import('yaml');
  const brands: PageBrand[] = [];
  const problems: string[] = [];
  files.forEach((f, i) => {
    try {
      const text = texts[i] as string | Error;
      if (text instanceof Error) throw text;
      // A file holds one profile or a list of them (docs/brands.md), as the domain engine reads it.
      const doc: unknown = parseYaml(text);
      for (const entry of Array.isArray(doc) ? doc : [doc]) {
        const brand = brandFromProfile(entry);
        if (brand) brands.push(brand);
        else problems.push(`${basename(f)}: no brand id`);
      }
    } catch (e) {
      problems.push(`${basename(f)}: ${(e as Error).message}`);
    }
  });
  return { catalog: { brands }, problems };
}

/**
 * The digest of a profile set as this module reads it: file names and contents, and this module's own
 * code, so a catalogue compiled by the built code serves only that code and only those exact files.
 */
export function pageCatalogDigest(files: readonly string[], texts: readonly string[]): string {
  return fileSetDigest(import.meta.url, files, texts);
}

/** Where `npm run build` writes the shipped profiles as page brands (scripts/build-catalogue.mjs). */
export const compiledPageCatalogPath = (): string => join(packageRoot(), 'dist', 'page-brand-catalogue.json');

export interface CompiledPageCatalog {
  readonly digest: string;
  readonly brands: readonly PageBrand[];
}

// Parsing the ~90 shipped YAML files was a quarter of every `precursor ingest`'s start-up; compiled
// only from a set that loaded without problems, so serving it never hides one.
function compiledCatalog(
  files: readonly string[],
  texts: readonly (string | Error)[],
): BrandCatalog | undefined {
  if (!texts.every((t): t is string => typeof t === 'string')) return undefined;
  const compiled = readCompiled<CompiledPageCatalog>(compiledPageCatalogPath(), () =>
    pageCatalogDigest(files, texts),
  );
  return compiled && { brands: compiled.brands };
}
