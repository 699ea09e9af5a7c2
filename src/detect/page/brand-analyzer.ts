/**
 * Brand impersonation: a page that talks, looks or is built like a brand's sign-in page while hosted
 * somewhere the brand does not own. A brand's own domains are never judged for that brand.
 * @module
 */
import type { Analyzer, Finding } from './analyzer.js';
import { brandIndex, markersIn, ownersOf, termHits } from './brand-index.js';
import { hamming, hashImage, IMAGE_HASH_ALGORITHM } from '../../evidence/image-hash.js';
import { excerpt, hostOf, hostWithin } from './url-util.js';

export interface BrandAnalyzerOptions {
  /** Largest Hamming distance (of 64 bits) at which a favicon counts as the brand's. */
  readonly faviconMaxDistance: number;
  /** Largest Hamming distance at which a screenshot counts as the brand's sign-in page. */
  readonly layoutMaxDistance: number;
  /** Distinct sign-in markers needed; one alone can be a coincidence. */
  readonly minSignInMarkers: number;
}

export const DEFAULT_BRAND_OPTIONS: BrandAnalyzerOptions = Object.freeze({
  faviconMaxDistance: 10,
  layoutMaxDistance: 8,
  minSignInMarkers: 2,
});

// A hash with few set bits comes from a nearly flat image; any two such images "match", so skip them.
const MIN_BITS = 4;
const bits = (h: string): number => hamming(h, '0'.repeat(h.length));
const closest = (hash: string, refs: readonly string[]): number =>
  bits(hash) < MIN_BITS
    ? 64
    : refs.reduce((best, r) => (bits(r) < MIN_BITS ? best : Math.min(best, hamming(hash, r))), 64);

export function createBrandAnalyzer(options: BrandAnalyzerOptions = DEFAULT_BRAND_OPTIONS): Analyzer {
  return (input) => {
    const out: Finding[] = [];
    const { facts, host } = input;
    // Hashes made at capture time are read, not recomputed; only older captures are decoded here.
    const snap = input.snapshot;
    const stored = snap.imageHashes?.algorithm === IMAGE_HASH_ALGORITHM ? snap.imageHashes : undefined;
    const favicon = stored ? stored.favicon : snap.favicon ? hashImage(snap.favicon) : undefined;
    const needsShot = input.brands.brands.some((b) => b.screenshotHashes.length > 0);
    const shot = !needsShot
      ? undefined
      : stored
        ? stored.screenshot
        : snap.screenshot
          ? hashImage(snap.screenshot)
          : undefined;
    const index = brandIndex(input.brands);
    const seen = markersIn(index, input.markup);
    const actions = new Set(facts.forms.map((f) => f.action));
    const urlHosts = input.allUrls.filter((u) => !actions.has(u)).map((u) => ({ u, h: hostOf(u) }));
    const owners = ownersOf(index, host);
    const titleHits = termHits(index, facts.title);
    const textHits = termHits(index, facts.text);
    // What names an image or control (a logo's alt text, SVG title, file name): a saved or inlined
    // clone shows its brand there once no asset host or script URL does, and a logo naming the brand
    // counts as much as the title naming it.
    const labelHits = termHits(index, facts.labels);
    for (const brand of input.brands.brands) {
      if (owners.has(brand)) continue;
      {
        const inTitle = titleHits.get(brand) ?? [];
        const inText = textHits.get(brand) ?? [];
        const inLabels = labelHits.get(brand) ?? [];
        if (inTitle.length > 0 || inLabels.length > 0 || inText.length >= 2) {
          const terms = [...new Set([...inTitle, ...inLabels, ...inText])];
          const where = inTitle.length ? 'title and text' : inLabels.length ? 'images and text' : 'text';
          out.push({
            id: 'page.brand.terms',
            detail: `the ${where} name ${brand.name} (${terms.slice(0, 4).join(', ')}) on ${host}, which ${brand.name} does not own`,
          });
        }
      }
      // Asset hosts only: an honest page may well use a brand's service (a reCAPTCHA script from google.com).
      const assetHosts = brand.assetHosts;
      const hotlinked = assetHosts.length
        ? urlHosts.filter(({ h }) => assetHosts.some((a) => hostWithin(h, a))).map(({ u }) => u)
        : [];
      const assetLike = hotlinked.filter((u) =>
        /\.(?:png|jpe?g|gif|svg|ico|webp|css|js|woff2?)(?:[?#]|$)/i.test(u),
      );
      if (assetLike.length > 0) {
        out.push({
          id: 'page.brand.hotlinked-assets',
          detail: `${assetLike.length} asset(s) loaded from ${brand.name}'s own hosts (${[...new Set(assetLike.map(hostOf))].slice(0, 3).join(', ')})`,
          excerpt: excerpt(assetLike[0] ?? ''),
        });
      }
      const markers = brand.signInMarkers.filter(
        (m) => seen.has(m) || facts.ids.has(m) || facts.names.has(m),
      );
      if (markers.length >= options.minSignInMarkers) {
        out.push({
          id: 'page.brand.signin-markers',
          detail: `${markers.length} markers of ${brand.name}'s sign-in page (${markers.slice(0, 5).join(', ')})`,
        });
      }
      if (favicon && brand.faviconHashes.length > 0) {
        const d = closest(favicon, brand.faviconHashes);
        if (d <= options.faviconMaxDistance) {
          out.push({
            id: 'page.brand.favicon-match',
            detail: `the favicon matches ${brand.name}'s icon (distance ${d} of 64 bits)`,
            excerpt: favicon,
          });
        }
      }
      if (shot && brand.screenshotHashes.length > 0) {
        const d = closest(shot, brand.screenshotHashes);
        if (d <= options.layoutMaxDistance) {
          out.push({
            id: 'page.brand.layout-match',
            detail: `the rendered page looks like ${brand.name}'s sign-in page (distance ${d} of 64 bits)`,
            excerpt: shot,
          });
        }
      }
    }
    return out;
  };
}
