/**
 * Builds the name-evaluation corpora under `bench/corpora/names/` (see SOURCE.md there) from public data
 * already in the repository (`test/fixtures/domain`), the `eth-phishing-detect` package, a copy of the
 * FlowerStorm IOC list and the constructions below. Run once when the sources change; the output is
 * committed so that evaluations never read anything outside the repository.
 *
 *   node --import tsx bench/corpora/build-names.ts [--flowerstorm FILE] [--third-party-web DIR]
 *     [--email-providers DIR]
 *
 * Every corpus is split into a dev part and a held-out part by a hash of the name (or, for constructed
 * host names, of the site they are built from, so the held-out sites are ones never looked at). Figures
 * are reported on the held-out part.
 * @module
 */
import { createRequire } from 'node:module';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { packageRoot } from '../../src/detect/domain/package-paths.js';

const { values } = parseArgs({
  options: {
    flowerstorm: { type: 'string' },
    // The installed packages' directories (`npm install third-party-web email-providers` anywhere): the
    // data is copied into the corpus, so the project does not depend on them.
    'third-party-web': { type: 'string' },
    'email-providers': { type: 'string' },
  },
});
const root = packageRoot();
const out = join(root, 'bench', 'corpora', 'names');
mkdirSync(out, { recursive: true });

/** FNV-1a: a stable split that does not depend on the order of the source lists. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
/** 40% held out. */
const heldOut = (key: string): boolean => fnv(key) % 10 < 4;

/**
 * Once a held-out part has been looked at (its false flags read while fixing them), half of it is split
 * off again by another hash as a `final` part, which nobody reads until a round's last measurement.
 */
const finalPart = (key: string): boolean => fnv(`final:${key}`) % 2 === 0;
/**
 * The final part was read after its measurement (2026-12-03), so it is split once more: `final-tune`
 * (read while fixing false flags from 2026-12-04) and `final2`, which nobody reads until a round's last
 * measurement. `final.txt` stays as the union, so earlier figures can be reproduced.
 */
// The top bit: FNV-1a's low bit is only the parity of the characters' low bits, the same for any prefix.
const final2Part = (key: string): boolean => fnv(`final2:${key}`) >>> 31 === 0;

function write(
  name: string,
  header: string,
  rows: readonly { line: string; key: string }[],
  withFinal = false,
): void {
  const seen = new Set<string>();
  const dev: string[] = [];
  const held: string[] = [];
  const final: string[] = [];
  const finalTune: string[] = [];
  const final2: string[] = [];
  for (const r of rows) {
    const n = r.line.split(' ')[0] as string;
    if (seen.has(n)) continue;
    seen.add(n);
    if (!heldOut(r.key)) dev.push(r.line);
    else if (withFinal && finalPart(r.key)) {
      final.push(r.line);
      (final2Part(r.key) ? final2 : finalTune).push(r.line);
    } else held.push(r.line);
  }
  const head = header
    .trim()
    .split('\n')
    .map((l) => `# ${l}`)
    .join('\n');
  writeFileSync(join(out, `${name}.dev.txt`), `${head}\n# part: dev\n${dev.join('\n')}\n`);
  writeFileSync(join(out, `${name}.heldout.txt`), `${head}\n# part: held-out\n${held.join('\n')}\n`);
  if (withFinal)
    writeFileSync(
      join(out, `${name}.final.txt`),
      `${head}\n# part: final (held out again; not looked at until a round's last measurement)\n${final.join('\n')}\n`,
    );
  if (withFinal) {
    writeFileSync(
      join(out, `${name}.final-tune.txt`),
      `${head}\n# part: final-tune (half of final, read while tuning from 2026-12-04)\n${finalTune.join('\n')}\n`,
    );
    writeFileSync(
      join(out, `${name}.final2.txt`),
      `${head}\n# part: final2 (other half of final; not looked at until a round's last measurement)\n${final2.join('\n')}\n`,
    );
  }
  console.log(
    `${name}: ${dev.length} dev, ${held.length} held-out${withFinal ? `, ${final.length} final (${finalTune.length} final-tune, ${final2.length} final2)` : ''}`,
  );
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));

