/**
 * The page corpus: each fixture page with the URL it pretends to live at, what else the crawler would
 * have recorded, and the verdict and signals it must get. Shared by the static and the rendered tests.
 * @module
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Signal, Verdict, PageSnapshot } from '../../src/domain/index.js';
import { brandIcon, otherIcon, signInShot } from './images.js';

// `demo/` links to data/demo/pages: the pages `precursor demo` crawls are corpus pages too, kept once.
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'pages');
export const REPO = join(FIXTURES, '..', '..', '..');

export const readFixture = (file: string): string => readFileSync(join(FIXTURES, file), 'utf8');

/** A domain-engine signal as it would arrive for a lookalike name. */
export const LOOKALIKE: Signal = {
  id: 'domain.homoglyph',
  detector: 'domain',
  weight: 45,
  detail: 'skeleton of the name equals brand microsoft',
  evidence: [],
};

export interface CorpusCase {
  readonly file: string;
  readonly url: string;
  readonly lookalike?: boolean;
  readonly favicon?: 'brand' | 'other';
  readonly screenshot?: 'brand';
  readonly crawlerFile?: string;
  readonly redirectChain?: readonly string[];
  readonly expect: readonly string[];
  readonly absent?: readonly string[];
  readonly verdict: Verdict;
}

const GATE_FREE = ['page.gate.fake-interstitial', 'page.gate.custom-captcha', 'page.gate.obfuscation'];

