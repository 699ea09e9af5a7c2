/**
 * Shape of the name, brand or not: random slugs and digit runs (kits mint names in bulk), unusual label
 * length or hyphenation, abused top-level domains and shared-platform tenants. Each is weak alone.
 *
 * These run on every name, so they scan character codes instead of matching regular expressions and
 * allocate only when they report something.
 * @module
 */
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { type Engine, type Finding, finding, type LabelView, type NameView, quote } from './context.js';

const HYPHEN = 0x2d;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHexLetter = (c: number): boolean => c >= 0x61 && c <= 0x66;

export function randomSlug(engine: Engine, view: LabelView, out: Finding[]): void {
  const { minHexRun, minDigitRun } = engine.config.shape;
  const label = view.target;
  const n = label.length;
  // Both kinds of slug need at least two digits; most labels have none.
  let digitCount = 0;
  for (let i = 0; i < n && digitCount < 2; i++) if (isDigit(label.charCodeAt(i))) digitCount++;
  if (digitCount < 2 && minDigitRun >= 2) return;
  // Maximal runs of [0-9a-f], left to right; the first qualifying one is reported.
  for (let i = 0; i < n; ) {
    const c = label.charCodeAt(i);
    if (!isDigit(c) && !isHexLetter(c)) {
      i++;
      continue;
    }
    let end = i;
    let digits = 0;
    for (; end < n; end++) {
      const d = label.charCodeAt(end);
      if (isDigit(d)) digits++;
      else if (!isHexLetter(d)) break;
    }
    const len = end - i;
    if (len >= minHexRun) {
      // Inside a word (`office365`) a short hex-looking run is chance; kits separate their slugs.
      const delimited =
        (i === 0 || label.charCodeAt(i - 1) === HYPHEN) && (end === n || label.charCodeAt(end) === HYPHEN);
      // A hex slug mixes both kinds; pure digits are handled as a digit run, pure letters are words
      // (`decade`).
      if ((delimited || len >= 2 * minHexRun) && digits >= 2 && len - digits >= 2) {
        const run = label.slice(i, end);
        out.push(
          finding(
            S.randomSlug,
            engine.config.weights.randomSlug,
            `${quote(label)} contains the hex slug ${quote(run)}`,
          ),
        );
        return;
      }
    }
    i = end;
  }
  for (let i = 0; i < n; ) {
    if (!isDigit(label.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < n && isDigit(label.charCodeAt(end))) end++;
    if (end - i >= minDigitRun) {
      out.push(
        finding(
          S.randomSlug,
          engine.config.weights.randomSlug,
          `${quote(label)} contains the digit run ${quote(label.slice(i, end))}`,
        ),
      );
      return;
    }
    i = end;
  }
}

export function labelShape(engine: Engine, view: LabelView, out: Finding[]): void {
  const { shape, weights } = engine.config;
  const label = view.target;
  let hyphens = 0;
  for (let i = 0; i < label.length; i++) if (label.charCodeAt(i) === HYPHEN) hyphens++;
  const long = label.length > shape.longLabel;
  const many = hyphens >= shape.manyHyphens;
  if (!long && !many) return;
  const parts: string[] = [];
  let weight = 0;
  if (long) {
    weight += weights.longLabel;
    parts.push(`${label.length} characters long`);
  }
  if (many) {
    weight += weights.manyHyphens;
    parts.push(`${hyphens} hyphens`);
  }
  if (weight > 0) out.push(finding(S.labelShape, weight, `${quote(label)} is ${parts.join(' with ')}`));
}

/** `.top`, `.xyz`: the TLD of the public suffix `suffix` is among the most abused. */
export function abusedTld(engine: Engine, suffix: string, out: Finding[]): void {
  const dot = suffix.lastIndexOf('.');
  const tld = dot < 0 ? suffix : suffix.slice(dot + 1);
  if (engine.index.vocabulary.abusedTlds.has(tld))
    out.push(
      finding(
        S.abusedTld,
        engine.config.weights.abusedTld,
        `.${tld} is among the top-level domains most used for phishing`,
      ),
    );
}

export function platformTenant(engine: Engine, view: NameView, out: Finding[]): void {
  if (view.platform)
    out.push(
      finding(
        S.platformTenant,
        engine.config.weights.platformTenant,
        `${quote(view.target)} is a tenant-chosen subdomain of the shared platform ${quote(view.platform)}`,
      ),
    );
}
