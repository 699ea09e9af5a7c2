/**
 * The domain engine: scores a host name for brand impersonation and phishing lures, and explains the
 * score signal by signal. Built once from brand profiles (all lookups precomputed), then pure and
 * synchronous per name, so the same engine serves the CLI, the ingest pipeline and benchmarks.
 * @module
 */
import type { Contribution, Signal, Verdict } from '../../domain/index.js';
import type { ScoreResult, ScoreThresholds } from '../score.js';
import { aggregateFindings } from './aggregate.js';
import type { BrandProfile } from './brand-profiles.js';
import { BRAND_WORD, type BrandIndex, buildBrandIndex, LURE_WORD } from './brand-index.js';
import { type DeepPartial, type DomainEngineConfig, resolveDomainConfig } from './config.js';
import { extractHosts } from './extract-host.js';
import { type NormalizedName, type NormalizeErrorCode, normalizeHost } from './normalize.js';
import { registrationAge } from './registration.js';
import { DOMAIN_SIGNALS as S } from './signal-ids.js';
import { createSkeletonMap, foldAsciiCodes, type SkeletonMap } from './skeleton.js';
import { brandLookalikes } from './techniques/brand-match.js';
import { combosquats } from './techniques/combosquat.js';
import { type Engine, type Finding, finding, type NameView, quote } from './techniques/context.js';
import { lureVocabulary, mayHaveMisspelling, misspelledWords } from './techniques/lure.js';
import { abusedTld, labelShape, platformTenant, randomSlug } from './techniques/shape.js';
import { brandInSubdomain, labelMayNameBrand } from './techniques/subdomain.js';
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
  const platforms = platformLookup(vocabulary.platformSuffixes);
  const subdomainGate = new Map<string, boolean>();

  const score = (input: string, facts?: DomainFacts): DomainScoreResult => {
    let host = input;
    if (needsExtraction(input)) {
      const extracted = hostOf(input);
      if (!extracted.ok) return extracted;
      host = extracted.host;
    }
    const name = normalizeHost(host);
    if (!name.ok) return { ok: false, input, code: name.code, reason: name.reason };

    // Steps: find the label the registrant chose → allow-list → techniques → registration age → score.
    const view = viewOf(name, platforms, skeletons);
    const owner = view.platform ? undefined : index.ownerOf(name.registrable);
    const findings: Finding[] = [];
    if (owner)
      findings.push(
        finding(
          S.brandOwned,
          config.weights.brandOwned,
          `${quote(name.registrable)} belongs to the ${owner.name} portfolio`,
        ),
      );
    else runTechniques(engine, view, subdomainGate, findings);
    if (facts?.registeredAt && facts.now)
      for (const f of registrationAge(config, facts.registeredAt, facts.now)) findings.push(f);
    return result(input, name, findings, owner, config);
  };

  return { score, config, index };
}

// Characters that cannot occur in a bare host name but do in URLs and JSON lines.
function needsExtraction(input: string): boolean {
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    // : / { [ and whitespace (what `/[:/{\s[]/` matched), checked by code to skip a regex per name.
    if (c === 0x3a || c === 0x2f || c === 0x7b || c === 0x5b || c <= 0x20) return true;
    if (c > 0x7f && /\s/.test(input[i] as string)) return true;
  }
  return false;
}

