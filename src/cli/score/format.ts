/**
 * What `precursor score` writes per name: a JSON line, or a table row on a terminal.
 * @module
 */
import type { DomainScore } from '../../detect/domain/index.js';

/**
 * `JSON.stringify(toJson(r))` plus a newline, written out: most strings need no escaping, and building
 * the object only to serialise it cost more than scoring. The test in score.test.ts holds the two equal.
 */
export function jsonLine(r: DomainScore): string {
  // `domain`, `registrable` (ASCII host names), `verdict`, brand and signal ids (validated identifiers)
  // never need escaping; the Unicode form (unless it is the ASCII form) and the details may.
  const unicode = r.unicode === r.domain ? `"${r.domain}"` : str(r.unicode);
  return `{"domain":"${r.domain}","unicode":${unicode},"registrable":"${r.registrable}",${jsonTail(r)}`;
}

/**
 * The line from `"score"` on. The engine hands the same frozen signal list to every name whose label
 * it has seen without findings (most names), so that part is written once per list and reused while
 * the fields beside it are the same.
 */
function jsonTail(r: DomainScore): string {
  const signals = r.signals;
  if (!Object.isFrozen(signals)) return tailOf(r);
  const hit = TAILS.get(signals);
  if (
    hit !== undefined &&
    hit.score === r.score &&
    hit.flagged === r.flagged &&
    hit.verdict === r.verdict &&
    hit.brand === r.brand
  )
    return hit.text;
  const text = tailOf(r);
  TAILS.set(signals, { score: r.score, flagged: r.flagged, verdict: r.verdict, brand: r.brand, text });
  return text;
}

const TAILS = new WeakMap<
  readonly unknown[],
  Pick<DomainScore, 'score' | 'flagged' | 'verdict' | 'brand'> & { readonly text: string }
>();

function tailOf(r: DomainScore): string {
  let s = `"score":${num(r.score)},"flagged":${r.flagged},"verdict":"${r.verdict}","brand":${r.brand === null ? 'null' : `"${r.brand.id}"`},"signals":[`;
  for (let i = 0; i < r.signals.length; i++) {
    const sig = r.signals[i] as DomainScore['signals'][number];
    s += `${i === 0 ? '' : ','}{"id":"${sig.id}","weight":${num(sig.weight)},"detail":${str(sig.detail)}}`;
  }
  return `${s}]}\n`;
}

/** Characters JSON.stringify escapes: quote, backslash, controls and (lone) surrogates. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const str = (s: string): string => (NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`);
// As JSON.stringify writes a number (finite ones as String does, -0 as 0).
const num = (n: number): string => (Number.isFinite(n) ? String(n) : 'null');

/** The JSON line of one name; fields may be added, never renamed. */
export function toJson(r: DomainScore): Record<string, unknown> {
  return {
    domain: r.domain,
    unicode: r.unicode,
    registrable: r.registrable,
    score: r.score,
    flagged: r.flagged,
    verdict: r.verdict,
    brand: r.brand?.id ?? null,
    signals: r.signals.map((s) => ({ id: s.id, weight: s.weight, detail: s.detail })),
  };
}

/** The JSON line of a line that is not a usable name. */
export function errorLine(input: string, file: string, line: number, code: string, reason: string): string {
  return `${JSON.stringify({ input, file, line, error: { code, reason } })}\n`;
}

export const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function tableHeader(): string {
  return `${'SCORE'.padStart(5)}  ${'FLAG'.padEnd(4)}  ${'BRAND'.padEnd(14)}  ${'DOMAIN'.padEnd(40)}  TOP SIGNAL\n`;
}

export function tableRow(r: DomainScore): string {
  const top = r.signals[0];
  const domain = r.unicode === r.domain ? r.domain : `${r.unicode} (${r.domain})`;
  return `${r.score.toFixed(1).padStart(5)}  ${(r.flagged ? 'YES' : '').padEnd(4)}  ${(r.brand?.id ?? '-').padEnd(14)}  ${truncate(domain, 40).padEnd(40)}  ${top ? truncate(`${top.id}: ${top.detail}`, 100) : ''}\n`;
}
