/**
 * The domain engine: scores a host name for brand impersonation and phishing lures, and explains the
 * score signal by signal. Built once from brand profiles (all lookups precomputed), then pure and
 * synchronous per name, so the same engine serves the CLI, the ingest pipeline and benchmarks.
 * @module
 */
import type { Contribution, Signal, Verdict } from '../../domain/index.js';
import { aggregate } from '../score.js';
import type { BrandProfile } from './brand-profiles.js';
import { type BrandIndex, buildBrandIndex } from './brand-index.js';
import { type DeepPartial, type DomainEngineConfig, resolveDomainConfig } from './config.js';
import { extractHosts } from './extract-host.js';
import { type NormalizedName, type NormalizeErrorCode, normalizeHost } from './normalize.js';
import { registrationAge } from './registration.js';
import { DOMAIN_SIGNALS as S } from './signal-ids.js';
import { createSkeletonMap, type SkeletonMap } from './skeleton.js';
import { brandLookalikes } from './techniques/brand-match.js';
import { combosquats } from './techniques/combosquat.js';
import { type Engine, type Finding, finding, type NameView, quote } from './techniques/context.js';
import { lureVocabulary, misspelledWords } from './techniques/lure.js';
import { abusedTld, labelShape, platformTenant, randomSlug } from './techniques/shape.js';
import { brandInSubdomain } from './techniques/subdomain.js';
import { segmentLabel } from './techniques/words.js';
import { loadVocabulary, type Vocabulary } from './vocabulary.js';

export interface DomainEngineOptions {
  readonly profiles: readonly BrandProfile[];
  readonly config?: DeepPartial<DomainEngineConfig>;
  /** Word lists; defaults to the shipped `data/` files. */
  readonly vocabulary?: Vocabulary;
  /** Confusables; defaults to the shipped UTS #39 data. */
  readonly skeletons?: SkeletonMap;
}

/** Facts from enrichment that refine the score. */
export interface DomainFacts {
  /** ISO 8601 registration time (RDAP). */
  readonly registeredAt?: string;
  /** ISO 8601 event time the age is measured against. */
  readonly now?: string;
}

export interface DomainScore {
  readonly ok: true;
  readonly input: string;
  /** ASCII form (the entity key form). */
  readonly domain: string;
  readonly unicode: string;
  readonly registrable: string;
  readonly suffix: string;
  readonly score: number;
  readonly flagged: boolean;
  readonly verdict: Verdict;
  /** The brand the strongest brand signal is about, or null. */
  readonly brand: { readonly id: string; readonly name: string } | null;
  /** Signals, strongest contribution first. */
  readonly signals: readonly Signal[];
  readonly contributions: readonly Contribution[];
}

export type DomainScoreErrorCode = NormalizeErrorCode | 'NO_HOST' | 'PARSE_ERROR' | 'MULTIPLE_HOSTS';

export interface DomainScoreError {
  readonly ok: false;
  readonly input: string;
  readonly code: DomainScoreErrorCode;
  readonly reason: string;
}

export type DomainScoreResult = DomainScore | DomainScoreError;

export interface DomainEngine {
  /** Scores a host name or a URL. Never throws on bad input: returns a typed error instead. */
  score(nameOrUrl: string, facts?: DomainFacts): DomainScoreResult;
  readonly config: DomainEngineConfig;
  readonly index: BrandIndex;
}

/**
 * @example
 * ```ts
 * const engine = createDomainEngine({ profiles: loadBrandProfiles(defaultBrandsDir()) });
 * const r = engine.score('login-rnicrosoft.top');
 * if (r.ok && r.flagged) console.log(r.brand?.name, r.signals.map((s) => s.detail));
 * ```
 */
