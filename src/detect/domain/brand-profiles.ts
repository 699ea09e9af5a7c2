/**
 * Brand profiles: what a brand owns (the allow-list) and the names phishers borrow from it. Loaded from
 * YAML files (`brands/*.yaml`, format in docs/brands.md) and validated at the edge, so the engine only
 * ever sees well-formed, normalised profiles.
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { PrecursorError } from '../../domain/index.js';
import { yamlFilesIn } from '../yaml-files.js';
import { normalizeHost } from './normalize.js';
import { fileSetDigest, readCompiled } from '../compiled-files.js';
import { packageRoot } from './package-paths.js';

const requireCjs = createRequire(import.meta.url);

const TOKEN = /^[a-z0-9]+$/;

/**
 * The profile schema, built on first use: zod and the YAML parser are loaded only when profiles are
 * parsed, not when the compiled catalogue serves them (start-up of `precursor score`). `require` keeps
 * loading synchronous, as `loadBrandProfiles` is.
 */
function buildSchemas() {
  const { z } = requireCjs('zod') as typeof import('zod');
  const tokenSchema = z
    .string({
      error: "a token must be text; quote tokens made of digits ('0365'), YAML reads them as numbers",
    })
    .transform((s) => s.trim().toLowerCase())
    .refine((s) => TOKEN.test(s) && s.length >= 2 && s.length <= 63, {
      message: 'a token is 2 to 63 letters or digits (no dots, hyphens or spaces)',
    });

  const profileSchema = z.strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an id is lower-case letters, digits and hyphens'),
    name: z.string().min(1),
    category: z.string().min(1).optional(),
    description: z.string().optional(),
    official: z.array(z.string().min(1)).min(1, 'a profile needs at least one official domain'),
    tokens: z.array(tokenSchema).min(1, 'a profile needs at least one brand token'),
    products: z.array(tokenSchema).default([]),
    generic: z.array(tokenSchema).default([]),
    // Read by the page analyzers (sign-in markers, asset hosts, image hashes: docs/page-analysis.md),
    // not by the domain engine.
    page: z.record(z.string(), z.unknown()).optional(),
  });
  return { profileSchema };
}
let cachedSchemas: ReturnType<typeof buildSchemas> | undefined;
const schemas = (): ReturnType<typeof buildSchemas> => {
  cachedSchemas ??= buildSchemas();
  return cachedSchemas;
};

export interface BrandProfile {
  readonly id: string;
  readonly name: string;
  readonly category: string | undefined;
  /** Registrable domains (ASCII) the brand owns. */
  readonly official: readonly string[];
  /** Labels the brand holds under every public suffix (`google.*`), for brands that register defensively. */
  readonly officialAnySuffix: readonly string[];
  readonly tokens: readonly string[];
  readonly products: readonly string[];
  /** Tokens (of `tokens` or `products`) that are everyday words and need corroboration. */
  readonly generic: readonly string[];
  /** Where the profile came from, for error messages. */
  readonly source: string;
}

/** Validates one parsed profile document; throws `CONFIG_INVALID` naming the file and field. */
export function parseBrandProfile(doc: unknown, source: string): BrandProfile {
  const r = schemas().profileSchema.safeParse(doc);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new PrecursorError('CONFIG_INVALID', `brand profile ${source} is invalid: ${issues}`, {
      details: { source, issues: r.error.issues },
    });
  }
  const p = r.data;
  const anySuffix = p.official.filter((o) => o.endsWith('.*')).map((o) => o.slice(0, -2).toLowerCase());
  const bad = anySuffix.find((l) => !TOKEN.test(l));
  if (bad !== undefined)
    throw new PrecursorError(
      'CONFIG_INVALID',
      `brand profile ${source}: '${bad}.*' must be a single label followed by '.*'`,
    );
  const official = p.official
    .filter((o) => !o.endsWith('.*'))
    .map((o) => {
      const n = normalizeHost(o);
      if (!n.ok)
        throw new PrecursorError(
          'CONFIG_INVALID',
          `brand profile ${source}: official domain '${o}': ${n.reason}`,
        );
      return n.registrable;
    });
  const all = new Set([...p.tokens, ...p.products]);
  const unknownGeneric = p.generic.filter((g) => !all.has(g));
  if (unknownGeneric.length > 0)
    throw new PrecursorError(
      'CONFIG_INVALID',
      `brand profile ${source}: generic token(s) ${unknownGeneric.join(', ')} are not listed in tokens or products`,
    );
  return {
    id: p.id,
    name: p.name,
    category: p.category,
    official: [...new Set(official)],
    officialAnySuffix: [...new Set(anySuffix)],
    tokens: [...new Set(p.tokens)],
    products: [...new Set(p.products)].filter((t) => !p.tokens.includes(t)),
    generic: [...new Set(p.generic)],
    source,
  };
}