/** A small deterministic PRNG (mulberry32) for the constructed sets. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

// --- dnstwist permutations (positives), class = fuzzer ---------------------------------------------
{
  const dir = join(root, 'test', 'fixtures', 'domain', 'permutations');
  const rows: { line: string; key: string }[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.txt'))) {
    const original = file.replace(/\.txt$/, '');
    const fuzzerOf = new Map<string, string>();
    for (const l of lines(readFileSync(join(dir, `${original}.fuzzer.csv`), 'utf8')).slice(1)) {
      const [fuzzer, domain] = l.split(',');
      if (fuzzer && domain) fuzzerOf.set(domain, fuzzer);
    }
    const label = original.split('.')[0] as string;
    for (const n of lines(readFileSync(join(dir, file), 'utf8'))) {
      if (n === original) continue;
      const fuzzer = fuzzerOf.get(n) ?? (n.split('.')[0] === label ? 'tld-swap' : 'dictionary');
      rows.push({ line: `${n} dnstwist-${fuzzer}`, key: n });
    }
  }
  write(
    'dnstwist',
    `dnstwist 20250130 permutations (all fuzzers, dictionary, TLD swap) of microsoft.com, office.com, live.com,
outlook.com, microsoftonline.com; from test/fixtures/domain/permutations (dnstwist is Apache-2.0; the lists
are data). Positives; class = dnstwist fuzzer. Names a brand owns (microsoftonline.com…) are still listed:
a flagged owned name is impossible, so they count as misses, as a user's run would count them.`,
    rows,
  );
}

// --- Tranco registrable domains (negatives) ---------------------------------------------------------
const tranco = lines(readFileSync(join(root, 'test', 'fixtures', 'domain', 'tranco-top-50k.txt'), 'utf8'));
write(
  'tranco',
  `Tranco list of 2025-02-19, top 50,519 registrable domains (free to use; cite Le Pochat et al., NDSS 2019),
from test/fixtures/domain/tranco-top-50k.txt. Negatives.`,
  tranco.map((d) => ({ line: `${d} tranco`, key: d })),
  true,
);

// --- Full host names as a resolver or a CT log sees them (negatives) ------------------------------
{
  const rows: { line: string; key: string }[] = [];
  const top = tranco.slice(0, 6000);
  const label = (d: string): string => d.split('.')[0] as string;
  // CNAME targets of CDN, edge and DNS vendors: the customer's host name carried as labels. Patterns as
  // the vendors document them (Akamai edge hostnames, Cloudflare partial setup, Azure/AWS/Fastly/Heroku).
  const edge: ((d: string) => string)[] = [
    (d) => `www.${d}.edgekey.net`,
    (d) => `${d}.edgekey.net`,
    (d) => `www.${d}.edgesuite.net`,
    (d) => `${d}.edgesuite.net`,
    (d) => `www.${d}.akamaized.net`,
    (d) => `www.${d}.cdn.cloudflare.net`,
    (d) => `${d}.cdn.cloudflare.net`,
    (d) => `${label(d)}-prod.azurefd.net`,
    (d) => `${label(d)}.trafficmanager.net`,
    (d) => `www.${d}.herokudns.com`,
    (d) => `${label(d)}.map.fastly.net`,
    (d) => `${label(d)}.global.ssl.fastly.net`,
    (d) => `www.${d}.s3.amazonaws.com`,
    (d) => `${d}.s3-website-us-east-1.amazonaws.com`,
  ];
  for (const d of top) {
    const r = rng(fnv(d));
    for (let k = 0; k < 3; k++) rows.push({ line: `${pick(r, edge)(d)} cdn-edge`, key: d });
  }
  // Tenants of shared platforms named after the site (`<site>.github.io`). Kept as their own class: an
  // exact brand name as a tenant is also the commonest platform phish, so these are ambiguous by nature.
  const tenant: ((d: string) => string)[] = [
    (d) => `${label(d)}.azureedge.net`,
    (d) => `${label(d)}-cdn.b-cdn.net`,
    (d) => `${label(d)}.wpenginepowered.com`,
    (d) => `${label(d)}.myshopify.com`,
    (d) => `${label(d)}.zendesk.com`,
    (d) => `${label(d)}.my.salesforce.com`,
    (d) => `${label(d)}.okta.com`,
    (d) => `${label(d)}.atlassian.net`,
    (d) => `${label(d)}.github.io`,
    (d) => `${label(d)}.hubspot.net`,
  ];
  for (const d of top.slice(0, 3000))
    rows.push({ line: `${pick(rng(fnv(`t:${d}`)), tenant)(d)} platform-tenant`, key: d });
  // Subdomains of big sites.
  const subs = [
    'www',
    'm',
    'mail',
    'login',
    'accounts',
    'account',
    'api',
    'cdn',
    'static',
    'img',
    'images',
    'secure',
    'support',
    'help',
    'shop',
    'store',
    'auth',
    'sso',
    'my',
    'portal',
    'docs',
    'news',
    'blog',
    'app',
    'signin',
    'id',
    'pay',
    'checkout',
    'media',
    'assets',
    'dev',
    'status',
    'community',
    'developer',
  ];
  for (const d of top.slice(0, 4000)) {
    const r = rng(fnv(`sub:${d}`));
    for (let k = 0; k < 3; k++) rows.push({ line: `${pick(r, subs)}.${d} subdomain`, key: d });
  }
  // Brands' own secondary, ad, CDN and regional domains (public knowledge of who owns what; each is a
  // live registrable domain of the company named in the comment).
  const secondary: Record<string, string[]> = {
    google: [
      'gstatic.com',
      'googleapis.com',
      'googleusercontent.com',
      'ggpht.com',
      'googlevideo.com',
      'doubleclick.net',
      'googlesyndication.com',
      'googleadservices.com',
      'google-analytics.com',
      'googletagmanager.com',
      'ytimg.com',
      'withgoogle.com',
      'googledomains.com',
      'gvt1.com',
      'gvt2.com',
      'googlezip.net',
      'google.co.uk',
      'google.de',
      'google.com.br',
      'googleblog.com',
      'blogger.com',
      'youtube-nocookie.com',
      'youtu.be',
    ],
    microsoft: [
      'msftstatic.com',
      'live-int.com',
      'microsoftonline-p.com',
      'msedge.net',
      'office.net',
      'sharepointonline.com',
      'windowsupdate.com',
      'msftncsi.com',
      'microsoftstore.com',
      'xboxlive.com',
      'azure-dns.com',
      'bingapis.com',
      'msn.com',
      'skype.com',
      'onestore.ms',
      'aspnetcdn.com',
      'visualstudio.com',
      'microsoftazuread-sso.com',
    ],
    facebook: [
      'fbcdn.net',
      'fbsbx.com',
      'facebook.net',
      'fb.com',
      'fb.me',
      'messenger.com',
      'cdninstagram.com',
      'whatsapp.net',
      'meta.com',
      'oculus.com',
      'fbpigeon.com',
    ],
    amazon: [
      'amazonaws.com',
      'media-amazon.com',
      'ssl-images-amazon.com',
      'amazon-adsystem.com',
      'a2z.com',
      'amazontrust.com',
      'awsstatic.com',
      'primevideo.com',
      'amazonvideo.com',
      'images-amazon.com',
      'amazon.co.uk',
      'amazon.de',
      'amazon.co.jp',
      'aboutamazon.com',
      'amazonpay.com',
    ],
    apple: [
      'mzstatic.com',
      'icloud-content.com',
      'apple-dns.net',
      'cdn-apple.com',
      'apple-cloudkit.com',
      'aaplimg.com',
      'icloud.com',
      'me.com',
      'apple.news',
      'itunes.com',
      'apple-mapkit.com',
    ],
    netflix: [
      'nflxvideo.net',
      'nflximg.net',
      'nflxext.com',
      'nflxso.net',
      'nflximg.com',
      'netflixdnstest1.com',
      'netflix.net',
    ],
    paypal: [
      'paypalobjects.com',
      'paypal-community.com',
      'paypal.me',
      'paypal-dynamic.com',
      'paypalcorp.com',
      'paypal-prepaid.com',
      'braintreegateway.com',
      'venmo.com',
      'xoom.com',
    ],
    twitter: ['twimg.com', 't.co', 'x.com', 'twttr.com', 'ads-twitter.com', 'twitter.co'],
    linkedin: ['licdn.com', 'lnkd.in', 'linkedin.cn'],
    yahoo: ['yimg.com', 'yahooapis.com', 'yahoodns.net', 'aolcdn.com', 'yahoo.co.jp', 'yahoo-net.jp'],
    adobe: [
      'adobedtm.com',
      'adobe.io',
      'adobelogin.com',
      'typekit.net',
      'adobecc.com',
      'omniture.com',
      'demdex.net',
      'adobesc.com',
      'behance.net',
    ],
    dropbox: ['dropboxstatic.com', 'dropboxusercontent.com', 'dropbox-dns.com', 'db.tt', 'dropboxapi.com'],
    spotify: ['scdn.co', 'spotifycdn.com', 'spoti.fi', 'pscdn.co', 'spotify.net'],
    ebay: ['ebaystatic.com', 'ebayimg.com', 'ebayrtm.com', 'ebay.co.uk', 'ebay.de', 'ebaydesc.com'],
    tiktok: [
      'tiktokcdn.com',
      'tiktokv.com',
      'byteoversea.com',
      'ibytedtos.com',
      'tiktokcdn-us.com',
      'musical.ly',
    ],
    steam: [
      'steamstatic.com',
      'steamcommunity.com',
      'steampowered.com',
      'steamcontent.com',
      'steamserver.net',
    ],
    discord: ['discordapp.com', 'discordapp.net', 'discord.gg', 'discord.media', 'discordcdn.com'],
    docusign: ['docusign.net', 'docusign.com', 'docusign.eu'],
    coinbase: ['coinbase.com', 'cbhq.net', 'coinbase-cdn.com'],
    whatsapp: ['whatsapp.net', 'wa.me', 'whatsapp.com'],
    telegram: ['telegram.org', 't.me', 'telesco.pe', 'tdesktop.com', 'telegra.ph'],
    dhl: ['dhl.de', 'dhl.com', 'dpdhl.com', 'dhl.co.uk', 'dhlparcel.nl'],
    fedex: ['fedex.com', 'fedexcdn.com'],
    ups: ['ups.com', 'upsc.com'],
    netease: ['163.com', '126.net'],
  };
  for (const [brand, domains] of Object.entries(secondary)) {
    for (const d of domains) {
      rows.push({ line: `${d} brand-secondary`, key: brand + d });
      rows.push({ line: `www.${d} brand-secondary`, key: brand + d });
    }
  }
  write(
    'benign-hosts',
    `Full host names as a resolver or a certificate-transparency log sees them (negatives), constructed for
Precursor: CDN/edge/DNS-vendor CNAME targets that carry a customer's host name (class cdn-edge), tenants
of shared platforms named after a site (class platform-tenant: ambiguous by nature), big sites'
subdomains (class subdomain), both built from the top 6,000 Tranco domains (Tranco 2025-02-19, free to use),
and brands' own secondary, ad and CDN domains from public knowledge (class brand-secondary). Split by the
source site, so held-out sites never appear in the dev part.`,
    rows,
  );
}

// --- Phishing-as-a-service names (positives) -------------------------------------------------------
if (values.flowerstorm) {
  const rows: { line: string; key: string }[] = [];
  for (const l of readFileSync(values.flowerstorm, 'utf8').split('\n')) {
    const [kind, data] = l.split(',');
    if (kind === 'domain' && data) rows.push({ line: `${data.trim().toLowerCase()} flowerstorm`, key: data });
  }
  write(
    'flowerstorm',
    `FlowerStorm Microsoft 365 phishing-as-a-service domains, SophosLabs IoCs repository
(sophos/IoCs, FlowerStormPaaS.csv; no licence file: facts, used as test data with attribution;
https://news.sophos.com/en-us/2024/12/19/phishing-platform-rockstar-2fa-trips-and-flowerstorm-picks-up-the-pieces/).
Positives; judged on the name alone.`,
    rows,
  );
}

// --- Third-party hosts of real web pages and popular mail providers (negatives) -------------------
// A second source of honest names besides Tranco (whose every part has now been read): the hosts that
// HTTP Archive saw pages load from, attributed to a known company by the third-party-web project
// (ad, analytics, CDN, social, hosting, consent… services, and the companies' own secondary and CDN
// domains), and the mail providers of the email-providers package that have a Majestic Million rank
// under 100,000 (many of them big brands' country domains: `<brand>.co.uk`, `<brand>.fr`). Split by
// company, so the held-out companies' portfolios never appear in the dev part.
if (values['third-party-web']) {
  const dir = values['third-party-web'];
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
  const entities = JSON.parse(readFileSync(join(dir, 'dist', 'entities.json'), 'utf8')) as {
    name: string;
    company?: string;
    domains: string[];
  }[];
  const owner = new Map<string, string>();
  for (const e of entities) for (const d of e.domains) owner.set(d.toLowerCase(), e.company ?? e.name);
  const rows: { line: string; key: string }[] = [];
  const valid = (h: string): boolean => /^[a-z0-9.-]+\.[a-z][a-z0-9-]*$/.test(h) && !/^[0-9.]+$/.test(h);
  for (const [pattern, company] of owner) {
    const host = pattern.replace(/^\*\./, '');
    if (valid(host)) rows.push({ line: `${host} third-party-domain`, key: `tpw:${company}` });
  }
  // The observed full host names, at most 8 per pattern (a few vendors have thousands of tenants),
  // chosen by hash so the choice does not depend on the file's order.
  const perPattern = new Map<string, { host: string; h: number }[]>();
  for (const l of lines(readFileSync(join(dir, 'dist', 'domain-map.csv'), 'utf8'))) {
    const [host = '', pattern = ''] = l.toLowerCase().split(',');
    if (!owner.has(pattern) || !valid(host) || host === pattern) continue;
    const list = perPattern.get(pattern) ?? [];
    list.push({ host, h: fnv(`tpw-host:${host}`) });
    perPattern.set(pattern, list);
  }
  for (const [pattern, list] of perPattern) {
    list.sort((a, b) => a.h - b.h);
    for (const { host } of list.slice(0, 8))
      rows.push({ line: `${host} third-party-host`, key: `tpw:${owner.get(pattern)}` });
  }
  if (values['email-providers']) {
    const common = JSON.parse(
      readFileSync(join(values['email-providers'], 'common.json'), 'utf8'),
    ) as string[];
    for (const d of common) {
      const host = d.toLowerCase();
      if (valid(host)) rows.push({ line: `${host} mail-provider`, key: `mail:${host}` });
    }
  }
  write(
    'third-party',
    `Honest names from two sources other than Tranco (negatives): third-party-web ${pkg.version} (MIT,
Patrick Hulce; dist/entities.json and dist/domain-map.csv): the domains of ~2,100 known third-party
services and companies (class third-party-domain) and up to 8 full host names per domain pattern that
HTTP Archive saw real pages load (class third-party-host); and the email-providers package's common.json
(ISC, derhuerst, from goware/emailproviders): mail providers with a Majestic Million rank under
100,000 (class mail-provider). Split by company (mail providers by domain).`,
    rows,
  );
}

// --- Crypto-wallet phishing (positives) -------------------------------------------------------------
{
  const require = createRequire(import.meta.url);
  const config = require('eth-phishing-detect/src/config.json') as { blacklist: string[] };
  const version = (require('eth-phishing-detect/package.json') as { version: string }).version;
  write(
    'crypto-wallet',
    `MetaMask's public phishing deny list as shipped in eth-phishing-detect ${version} (src/config.json
"blacklist"; licence DBAD-1.1, a permissive licence: copy and modify freely). Crypto-wallet and exchange
phishing names. Positives.`,
    config.blacklist.map((d) => ({ line: `${d.toLowerCase()} crypto-wallet`, key: d })),
  );
}

// --- Lure-only Microsoft 365 names in the RaccoonO365 style (positives, constructed) --------------
{
  // The patterns of issue 16: brand abbreviations and product nicknames, storage and sign-in words,
  // misspelt by a doubled or dropped letter, hex slugs, cheap TLDs, glued or hyphenated.
  const nick = [
    'o365',
    'm365',
    '365',
    'ms',
    'msft',
    '1drv',
    'odrive',
    'sp',
    'acrbt',
    'adb',
    'ofc365',
    'office',
    'outlk',
    'onedrv',
    'shrpt',
    'mso',
    'offce',
    'micro',
    'ms365',
    'msoffice',
    'owa',
    'exch',
  ];
  const words = [
    'cloud',
    'docs',
    'files',
    'share',
    'secure',
    'verify',
    'portal',
    'auth',
    'login',
    'signin',
    'doc',
    'view',
    'access',
    'storage',
    'drive',
    'mail',
    'online',
    'review',
    'document',
    'invoice',
    'payment',
    'sharing',
    'transfer',
    'folder',
    'account',
    'support',
    'update',
    'session',
    'identity',
    'voice',
    'message',
    'scan',
    'fax',
    'archive',
  ];
  const tlds = [
    'com',
    'online',
    'xyz',
    'top',
    'shop',
    'site',
    'info',
    'ru',
    'live',
    'click',
    'cloud',
    'app',
    'net',
    'org',
    'us',
    'de',
    'icu',
    'store',
    'pro',
    'biz',
  ];
  const misspell = (r: () => number, w: string): string => {
    const i = 1 + Math.floor(r() * (w.length - 1));
    if (r() < 0.55) return w.slice(0, i) + w[i - 1] + w.slice(i); // doubled letter
    if (w.length > 4 && r() < 0.7) return w.slice(0, i) + w.slice(i + 1); // dropped letter
    return w;
  };
  const hex = (r: () => number): string =>
    Math.floor(r() * 0xffffff)
      .toString(16)
      .padStart(6, '0');
  const build = (r: () => number): string => {
    const parts: string[] = [];
    const n = 1 + Math.floor(r() * 3);
    for (let k = 0; k < n; k++) parts.push(r() < 0.45 ? misspell(r, pick(r, words)) : pick(r, words));
    parts.splice(Math.floor(r() * (parts.length + 1)), 0, pick(r, nick));
    if (r() < 0.2) parts.push(hex(r));
    const label = parts.join(r() < 0.5 ? '-' : '');
    const host = `${label}.${pick(r, tlds)}`;
    return r() < 0.25 ? `${pick(r, ['www', 'login', 'secure', 'portal', 'auth', hex(r)])}.${host}` : host;
  };
  const rows: { line: string; key: string }[] = [];
  // Dev and held-out come from different seeds; the split by hash then only separates the two streams.
  const devRng = rng(16_001);
  const heldRng = rng(16_999);
  for (let k = 0; k < 3000; k++) {
    const d = build(devRng);
    if (!heldOut(d)) rows.push({ line: `${d} lure-m365`, key: d });
    const h = build(heldRng);
    if (heldOut(h)) rows.push({ line: `${h} lure-m365`, key: h });
  }
  write(
    'lure-m365',
    `Lure-only Microsoft 365 phishing names in the RaccoonO365 style, constructed for Precursor from the
patterns of issue 16 (nicknames o365/m365/1drv/acrbt…, storage and sign-in words with doubled or dropped
letters, hex slugs, cheap TLDs). Positives. Constructed data: a figure on it shows the mechanism works
on these patterns, not that it holds on real IOC lists (FlowerStorm is the real one here).`,
    rows,
  );
}

// --- Banks and services of many countries (positives, constructed) -------------------------------
{
  // Brands of a law-enforcement PaaS IOC list's kind: banks, payment, postal, tax and telecom services
  // of many countries, most with no brand profile here. Patterns as in issue 16.
  const brands = [
    'bancolombia',
    'davivienda',
    'bbva',
    'caixabank',
    'sabadell',
    'bankinter',
    'unicaja',
    'ing',
    'rabobank',
    'abnamro',
    'bunq',
    'knab',
    'commerzbank',
    'sparkasse',
    'volksbank',
    'postbank',
    'dkb',
    'comdirect',
    'bnpparibas',
    'creditagricole',
    'societegenerale',
    'labanquepostale',
    'boursorama',
    'intesasanpaolo',
    'unicredit',
    'bancoposte',
    'nordea',
    'danskebank',
    'swedbank',
    'seb',
    'handelsbanken',
    'dnb',
    'kbc',
    'belfius',
    'ubs',
    'postfinance',
    'raiffeisen',
    'erstebank',
    'pkobp',
    'mbank',
    'revolut',
    'monzo',
    'starling',
    'halifax',
    'nationwide',
    'tsb',
    'metrobank',
    'aib',
    'bankofireland',
    'commbank',
    'westpac',
    'anz',
    'nab',
    'mygov',
    'ato',
    'kiwibank',
    'asb',
    'rbc',
    'tdbank',
    'scotiabank',
    'bmo',
    'cibc',
    'desjardins',
    'interac',
    'nubank',
    'bradesco',
    'itau',
    'santanderbr',
    'banorte',
    'banamex',
    'mercadopago',
    'bancochile',
    'bcp',
    'absa',
    'fnb',
    'capitec',
    'nedbank',
    'standardbank',
    'emiratesnbd',
    'alrajhi',
    'hdfcbank',
    'icicibank',
    'sbi',
    'axisbank',
    'paytm',
    'maybank',
    'cimb',
    'dbs',
    'ocbc',
    'uob',
    'gcash',
    'bdo',
    'kasikorn',
    'scb',
    'vietcombank',
    'mufg',
    'smbc',
    'rakuten',
    'kbstar',
    'shinhan',
    'auspost',
    'postnl',
    'laposte',
    'correos',
    'ctt',
    'posteitaliane',
    'bpost',
    'postnord',
    'hmrc',
    'govuk',
    'ameli',
    'impots',
    'agenziaentrate',
    'elster',
    'vodafone',
    'orange',
    'telstra',
    'optus',
    'etisalat',
    'swisscom',
    'ee',
    'o2',
  ];
  const lures = [
    'secure',
    'login',
    'auth',
    'verify',
    'online',
    'account',
    'update',
    'support',
    'app',
    'web',
    'portal',
    'id',
    'access',
    'help',
    'banking',
    'net',
    'mobile',
    'validate',
    'confirm',
    'service',
    'client',
    'customer',
    'pay',
    'refund',
    'unlock',
    'alert',
  ];
  const tlds = [
    'online',
    'com',
    'xyz',
    'top',
    'info',
    'site',
    'live',
    'click',
    'shop',
    'app',
    'net',
    'support',
    'help',
    'services',
    'cc',
    'vip',
    'icu',
    'buzz',
    'cfd',
    'sbs',
    'bond',
  ];
  const build = (r: () => number, brand: string): string => {
    const lure = pick(r, lures);
    const shape = Math.floor(r() * 6);
    const label = [
      `${brand}-${lure}`,
      `${lure}${brand}`,
      `${lure}-${brand}`,
      `${brand}${lure}`,
      `${brand}-${lure}-${pick(r, lures)}`,
      `${lure}-${brand}-${pick(r, lures)}`,
    ][shape] as string;
    const host = `${label}.${pick(r, tlds)}`;
    return r() < 0.2 ? `${pick(r, ['www', 'login', 'secure', 'app', 'm'])}.${host}` : host;
  };
  const rows: { line: string; key: string }[] = [];
  const r = rng(40_404);
  for (const b of brands)
    for (let k = 0; k < 12; k++) rows.push({ line: `${build(r, b)} bank-service`, key: b });
  write(
    'bank-service',
    `Lure names imitating banks, payment, postal, tax and telecom services of many countries (few have a
brand profile), constructed for Precursor in the shapes of a law-enforcement PaaS IOC list
(<bank>-secure.online, auth<bank>.online…). Positives. Split by brand: held-out brands never appear in dev.
Constructed data: label figures on it so.`,
    rows,
  );
}