function hostOf(input: string): { ok: true; host: string } | DomainScoreError {
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

interface PlatformLookup {
  readonly suffixes: ReadonlySet<string>;
  /**
   * Registrable domains of the platform suffixes (`windows.net` for `blob.core.windows.net`): a name
   * can only sit under a platform whose registrable domain it shares, so every other name skips the
   * suffix scan. Undefined when some suffix has no registrable domain, which disables the shortcut.
   */
  readonly registrables: ReadonlySet<string> | undefined;
}

function platformLookup(suffixes: readonly string[]): PlatformLookup {
  const registrables = new Set<string>();
  for (const p of suffixes) {
    const n = normalizeHost(p);
    if (!n.ok) return { suffixes: new Set(suffixes), registrables: undefined };
    registrables.add(n.registrable);
  }
  return { suffixes: new Set(suffixes), registrables };
}

const NO_LABELS: readonly string[] = Object.freeze([]);

function viewOf(name: NormalizedName, platforms: PlatformLookup, skeletons: SkeletonMap): NameView {
  const labels = name.labels;
  let platform: string | undefined;
  let targetIndex = labels.length - 1;
  if (platforms.registrables === undefined || platforms.registrables.has(name.registrable)) {
    // The most specific platform suffix wins (`blob.core.windows.net` before `windows.net`).
    for (let i = 1, dot = name.ascii.indexOf('.'); dot >= 0; i++, dot = name.ascii.indexOf('.', dot + 1)) {
      const suffix = name.ascii.slice(dot + 1);
      if (platforms.suffixes.has(suffix)) {
        platform = suffix;
        targetIndex = i - 1;
        break;
      }
    }
  }
  const target = (platform ? labels[targetIndex] : name.registrableLabel) ?? '';
  return new View(
    name,
    target,
    targetIndex > 0 ? labels.slice(0, targetIndex) : NO_LABELS,
    platform,
    skeletons,
  );
}

/** A `NameView` whose derived strings are only built when a technique asks for them (most names never do). */
class View implements NameView {
  readonly isAscii: boolean;
  #skeleton: string | undefined;
  #bare: string | undefined;

  constructor(
    readonly name: NormalizedName,
    readonly target: string,
    readonly subLabels: readonly string[],
    readonly platform: string | undefined,
    private readonly skeletons: SkeletonMap,
  ) {
    this.isAscii = !name.isIdn;
  }

  get bare(): string {
    this.#bare ??= this.target.includes('-') ? this.target.replaceAll('-', '') : this.target;
    return this.#bare;
  }

  get skeleton(): string {
    this.#skeleton ??= this.skeletons.skeleton(this.target);
    return this.#skeleton;
  }
}

const FOLDED = new Uint16Array(256);

/** Brand-automaton flags of the target's skeleton, from folded codes when the target is ASCII. */
function brandFlagsOf(engine: Engine, view: NameView): number {
  const n = foldAsciiCodes(view.target, 0, view.target.length, FOLDED);
  return n >= 0
    ? engine.index.brandAutomaton.flagsOfCodes(FOLDED, n)
    : engine.index.brandAutomaton.flags(view.skeleton);
}

/** Bound on the per-label subdomain cache; past it the cache starts over (no LRU bookkeeping per name). */
const SUBDOMAIN_CACHE_LIMIT = 4096;

/**
 * Runs the techniques in a fixed order (it decides ties between equal weights), each only when a
 * one-pass pre-filter shows it could report something: the common case, a name with no brand, lure or
 * near-miss in it, costs two automaton passes and a few hash probes, and builds no intermediate objects.
 */
function runTechniques(
  engine: Engine,
  view: NameView,
  subdomainGate: Map<string, boolean>,
  out: Finding[],
): void {
  const { index } = engine;
  const label = view.target;
  brandLookalikes(engine, view, out);

  const wordFlags = index.words.flags(label);
  const brandFlags = brandFlagsOf(engine, view);
  const misspelling = mayHaveMisspelling(engine, label);
  const words = wordFlags !== 0 || brandFlags !== 0 || misspelling ? segmentLabel(engine, label) : undefined;
  if (words && ((wordFlags & BRAND_WORD) !== 0 || brandFlags !== 0)) combosquats(engine, view, words, out);
  if (view.subLabels.length > 0 && subdomainMayMatch(engine, view.subLabels, subdomainGate))
    brandInSubdomain(engine, view, out);
  if (words && (wordFlags & LURE_WORD) !== 0) lureVocabulary(engine, view, words.segments, out);
  if (words && misspelling) misspelledWords(engine, view, words.segments, out);
  randomSlug(engine, view, out);
  labelShape(engine, view, out);
  abusedTld(engine, view, out);
  platformTenant(engine, view, out);

  // A weight configured to 0 switches a technique off.
  let kept = 0;
  for (let i = 0; i < out.length; i++) {
    const f = out[i] as Finding;
    if (f.signal.weight !== 0) out[kept++] = f;
  }
  out.length = kept;
}

function subdomainMayMatch(
  engine: Engine,
  subLabels: readonly string[],
  cache: Map<string, boolean>,
): boolean {
  // Two or more labels may spell an official domain (`login.microsoftonline.com.evil.top`).
  if (subLabels.length >= 2) return true;
  const label = subLabels[0] as string;
  let hit = cache.get(label);
  if (hit === undefined) {
    hit = labelMayNameBrand(engine, label);
    if (cache.size >= SUBDOMAIN_CACHE_LIMIT) cache.clear();
    cache.set(label, hit);
  }
  return hit;
}

const NO_SIGNALS: readonly Signal[] = Object.freeze([]);
const NO_CONTRIBUTIONS: readonly Contribution[] = Object.freeze([]);

function result(
  input: string,
  name: NormalizedName,
  findings: readonly Finding[],
  owner: BrandProfile | undefined,
  config: DomainEngineConfig,
): DomainScore {
  let brandOf: BrandProfile | undefined = owner;
  let best = 0;
  for (const f of findings)
    if (f.token && f.signal.weight > best) {
      best = f.signal.weight;
      brandOf = f.token.brand;
    }
  let agg: ScoreResult;
  let signals: readonly Signal[];
  if (findings.length <= 1) {
    // Most names carry no signal or one; `aggregate` on them reduces to a closed form.
    const only = findings[0]?.signal;
    agg = only ? aggregateOne(only, config.thresholds) : aggregateNone(config.thresholds);
    signals = only ? [only] : NO_SIGNALS;
  } else {
    agg = aggregateFindings(findings, config.thresholds);
    signals = orderSignals(findings, agg.contributions);
  }
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
    signals,
    contributions: agg.contributions,
  };
}