/**
 * Loads one YAML file (a profile or a list of profiles) or every `*.yaml`/`*.yml` file of a directory.
 *
 * @example
 * ```ts
 * const profiles = loadBrandProfiles('brands/');            // every shipped brand
 * const ms = loadBrandProfiles('brands/microsoft.yaml');    // just one
 * ```
 */
export function loadBrandProfiles(pathOrDir: string): BrandProfile[] {
  let files: string[];
  try {
    files = statSync(pathOrDir).isDirectory() ? yamlFilesIn(pathOrDir) : [pathOrDir];
  } catch (e) {
    throw new PrecursorError('CONFIG_INVALID', `cannot read brand profiles at ${pathOrDir}`, { cause: e });
  }
  if (files.length === 0)
    throw new PrecursorError('CONFIG_INVALID', `no brand profiles (*.yaml) in ${pathOrDir}`);
  const texts = files.map((f) => readProfileFile(f));
  const compiled = compiledProfiles(files, texts);
  if (compiled !== undefined) return compiled;
  const profiles = files.flatMap((f, i) => parseFile(f, texts[i] as string));
  const seen = new Map<string, string>();
  for (const p of profiles) {
    const prev = seen.get(p.id);
    if (prev)
      throw new PrecursorError(
        'CONFIG_INVALID',
        `brand id '${p.id}' is defined in both ${prev} and ${p.source}`,
      );
    seen.set(p.id, p.source);
  }
  return profiles;
}

function readProfileFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new PrecursorError('CONFIG_INVALID', `cannot read brand profile ${file}`, { cause: e });
  }
}

/**
 * The digest of a profile set: file names and contents, and this module. The catalogue is used only for the
 * exact files it was built from, so an edited, added or removed profile is always parsed afresh.
 */
export function profileDigest(files: readonly string[], texts: readonly string[]): string {
  return fileSetDigest(import.meta.url, files, texts);
}

/** Where `npm run build` writes the shipped profiles, parsed and validated (scripts/build-catalogue.mjs). */
export const compiledCataloguePath = (): string => join(packageRoot(), 'dist', 'brand-catalogue.json');

export interface CompiledCatalogue {
  readonly digest: string;
  readonly profiles: readonly BrandProfile[];
}

// Parsing ~90 YAML files and validating them was a third of `precursor score`'s start-up; the
// catalogue turns that into one JSON.parse when the files are the ones it was compiled from.
function compiledProfiles(files: readonly string[], texts: readonly string[]): BrandProfile[] | undefined {
  const catalogue = readCompiled<CompiledCatalogue>(compiledCataloguePath(), () =>
    profileDigest(files, texts),
  );
  return catalogue?.profiles as BrandProfile[] | undefined;
}

function parseFile(file: string, text: string): BrandProfile[] {
  let doc: unknown;
  try {
    doc = (requireCjs('yaml') as typeof import('yaml')).parse(text);
  } catch (e) {
    throw new PrecursorError(
      'CONFIG_INVALID',
      `brand profile ${file} is not valid YAML: ${(e as Error).message}`,
      {
        cause: e,
      },
    );
  }
  const docs = Array.isArray(doc) ? doc : [doc];
  return docs.map((d, i) =>
    parseBrandProfile(d, docs.length > 1 ? `${basename(file)}[${i}]` : basename(file)),
  );
}
