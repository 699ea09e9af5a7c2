/**
 * Shape of the name, brand or not: random slugs and digit runs (kits mint names in bulk), unusual label
 * length or hyphenation, abused top-level domains and shared-platform tenants. Each is weak alone.
 * @module
 */
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { type Engine, type Finding, finding, type NameView, quote } from './context.js';

const HEX_RUN = /[0-9a-f]+/g;
const DIGIT_RUN = /[0-9]+/g;

export function randomSlug(engine: Engine, view: NameView): Finding[] {
  const { minHexRun, minDigitRun } = engine.config.shape;
  const label = view.target;
  for (const m of label.matchAll(HEX_RUN)) {
    const run = m[0];
    if (run.length < minHexRun) continue;
    // Inside a word (`office365`) a short hex-looking run is chance; kits separate their slugs.
    const end = m.index + run.length;
    const delimited =
      (m.index === 0 || label[m.index - 1] === '-') && (end === label.length || label[end] === '-');
    if (!delimited && run.length < 2 * minHexRun) continue;
    const digits = run.replace(/[a-f]/g, '').length;
    // A hex slug mixes both kinds; pure digits are handled as a digit run, pure letters are words (`decade`).
    if (digits >= 2 && run.length - digits >= 2)
      return [
        finding(
          S.randomSlug,
          engine.config.weights.randomSlug,
          `${quote(label)} contains the hex slug ${quote(run)}`,
        ),
      ];
  }
  for (const m of label.matchAll(DIGIT_RUN)) {
    if (m[0].length >= minDigitRun)
      return [
        finding(
          S.randomSlug,
          engine.config.weights.randomSlug,
          `${quote(label)} contains the digit run ${quote(m[0])}`,
        ),
      ];
  }
  return [];
}

export function labelShape(engine: Engine, view: NameView): Finding[] {
  const { shape, weights } = engine.config;
  const label = view.target;
  const hyphens = label.split('-').length - 1;
  const parts: string[] = [];
  let weight = 0;
  if (label.length > shape.longLabel) {
    weight += weights.longLabel;
    parts.push(`${label.length} characters long`);
  }
  if (hyphens >= shape.manyHyphens) {
    weight += weights.manyHyphens;
    parts.push(`${hyphens} hyphens`);
  }
  return weight > 0 ? [finding(S.labelShape, weight, `${quote(label)} is ${parts.join(' with ')}`)] : [];
}

export function abusedTld(engine: Engine, view: NameView): Finding[] {
  const tld = view.name.suffix.slice(view.name.suffix.lastIndexOf('.') + 1);
  return engine.index.vocabulary.abusedTlds.has(tld)
    ? [
        finding(
          S.abusedTld,
          engine.config.weights.abusedTld,
          `.${tld} is among the top-level domains most used for phishing`,
        ),
      ]
    : [];
}

export function platformTenant(engine: Engine, view: NameView): Finding[] {
  return view.platform
    ? [
        finding(
          S.platformTenant,
          engine.config.weights.platformTenant,
          `${quote(view.target)} is a tenant-chosen subdomain of the shared platform ${quote(view.platform)}`,
        ),
      ]
    : [];
}
