/**
 * Brands in the subdomains of an unrelated registrable domain: `login.microsoftonline.com.secure-auth.top`
 * or `paypal.account-check.xyz`. The registrant controls every label left of their domain, and victims
 * read host names from the left.
 * @module
 */
import { DISTINCTIVE_TOKEN } from '../brand-index.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { brandName, type Engine, type Finding, finding, type NameView, quote } from './context.js';

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
  for (const label of labels) {
    const bare = label.replace(/-/g, '');
    const skel = skeletons.skeleton(bare);
    for (const t of index.bySkeleton.get(skel) ?? []) {
      // As in the registrable label (brand-match.ts): a token of three letters or fewer is read as
      // written only; through look-alike letters ordinary labels become it (`id` folds to `lcl`).
      if (t.token.length <= 3 && bare !== t.token && isAscii(bare)) continue;
      out.push(
        finding(
          S.brandInSubdomain,
          cfg.weights.brandInSubdomain[t.cls],
          `subdomain ${quote(label)} names ${brandName(t)} on unrelated ${quote(view.name.registrable)}`,
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
