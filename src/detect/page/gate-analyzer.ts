/**
 * Anti-analysis gates: what a page does to keep scanners, researchers and the wrong visitors out.
 * Third-party CAPTCHAs are weak on their own (honest sign-in pages use them too); home-made
 * CAPTCHAs, fake interstitials and anti-debugging are rare on honest pages.
 * @module
 */
import type { Analyzer, AnalyzerInput, Finding } from './analyzer.js';
import { excerpt, hostOf, hostWithin } from './url-util.js';

const has = (re: RegExp, ...hay: string[]): RegExpExecArray | undefined => {
  for (const h of hay) {
    const m = re.exec(h);
    if (m) return m;
  }
  return undefined;
};

const anyUrl = (input: AnalyzerInput, test: (host: string, url: string) => boolean): string | undefined =>
  input.allUrls.find((u) => test(hostOf(u), u));

// Markers the real Cloudflare challenge platform always ships; an interstitial without them is a costume.
const REAL_CHALLENGE = /\/cdn-cgi\/challenge-platform\/|_cf_chl_opt|cf_chl_|cf-chl-/;
const INTERSTITIAL_TEXT =
  /checking (?:your browser|if the site connection is secure|your connection)|verifying (?:that )?you are (?:a )?human|verify you are human by completing|ddos protection by|just a moment\.\.\.|please wait while we (?:verify|check)|browser (?:security )?check|security check in progress|we are verifying your browser|one more step/i;

const SLIDER =
  /slide (?:to|the slider to) (?:verify|unlock|continue)|drag the (?:slider|puzzle|piece)|(?:slider|slide)[-_]?captcha|captcha[-_]?slider/i;
const MATH =
  /(?:what is|solve|calculate|enter the (?:sum|result) of)\s*:?\s*\d+\s*[-+x×*÷/]\s*\d+|math[-_]?captcha/i;