export const CORPUS: readonly CorpusCase[] = [
  // Honest pages.
  {
    file: 'honest/signin-plain.html',
    url: 'https://accounts.acme-widgets.com/login',
    favicon: 'other',
    expect: ['page.capture.password-field', 'page.capture.email-field'],
    absent: [
      'page.capture.offsite-form',
      'page.brand.terms',
      'page.brand.favicon-match',
      'page.capture.js-post',
      'page.exfil.php-drop',
    ],
    verdict: 'benign',
  },
  {
    file: 'demo/signin-turnstile.html',
    url: 'https://forum.northwind-users.org/login',
    expect: ['page.gate.turnstile', 'page.capture.password-field'],
    absent: [...GATE_FREE, 'page.prep.gate-shell'],
    verdict: 'benign',
  },
  {
    file: 'demo/contact-recaptcha.html',
    url: 'https://www.harbour-bakery.co.uk/contact',
    expect: ['page.gate.recaptcha', 'page.capture.email-field'],
    absent: [...GATE_FREE, 'page.capture.password-field'],
    verdict: 'benign',
  },
  {
    file: 'honest/news-outlook-outage.html',
    url: 'https://www.dailytech-news.com/2025/outlook-outage',
    expect: ['page.brand.terms'],
    absent: ['page.capture.password-field', 'page.brand.signin-markers', 'page.gate.timing'],
    verdict: 'benign',
  },
  {
    file: 'honest/cloudflare-challenge.html',
    url: 'https://shop.example-store.com/',
    expect: [],
    absent: ['page.gate.fake-interstitial'],
    verdict: 'benign',
  },
  {
    file: 'honest/microsoft-official.html',
    url: 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize',
    redirectChain: [
      'https://login.microsoftonline.com/common/oauth2/authorize?state=Zk93bXpQa1R0cm9rZW4xMjM0NTY3ODkw&nonce=638412abcdef0123456789',
    ],
    expect: ['page.capture.password-field'],
    absent: [
      'page.brand.signin-markers',
      'page.brand.hotlinked-assets',
      'page.brand.terms',
      'page.gate.token-redirect',
    ],
    verdict: 'benign',
  },
  {
    file: 'real/www.paypal.com.html',
    url: 'https://www.paypal.com/hk/home',
    expect: [],
    absent: [
      'page.brand.terms',
      'page.brand.hotlinked-assets',
      'page.gate.obfuscation',
      'page.capture.password-field',
    ],
    verdict: 'benign',
  },
  // Real captured clone.
  {
    file: 'real/accounts.g.cdcde.com.html',
    url: 'https://accounts.g.cdcde.com/ServiceLogin?passive=1209600&osid=1',
    expect: ['page.capture.password-field', 'page.brand.terms', 'page.brand.signin-markers'],
    verdict: 'malicious',
  },
  // Synthetic kits.
  {
    file: 'demo/m365-gated-clone.html',
    url: 'https://rnicrosoft-online.top/common/login',
    lookalike: true,
    favicon: 'brand',
    screenshot: 'brand',
    expect: [
      'page.gate.turnstile',
      'page.brand.signin-markers',
      'page.brand.hotlinked-assets',
      'page.brand.terms',
      'page.brand.favicon-match',
      'page.brand.layout-match',
      'page.capture.password-field',
      'page.capture.email-field',
      'page.capture.js-post',
      'page.exfil.telegram',
      'page.exfil.php-drop',
      'page.kit.telegram-relay',
      'page.kit.m365-next-php',
      'page.combo.gate-clone-new-name',
    ],
    verdict: 'malicious',
  },
  {
    file: 'demo/fake-interstitial.html',
    url: 'https://secure-docs-share.top/',
    lookalike: true,
    expect: [
      'page.gate.fake-interstitial',
      'page.gate.webdriver-check',
      'page.gate.timing',
      'page.gate.token-redirect',
      'page.prep.gate-shell',
    ],
    verdict: 'malicious',
  },
  {
    file: 'demo/slider-captcha.html',
    url: 'https://verify-account-center.top/',
    expect: ['page.gate.custom-captcha', 'page.prep.gate-shell'],
    verdict: 'benign',
  },
  {
    file: 'demo/slider-captcha.html',
    url: 'https://verify-account-center.top/',
    lookalike: true,
    expect: ['page.gate.custom-captcha', 'page.prep.gate-shell', 'page.combo.shell-new-name'],
    verdict: 'suspicious',
  },
  {
    file: 'kits/math-captcha.html',
    url: 'https://shared-doc-viewer.top/',
    expect: ['page.gate.custom-captcha'],
    verdict: 'benign',
  },
  {
    file: 'kits/rotate-captcha.html',
    url: 'https://shared-doc-viewer.top/r',
    expect: ['page.gate.custom-captcha'],
    verdict: 'benign',
  },
  {
    file: 'kits/anti-debug-webmail.html',
    url: 'https://webmail-storage-upgrade.top/index.html',
    expect: [
      'page.gate.devtools-trap',
      'page.gate.input-blocking',
      'page.gate.console-disabled',
      'page.gate.timing',
      'page.capture.password-field',
      'page.exfil.php-drop',
    ],
    verdict: 'malicious',
  },
  {
    file: 'kits/geo-gate-discord.html',
    url: 'https://doc-share-portal.top/view',
    expect: [
      'page.gate.geo-lookup',
      'page.gate.hcaptcha',
      'page.exfil.discord',
      'page.capture.js-post',
      'page.capture.password-field',
    ],
    verdict: 'malicious',
  },
  {
    // The shell writes a sign-in form from a base64 literal; decoded, it posts the password to an
    // off-site PHP drop — what a browser would render, and what a fetch-mode crawl now reads too.
    file: 'kits/obfuscated.html',
    url: 'https://cdn-secure-files.top/',
    expect: ['page.gate.obfuscation', 'page.exfil.php-drop'],
    verdict: 'suspicious',
  },
  {
    file: 'kits/serverless-drop.html',
    url: 'https://account-verify-center.top/',
    // "Verify your account" on a page that leads nowhere, posting to a function runtime.
    expect: [
      'page.capture.js-form-rewrite',
      'page.exfil.serverless',
      'page.capture.password-field',
      'page.lure.pretext',
    ],
    verdict: 'malicious',
  },
  {
    // A script reads the credentials and fetch()es them to an API path on another site: the collector
    // is the operation's (linked `exfil-to`), whatever its path.
    file: 'kits/script-drop.html',
    url: 'https://doc-review-portal.top/',
    expect: ['page.capture.js-post', 'page.exfil.script-drop', 'page.capture.password-field'],
    absent: ['page.exfil.php-drop'],
    verdict: 'suspicious',
  },
  {
    file: 'kits/offsite-php.html',
    url: 'https://secure-message-portal.top/',
    expect: ['page.capture.offsite-form', 'page.exfil.php-drop', 'page.lure.pretext'],
    verdict: 'malicious',
  },
  {
    file: 'kits/saved-page.html',
    url: 'https://office-login-verify.top/',
    lookalike: true,
    expect: [
      'page.prep.saved-page',
      'page.brand.signin-markers',
      'page.kit.saved-microsoft-signin',
      'page.exfil.php-drop',
    ],
    verdict: 'malicious',
  },
  {
    // The code step of an adversary-in-the-middle kit saved to disk: no password, the brand only in a
    // logo's alt text, the code posted to a script on another origin.
    file: 'kits/mfa-code.html',
    url: 'https://wellness-yoga-studio.com/wp-admin/images/verify/',
    expect: [
      'page.capture.code-field',
      'page.capture.offsite-form',
      'page.brand.terms',
      'page.exfil.php-drop',
      'page.combo.clone-asks-code',
    ],
    absent: ['page.capture.password-field'],
    verdict: 'malicious',
  },
  {
    file: 'kits/parked.html',
    url: 'https://micros0ft-support.com/',
    lookalike: true,
    expect: ['page.prep.parked', 'page.combo.shell-new-name'],
    verdict: 'suspicious',
  },
  {
    file: 'demo/gate-shell.html',
    url: 'https://rnicrosoft-login.top/',
    lookalike: true,
    expect: ['page.gate.turnstile', 'page.prep.gate-shell', 'page.combo.shell-new-name'],
    absent: ['page.gate.fake-interstitial'],
    verdict: 'suspicious',
  },
  {
    file: 'demo/gate-shell.html',
    url: 'https://plain-site.top/',
    expect: ['page.gate.turnstile', 'page.prep.gate-shell'],
    verdict: 'benign',
  },
  {
    file: 'kits/wp-kit.html',
    url: 'https://bakery-blog.com/wp-content/plugins/cache/office365/index.html',
    expect: ['page.prep.kit-path', 'page.brand.terms', 'page.capture.password-field'],
    verdict: 'suspicious',
  },
  {
    file: 'kits/cloaked-browser.html',
    url: 'https://green-valley-gardening.com/',
    crawlerFile: 'kits/cloaked-crawler.html',
    // Saved without the crawler's view, its pretext still reads: "Sign in to read your voicemail".
    expect: ['page.cloak.differential', 'page.capture.password-field', 'page.lure.pretext'],
    verdict: 'suspicious',
  },
  {
    file: 'kits/favicon-clone.html',
    url: 'https://account-portal.top/',
    favicon: 'brand',
    expect: ['page.brand.favicon-match'],
    verdict: 'benign',
  },
  {
    file: 'kits/timing-meta.html',
    url: 'https://doc-loading.top/',
    expect: ['page.gate.timing', 'page.gate.token-redirect'],
    verdict: 'benign',
  },
];

export function corpusSnapshot(c: CorpusCase): PageSnapshot {
  const crawler = c.crawlerFile
    ? { status: 200, finalUrl: c.url, html: readFixture(c.crawlerFile) }
    : undefined;
  return {
    url: c.url,
    finalUrl: c.url,
    fetchedAt: '2025-03-01T00:00:00.000Z',
    mode: 'fetch',
    status: 200,
    headers: { 'content-type': 'text/html' },
    redirectChain: c.redirectChain ?? [],
    html: readFixture(c.file),
    scripts: [],
    requests: [],
    console: [],
    ...(c.favicon ? { favicon: c.favicon === 'brand' ? brandIcon(48, 12) : otherIcon(32) } : {}),
    ...(c.screenshot ? { screenshot: signInShot(640, 400, 10) } : {}),
    ...(crawler ? { crawlerView: crawler } : {}),
  };
}
