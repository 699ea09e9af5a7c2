/**
 * Configuration of page analysis, with documented defaults. Every number that decides something is
 * here: signal weights, thresholds, hash distances, combination rules.
 * @module
 */
import { z } from 'zod';
import { DEFAULT_THRESHOLDS, type ScoreThresholds } from '../score.js';
import { type BrandAnalyzerOptions, DEFAULT_BRAND_OPTIONS } from './brand-analyzer.js';
import { type CloakOptions, DEFAULT_CLOAK_OPTIONS } from './cloak-analyzer.js';
import { type ComboRule, comboRulesSchema, DEFAULT_COMBO_RULES } from './page-rules.js';

export interface PageAnalysisConfig {
  /** Overrides of default weights by signal id (`page.gate.turnstile: 5`). */
  readonly weights: Readonly<Record<string, number>>;
  readonly thresholds: ScoreThresholds;
  readonly rules: readonly ComboRule[];
  readonly brand: BrandAnalyzerOptions;
  readonly cloak: CloakOptions;
}

export const DEFAULT_PAGE_CONFIG: PageAnalysisConfig = Object.freeze({
  weights: {},
  thresholds: DEFAULT_THRESHOLDS,
  rules: DEFAULT_COMBO_RULES,
  brand: DEFAULT_BRAND_OPTIONS,
  cloak: DEFAULT_CLOAK_OPTIONS,
});

const weight = z.number().min(-100).max(100);

export const pageConfigSchema = z
  .strictObject({
    weights: z.record(z.string(), weight).optional(),
    thresholds: z
      .strictObject({ flag: z.number().min(0).max(100), malicious: z.number().min(0).max(100) })
      .optional(),
    rules: comboRulesSchema.optional(),
    brand: z
      .strictObject({
        faviconMaxDistance: z.number().int().min(0).max(64).optional(),
        layoutMaxDistance: z.number().int().min(0).max(64).optional(),
        minSignInMarkers: z.number().int().min(1).optional(),
      })
      .optional(),
    cloak: z.strictObject({ minSimilarity: z.number().min(0).max(1).optional() }).optional(),
  })
  .optional();

/** Validates a raw `page` config section and fills defaults. Throws a message naming the bad field. */
export function resolvePageConfig(raw: unknown): PageAnalysisConfig {
  const r = pageConfigSchema.safeParse(raw);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Error(`invalid page config at ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  const c = r.data ?? {};
  // Zod gives `undefined` for absent optional keys; drop them so they do not erase the defaults.
  const defined = <T extends object>(o: object | undefined): Partial<T> =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
  return {
    weights: c.weights ?? {},
    thresholds: c.thresholds ?? DEFAULT_THRESHOLDS,
    rules: c.rules ?? DEFAULT_COMBO_RULES,
    brand: { ...DEFAULT_BRAND_OPTIONS, ...defined<BrandAnalyzerOptions>(c.brand) },
    cloak: { ...DEFAULT_CLOAK_OPTIONS, ...defined<CloakOptions>(c.cloak) },
  };
}
