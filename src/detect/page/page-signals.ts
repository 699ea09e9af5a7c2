/**
 * The catalogue of page signals: every id a page analyzer can emit, its default weight and what it
 * means. Weights are defaults only; `PageAnalysisConfig.weights` overrides any of them. Kit
 * fingerprints (`page.kit.<rule-id>`) and combination rules (`page.combo.<rule-id>`) carry their own
 * weights in their rule files.
 * @module
 */

export interface SignalSpec {
  readonly weight: number;
  readonly about: string;
}

export const PAGE_SIGNALS = {
  'page.capture.password-field': { weight: 20, about: 'the page asks for a password' },
  'page.capture.email-field': { weight: 8, about: 'the page asks for an e-mail address or account name' },
  'page.capture.code-field': { weight: 15, about: 'the page asks for a one-time code' },
  'page.capture.offsite-form': { weight: 35, about: 'a form with credential fields posts to another site' },
  'page.capture.js-form-rewrite': { weight: 30, about: "script rewrites a form's action at run time" },
  'page.capture.js-post': { weight: 30, about: 'script reads credential fields and posts them itself' },
  'page.exfil.telegram': { weight: 75, about: 'a Telegram bot API endpoint or bot token is embedded' },
  'page.exfil.discord': { weight: 70, about: 'a Discord webhook is embedded' },
  'page.exfil.serverless': {
    weight: 35,
    about: 'data goes to a serverless function or form-relay service',
  },
  'page.exfil.php-drop': { weight: 30, about: 'credentials go to a PHP drop script' },
  'page.exfil.script-drop': {
    weight: 30,
    about: "a script sends the credentials it reads to another site's URL",
  },
  'page.brand.terms': { weight: 15, about: 'the page names a brand it is not hosted by' },
  'page.brand.hotlinked-assets': { weight: 35, about: "the page loads a brand's own assets from its CDN" },
  'page.brand.signin-markers': { weight: 50, about: "the page carries a brand's sign-in page markup" },
  'page.brand.favicon-match': { weight: 40, about: "the favicon looks like a brand's icon" },
  'page.brand.layout-match': { weight: 40, about: "the rendered page looks like a brand's sign-in page" },
  'page.gate.turnstile': { weight: 10, about: 'Cloudflare Turnstile widget' },
  'page.gate.hcaptcha': { weight: 10, about: 'hCaptcha widget' },
  'page.gate.recaptcha': { weight: 8, about: 'Google reCAPTCHA widget' },
  'page.gate.custom-captcha': { weight: 30, about: 'a home-made slider, math, rotate or checkbox CAPTCHA' },
  'page.gate.fake-interstitial': {
    weight: 45,
    about: 'a "checking your browser" page without a real challenge platform behind it',
  },
  'page.gate.webdriver-check': { weight: 30, about: 'script tests for automation or headless browsers' },
  'page.gate.devtools-trap': { weight: 30, about: 'debugger traps or developer-tools detection' },
  'page.gate.input-blocking': { weight: 20, about: 'right-click, F12 or view-source shortcuts are blocked' },
  'page.gate.console-disabled': { weight: 20, about: 'script silences the console' },
  'page.gate.timing': { weight: 15, about: 'content or redirect is held back by a timer or timing check' },
  'page.gate.geo-lookup': { weight: 25, about: "script looks up the visitor's IP, network or location" },
  'page.gate.token-redirect': {
    weight: 25,
    about: 'a redirect carries a one-time token or the victim address',
  },
  'page.gate.obfuscation': { weight: 30, about: 'heavily obfuscated script or encoded HTML' },
  'page.lure.pretext': {
    weight: 20,
    about: 'a dead-end credential page tells a phishing pretext (voicemail, shared document, full mailbox)',
  },
  'page.prep.gate-shell': { weight: 20, about: 'a gate with nothing behind it yet' },
  'page.prep.parked': { weight: 5, about: 'a parked, for-sale or default server page' },
  'page.prep.saved-page': { weight: 35, about: "artefacts of a browser's or a mirroring tool's saved page" },
  'page.prep.kit-path': { weight: 25, about: 'resource paths typical of a dropped phishing kit' },
  'page.cloak.differential': {
    weight: 40,
    about: 'a crawler and a browser coming from webmail get different pages',
  },
} as const satisfies Record<string, SignalSpec>;

export type PageSignalId = keyof typeof PAGE_SIGNALS;

export const PAGE_SIGNAL_IDS = Object.keys(PAGE_SIGNALS) as PageSignalId[];

export const isPageSignalId = (id: string): id is PageSignalId => Object.hasOwn(PAGE_SIGNALS, id);
