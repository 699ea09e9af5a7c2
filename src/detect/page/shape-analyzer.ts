/**
 * Preparation-stage shapes: what a site looks like before the campaign starts — a gate with nothing
 * behind it, a parked or default page, a cloned page saved from the brand's site, a kit dropped into
 * odd paths. Weak alone; they matter in combination with a new lookalike name (see page rules).
 * @module
 */
import type { Analyzer, Finding } from './analyzer.js';
import { brandIndex, isOfficialHost } from './brand-index.js';
import { excerpt, hostOf, hostWithin, pathOf, siteOf } from './url-util.js';

const PARKED =
  /(?:this|the) domain (?:name )?(?:is|may be|has been) (?:parked|for sale|registered)|buy this domain|domain (?:is )?for sale|this page is parked|parked (?:free|domain)|welcome to nginx!|apache2? (?:\w+ )?default page|it works!|default web site page|website coming soon|future home of something|index of \//i;
const PARKING_HOSTS = [
  'sedoparking.com',
  'bodis.com',
  'parkingcrew.net',
  'above.com',
  'parklogic.com',
  'afternic.com',
  'dan.com',
  'parking.godaddy.com',
  'sedo.com',
];
const SAVED_COMMENT =
  /saved from url=\(\d+\)|page saved with singlefile|mirrored from .* by httrack|saved by webcopy|archived with web ?archiver/i;
const SAVED_ATTR = /data-savepage-|data-singlefile|savepage-src/i;
const SAVED_DIR = /\/[^/]+_files\/[^/]+$/;
const WELL_KNOWN_ODD =
  /^\/\.well-known\/(?!acme-challenge\/[\w-]+$|security\.txt$|assetlinks\.json$|apple-app-site-association$|openid-configuration$|change-password$)[^?#]*\.(?:php|html?|js)$/i;
const WP_SIGNIN =
  /\/wp-(?:content|includes|admin)\/.*(?:office|owa|outlook|microsoft|login|signin|sign-in|secure|verify|account|webmail|auth|bank|wallet|docu)/i;
const ARCHIVE = /\.(?:zip|rar|7z|tar\.gz|tgz)$/i;

const GATES = /^page\.gate\.(?:turnstile|hcaptcha|recaptcha|custom-captcha|fake-interstitial)$/;

export const shapeAnalyzer: Analyzer = (input, earlier) => {
  const out: Finding[] = [];
  const { facts } = input;
  const words = facts.text ? facts.text.split(' ').length : 0;
  const gates = earlier.filter((f) => GATES.test(f.id));
  const capture = earlier.some((f) => f.id.startsWith('page.capture.'));
  if (gates.length > 0 && !capture && words < 60 && facts.anchors < 5) {
    out.push({
      id: 'page.prep.gate-shell',
      detail: `a gate (${gates.map((g) => g.id.slice('page.gate.'.length)).join(', ')}) with almost nothing behind it (${words} words, ${facts.anchors} links)`,
    });
  }
  const parkedText = PARKED.exec(`${facts.title} ${facts.text.slice(0, 5000)}`);
  const parkedHost = input.allUrls.find((u) => PARKING_HOSTS.some((p) => hostWithin(hostOf(u), p)));
  if ((parkedText || parkedHost) && words < 400) {
    out.push({
      id: 'page.prep.parked',
      detail: 'a parked, for-sale or default server page',
      excerpt: excerpt(parkedText?.[0] ?? parkedHost ?? ''),
    });
  }
  const savedComment = facts.comments.find((c) => SAVED_COMMENT.test(c));
  const savedAttr = SAVED_ATTR.exec(input.snapshot.html.slice(0, 200_000));
  const savedDir = input.allUrls.find((u) => SAVED_DIR.test(pathOf(u)) && siteOf(hostOf(u)) === input.site);
  const foreignBase =
    facts.baseHref && siteOf(hostOf(facts.baseHref)) !== input.site ? facts.baseHref : undefined;
  const saved = savedComment ?? savedAttr?.[0] ?? savedDir ?? foreignBase;
  if (saved) {
    out.push({
      id: 'page.prep.saved-page',
      detail:
        foreignBase && saved === foreignBase
          ? `the page's <base> points at another site (${siteOf(hostOf(foreignBase))})`
          : 'the page is a saved copy of another page',
      excerpt: excerpt(saved),
    });
  }
  const index = brandIndex(input.brands);
  const urls = [
    input.snapshot.url,
    input.snapshot.finalUrl,
    ...input.snapshot.redirectChain,
    ...input.allUrls,
  ];
  for (const u of urls) {
    const host = hostOf(u);
    if (siteOf(host) !== input.site) continue;
    const path = pathOf(u);
    const segments = path.toLowerCase().split('/');
    const brandSegment = segments.find((s) => isOfficialHost(index, s));
    const why = WELL_KNOWN_ODD.test(path)
      ? 'a page served from /.well-known/'
      : WP_SIGNIN.test(path)
        ? 'a sign-in page inside a WordPress directory'
        : brandSegment
          ? `a brand domain (${brandSegment}) used as a path`
          : ARCHIVE.test(path)
            ? 'a site archive offered for download'
            : undefined;
    if (why) {
      out.push({ id: 'page.prep.kit-path', detail: `kit-style path: ${why}`, excerpt: excerpt(u) });
      break;
    }
  }
  return out;
};
