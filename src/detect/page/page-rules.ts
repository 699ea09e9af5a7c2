/**
 * Combination rules: how page signals (and the domain engine's signals about the page's name) combine
 * into a verdict. A gate alone is common on honest sites; a gate in front of a brand clone on a new
 * lookalike name is the preparation this project exists to catch. The rules are data: the defaults
 * below can be replaced by a YAML file of the same shape (docs/page-analysis.md).
 * @module
 */
import { createRequire } from 'node:module';
import { z } from 'zod';
import type { Signal } from '../../domain/index.js';

// The YAML parser loads only for a rules file, not with the shipped defaults (start-up of every command).
const requireCjs = createRequire(import.meta.url);
const parseYaml = (text: string): unknown => (requireCjs('yaml') as typeof import('yaml')).parse(text);

const patterns = z.array(z.string().min(1)).optional();

export const comboRuleSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/),
  description: z.string().min(1),
  /**
   * Patterns over the ids of the positive signals present: `*` is a wildcard, `a|b` an alternative.
   * `all`: each pattern matches some signal; `any`: at least one does; `none`: no signal matches.
   */
  when: z.strictObject({ all: patterns, any: patterns, none: patterns }),
  /** `add`: a `page.combo.<id>` signal of this weight. `scale`: multiply the weights of `target`. */
  effect: z.union([
    z.strictObject({ add: z.number().min(-100).max(100) }),
    z.strictObject({ scale: z.number().min(0).max(1), target: z.string().min(1) }),
  ]),
});

export type ComboRule = z.infer<typeof comboRuleSchema>;

export const comboRulesSchema = z.array(comboRuleSchema);

const GATES = 'page.gate.*';
/** Brand evidence in how the page is built (markup, assets, icon, look), not only in its words. */
/**
 * Evidence that a page is a kit rather than a brand's own software on a customer's host: somewhere the
 * credentials go, preparation or gating, a kit's fingerprint, a lure story, cloaking, or a suspicious name.
 */
const KIT_EVIDENCE = [
  'page.exfil.*',
  'page.capture.offsite-form|page.capture.js-post|page.capture.js-form-rewrite',
  'page.prep.*',
  'page.gate.*',
  'page.kit.*',
  'page.lure.*',
  'page.cloak.*',
  'domain.*',
];

const BRAND_BUILT =
  'page.brand.signin-markers|page.brand.hotlinked-assets|page.brand.favicon-match|page.brand.layout-match';
const CAPTCHA_ONLY = 'page.gate.turnstile|page.gate.hcaptcha|page.gate.recaptcha';

