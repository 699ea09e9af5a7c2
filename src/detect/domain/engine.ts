/**
 * The domain engine: scores a host name for brand impersonation and phishing lures, and explains the
 * score signal by signal. Built once from brand profiles (all lookups precomputed), then pure and
 * synchronous per name, so the same engine serves the CLI, the ingest pipeline and benchmarks.
 * @module
 */
import type { Contribution, Signal, Verdict } from '../../domain/index.js';
import { aggregateBy, type ScoreResult, type ScoreThresholds } from '../score.js';
import type { BrandProfile } from './brand-profiles.js';
import { BRAND_WORD, type BrandIndex, buildBrandIndex, LURE_WORD, MISSPELT_WORD } from './brand-index.js';
import { type DeepPartial, type DomainEngineConfig, resolveDomainConfig } from './config.js';
import { type CarriedHost, carriedHost, type EdgeSuffixes } from './edge-alias.js';
import { extractHosts } from './extract-host.js';
import {
  type NormalizedName,
  type NormalizeErrorCode,
  normalizeHost,
  normalizePlainHost,
} from './normalize.js';
import { type PopularityList, popularityFinding } from './popularity.js';
import { registrationAge } from './registration.js';
import { DOMAIN_SIGNALS as S } from './signal-ids.js';
import { createSkeletonMap, foldAsciiCodes, type SkeletonMap } from './skeleton.js';
import { brandLookalikes, dotInsertion } from './techniques/brand-match.js';
import { combosquats } from './techniques/combosquat.js';
import {
  brandName,
  type Engine,
  type Finding,
  finding,
  type LabelView,
  type NameView,
  quote,
} from './techniques/context.js';
import {
  lureFrame,
  lureVocabulary,
  mayHaveMisspelling,
  misspelledWords,
  misspeltWords,
} from './techniques/lure.js';
import { abusedTld, labelShape, platformTenant, randomSlug } from './techniques/shape.js';
import { unluredTenantName } from './techniques/tenant-name.js';
import { brandInSubdomain, labelMayNameBrand } from './techniques/subdomain.js';
import { scanWords, segmentLabel } from './techniques/words.js';
import { loadVocabulary, type Vocabulary } from './vocabulary.js';

export interface DomainEngineOptions {
  readonly profiles: readonly BrandProfile[];
  readonly config?: DeepPartial<DomainEngineConfig>;
  /** Word lists; defaults to the shipped `data/` files. */
  readonly vocabulary?: Vocabulary;
  /** Confusables; defaults to the shipped UTS #39 data. */
  readonly skeletons?: SkeletonMap;
  /**
   * How many chosen labels to remember, each way (without findings, and with), so that a label seen
   * again skips the techniques (`KNOWN_LABELS` by default; 0 turns this off). Feeds repeat labels
   * constantly (`www.` and the bare name, the names of one certificate, a certificate and its
   * precertificate, popular registrable domains), and a label's own findings do not depend on the rest
   * of the name. Results are the same either way.
   */
  readonly knownLabels?: number;
}

/**
 * Default for `DomainEngineOptions.knownLabels`: about 2 MiB of typed arrays, plus the findings of at
 * most that many labels.
 */
