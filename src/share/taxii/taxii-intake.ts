/**
 * What a partner's envelope tells the pipeline: the host names and URLs it names, as list values
 * (`observeValue` turns each into an observation of the partner's own source). Values come from
 * `domain-name` and `url` SCOs and from indicator patterns. A STIX pattern is a language of its own;
 * only its equality comparisons on `domain-name:value` and `url:value` name values outright, so
 * those are read and the rest of the pattern (other objects, qualifiers) is left alone — which is why
 * this is a small scan rather than a pattern engine.
 * @module
 */
import type { EnvelopeObject } from './taxii-status.js';

const COMPARISON = /\b(domain-name|url):value\s*=\s*'((?:[^'\\]|\\.)*)'/g;

export function unescapePatternString(s: string): string {
  return s.replace(/\\(.)/g, '$1');
}

/** The distinct host names and URLs an object names, in order of appearance. */
export function valuesOf(o: EnvelopeObject): string[] {
  const rec = o.object;
  if ((o.type === 'domain-name' || o.type === 'url') && typeof rec.value === 'string') return [rec.value];
  if (o.type === 'indicator' && rec.pattern_type === 'stix' && typeof rec.pattern === 'string') {
    const out = new Set<string>();
    for (const m of rec.pattern.matchAll(COMPARISON)) out.add(unescapePatternString(m[2] ?? ''));
    return [...out].filter((v) => v !== '');
  }
  return [];
}