export const DEFAULT_COMBO_RULES: readonly ComboRule[] = Object.freeze([
  {
    id: 'gate-clone-new-name',
    description: 'a gate in front of a brand clone on a lookalike name',
    when: { all: [GATES, 'page.brand.*', 'domain.*'] },
    effect: { add: 60 },
  },
  {
    id: 'gate-clone',
    description: 'a gate in front of a brand clone',
    when: { all: [GATES, 'page.brand.*'] },
    effect: { add: 40 },
  },
  {
    id: 'shell-new-name',
    description: 'a gate or parked shell on a lookalike name, with nothing behind it yet',
    when: { all: ['page.prep.gate-shell|page.prep.parked', 'domain.*'] },
    effect: { add: 40 },
  },
  {
    id: 'clone-asks-password',
    description: 'a brand clone that asks for a password',
    when: { all: [BRAND_BUILT, 'page.capture.password-field'] },
    effect: { add: 35 },
  },
  {
    // A brand's name alone is what honest pages that run the brand's software say too (a company's own
    // Outlook Web App, an ADFS page, "Continue with Microsoft"): it makes a clone only beside something
    // else a kit does.
    id: 'named-brand-asks-password',
    description: 'a page naming a brand it is not hosted by asks for a password, beside other kit evidence',
    when: {
      all: ['page.brand.terms', 'page.capture.password-field'],
      any: KIT_EVIDENCE,
      none: [BRAND_BUILT],
    },
    effect: { add: 35 },
  },
  {
    id: 'clone-asks-code',
    description: 'a page naming or built like a brand asks for a one-time code, beside other kit evidence',
    when: {
      all: ['page.brand.*', 'page.capture.code-field'],
      any: KIT_EVIDENCE,
    },
    effect: { add: 35 },
  },
  {
    id: 'pretext-asks-password',
    description: 'a dead-end page with a phishing pretext asks for a password',
    when: { all: ['page.lure.pretext', 'page.capture.password-field'] },
    effect: { add: 30 },
  },
  {
    id: 'capture-exfil',
    description: 'credentials captured and sent to an exfiltration endpoint',
    when: { all: ['page.capture.*', 'page.exfil.*'] },
    effect: { add: 30 },
  },
  {
    id: 'lone-captcha',
    description: 'a third-party CAPTCHA with nothing else suspicious is an honest site protecting itself',
    when: {
      any: [CAPTCHA_ONLY],
      none: [
        'page.brand.*',
        'page.exfil.*',
        'page.kit.*',
        'page.cloak.*',
        'page.prep.*',
        'domain.*',
        'page.gate.fake-interstitial|page.gate.custom-captcha|page.gate.webdriver-check|page.gate.devtools-trap|page.gate.obfuscation',
      ],
    },
    effect: { scale: 0.5, target: CAPTCHA_ONLY },
  },
]);

function globToRegExp(pattern: string): RegExp {
  const alts = pattern.split('|').map((p) =>
    p
      .trim()
      .replace(/[.+?^${}()[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*'),
  );
  return new RegExp(`^(?:${alts.join('|')})$`);
}

const cache = new Map<string, RegExp>();
const matcher = (p: string): RegExp => {
  let re = cache.get(p);
  if (!re) {
    re = globToRegExp(p);
    cache.set(p, re);
  }
  return re;
};

function holds(rule: ComboRule, ids: readonly string[]): boolean {
  const some = (p: string) => ids.some((id) => matcher(p).test(id));
  const { all, any, none } = rule.when;
  return (all ?? []).every(some) && (any === undefined || any.some(some)) && !(none ?? []).some(some);
}

/**
 * Applies the rules to a signal set. Conditions are read on the input set (rules do not trigger each
 * other), then scales are applied and combo signals appended.
 */
export function applyComboRules(signals: readonly Signal[], rules: readonly ComboRule[]): Signal[] {
  const present = signals.filter((s) => s.weight > 0).map((s) => s.id);
  const fired = rules.filter((r) => holds(r, present));
  let out = [...signals];
  for (const r of fired) {
    if ('scale' in r.effect) {
      const { scale, target } = r.effect;
      out = out.map((s) =>
        matcher(target).test(s.id)
          ? {
              ...s,
              weight: Math.round(s.weight * scale * 10) / 10,
              detail: `${s.detail} (×${scale}: ${r.description})`,
            }
          : s,
      );
    }
  }
  for (const r of fired) {
    if ('add' in r.effect) {
      out.push({
        id: `page.combo.${r.id}`,
        detector: 'page',
        weight: r.effect.add,
        detail: r.description,
        evidence: [],
      });
    }
  }
  return out;
}

export type RulesParse = { ok: true; rules: ComboRule[] } | { ok: false; error: string };

export function parseComboRules(yamlText: string): RulesParse {
  let doc: unknown;
  try {
    doc = parseYaml(yamlText);
  } catch (e) {
    return { ok: false, error: `YAML: ${(e as Error).message}` };
  }
  const r = comboRulesSchema.safeParse(doc);
  if (r.success) return { ok: true, rules: r.data };
  const issue = r.error.issues[0];
  return { ok: false, error: `${issue?.path.join('.') || '(rules)'}: ${issue?.message}` };
}