export const KNOWN_LABELS = 16384;

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
  const firstLabels = firstLabelFilter(index, platforms);
  const subdomainGate = new Map<string, boolean>();
  const knownEmpty = new KnownEmptyLabels(options.knownLabels ?? KNOWN_LABELS);
  const knownFindings = new KnownFindings(options.knownLabels ?? KNOWN_LABELS);
  const tldFindings = new Map<string, Finding | null>();
  const none = new NoFindings();
  const edges: EdgeSuffixes = {
    vendors: new Set(vocabulary.edgeSuffixes ?? []),
    platforms: platforms.suffixes,
    hostBuckets: new Set(vocabulary.hostBucketSuffixes ?? []),
  };
  const popular = vocabulary.popular;
  let popularLabels: LabelBits | undefined;

  /**
   * The popularity prior (popularity.ts) on a name's outcome: only names with a score ask, and only
   * off shared platforms, whose registrable domain (`azureedge.net`) is popular for its tenants' sake.
   */
  const withPrior = (o: Outcome, name: NormalizedName, registrableHash: number): Outcome => {
    if (o.score === 0 || popular === undefined) return o;
    // Most names with a score are not listed: the hash the engine already has rules them out.
    popularLabels ??= labelBits(popular);
    if (!name.isIdn && !popularLabels.mayHave(registrableHash)) return o;
    const registrable = name.registrable;
    // Registered recently, a listed name has changed hands (dropped and caught): its popularity was
    // the previous holder's.
    for (const s of o.signals) if (s.id === S.newRegistration) return o;
    const rank = popular.rankOf(registrable);
    if (rank === undefined) return o;
    const f = popularityFinding(config, popular, registrable, rank);
    return f === undefined ? o : damped(o, f.signal, config);
  };

  const score = (input: string, facts?: DomainFacts): DomainScoreResult => {
    // Most lines are plain lower-case host names, which one pass recognises and normalises.
    let name: NormalizedName | undefined = normalizePlainHost(input);
    if (name === undefined) {
      let host = input;
      if (needsExtraction(input)) {
        const extracted = hostOf(input);
        if (!extracted.ok) return extracted;
        host = extracted.host;
      }
      const normalized = normalizeHost(host);
      if (!normalized.ok) return { ok: false, input, code: normalized.code, reason: normalized.reason };
      name = normalized;
    }

    // A CDN/edge name carrying a customer's host is judged as that host (see edge-alias.ts).
    if (name.labels.length >= 3) {
      const carried = carriedHost(name, edges);
      if (carried !== undefined && carried.service !== true) {
        const inner = score(carried.host, facts);
        if (inner.ok) return edgeAliasScore(input, name, carried, inner);
      }
      // A vendor names a CDN service after its customer: a brand's exact name there is its own service.
      const service = carried?.service === true ? carried : undefined;
      const brand = service === undefined ? undefined : index.byToken.get(service.host)?.[0];
      if (service !== undefined && brand !== undefined) {
        const f = finding(
          S.edgeAlias,
          0,
          `${quote(name.ascii)} is a CDN/edge service named ${quote(service.host)} under ${quote(service.suffix)}: vendors name services after their customer, so ${brandName(brand)} here is most likely its own service`,
        );
        return scoreOf(input, name, outcome([f], brand.brand, config));
      }
    }

    // Steps: find the label the registrant chose → allow-list → techniques → registration age → score.
    const registrableHash = labelHash(name.registrableLabel);
    // The filter knows ASCII first labels, as the lookups read them: an IDN name's is its punycode form.
    const mayBeKnown = firstLabels.mayHave(
      name.isIdn ? labelHash(name.registrable.slice(0, name.registrable.indexOf('.'))) : registrableHash,
    );
    const platform =
      mayBeKnown || platforms.registrables === undefined ? platformOf(name, platforms) : undefined;
    const owner =
      platform !== undefined || !mayBeKnown
        ? undefined
        : index.ownerOf(name.registrable, name.isIdn ? undefined : name.registrableLabel);
    const registeredAt = facts?.registeredAt;
    const now = facts?.now;
    if (owner) {
      const findings: Finding[] = [
        finding(
          S.brandOwned,
          config.weights.brandOwned,
          `${quote(name.registrable)} belongs to the ${owner.name} portfolio`,
        ),
      ];
      if (registeredAt && now) for (const f of registrationAge(config, registeredAt, now)) findings.push(f);
      return scoreOf(input, name, outcome(findings, owner, config));
    }

    // The chosen label's findings (remembered if the label was seen before), then the checks that read
    // the rest of the name.
    const targetIndex = platform === undefined ? name.labels.length - 1 : platform.targetIndex;
    const target = platform === undefined ? name.registrableLabel : platform.target;
    const hash = platform === undefined ? registrableHash : labelHash(target);
    const known = knownEmpty.lookup(target, hash);
    let label: LabelFindings | undefined;
    if (known >= 0) label = known === 1 ? none.whole : none.empty;
    else label = knownFindings.lookup(target, hash);
    if (label === undefined) {
      label = analyzeLabel(engine, target, skeletons, none);
      if (label.findings.length === 0) knownEmpty.add(target, label.whole);
      else knownFindings.offer(target, label);
    }
    // A listed CDN/edge vendor's own domain is known infrastructure, not a look-alike a phisher chose
    // (`b-cdn.net` is bunny.net's, though `bcdn` is one letter from Meta's `fbcdn`): its registrable label
    // is read as a whole name with no findings. What its customers put in front of it is still judged.
    if (label.findings.length > 0 && platform === undefined && edges.vendors.has(name.registrable))
      label = none.whole;
    // Only names with subdomains or on a platform need a view of the whole name.
    const view =
      targetIndex > 0 || platform !== undefined
        ? new View(
            name,
            target,
            targetIndex > 0 ? name.labels.slice(0, targetIndex) : NO_LABELS,
            platform?.suffix,
            skeletons,
          )
        : undefined;
    let extra: Finding[] = NO_FINDINGS as Finding[];
    let dotEnd = 0;
    if (view !== undefined && targetIndex > 0) {
      extra = [];
      if (!label.whole) dotInsertion(engine, view, extra);
      dotEnd = extra.length;
      if (subdomainMayMatch(engine, view.subLabels, subdomainGate)) brandInSubdomain(engine, view, extra);
    }
    const tld = tldFinding(engine, name.suffix, tldFindings);
    // The brand's exact name under .com, .net or .org was registered long ago, by the brand or a
    // namesake: phishers cannot get it fresh. Damped and said so; a new registration still flags.
    const namesake =
      platform === undefined && label.findings.length > 0 && LEGACY_GTLDS.has(name.suffix)
        ? legacyNamesake(engine, label.findings, name.suffix)
        : undefined;
    if (namesake !== undefined) {
      if (extra === NO_FINDINGS) extra = [];
      extra.push(namesake);
    }
    if (extra.length === 0 && platform === undefined && !(registeredAt && now)) {
      const o =
        label.outcomes !== undefined
          ? rememberedOutcome(label, tld, config)
          : plainOutcome(label.findings, tld, config);
      return scoreOf(input, name, withPrior(o, name, registrableHash));
    }

    const findings: Finding[] = [];
    const all = label.findings;
    append(findings, all, 0, label.lookalikeEnd);
    append(findings, extra, 0, dotEnd);
    append(findings, all, label.lookalikeEnd, label.comboEnd);
    append(findings, extra, dotEnd, extra.length);
    append(findings, all, label.comboEnd, all.length);
    if (tld !== null) findings.push(tld);
    if (view !== undefined && platform !== undefined && !unluredTenantName(engine, view, findings)) {
      const at = findings.length;
      platformTenant(engine, view, findings);
      if (at < findings.length && (findings[at] as Finding).signal.weight === 0) findings.length = at;
    }
    if (registeredAt && now) for (const f of registrationAge(config, registeredAt, now)) findings.push(f);
    const o = outcome(findings, undefined, config);
    // A brand in the subdomains is not damped: popular registrable domains under which anyone gets a
    // subdomain (`com.ru`, `uk.com`, free hosts) are many more than the platforms known here.
    const inSubdomains = extra.length > (namesake === undefined ? 0 : 1);
    return scoreOf(
      input,
      name,
      platform === undefined && !inSubdomains ? withPrior(o, name, registrableHash) : o,
    );
  };

  const edgeAliasScore = (
    input: string,
    name: NormalizedName,
    carried: CarriedHost,
    inner: DomainScore,
  ): DomainScore => {
    const carries =
      carried.bucket === true
        ? `${quote(name.ascii)} is a storage bucket under ${quote(carried.suffix)} named as the host ${quote(carried.host)} it serves (the platform's website-hosting convention)`
        : `${quote(name.ascii)} is a CDN/edge name under ${quote(carried.suffix)} carrying the host ${quote(carried.host)}`;
    const owner = inner.signals.some((x) => x.id === S.brandOwned)
      ? index.ownerOf(inner.registrable)
      : undefined;
    if (owner !== undefined) {
      const f = finding(
        S.edgeAlias,
        config.weights.brandOwned,
        `${carries}, which belongs to the ${owner.name} portfolio`,
      );
      return scoreOf(input, name, outcome([f], owner, config));
    }
    // Otherwise the carried host's own verdict stands, explained as such (a weightless signal).
    const why = finding(S.edgeAlias, 0, `${carries}; scored as that host`).signal;
    return { ...scoreOf(input, name, inner), signals: [...inner.signals, why] };
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

/**
 * A bit filter over the hashes (`labelHash`) of the first labels of the owned domains, the any-suffix
 * labels and the platforms' registrable domains. Most names share none of them, and then the owner and
 * platform lookups, each hashing a freshly cut string, are skipped.
 */
class FirstLabelFilter {
  readonly #bits = new Int32Array(FIRST_LABEL_FILTER_BITS >>> 5);

  add(label: string): void {
    const bit = this.#bit(labelHash(label));
    this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] as number) | (1 << (bit & 31));
  }

  /** False when no label of the set has hash `h`. */
  mayHave(h: number): boolean {
    const bit = this.#bit(h);
    return ((this.#bits[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
  }

  #bit(h: number): number {
    return Math.imul(h, 0x9e3779b1) >>> (32 - FIRST_LABEL_FILTER_LOG2);
  }
}