/** The strongest signal per id, in the order of their share of the score. */
function orderSignals(findings: readonly Finding[], contributions: readonly Contribution[]): Signal[] {
  const kept: Signal[] = [];
  const ranks: number[] = [];
  for (const f of findings) {
    const s = f.signal;
    let rank = -1;
    let same = false;
    for (let i = 0; i < contributions.length; i++) {
      const c = contributions[i] as Contribution;
      if (c.id !== s.id) continue;
      if (rank < 0) rank = i;
      if (c.detail === s.detail) same = true;
    }
    if (!same) continue;
    // Stable insertion by rank.
    let at = kept.length;
    while (at > 0 && (ranks[at - 1] as number) > rank) at--;
    kept.splice(at, 0, s);
    ranks.splice(at, 0, rank);
  }
  return kept;
}

// The closed forms below repeat `aggregate`'s arithmetic operation for operation, so scores and points
// are bit-identical to it (the engine tests compare both).
const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : Math.min(v, hi));
const round1 = (v: number): number => Math.round(v * 10) / 10;

function scoreResult(
  score: number,
  thresholds: ScoreThresholds,
  contributions: readonly Contribution[],
): ScoreResult {
  const flagged = score >= thresholds.flag;
  const verdict = score >= thresholds.malicious ? 'malicious' : flagged ? 'suspicious' : 'benign';
  return { score, flagged, verdict, contributions };
}

// The result without signals depends only on the thresholds, so it is built once per thresholds object.
const NONE = new WeakMap<ScoreThresholds, ScoreResult>();

function aggregateNone(thresholds: ScoreThresholds): ScoreResult {
  let r = NONE.get(thresholds);
  if (r === undefined) {
    r = Object.freeze(
      scoreResult(round1(clamp(100 * (1 - Math.exp(-0)), 0, 100)), thresholds, NO_CONTRIBUTIONS),
    );
    NONE.set(thresholds, r);
  }
  return r;
}

function aggregateOne(s: Signal, thresholds: ScoreThresholds): ScoreResult {
  const log = s.weight > 0 ? -Math.log1p(-clamp(s.weight, 0, 99.9) / 100) : 0;
  const logSum = 0 + log;
  const positive = 100 * (1 - Math.exp(-logSum));
  const negative = s.weight < 0 ? 0 - s.weight : 0;
  const score = round1(clamp(positive - negative, 0, 100));
  const taken = positive - score;
  const points = round1(
    s.weight > 0
      ? logSum > 0
        ? (positive * log) / logSum
        : 0
      : s.weight < 0 && negative > 0
        ? (-taken * -s.weight) / negative
        : 0,
  );
  const contribution: Contribution = {
    id: s.id,
    detector: s.detector,
    weight: s.weight,
    points,
    detail: s.detail,
    evidence: s.evidence,
  };
  return scoreResult(score, thresholds, [contribution]);
}
