/**
 * Kit fingerprints as data: analysts write YAML rules (see docs/kits.md) over a page's HTML, script,
 * text, title, URL paths and headers; a rule that matches becomes a `page.kit.<id>` signal naming the
 * `kit:<id>` entity, which later links every site built from the same kit into one campaign.
 * @module
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { fileSetDigest, readCompiled } from '../compiled-files.js';
import { packageRoot } from '../domain/package-paths.js';
import { yamlFiles } from '../yaml-files.js';
import type { Analyzer, AnalyzerInput, Finding } from './analyzer.js';
import { pathOf } from './url-util.js';

// The YAML parser loads only for rule files the build did not compile (start-up of every command).
const requireCjs = createRequire(import.meta.url);
const parseYaml = (text: string): unknown => (requireCjs('yaml') as typeof import('yaml')).parse(text);

const FIELDS = ['html', 'js', 'text', 'title', 'path', 'url', 'header'] as const;
type Field = (typeof FIELDS)[number];

const pattern = z.string().min(1).max(2000);
const condition = z.union([
  z.strictObject({ html: pattern }),
  z.strictObject({ js: pattern }),
  z.strictObject({ text: pattern }),
  z.strictObject({ title: pattern }),
  z.strictObject({ path: pattern }),
  z.strictObject({ url: pattern }),
  z.strictObject({ header: z.strictObject({ name: z.string().min(1), pattern }) }),
]);

export const kitRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'kebab-case, 2–64 characters'),
  name: z.string().min(1),
  description: z.string().optional(),
  weight: z.number().min(0).max(100),
  references: z.array(z.string()).optional(),
  match: z
    .strictObject({
      all: z.array(condition).optional(),
      any: z.array(condition).optional(),
      /** How many `any` conditions must hold (default 1). */
      min: z.number().int().min(1).optional(),
      none: z.array(condition).optional(),
    })
    .refine(
      (m) => (m.all?.length ?? 0) + (m.any?.length ?? 0) > 0,
      'needs at least one `all` or `any` condition',
    ),
});

export type KitRuleSource = z.infer<typeof kitRuleSchema>;

interface Compiled {
  readonly field: Field;
  readonly header?: string;
  readonly re: RegExp;
}

export interface KitRule {
  readonly id: string;
  readonly name: string;
  readonly weight: number;
  readonly all: readonly Compiled[];
  readonly any: readonly Compiled[];
  readonly min: number;
  readonly none: readonly Compiled[];
}

/**
 * Conditions are tested cheapest field first (a header or a URL path before a megabyte of HTML), so a
 * rule that cannot match is usually dropped before its expensive conditions run. The outcome of a rule
 * does not depend on the order.
 */
const FIELD_COST: Record<Field, number> = { header: 0, title: 1, path: 2, url: 3, text: 4, js: 5, html: 6 };
const byCost = (cs: Compiled[]): Compiled[] => cs.sort((a, b) => FIELD_COST[a.field] - FIELD_COST[b.field]);

function compile(c: z.infer<typeof condition>): Compiled {
  if ('header' in c)
    return { field: 'header', header: c.header.name.toLowerCase(), re: new RegExp(c.header.pattern, 'i') };
  const [field, source] = Object.entries(c)[0] as [Field, string];
  return { field, re: new RegExp(source, 'i') };
}

export type RuleParse = { ok: true; rules: KitRule[] } | { ok: false; error: string };

/** Parses one YAML document holding a rule or a list of rules. Never throws. */
export function parseKitRules(yamlText: string, origin = 'rules'): RuleParse {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (e) {
    return { ok: false, error: `${origin}: YAML: ${(e as Error).message}` };
  }
  return kitRulesOf(doc, origin);
}

/** Validates and compiles one parsed document (a rule or a list of rules). Never throws. */
export function kitRulesOf(doc: unknown, origin = 'rules'): RuleParse {
  const list = Array.isArray(doc) ? doc : [doc];
  const rules: KitRule[] = [];
  for (const [i, item] of list.entries()) {
    const r = kitRuleSchema.safeParse(item);
    if (!r.success) {
      const issue = r.error.issues[0];
      return { ok: false, error: `${origin}[${i}]: ${issue?.path.join('.') || '(rule)'}: ${issue?.message}` };
    }
    try {
      const m = r.data.match;
      rules.push({
        id: r.data.id,
        name: r.data.name,
        weight: r.data.weight,
        all: byCost((m.all ?? []).map(compile)),
        any: byCost((m.any ?? []).map(compile)),
        min: m.min ?? 1,
        none: byCost((m.none ?? []).map(compile)),
      });
    } catch (e) {
      return { ok: false, error: `${origin}[${i}] ${r.data.id}: bad pattern: ${(e as Error).message}` };
    }
  }
  return { ok: true, rules };
}

