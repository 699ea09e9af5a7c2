/**
 * Name evaluation: scores labelled host names with the domain engine and reports recall, false-positive
 * rate and precision, overall, per class (a corpus's own grouping: `dnstwist`, `lure`, `cdn-edge`…) and
 * per signal, with the worst misses and false flags and their explanations. Pure over its inputs, so the
 * CLI (`precursor eval names`), tests and benchmarks share it.
 * @module
 */
import type { DomainEngine, DomainScore } from './engine.js';

export interface LabelledName {
  readonly name: string;
  /** True for a name that should be flagged. */
  readonly positive: boolean;
  /** The corpus's grouping of the name; reported separately. */
  readonly class: string;
}

export interface Rates {
  readonly positives: number;
  readonly negatives: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  /** Flagged positives / positives (null without positives). */
  readonly recall: number | null;
  /** Flagged negatives / negatives (null without negatives). */
  readonly falsePositiveRate: number | null;
  /** Flagged positives / flagged names (null when nothing is flagged). */
  readonly precision: number | null;
}

export interface SignalRates {
  readonly id: string;
  /** Positives the signal fired on (flagged or not). */
  readonly positives: number;
  /** Negatives the signal fired on. */
  readonly negatives: number;
  /** Flagged positives where this signal was the strongest contribution. */
  readonly leadingTruePositives: number;
  /** Flagged negatives where this signal was the strongest contribution. */
  readonly leadingFalsePositives: number;
}

export interface ExplainedName {
  readonly name: string;
  readonly class: string;
  readonly score: number;
  readonly brand: string | null;
  readonly signals: readonly { readonly id: string; readonly points: number; readonly detail: string }[];
}

export interface NameEvaluation {
  readonly threshold: number;
  readonly overall: Rates;
  readonly classes: readonly ({ readonly class: string } & Rates)[];
  readonly signals: readonly SignalRates[];
  /** Positives not flagged, lowest score first. */
  readonly worstMisses: readonly ExplainedName[];
  /** Negatives flagged, highest score first. */
  readonly worstFalseFlags: readonly ExplainedName[];
  /** Names the engine rejected (not counted in the rates). */
  readonly rejected: readonly { readonly name: string; readonly class: string; readonly reason: string }[];
}

interface Counts {
  positives: number;
  negatives: number;
  truePositives: number;
  falsePositives: number;
}

const emptyCounts = (): Counts => ({ positives: 0, negatives: 0, truePositives: 0, falsePositives: 0 });

const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);

function rates(c: Counts): Rates {
  return {
    ...c,
    recall: ratio(c.truePositives, c.positives),
    falsePositiveRate: ratio(c.falsePositives, c.negatives),
    precision: ratio(c.truePositives, c.truePositives + c.falsePositives),
  };
}

function explain(r: DomainScore, item: LabelledName): ExplainedName {
  return {
    name: item.name,
    class: item.class,
    score: r.score,
    brand: r.brand?.id ?? null,
    signals: r.contributions.map((c) => ({ id: c.id, points: c.points, detail: c.detail })),
  };
}

/**
 * Keeps the `limit` most extreme items of a stream without sorting it all; `before(a, b)` is true when
 * `a` ranks ahead of `b`.
 */
class Worst<T> {
  readonly #items: T[] = [];
  constructor(
    private readonly limit: number,
    private readonly before: (a: T, b: T) => boolean,
  ) {}
  offer(item: T): void {
    if (this.limit <= 0) return;
    const items = this.#items;
    if (items.length === this.limit && !this.before(item, items[items.length - 1] as T)) return;
    let i = items.length;
    while (i > 0 && this.before(item, items[i - 1] as T)) i--;
    items.splice(i, 0, item);
    if (items.length > this.limit) items.pop();
  }
  get items(): readonly T[] {
    return this.#items;
  }
}

export interface EvaluateNamesOptions {
  /** How many misses and false flags to explain (default 20). */
  readonly worst?: number;
}

/** Scores every name once; memory is bounded by the number of classes, signals and `worst`. */
export function evaluateNames(
  engine: DomainEngine,
  names: Iterable<LabelledName>,
  options: EvaluateNamesOptions = {},
): NameEvaluation {
  const limit = options.worst ?? 20;
  const overall = emptyCounts();
  const classes = new Map<string, Counts>();
  const signals = new Map<string, { -readonly [K in keyof SignalRates]: SignalRates[K] }>();
  const misses = new Worst<ExplainedName>(limit, (a, b) => a.score < b.score);
  const falseFlags = new Worst<ExplainedName>(limit, (a, b) => a.score > b.score);
  const rejected: { name: string; class: string; reason: string }[] = [];
  for (const item of names) {
    const r = engine.score(item.name);
    if (!r.ok) {
      rejected.push({ name: item.name, class: item.class, reason: r.reason });
      continue;
    }
    let c = classes.get(item.class);
    if (c === undefined) {
      c = emptyCounts();
      classes.set(item.class, c);
    }
    const lead = r.contributions[0]?.id;
    for (const counts of [overall, c]) {
      if (item.positive) {
        counts.positives++;
        if (r.flagged) counts.truePositives++;
      } else {
        counts.negatives++;
        if (r.flagged) counts.falsePositives++;
      }
    }
    for (const s of r.signals) {
      let t = signals.get(s.id);
      if (t === undefined) {
        t = { id: s.id, positives: 0, negatives: 0, leadingTruePositives: 0, leadingFalsePositives: 0 };
        signals.set(s.id, t);
      }
      if (item.positive) t.positives++;
      else t.negatives++;
      if (r.flagged && s.id === lead) {
        if (item.positive) t.leadingTruePositives++;
        else t.leadingFalsePositives++;
      }
    }
    if (item.positive && !r.flagged) misses.offer(explain(r, item));
    else if (!item.positive && r.flagged) falseFlags.offer(explain(r, item));
  }
  return {
    threshold: engine.config.thresholds.flag,
    overall: rates(overall),
    classes: [...classes].map(([name, counts]) => ({ class: name, ...rates(counts) })),
    signals: [...signals.values()].sort((a, b) => b.positives + b.negatives - (a.positives + a.negatives)),
    worstMisses: misses.items,
    worstFalseFlags: falseFlags.items,
    rejected,
  };
}

/**
 * Parses a labelled name list: one name per line, `#` comments and blank lines skipped, an optional
 * class after a tab, comma or space (`login-micros0ft.top lure`); names without one get `defaultClass`.
 */
export function* parseNameList(
  text: string,
  positive: boolean,
  defaultClass: string,
): Generator<LabelledName> {
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const cut = line.search(/[\t, ]/);
    const name = cut < 0 ? line : line.slice(0, cut);
    const cls = cut < 0 ? '' : line.slice(cut + 1).trim();
    yield { name, positive, class: cls === '' ? defaultClass : cls };
  }
}
