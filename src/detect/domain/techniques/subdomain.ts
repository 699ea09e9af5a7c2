/**
 * Brands in the subdomains of an unrelated registrable domain: `login.microsoftonline.com.secure-auth.top`
 * or `paypal.account-check.xyz`. The registrant controls every label left of their domain, and victims
 * read host names from the left.
 * @module
 */
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { brandName, type Engine, type Finding, finding, type NameView, quote } from './context.js';

/** Deep names are rare in phishing and costly to scan: only the labels nearest the domain are read. */
const MAX_LABELS = 8;

export function brandInSubdomain(engine: Engine, view: NameView): Finding[] {
  const { index, skeletons, config: cfg } = engine;
  const labels = view.subLabels.slice(-MAX_LABELS);
  if (labels.length === 0) return [];
  const out: Finding[] = [];
  // An official domain spelled out: two or more consecutive labels forming an owned registrable domain.
  for (let i = 0; i < labels.length - 1; i++) {
    for (let j = i + 2; j <= labels.length; j++) {
      const candidate = labels.slice(i, j).join('.');
      const owner = index.owners.get(candidate);
      if (owner)
        return [
          finding(
            S.brandInSubdomain,
            cfg.weights.officialInSubdomain,
            `official ${owner.name} domain ${quote(candidate)} is spelled out in front of ${quote(view.name.registrable)}`,
          ),
        ];
    }
  }
  for (const label of labels) {
    const skel = skeletons.skeleton(label.replace(/-/g, ''));
    for (const t of index.bySkeleton.get(skel) ?? []) {
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
  return out;
}