export interface KitRulesLoad {
  readonly rules: readonly KitRule[];
  readonly problems: readonly string[];
}

/**
 * Loads every `*.yaml` in `dir` (or the one file it names); a broken file is reported and skipped, the
 * rest still load. A path that cannot be read or holds no rule file is reported too.
 */
export async function loadKitRules(dir: string): Promise<KitRulesLoad> {
  const listed = await yamlFiles(dir, 'kit rules');
  if (!listed.ok) return { rules: [], problems: [listed.problem] };
  const texts: string[] = [];
  for (const f of listed.files) texts.push(await readFile(f, 'utf8'));
  const docs = compiledDocuments(listed.files, texts);
  const rules: KitRule[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const [i, f] of listed.files.entries()) {
    // The compiled documents replace only the YAML parse: validation and patterns run as for any file.
    const parsed = docs ? kitRulesOf(docs[i], basename(f)) : parseKitRules(texts[i] as string, basename(f));
    if (!parsed.ok) {
      problems.push(parsed.error);
      continue;
    }
    for (const r of parsed.rules) {
      if (seen.has(r.id)) problems.push(`${basename(f)}: duplicate rule id ${r.id}`);
      else {
        seen.add(r.id);
        rules.push(r);
      }
    }
  }
  return { rules, problems };
}

/**
 * The digest of a rule file set: file names and contents, and this module's code, so the documents
 * compiled by the built code serve only that code and only those exact files.
 */
export function kitRulesDigest(files: readonly string[], texts: readonly string[]): string {
  return fileSetDigest(import.meta.url, files, texts);
}

/** Where `npm run build` writes the shipped rule files' parsed documents (scripts/build-catalogue.mjs). */
export const compiledKitRulesPath = (): string => join(packageRoot(), 'dist', 'kit-documents.json');

export interface CompiledKitDocuments {
  readonly digest: string;
  /** One parsed YAML document per file, in file order. */
  readonly docs: readonly unknown[];
}

function compiledDocuments(
  files: readonly string[],
  texts: readonly string[],
): readonly unknown[] | undefined {
  const compiled = readCompiled<CompiledKitDocuments>(compiledKitRulesPath(), () =>
    kitRulesDigest(files, texts),
  );
  return compiled && compiled.docs.length === files.length ? compiled.docs : undefined;
}

/** The texts each field of a condition is tested against. */
function haystacks(input: AnalyzerInput): Record<Exclude<Field, 'header'>, readonly string[]> {
  const s = input.snapshot;
  const urls = [s.url, s.finalUrl, ...s.redirectChain, ...input.allUrls];
  return {
    html: [s.html],
    js: [input.js],
    text: [input.facts.text],
    title: [input.facts.title],
    path: urls.map(pathOf),
    url: urls,
  };
}

function holds(c: Compiled, input: AnalyzerInput, hay: ReturnType<typeof haystacks>): boolean {
  if (c.field === 'header') {
    const v = c.header === undefined ? undefined : input.snapshot.headers[c.header];
    return v !== undefined && c.re.test(v);
  }
  return hay[c.field].some((h) => c.re.test(h));
}

export function createKitAnalyzer(rules: readonly KitRule[]): Analyzer {
  return (input) => {
    if (rules.length === 0) return [];
    const hay = haystacks(input);
    const out: Finding[] = [];
    for (const r of rules) {
      // Cheap exclusions first, then the required conditions, then just enough of the `any` ones.
      if (r.none.some((c) => c.field !== 'html' && c.field !== 'js' && holds(c, input, hay))) continue;
      if (!r.all.every((c) => holds(c, input, hay))) continue;
      if (r.any.length > 0) {
        const need = Math.min(r.min, r.any.length);
        let met = 0;
        for (const c of r.any) if (met < need && holds(c, input, hay)) met++;
        if (met < need) continue;
      }
      if (r.none.some((c) => (c.field === 'html' || c.field === 'js') && holds(c, input, hay))) continue;
      out.push({
        id: `page.kit.${r.id}`,
        detail: `matches kit fingerprint ${r.id} (${r.name})`,
        entities: [`kit:${r.id}`],
        weight: r.weight,
      });
    }
    return out;
  };
}