const ROTATE = /rotate the (?:image|picture|object)|turn the (?:image|picture) upright|rotate[-_]?captcha/i;
const NOT_ROBOT = /i(?:'|’| a)?m not a robot|i am not a robot|i am human/i;
const CAPTCHA_WORD = /captcha/i;

const WEBDRIVER =
  /navigator\.webdriver|navigator\[["']webdriver["']\]|headlesschrome|callphantom|_phantom\b|__nightmare|domautomation|__selenium|__webdriver|\$cdc_|cdc_adoqpoasnfa|__driver_evaluate|__fxdriver|_selenium|webdriver-evaluate|\bpuppeteer\b|\bplaywright\b/i;
const DEVTOOLS =
  /\bdebugger\b|["'`]debugger["'`]|devtools-?(?:detect|change|open)|(?:outer|inner)(?:Width|Height)\s*-\s*window\.(?:inner|outer)(?:Width|Height)\s*>\s*\d+|console\.profile\(/i;
const BLOCK_KEYS =
  /keyCode\s*={2,3}\s*123|key\s*={2,3}\s*["']F12["']|which\s*={2,3}\s*123|ctrlKey\s*&&\s*(?:e\.|event\.)?shiftKey\s*&&\s*(?:\(?\s*)?(?:e\.|event\.)?(?:keyCode|which)\s*={2,3}\s*(?:73|74|67)|ctrlKey\s*&&\s*(?:e\.|event\.)?(?:keyCode|which)\s*={2,3}\s*85/;
const BLOCK_CONTEXT =
  /["']contextmenu["']\s*,\s*(?:function\s*\(\s*\w*\s*\)\s*\{[^}]{0,120}preventDefault|\(?\w*\)?\s*=>\s*\{?[^}]{0,120}preventDefault)|oncontextmenu\s*=\s*(?:["']?\s*return false|function|\(\)\s*=>)/i;
const CONSOLE_OFF =
  /console\s*(?:\.\s*(?:log|warn|error|info|debug|table|trace|dir|clear)|\[\s*[\w"']+\s*\])\s*=(?!=)|(?:window\.)?console\s*=(?!=)\s*\{|defineProperty\(\s*(?:window\.)?console\b/;
const DELAYED_REVEAL =
  /setTimeout\s*\(\s*(?:function\s*\(\s*\)\s*\{|\(\s*\)\s*=>\s*\{?)[\s\S]{0,400}?(?:location(?:\.href)?\s*=(?!=)|location\.(?:replace|assign)\s*\(|\.style\.(?:display|visibility)\s*=|\.innerHTML\s*=|document\.write\s*\()[\s\S]{0,400}?\}?\s*\)?\s*,\s*(\d{4,6})\s*\)/;
const TIME_DELTA = /(?:performance\.now|Date\.now)\(\)\s*-\s*[\w$.]+\s*>\s*\d{2,}/;
const META_REFRESH_DELAY = /^\s*(\d+)\s*(?:[;,]|$)/;

const GEO_HOSTS = [
  'ipapi.co',
  'ipapi.com',
  'ip-api.com',
  'ipinfo.io',
  'ipify.org',
  'geoplugin.net',
  'freegeoip.app',
  'ipwho.is',
  'ipwhois.app',
  'ipwhois.io',
  'extreme-ip-lookup.com',
  'ipgeolocation.io',
  'db-ip.com',
  'ipdata.co',
  'geolocation-db.com',
  'ip.sb',
  'ipregistry.co',
  'bigdatacloud.net',
  'ipstack.com',
  'iplocation.net',
  'myip.com',
  'seeip.org',
  'ipapi.is',
];
const GEO_IN_JS = new RegExp(
  `(?:${GEO_HOSTS.map((h) => h.replace(/\./g, '\\.')).join('|')})|/cdn-cgi/trace\\b`,
  'i',
);

const OBFUSCATOR_ID = /\b_0x[0-9a-f]{4,6}\b/g;
const EVAL_DECODE =
  /\beval\s*\(\s*(?:atob|unescape|decodeURIComponent|escape|String\.fromCharCode|window\.atob)\s*\(|\b(?:new\s+)?Function\s*\(\s*(?:atob|unescape|decodeURIComponent)\s*\(/;
const WRITE_DECODE =
  /document\.write(?:ln)?\s*\(\s*(?:atob|unescape|decodeURIComponent|decodeURI|window\.atob)\s*\(/;
const CHARCODE_RUN = /fromCharCode\s*\(\s*(?:\d+\s*,\s*){40,}/;
const HIDDEN_FORM = /<\s*(?:form|input)\b/i;
const HEX_ESCAPE = /\\x[0-9a-fA-F]{2}/g;
const BASE64_MIN = 800;

const JSFUCK = /(?:\[\]\+?\(?!\[\]|\(!\[\]\+\[\]\)){8,}|ﾟωﾟﾉ/;
const B64 = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') B64[c.charCodeAt(0)] = 1;

const isB64 = (c: number): boolean => c < 128 && B64[c] === 1;

/**
 * Maximal base64 runs of at least `BASE64_MIN` characters, left to right. A run that long covers at
 * least one position of a stride-`BASE64_MIN` grid, so only grid positions are probed and a run is
 * grown both ways from a probe that lands in base64 text: about n/800 probes plus the length of the
 * short identifier runs they land in, instead of a test of every character (or a `{800,}` regex,
 * which rescans shorter runs and costs seconds on big pages).
 */
export function base64Runs(s: string, out: string[]): void {
  const n = s.length;
  let from = 0; // everything before `from` has been classified
  for (let p = BASE64_MIN - 1; p < n && out.length < 20; p += BASE64_MIN) {
    if (p < from || !isB64(s.charCodeAt(p))) continue;
    let start = p;
    while (start > from && isB64(s.charCodeAt(start - 1))) start--;
    let end = p + 1;
    while (end < n && isB64(s.charCodeAt(end))) end++;
    if (end - start >= BASE64_MIN) out.push(s.slice(start, end));
    from = end;
  }
}

function obfuscation(input: AnalyzerInput): string[] {
  const js = input.js;
  const why: string[] = [];
  const ids = new Set(js.match(OBFUSCATOR_ID) ?? []);
  if (ids.size >= 8) why.push(`${ids.size} obfuscator-style identifiers (_0x…)`);
  if (EVAL_DECODE.test(js)) why.push('eval of decoded text');
  if (WRITE_DECODE.test(js)) why.push('document.write of decoded text');
  if (CHARCODE_RUN.test(js)) why.push('long String.fromCharCode chain');
  // However it was encoded: a sign-in form kept out of the page's markup until a script writes it.
  if (input.decoded.some((d) => HIDDEN_FORM.test(d))) why.push('a form hidden in an encoded literal');
  const hex = js.match(HEX_ESCAPE)?.length ?? 0;
  if (hex >= 300) why.push(`${hex} hex escapes`);
  // Cheap pre-check: the full pattern is slow on megabytes of ordinary script.
  if ((js.includes('!+[]') || js.includes('ﾟωﾟ')) && JSFUCK.test(js)) why.push('JSFuck/aaencode text');
  const runs: string[] = [];
  // Every script byte once (a blob in an inline script is in the HTML), uncapped.
  for (const t of input.markup) base64Runs(t, runs);
  for (const run of runs) {
    const head = Buffer.from(run.slice(0, 400), 'base64').toString('latin1');
    if (/<(?:html|form|input|script|div|body|iframe)\b/i.test(head)) {
      why.push('base64-encoded HTML blob');
      break;
    }
  }
  return why;
}

/** Shannon entropy in bits per character. */
function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

const EMAIL = /[\w.+-]+@[\w-]+\.[\w.-]+/;
const REDIRECT_TARGET =
  /(?:location(?:\.href)?\s*=(?!=)\s*|location\.(?:replace|assign)\s*\(\s*|window\.open\s*\(\s*)["'`]([^"'`]{8,600})["'`]/g;

/** Why a redirect target looks like a one-time or victim-specific link, or undefined. */
export function tokenReason(target: string): string | undefined {
  let url: URL;
  try {
    url = new URL(target, 'https://x.invalid/');
  } catch {
    return undefined;
  }
  const parts = [...url.searchParams.values(), url.hash.slice(1)].filter(Boolean);
  for (const p of parts) {
    let v = p;
    try {
      v = decodeURIComponent(p);
    } catch {
      // keep raw
    }
    if (EMAIL.test(v)) return 'the victim address in the link';
    if (/^[A-Za-z0-9+/_-]{12,}={0,2}$/.test(v)) {
      const decoded = Buffer.from(v, 'base64').toString('latin1');
      if (EMAIL.test(decoded)) return 'a base64-encoded address in the link';
    }
    if (
      v.length >= 24 &&
      /^[A-Za-z0-9_.~-]+$/.test(v) &&
      entropy(v) >= 3.5 &&
      /\d/.test(v) &&
      /[a-zA-Z]/.test(v)
    ) {
      return `a one-time token (${v.length} characters)`;
    }
  }
  return undefined;
}

export const gateAnalyzer: Analyzer = (input) => {
  const out: Finding[] = [];
  const { facts, js } = input;
  const html = input.snapshot.html;
  const add = (id: string, detail: string, m?: string) =>
    out.push(m === undefined ? { id, detail } : { id, detail, excerpt: excerpt(m) });

  const turnstile =
    anyUrl(input, (h, u) => h === 'challenges.cloudflare.com' && u.includes('/turnstile/')) ??
    (facts.classes.has('cf-turnstile') ? 'cf-turnstile' : undefined);
  if (turnstile) add('page.gate.turnstile', 'Cloudflare Turnstile widget on the page', turnstile);
  const hcaptcha =
    anyUrl(input, (h) => hostWithin(h, 'hcaptcha.com')) ??
    (facts.classes.has('h-captcha') ? 'h-captcha' : undefined);
  if (hcaptcha) add('page.gate.hcaptcha', 'hCaptcha widget on the page', hcaptcha);
  const recaptcha =
    anyUrl(
      input,
      (h, u) =>
        (hostWithin(h, 'google.com') || hostWithin(h, 'recaptcha.net') || hostWithin(h, 'gstatic.com')) &&
        u.includes('/recaptcha/'),
    ) ?? (facts.classes.has('g-recaptcha') ? 'g-recaptcha' : undefined);
  if (recaptcha) add('page.gate.recaptcha', 'Google reCAPTCHA widget on the page', recaptcha);
  const provider = Boolean(turnstile || hcaptcha || recaptcha);

  const visible = `${facts.title} ${facts.text}`;
  const custom =
    has(SLIDER, visible, js) ??
    has(MATH, visible) ??
    has(ROTATE, visible) ??
    (provider
      ? undefined
      : (has(NOT_ROBOT, visible) ??
        [...facts.ids, ...facts.names, ...facts.classes].find((x) => CAPTCHA_WORD.test(x))));
  if (custom) {
    const m = typeof custom === 'string' ? custom : custom[0];
    add('page.gate.custom-captcha', 'a home-made CAPTCHA without a CAPTCHA provider', m);
  }

  const inter = INTERSTITIAL_TEXT.exec(visible);
  if (
    inter &&
    !REAL_CHALLENGE.test(html) &&
    !REAL_CHALLENGE.test(js) &&
    !input.allUrls.some((u) => REAL_CHALLENGE.test(u))
  ) {
    add(
      'page.gate.fake-interstitial',
      `the page says "${inter[0]}" but no challenge platform is behind it`,
      inter[0],
    );
  }
  const wd = WEBDRIVER.exec(js);
  if (wd) add('page.gate.webdriver-check', 'script tests for automated or headless browsers', wd[0]);
  const dt = DEVTOOLS.exec(js);
  if (dt) add('page.gate.devtools-trap', 'debugger traps or developer-tools detection in script', dt[0]);
  const handlers = facts.handlers.join('\n');
  const blocking = has(BLOCK_KEYS, js, handlers) ?? has(BLOCK_CONTEXT, js, handlers);
  if (blocking)
    add('page.gate.input-blocking', 'right-click or developer shortcuts are blocked', blocking[0]);
  const con = CONSOLE_OFF.exec(js);
  if (con) add('page.gate.console-disabled', 'script replaces or silences the console', con[0]);

  const refresh = facts.metas.find((m) => m.key === 'refresh');
  const refreshDelay = refresh ? Number(META_REFRESH_DELAY.exec(refresh.content)?.[1] ?? 0) : 0;
  const delayed = DELAYED_REVEAL.exec(js);
  const delta = TIME_DELTA.exec(js);
  if (delayed && Number(delayed[1]) >= 1000) {
    add(
      'page.gate.timing',
      `content or redirect is held back ${Number(delayed[1]) / 1000} s by a timer`,
      delayed[0],
    );
  } else if (refreshDelay >= 2) {
    add('page.gate.timing', `a meta refresh waits ${refreshDelay} s before moving on`, refresh?.content);
  } else if (delta) {
    add('page.gate.timing', 'script measures elapsed time to detect stepping or automation', delta[0]);
  }

  const geo =
    anyUrl(input, (h, u) => GEO_HOSTS.some((g) => hostWithin(h, g)) || u.includes('/cdn-cgi/trace')) ??
    GEO_IN_JS.exec(js)?.[0];
  if (geo) add('page.gate.geo-lookup', "the page looks up the visitor's IP or location", geo);

  // Server redirects of honest sign-in flows carry OAuth state and nonces, so only a victim address
  // counts there; client-side redirects with one-time tokens are the kit pattern.
  const targets: { url: string; server: boolean }[] = input.snapshot.redirectChain.map((url) => ({
    url,
    server: true,
  }));
  if (refresh) {
    const m = /url\s*=\s*['"]?([^'"]+)/i.exec(refresh.content);
    if (m?.[1]) targets.push({ url: m[1], server: false });
  }
  for (const m of js.matchAll(REDIRECT_TARGET)) if (m[1]) targets.push({ url: m[1], server: false });
  for (const { url: t, server } of targets) {
    const why = tokenReason(t);
    if (why && (!server || why.includes('address'))) {
      add('page.gate.token-redirect', `a redirect carries ${why}`, t);
      break;
    }
  }
  const obf = obfuscation(input);
  if (obf.length > 0) add('page.gate.obfuscation', `obfuscated content: ${obf.join('; ')}`);
  return out;
};
