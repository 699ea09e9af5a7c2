/**
 * A shared platform's tenant named exactly as a brand or product, with no lure word anywhere in the
 * name: `spotify.github.io`, `amazon.my.salesforce.com`, `1drv.azureedge.net`.
 *
 * Tenant names on these platforms are account names, first come first served, and brands take their
 * own early (GitHub organisation pages, Salesforce My Domain, CDN endpoints): such a name is as often
 * the brand's own account as a phish, as a brand's name in the subdomains of a vendor's domain is
 * (`subdomain.ts`). Alone it does not flag: the brand reading weighs at most the without-lure cap and
 * the platform adds nothing. A lure word anywhere in the name, a disguised spelling (a typo or a
 * look-alike is never the brand's own account), or evidence beyond the name (a page, a certificate,
 * a campaign) still does. Only the exact name: a brand with other words as a tenant (`neo-kucoin`,
 * `metamask-xpubs`) is a phish's choice far more often than a brand's own, and keeps its weight.
 * @module
 */
import { LURE_WORD, MISSPELT_WORD } from '../brand-index.js';
import { DOMAIN_SIGNALS as S } from '../signal-ids.js';
import { type Engine, type Finding, finding, type NameView, quote } from './context.js';
import { scanWords } from './words.js';

/**
 * Caps the exact-name brand reading of an unlured tenant name in `findings` (from `start` on) and says whether the
 * name is one, in which case the caller leaves out the platform-tenant finding.
 */
export function unluredTenantName(
  engine: Engine,
  view: NameView,
  findings: Finding[],
  start: number,
): boolean {
  let named = false;
  for (let i = start; i < findings.length; i++) {
    const f = findings[i] as Finding;
    if (f.token === undefined || f.signal.weight <= 0) continue;
    // A disguised spelling of the brand, or the brand with other words, is nobody's own account: no cap.
    if (f.signal.id !== S.tldSwap) return false;
    named = true;
  }
  if (!named || lured(engine, view)) return false;
  const cap = engine.config.weights.brandInSubdomainWithoutLure;
  for (let i = start; i < findings.length; i++) {
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

/**
 * Whether a label left of the tenant holds a lure word. The tenant label itself is the brand's exact
 * name, so its letters are the brand's own (`pay` in `paypal`, `mail` in `hotmail`), not a lure.
 */
function lured(engine: Engine, view: NameView): boolean {
  const lure = LURE_WORD | MISSPELT_WORD;
  for (const l of view.subLabels) if ((scanWords(engine, l) & lure) !== 0) return true;
  return false;
}
