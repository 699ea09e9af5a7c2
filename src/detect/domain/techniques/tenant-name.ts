/**
 * A shared platform's tenant named exactly as a brand or product, with no lure word in a label left of
 * it: `spotify.github.io`, `amazon.my.salesforce.com`, `1drv.azureedge.net`.
 *
 * Tenant names on these platforms are account names, first come first served, and brands take their
 * own early (GitHub organisation pages, Salesforce My Domain, CDN endpoints): such a name is as often
 * the brand's own account as a phish, as a brand's name in the subdomains of a vendor's domain is
 * (`subdomain.ts`). Alone it does not flag: the brand reading weighs at most the without-lure cap and
 * the platform adds nothing. A lure word in a label left of the tenant (the tenant's own letters are the
 * brand's: `pay` in `paypal`), a disguised spelling (a typo or a
 * look-alike is never the brand's own account), or evidence beyond the name (a page, a certificate,
 * a campaign) still does. Only the exact name: a brand with other words as a tenant (`neo-kucoin`,
 * `metamask-xpubs`) is a phish's choice far more often than a brand's own, and keeps its weight.
 * @module
 */
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { type Engine, type Finding, finding, type NameView, quote } from './context.js';
import { lureIn } from './subdomain.js';

/**
 * Caps the exact-name brand reading of an unlured tenant name in `findings` and says whether the name is
 * one, in which case the caller leaves out the platform-tenant finding.
 */
export function unluredTenantName(engine: Engine, view: NameView, findings: Finding[]): boolean {
  let named = false;
  for (const f of findings) {
    if (f.token === undefined || f.signal.weight <= 0) continue;
    // A disguised spelling of the brand, or the brand with other words, is nobody's own account: no cap.
    if (f.signal.id !== S.tldSwap) return false;
    named = true;
  }
  if (!named || lureIn(engine, view.subLabels)) return false;
  const cap = engine.config.weights.brandInSubdomainWithoutLure;
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i] as Finding;
    if (f.token === undefined || f.signal.weight <= cap) continue;
    findings[i] = finding(
      f.signal.id,
      cap,
      `${f.signal.detail} (a tenant of ${quote(view.platform ?? 'a shared platform')} named as the brand, no lure word: often the brand's own account)`,
      f.token,
    );
  }
  return true;
}
