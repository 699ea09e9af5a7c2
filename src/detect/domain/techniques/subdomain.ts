/**
 * Brands in the subdomains of an unrelated registrable domain: `login.microsoftonline.com.secure-auth.top`
 * or `paypal.account-check.xyz`. The registrant controls every label left of their domain, and victims
 * read host names from the left.
 * @module
 */
import { DISTINCTIVE_TOKEN, LURE_WORD, MISSPELT_WORD } from '../brand-index.js';
import { checkedNameOptions, getPublicSuffix } from '../public-suffix.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { brandName, type Engine, type Finding, finding, type NameView, quote } from './context.js';
import { scanWords } from './words.js';

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** Deep names are rare in phishing and costly to scan: only the labels nearest the domain are read. */
const MAX_LABELS = 8;

export function brandInSubdomain(engine: Engine, view: NameView, out: Finding[]): void {
  const { index, skeletons, config: cfg } = engine;
  const labels = view.subLabels.slice(-MAX_LABELS);
  if (labels.length === 0) return;
  // An official domain spelled out: two or more consecutive labels forming an owned registrable domain.
  for (let i = 0; i < labels.length - 1; i++) {
    for (let j = i + 2; j <= labels.length; j++) {
      const candidate = labels.slice(i, j).join('.');
      const owner = index.owners.get(candidate);
      if (owner) {
        out.push(
          finding(
            S.brandInSubdomain,
            cfg.weights.officialInSubdomain,
            `official ${owner.name} domain ${quote(candidate)} is spelled out in front of ${quote(view.name.registrable)}`,
          ),
        );
        return;
      }
    }
  }
  // Whether a lure word stands anywhere in the name, asked once and only of a brand label.
  let lure: boolean | undefined;
  for (const label of labels) {
    const bare = label.replace(/-/g, '');
    const skel = skeletons.skeleton(bare);
    for (const t of index.bySkeleton.get(skel) ?? []) {
      // As in the registrable label (brand-match.ts): a token of three letters or fewer is read as
      // written only; through look-alike letters ordinary labels become it (`id` folds to `lcl`).
      if (t.token.length <= 3 && bare !== t.token && isAscii(bare)) continue;
      // A brand's name as a label of a name that asks nothing of a victim is as often a vendor's host
      // for that customer (`<brand>.<vendor>.com`) or a company's own as a phish: alone it does not
      // flag; a lure word, an abused TLD or a finding on the registrable domain beside it does.
      let weight = cfg.weights.brandInSubdomain[t.cls];
      if (weight > cfg.weights.brandInSubdomainWithoutLure && !registeredUnderPrivateSuffix(view, label)) {
        lure ??= lureBeside(engine, view, label);
        if (!lure) weight = cfg.weights.brandInSubdomainWithoutLure;
      }
      out.push(
        finding(
          S.brandInSubdomain,
          weight,
          `subdomain ${quote(label)} names ${brandName(t)} on unrelated ${quote(view.name.registrable)}${lure === false ? ' (no lure word)' : ''}`,
          t,
        ),
      );
    }
    for (const m of index.brandAutomaton.matches(skeletons.skeleton(label))) {
      const t = m.value;
      if (t.cls !== 'distinctive' || t.skeleton === skel) continue;
      out.push(
        finding(
          S.brandInSubdomain,
          cfg.weights.brandInSubdomain.distinctive - 10,
          `subdomain ${quote(label)} contains ${brandName(t)} on unrelated ${quote(view.name.registrable)}`,
          t,
        ),
      );
    }
  }
}

/**
 * Whether `label` is the name registered under a suffix of the Public Suffix List's private section
 * (`<brand>.cn.com`, `<brand>.blogspot.com.tr`): chosen by whoever took it, as a registrable domain is,
 * not a vendor's host for a customer.
 */
function registeredUnderPrivateSuffix(view: NameView, label: string): boolean {
  const { name } = view;
  const priv = getPublicSuffix(name.ascii, checkedNameOptions(name.isIdn, true));
  if (priv === null || priv.length <= name.suffix.length) return false;
  const privateLabels = priv.split('.').length - name.suffix.split('.').length;
  return name.labels[name.labels.length - privateLabels - 1] === label;
}

/**
 * Whether a label of the name other than `brandLabel` (which is the brand's name and nothing else; a
 * brand may hold a lure word, as `paypal` holds `pay`) holds a lure word, spelt right or misspelt.
 */
function lureBeside(engine: Engine, view: NameView, brandLabel: string): boolean {
  return (scanWords(engine, view.target) & LURE) !== 0 || lureIn(engine, view.subLabels, brandLabel);
}

const LURE = LURE_WORD | MISSPELT_WORD;

/** Whether one of `labels` other than `except` holds a lure word, spelt right or misspelt. */
export function lureIn(engine: Engine, labels: readonly string[], except?: string): boolean {
  for (const l of labels) if (l !== except && (scanWords(engine, l) & LURE) !== 0) return true;
  return false;
}

/**
 * Whether one subdomain label could name a brand (`brandInSubdomain`'s per-label checks, without
 * building findings). Labels such as `www`, `mail` and `api` recur constantly, so callers cache it.
 */
export function labelMayNameBrand(engine: Engine, label: string): boolean {
  const { index, skeletons } = engine;
  const skel = skeletons.skeleton(label.includes('-') ? label.replaceAll('-', '') : label);
  if (index.bySkeleton.has(skel)) return true;
  return (index.brandAutomaton.flags(skeletons.skeleton(label)) & DISTINCTIVE_TOKEN) !== 0;
}

/** `brandInSubdomain` only reads this many labels nearest the registrable domain. */
export const SUBDOMAIN_LABELS_READ = MAX_LABELS;