export function createDomainEngine(options: DomainEngineOptions): DomainEngine {
  const config = resolveDomainConfig(options.config);
  const skeletons = options.skeletons ?? createSkeletonMap();
  const vocabulary = options.vocabulary ?? loadVocabulary();
  const index = buildBrandIndex(options.profiles, vocabulary, skeletons, config);
  const engine: Engine = { index, skeletons, config };
  const platforms = new Set(vocabulary.platformSuffixes);

  const score = (input: string, facts: DomainFacts = {}): DomainScoreResult => {
    const host = hostOf(input);
    if (!host.ok) return host;
    const name = normalizeHost(host.host);
    if (!name.ok) return { ok: false, input, code: name.code, reason: name.reason };

    // Steps: find the label the registrant chose → allow-list → techniques → registration age → score.
    const view = viewOf(name, platforms, skeletons);
    const owner = view.platform ? undefined : index.ownerOf(name.registrable);
    const findings: Finding[] = owner
      ? [
          finding(
            S.brandOwned,
            config.weights.brandOwned,
            `${quote(name.registrable)} belongs to the ${owner.name} portfolio`,
          ),
        ]
      : runTechniques(engine, view);
    if (facts.registeredAt && facts.now)
      findings.push(...registrationAge(config, facts.registeredAt, facts.now));
    return result(input, name, findings, owner, config);
  };

  return { score, config, index };
}

function hostOf(input: string): { ok: true; host: string } | DomainScoreError {
  if (!/[:/{\s[]/.test(input)) return { ok: true, host: input };
  const r = extractHosts(input);
  if (!r.ok) return { ok: false, input, code: r.code, reason: r.reason };
  const [first, ...more] = r.hosts;
  if (first === undefined) return { ok: false, input, code: 'NO_HOST', reason: 'no host name in the input' };
  if (more.length > 0)
    return {
      ok: false,
      input,
      code: 'MULTIPLE_HOSTS',
      reason: `the input holds ${r.hosts.length} names; score them one by one`,
    };
  return { ok: true, host: first };
}

function viewOf(name: NormalizedName, platforms: ReadonlySet<string>, skeletons: SkeletonMap): NameView {
  const all = name.unicode.split('.');
  let platform: string | undefined;
  let targetIndex = name.labels.length - 1;
  // The most specific platform suffix wins (`blob.core.windows.net` before `windows.net`).
  for (let i = 1, dot = name.ascii.indexOf('.'); dot >= 0; i++, dot = name.ascii.indexOf('.', dot + 1)) {
    const suffix = name.ascii.slice(dot + 1);
    if (platforms.has(suffix)) {
      platform = suffix;
      targetIndex = i - 1;
      break;
    }
  }
  const target = (platform ? all[targetIndex] : name.registrableLabel) ?? '';
  return {
    name,
    target,
    bare: target.replace(/-/g, ''),
    skeleton: skeletons.skeleton(target),
    subLabels: all.slice(0, targetIndex),
    platform,
    isAscii: !name.isIdn,
  };
}

function runTechniques(engine: Engine, view: NameView): Finding[] {
  const words = segmentLabel(engine, view.target);
  const segments = words.segments;
  // A weight configured to 0 switches a technique off.
  return [
    ...brandLookalikes(engine, view),
    ...combosquats(engine, view, words),
    ...brandInSubdomain(engine, view),
    ...lureVocabulary(engine, view, segments),
    ...misspelledWords(engine, view, segments),
    ...randomSlug(engine, view),
    ...labelShape(engine, view),
    ...abusedTld(engine, view),
    ...platformTenant(engine, view),
  ].filter((f) => f.signal.weight !== 0);
}

function result(
  input: string,
  name: NormalizedName,
  findings: readonly Finding[],
  owner: BrandProfile | undefined,
  config: DomainEngineConfig,
): DomainScore {
  const signals = findings.map((f) => f.signal);
  const agg = aggregate(signals, config.thresholds);
  let brandOf: BrandProfile | undefined = owner;
  let best = 0;
  for (const f of findings)
    if (f.token && f.signal.weight > best) {
      best = f.signal.weight;
      brandOf = f.token.brand;
    }
  const rank = new Map(agg.contributions.map((c, i) => [c.id, i]));
  const kept = new Set(agg.contributions.map((c) => `${c.id}\u0000${c.detail}`));
  return {
    ok: true,
    input,
    domain: name.ascii,
    unicode: name.unicode,
    registrable: name.registrable,
    suffix: name.suffix,
    score: agg.score,
    flagged: agg.flagged,
    verdict: agg.verdict,
    brand: brandOf ? { id: brandOf.id, name: brandOf.name } : null,
    // The strongest signal per id, in the order of their share of the score.
    signals: signals
      .filter((s) => kept.has(`${s.id}\u0000${s.detail}`))
      .sort((a, b) => (rank.get(a.id) ?? 0) - (rank.get(b.id) ?? 0)),
    contributions: agg.contributions,
  };
}
