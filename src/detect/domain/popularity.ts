/**
 * The popularity prior: a registrable domain on a popularity list (by default `data/popular-domains.txt`,
 * Tranco) is one many people visit, which a fresh phishing name seldom is. Such a name's score is damped
 * by a negative signal that says why, never cleared: a strong enough imitation still flags, and the
 * explanation lets an analyst see what held the score down. Popular names with findings are the brands'
 * own secondary and country domains, companies one edit from a brand, and subdomains of big sites.
 * @module
 */
import { readFileSync } from 'node:fs';
import { PrecursorError } from '../../domain/index.js';
import type { DomainEngineConfig } from './config.js';
import { type Finding, finding, quote } from './techniques/context.js';
import { DOMAIN_SIGNALS as S } from './signal-ids.js';

/** Registrable domains by popularity rank (1 = most visited). */
export interface PopularityList {
  /** What the list is (`Tranco 2025-02-19`), for explanations. */
  readonly name: string;
  /** The 1-based rank of a registrable domain (ASCII form), or undefined when it is not listed. */
  rankOf(registrable: string): number | undefined;
  /** Calls `fn` with the first label of every listed domain (`example` of `example.co.uk`). */
  forEachLabel(fn: (label: string) => void): void;
  /**
   * `forEachLabel` without cutting the labels out: `fn` gets text holding the label at `[start, end)`,
   * as written (not lower-cased).
   */
  forEachLabelSpan?(fn: (text: string, start: number, end: number) => void): void;
}

/** A list of domains in rank order. */
export function popularityList(name: string, domains: readonly string[]): PopularityList {
  return listOfText(name, domains.join('\n'));
}

/**
 * The list in `text`, one domain a line, most popular first; blank lines and `#` comments are skipped.
 * Held as the text itself and typed arrays (an open-addressing table of hashes, and where each entry
 * lies in the text) rather than a map of 50,000 strings: one pass over the file builds it, nothing is
 * left for the garbage collector to trace while a feed is scored, and a look-up allocates nothing.
 */
function listOfText(name: string, text: string): PopularityList {
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 0x0a) count++;
  let size = 1024;
  while (size < count * 2) size *= 2;
  const mask = size - 1;
  // Per slot: 1 + the entry's index (0 = empty). Per entry: where it lies in `text`, and its hash.
  const slots = new Int32Array(size);
  const starts = new Int32Array(count);
  const ends = new Int32Array(count);
  const hashes = new Int32Array(count);
  const entry = (j: number, s: string, from: number, len: number): boolean => {
    const start = starts[j] as number;
    if ((ends[j] as number) - start !== len) return false;
    for (let i = 0; i < len; i++)
      if (lower(text.charCodeAt(start + i)) !== lower(s.charCodeAt(from + i))) return false;
    return true;
  };
  let n = 0;
  for (let at = 0; at < text.length; ) {
    let eol = text.indexOf('\n', at);
    if (eol < 0) eol = text.length;
    let from = at;
    let to = eol;
    while (from < to && text.charCodeAt(from) <= 0x20) from++;
    while (to > from && text.charCodeAt(to - 1) <= 0x20) to--;
    at = eol + 1;
    if (from === to || text.charCodeAt(from) === 0x23) continue;
    const h = hashOf(text, from, to);
    let slot = h & mask;
    let listed = false;
    for (; slots[slot] !== 0 && !listed; slot = (slot + 1) & mask) {
      const j = (slots[slot] as number) - 1;
      listed = hashes[j] === h && entry(j, text, from, to - from);
    }
    // A domain listed twice keeps its better rank; every line still counts for the ranks after it.
    starts[n] = from;
    ends[n] = to;
    hashes[n] = h;
    if (!listed) slots[slot] = n + 1;
    n++;
  }
  return {
    name,
    forEachLabel(fn) {
      for (let j = 0; j < n; j++) {
        const start = starts[j] as number;
        const dot = text.indexOf('.', start);
        fn(text.slice(start, dot < 0 || dot > (ends[j] as number) ? ends[j] : dot).toLowerCase());
      }
    },
    forEachLabelSpan(fn) {
      for (let j = 0; j < n; j++) {
        const start = starts[j] as number;
        const end = ends[j] as number;
        const dot = text.indexOf('.', start);
        fn(text, start, dot < 0 || dot > end ? end : dot);
      }
    },
    rankOf(registrable) {
      const h = hashOf(registrable, 0, registrable.length);
      for (let slot = h & mask; slots[slot] !== 0; slot = (slot + 1) & mask) {
        const j = (slots[slot] as number) - 1;
        if (hashes[j] === h && entry(j, registrable, 0, registrable.length)) return j + 1;
      }
      return undefined;
    },
  };
}

const lower = (c: number): number => (c >= 0x41 && c <= 0x5a ? c + 0x20 : c);

/** FNV-1a of `s[from, to)`, ASCII letters folded to lower case. */
function hashOf(s: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ lower(s.charCodeAt(i)), 0x01000193);
  return h ^ (h >>> 15);
}

/**
 * Reads a popularity list file (one domain a line, most popular first, `#` comments; a `# list: NAME`
 * comment names it) on first use: only names that already have findings ask, so a run whose names
 * have none never reads the file.
 */
export function lazyPopularityList(path: string): PopularityList {
  let list: PopularityList | undefined;
  const load = (): PopularityList => {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new PrecursorError('CONFIG_INVALID', `cannot read data file ${path}`, { cause: e });
    }
    const named = /^#\s*list:[ \t]*(.+)$/m.exec(text);
    return listOfText(named ? (named[1] as string).trim() : path, text);
  };
  return {
    get name() {
      list ??= load();
      return list.name;
    },
    rankOf(registrable) {
      list ??= load();
      return list.rankOf(registrable);
    },
    forEachLabel(fn) {
      list ??= load();
      list.forEachLabel(fn);
    },
    forEachLabelSpan(fn) {
      list ??= load();
      if (list.forEachLabelSpan !== undefined) list.forEachLabelSpan(fn);
      else list.forEachLabel((label) => fn(label, 0, label.length));
    },
  };
}

/**
 * The damping finding for a registrable domain of `rank`: stronger for the most visited names, which a
 * phishing name reaches least often. Undefined when the configured weight is 0 (prior switched off).
 */
export function popularityFinding(
  config: DomainEngineConfig,
  list: PopularityList,
  registrable: string,
  rank: number,
): Finding | undefined {
  const w = config.weights.popular;
  const weight = rank <= 1000 ? w.top1k : rank <= 10_000 ? w.top10k : w.listed;
  if (weight === 0) return undefined;
  return finding(
    S.popular,
    weight,
    `${quote(registrable)} is on the popularity list (${list.name}, rank ${groupedRank(rank)}): a site many people visit is seldom a fresh phishing name, so the score is damped, not cleared`,
  );
}

/**
 * `rank.toLocaleString('en-US')` (`12,345`), written out for whole numbers: ICU's number formatting
 * cost more than the rest of the prior on a feed of popular names.
 */
function groupedRank(rank: number): string {
  if (!Number.isSafeInteger(rank) || rank < 0) return rank.toLocaleString('en-US');
  const digits = String(rank);
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return out;
}