/**
 * A bit filter over the hashes (`labelHash`) of the first labels of the popularity list's domains
 * (2^20 bits, 128 KiB: about 5% of other labels pass with the shipped 50,000).
 */
class LabelBits {
  readonly #bits = new Int32Array(LABEL_BITS >>> 5);

  add(label: string): void {
    this.addHash(labelHash(label));
  }

  /** Adds a label by its hash (`labelHash`). */
  addHash(h: number): void {
    const bit = Math.imul(h, 0x9e3779b1) >>> (32 - LABEL_BITS_LOG2);
    this.#bits[bit >>> 5] = (this.#bits[bit >>> 5] as number) | (1 << (bit & 31));
  }

  /** False when no label of the set has hash `h`. */
  mayHave(h: number): boolean {
    const bit = Math.imul(h, 0x9e3779b1) >>> (32 - LABEL_BITS_LOG2);
    return ((this.#bits[bit >>> 5] as number) & (1 << (bit & 31))) !== 0;
  }
}

const LABEL_BITS_LOG2 = 20;
const LABEL_BITS = 1 << LABEL_BITS_LOG2;

function labelBits(list: PopularityList): LabelBits {
  const bits = new LabelBits();
  // Hashed where they lie in the list's text: 50,000 labels cut out and lower-cased were most of the
  // cost of the first name with a score.
  if (list.forEachLabelSpan !== undefined)
    list.forEachLabelSpan((text, start, end) => bits.addHash(spanHash(text, start, end)));
  else list.forEachLabel((label) => bits.add(label));
  return bits;
}

/** `labelHash(text.slice(start, end).toLowerCase())`, without the strings when the label is ASCII. */
function spanHash(text: string, start: number, end: number): number {
  for (let i = start; i < end; i++)
    if (text.charCodeAt(i) > 0x7f) return labelHash(text.slice(start, end).toLowerCase());
  return fnv(text, start, end, true);
}

const FIRST_LABEL_FILTER_LOG2 = 16;
const FIRST_LABEL_FILTER_BITS = 1 << FIRST_LABEL_FILTER_LOG2;

function firstLabelFilter(index: BrandIndex, platforms: PlatformLookup): FirstLabelFilter {
  const filter = new FirstLabelFilter();
  const firstLabel = (domain: string): string => {
    const dot = domain.indexOf('.');
    return dot < 0 ? domain : domain.slice(0, dot);
  };
  for (const registrable of index.owners.keys()) filter.add(firstLabel(registrable));
  for (const label of index.ownedLabels) filter.add(label);
  for (const registrable of platforms.registrables ?? []) filter.add(firstLabel(registrable));
  return filter;
}

const NO_LABELS: readonly string[] = Object.freeze([]);

/** Where a name sits under a shared platform: the suffix, and the tenant label the registrant chose. */
interface PlatformMatch {
  readonly suffix: string;
  readonly targetIndex: number;
  readonly target: string;
}

function platformOf(name: NormalizedName, platforms: PlatformLookup): PlatformMatch | undefined {
  if (platforms.registrables !== undefined && !platforms.registrables.has(name.registrable)) return undefined;
  // The most specific platform suffix wins (`blob.core.windows.net` before `windows.net`).
  for (let i = 1, dot = name.ascii.indexOf('.'); dot >= 0; i++, dot = name.ascii.indexOf('.', dot + 1)) {
    const suffix = name.ascii.slice(dot + 1);
    if (platforms.suffixes.has(suffix)) {
      const target = name.labels[i - 1] ?? '';
      return { suffix, targetIndex: i - 1, target };
    }
  }
  return undefined;
}

/** A `LabelView` whose derived strings are only built when a technique asks for them (most never do). */
class LabelOnly implements LabelView {
  #skeleton: string | undefined;
  #bare: string | undefined;

  constructor(
    readonly target: string,
    private readonly skeletons: SkeletonMap,
  ) {}

  get bare(): string {
    this.#bare ??= this.target.includes('-') ? this.target.replaceAll('-', '') : this.target;
    return this.#bare;
  }

  get skeleton(): string {
    this.#skeleton ??= this.skeletons.skeleton(this.target);
    return this.#skeleton;
  }
}

/** A `NameView` whose derived strings are only built when a technique asks for them (most names never do). */
class View extends LabelOnly implements NameView {
  constructor(
    readonly name: NormalizedName,
    target: string,
    readonly subLabels: readonly string[],
    readonly platform: string | undefined,
    skeletons: SkeletonMap,
  ) {
    super(target, skeletons);
  }
}

/** The analysed label's skeleton as codes, hyphens kept (see `analyzeLabel`). */
const LABEL_FOLD = new Uint16Array(256);

/** Bound on the per-label subdomain cache; past it the cache starts over (no LRU bookkeeping per name). */
const SUBDOMAIN_CACHE_LIMIT = 4096;

/** A label's own findings, in technique order, with the places where the per-name ones go in between. */
interface LabelFindings {
  /** Every finding, weight 0 included (they are dropped when a name's findings are put together). */
  readonly findings: readonly Finding[];
  /** `findings[0, lookalikeEnd)` are brand look-alikes; dot insertion comes after them. */
  readonly lookalikeEnd: number;
  /** `findings[lookalikeEnd, comboEnd)` are combosquats; subdomain findings come after them. */
  readonly comboEnd: number;
  /** The label matched a token as a whole, so dot insertion is not looked for. */
  readonly whole: boolean;
  /**
   * Kept on the labels without findings (`NoFindings`): the outcome of a name that adds nothing to the
   * label's findings but, perhaps, an abused-TLD finding, by that finding (null: none). It is the same
   * for every such name, so it is built once. (Kept on `KnownFindings` labels too, a map per label
   * measured slower, and 17 MiB more at peak, than building their outcomes again.)
   */
  readonly outcomes?: Map<Finding | null, Outcome>;
}

/** The outcome of a name that adds nothing to `label`'s findings but, perhaps, `tld` (`LabelFindings.outcomes`). */
function rememberedOutcome(label: LabelFindings, tld: Finding | null, config: DomainEngineConfig): Outcome {
  const outcomes = label.outcomes as Map<Finding | null, Outcome>;
  let o = outcomes.get(tld);
  if (o === undefined) {
    const x = plainOutcome(label.findings, tld, config);
    // Shared by every name it is returned for, so frozen.
    o = { ...x, signals: Object.freeze(x.signals), contributions: Object.freeze(x.contributions) };
    outcomes.set(tld, o);
  }
  return o;
}

/** The outcome of a label's findings plus, perhaps, an abused-TLD finding. */
function plainOutcome(all: readonly Finding[], tld: Finding | null, config: DomainEngineConfig): Outcome {
  const findings: Finding[] = [];
  append(findings, all, 0, all.length);
  if (tld !== null) findings.push(tld);
  return outcome(findings, undefined, config);
}

const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/**
 * What labels without findings (most) share, per engine: two `LabelFindings` (whether the label matched
 * a token as a whole), with one set of remembered outcomes between them.
 */
class NoFindings {
  readonly #outcomes = new Map<Finding | null, Outcome>();
  readonly empty: LabelFindings = {
    findings: NO_FINDINGS,
    lookalikeEnd: 0,
    comboEnd: 0,
    whole: false,
    outcomes: this.#outcomes,
  };
  readonly whole: LabelFindings = { ...this.empty, whole: true };
}

/**
 * Labels kept by their characters in typed arrays: two-way set-associative slots indexed by a hash of
 * the label (`labelHash`). The characters are copied in, so a table holds no object the garbage
 * collector would have to trace, copy or free, and its memory is fixed. A label is only ever found
 * when its characters compare equal. Labels longer than `KNOWN_LABEL_CHARS` are not kept.
 */
class LabelSlots {
  protected readonly mask: number;
  protected readonly slots: number;
  /**
   * Per slot, its label's hash and length + 1 (0: an empty slot), side by side: a probe reads both
   * slots of a set from one cache line.
   */
  protected readonly meta: Int32Array;
  readonly #chars: Uint16Array;
  /** First slot of the set the last `find` probed, and the hash it probed with: where a write goes. */
  protected set = 0;
  protected hash = 0;

  constructor(size: number) {
    let sets = 1;
    while (sets * 2 < size) sets *= 2;
    this.mask = size > 0 ? sets - 1 : -1;
    const slots = size > 0 ? 2 * sets : 0;
    this.slots = slots;
    this.meta = new Int32Array(2 * slots);
    this.#chars = new Uint16Array(slots * KNOWN_LABEL_CHARS);
  }

  protected fits(label: string): boolean {
    return this.mask >= 0 && label.length <= KNOWN_LABEL_CHARS;
  }

  /** The slot holding `label` (of hash `h`), or -1; either way its set is remembered for a write. */
  protected find(label: string, h: number): number {
    const n = label.length;
    const slot = (h & this.mask) << 1;
    this.hash = h;
    this.set = slot;
    const meta = this.meta;
    for (let s = slot; s < slot + 2; s++) {
      if (meta[2 * s] !== h || meta[2 * s + 1] !== n + 1) continue;
      const chars = this.#chars;
      const at = s * KNOWN_LABEL_CHARS;
      let same = true;
      for (let i = 0; i < n && same; i++) same = chars[at + i] === label.charCodeAt(i);
      if (same) return s;
    }
    return -1;
  }

  /** Puts `label` (hashed by the last `find`) in `slot`. */
  protected write(slot: number, label: string): void {
    const n = label.length;
    const chars = this.#chars;
    const at = slot * KNOWN_LABEL_CHARS;
    for (let i = 0; i < n; i++) chars[at + i] = label.charCodeAt(i);
    this.meta[2 * slot] = this.hash;
    this.meta[2 * slot + 1] = n + 1;
  }

  /** Copies the label in slot `from` to slot `to` (its characters only: `copyWithin` costs more). */
  protected move(from: number, to: number): void {
    const meta = this.meta;
    const n = (meta[2 * from + 1] as number) - 1;
    const chars = this.#chars;
    const src = from * KNOWN_LABEL_CHARS;
    const dst = to * KNOWN_LABEL_CHARS;
    for (let i = 0; i < n; i++) chars[dst + i] = chars[src + i] as number;
    meta[2 * to] = meta[2 * from] as number;
    meta[2 * to + 1] = n + 1;
  }
}

/**
 * The labels last found to have no findings at all (most labels in a feed, and they recur: `www.` and
 * the bare name, the names of one certificate, popular registrable domains), so that seeing one again
 * skips the techniques. About 72 bytes per entry.
 */
class KnownEmptyLabels extends LabelSlots {
  /** Whether the label matched a token as a whole. */
  readonly #whole: Uint8Array;

  constructor(size: number) {
    super(size);
    this.#whole = new Uint8Array(this.slots);
  }

  /**
   * -1 when `label` (of hash `h`, `labelHash`) is not known to have no findings; else 1 when it matched
   * a token as a whole, 0 when not.
   */
  lookup(label: string, h: number): number {
    if (!this.fits(label)) return -1;
    const s = this.find(label, h);
    return s < 0 ? -1 : (this.#whole[s] as number);
  }

  /** Remembers `label`, which the last `lookup` missed, as having no findings. */
  add(label: string, whole: boolean): void {
    if (!this.fits(label)) return;
    const slot = this.set;
    // The set's older entry goes; the newer one moves to its place.
    this.move(slot, slot + 1);
    this.#whole[slot + 1] = this.#whole[slot] as number;
    this.write(slot, label);
    this.#whole[slot] = whole ? 1 : 0;
  }
}

/**
 * Findings of labels that recur, for labels with findings (`KnownEmptyLabels` has those without). The
 * entries are objects, so the table avoids what makes a cache costly under a generational collector:
 * churn. A label is admitted the second time it is seen (a bit per hash remembers the first), only
 * into a free slot (nothing is evicted), and the table starts over when it is full and refuses as many
 * recurring labels as it holds (the feed has moved on). Entries therefore live long or not at all.
 */
class KnownFindings extends LabelSlots {
  readonly #values: (LabelFindings | undefined)[];
  readonly #seen: Int32Array;
  #seenCount = 0;
  #refused = 0;

  constructor(size: number) {
    super(size);
    const slots = this.slots;
    this.#values = new Array<LabelFindings | undefined>(slots).fill(undefined);
    // Eight bits per slot.
    this.#seen = new Int32Array(slots / 4);
  }

  lookup(label: string, h: number): LabelFindings | undefined {
    if (!this.fits(label)) return undefined;
    const s = this.find(label, h);
    return s < 0 ? undefined : this.#values[s];
  }

  /** Offers the findings of the label the last `lookup` missed. */
  offer(label: string, value: LabelFindings): void {
    if (!this.fits(label)) return;
    const bit = (Math.imul(this.hash, 0x9e3779b1) >>> 0) % (this.#seen.length * 32);
    const seen = this.#seen;
    const word = bit >>> 5;
    const m = 1 << (bit & 31);
    if (((seen[word] as number) & m) === 0) {
      seen[word] = (seen[word] as number) | m;
      // A quarter of the bits set: start remembering afresh, so stale first sightings do not pile up.
      if (++this.#seenCount > seen.length * 8) {
        seen.fill(0);
        this.#seenCount = 0;
      }
      return;
    }
    let slot = this.set;
    if (this.meta[2 * slot + 1] !== 0) slot++;
    if (this.meta[2 * slot + 1] !== 0) {
      if (++this.#refused > this.slots) this.#clear();
      return;
    }
    this.write(slot, label);
    this.#values[slot] = compactFindings(value);
  }

  #clear(): void {
    this.meta.fill(0);
    this.#values.fill(undefined);
    this.#refused = 0;
  }
}

/**
 * A copy of `value` to be kept: its array trimmed to size, and its explanations flat (they are built by
 * concatenation, as trees of string pieces; reading a character makes V8 replace a tree by a flat copy).
 */
function compactFindings(value: LabelFindings): LabelFindings {
  for (const f of value.findings) f.signal.detail.charCodeAt(0);
  return {
    findings: value.findings.slice(),
    lookalikeEnd: value.lookalikeEnd,
    comboEnd: value.comboEnd,
    whole: value.whole,
  };
}

/** The hash `KnownEmptyLabels` and `KnownFindings` index labels by (FNV-1a, its high bits folded in). */
function labelHash(label: string): number {
  return fnv(label, 0, label.length, false);
}

/**
 * FNV-1a of `text[start, end)` (ASCII capitals folded when `fold`), the one hash `labelHash` and
 * `spanHash` share: the popularity filter's bits must match the engine's own label hashes. Labels
 * longer than `KNOWN_LABEL_CHARS` all hash as the empty label.
 */
function fnv(text: string, start: number, end: number, fold: boolean): number {
  let h = 0x811c9dc5;
  if (end - start <= KNOWN_LABEL_CHARS)
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      h = Math.imul(h ^ (fold && c >= 0x41 && c <= 0x5a ? c + 0x20 : c), 0x01000193);
    }
  return h ^ (h >>> 15);
}

/** Longest label `KnownEmptyLabels` keeps (longer ones are rare and mostly one-offs). */
const KNOWN_LABEL_CHARS = 32;

/** Appends `from[start, end)` to `to`, leaving out findings whose weight is configured to 0 (switched off). */
function append(to: Finding[], from: readonly Finding[], start: number, end: number): void {
  for (let i = start; i < end; i++) {
    const f = from[i] as Finding;
    if (f.signal.weight !== 0) to.push(f);
  }
}

/** The abused-TLD finding for a public suffix, or null; one finding object per suffix. */
function tldFinding(engine: Engine, suffix: string, cache: Map<string, Finding | null>): Finding | null {
  let f = cache.get(suffix);
  if (f === undefined) {
    const out: Finding[] = [];
    abusedTld(engine, suffix, out);
    f = out[0] ?? null;
    if (f !== null && f.signal.weight === 0) f = null;
    if (cache.size >= SUBDOMAIN_CACHE_LIMIT) cache.clear();
    cache.set(suffix, f);
  }
  return f;
}

/**
 * Runs the label techniques in a fixed order (it decides ties between equal weights), each only when a
 * one-pass pre-filter shows it could report something: the common case, a name with no brand, lure or
 * near-miss in it, costs two automaton passes and a few hash probes, and builds no intermediate objects.
 */
function analyzeLabel(
  engine: Engine,
  label: string,
  skeletons: SkeletonMap,
  none: NoFindings,
): LabelFindings {
  const { index } = engine;
  const view = new LabelOnly(label, skeletons);
  const out: Finding[] = [];
  const folded = LABEL_FOLD;
  const foldedLength = foldAsciiCodes(label, 0, label.length, folded);
  const whole = brandLookalikes(engine, view, folded, foldedLength, out);
  const lookalikeEnd = out.length;

  const wordFlags = scanWords(engine, label);
  const brandFlags =
    foldedLength >= 0
      ? index.brandAutomaton.flagsOfCodes(folded, foldedLength)
      : index.brandAutomaton.flags(view.skeleton);
  const misspelling = mayHaveMisspelling(engine, label);
  const words = wordFlags !== 0 || brandFlags !== 0 || misspelling ? segmentLabel(engine, label) : undefined;
  if (words && ((wordFlags & BRAND_WORD) !== 0 || brandFlags !== 0)) combosquats(engine, view, words, out);
  const comboEnd = out.length;
  if (words && (wordFlags & LURE_WORD) !== 0) {
    lureVocabulary(engine, view, words, out);
    // Brand-agnostic framing only where no brand was seen (the brand checks explain those better).
    if (comboEnd === 0) lureFrame(engine, view, words, out);
  }
  const misspelt =
    words !== undefined && (wordFlags & MISSPELT_WORD) !== 0 && misspeltWords(engine, view, words, out);
  if (words && misspelling && !misspelt) misspelledWords(engine, view, words, out);
  randomSlug(engine, view, out);
  labelShape(engine, view, out);

  if (out.length === 0) return whole ? none.whole : none.empty;
  return { findings: out, lookalikeEnd, comboEnd, whole };
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

const signalOfFinding = (f: Finding): Signal => f.signal;
const NO_SIGNALS: readonly Signal[] = Object.freeze([]);
const NO_CONTRIBUTIONS: readonly Contribution[] = Object.freeze([]);

/** What a name's findings come to: everything in a `DomainScore` that does not name the name. */
type Outcome = Pick<DomainScore, 'score' | 'flagged' | 'verdict' | 'brand' | 'signals' | 'contributions'>;

function scoreOf(input: string, name: NormalizedName, o: Outcome): DomainScore {
  return {
    ok: true,
    input,
    domain: name.ascii,
    unicode: name.unicode,
    registrable: name.registrable,
    suffix: name.suffix,
    score: o.score,
    flagged: o.flagged,
    verdict: o.verdict,
    brand: o.brand,
    signals: o.signals,
    contributions: o.contributions,
  };
}

function outcome(
  findings: readonly Finding[],
  owner: BrandProfile | undefined,
  config: DomainEngineConfig,
): Outcome {
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
    agg = aggregateBy(findings, signalOfFinding, config.thresholds);
    signals = orderSignals(findings, agg.contributions);
  }
  return {
    score: agg.score,
    flagged: agg.flagged,
    verdict: agg.verdict,
    brand: brandOf ? brandRef(brandOf) : null,
    signals,
    contributions: agg.contributions,
  };
}

const BRAND_REFS = new WeakMap<BrandProfile, { readonly id: string; readonly name: string }>();

/** `{ id, name }` of a profile, one frozen object per profile. */
function brandRef(p: BrandProfile): { readonly id: string; readonly name: string } {
  let ref = BRAND_REFS.get(p);
  if (ref === undefined) {
    ref = Object.freeze({ id: p.id, name: p.name });
    BRAND_REFS.set(p, ref);
  }
  return ref;
}

/** `o` with one more (damping) signal: aggregated afresh, its signals in the order of their share. */
function damped(o: Outcome, extra: Signal, config: DomainEngineConfig): Outcome {
  const all = [...o.signals, extra];
  const agg = aggregateBy(all, (s: Signal) => s, config.thresholds);
  const signals: Signal[] = [];
  for (const c of agg.contributions) {
    const s = all.find((x) => x.id === c.id && x.detail === c.detail);
    if (s !== undefined) signals.push(s);
  }
  return {
    ...o,
    score: agg.score,
    flagged: agg.flagged,
    verdict: agg.verdict,
    signals,
    contributions: agg.contributions,
  };
}

/** The strongest signal per id, in the order of their share of the score. */
function orderSignals(findings: readonly Finding[], contributions: readonly Contribution[]): Signal[] {
  const kept: Signal[] = [];
  if (RANKS.length < findings.length) RANKS = new Int32Array(findings.length * 2);
  const ranks = RANKS;
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
    kept.push(s);
    while (at > 0 && (ranks[at - 1] as number) > rank) {
      kept[at] = kept[at - 1] as Signal;
      ranks[at] = ranks[at - 1] as number;
      at--;
    }
    kept[at] = s;
    ranks[at] = rank;
  }
  return kept;
}

let RANKS = new Int32Array(16);

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

/** Legacy generic TLDs, where every brand's exact name was registered long ago. */
const LEGACY_GTLDS: ReadonlySet<string> = new Set(['com', 'net', 'org']);

/** The damping finding for a label that is exactly a brand token (`domain.tld-swap`) under a legacy gTLD. */
function legacyNamesake(engine: Engine, findings: readonly Finding[], suffix: string): Finding | undefined {
  for (const f of findings) {
    if (f.signal.id !== S.tldSwap) continue;
    return finding(
      S.legacyNamesake,
      engine.config.weights.legacyNamesake,
      `the exact name under .${suffix}, a legacy TLD where brand names were taken long ago: most likely the brand's own or a namesake's (a recent registration would say otherwise)`,
    );
  }
  return undefined;
}
