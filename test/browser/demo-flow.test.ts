/// <reference lib="dom" />
/**
 * The user path, end to end in Chromium: `precursor demo` replays its simulated week into the
 * live pipeline on 127.0.0.1; the analyst signs in from the printed link, watches the operator's
 * campaign appear on the overview, opens it (its network drawn), takes its case in the review queue,
 * decides it malicious by keyboard with a note, and downloads the published STIX bundle, which now
 * holds the campaign's names. A reader sees the same case without any action. Screenshots in both
 * themes go to test-artifacts/browser/ (not committed).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { spawnPrecursor } from '../support/cli-process.js';
import { artefact, type Browser, ensureDashboardBuilt, launch, skipReason } from './browser.js';

const skip = skipReason();

/** Starts the demo at full replay speed and resolves with the dashboard link it prints. */
function startDemo(home: string): Promise<{ child: ChildProcess; link: string; url: string }> {
  const child = spawnPrecursor(['--home', home, 'demo', '--speed', 'max', '--port', '0', '--fresh']);
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no dashboard link in 120 s:\n${out}\n${err}`)), 120_000);
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Dashboard:\s+(http:\/\/127\.0\.0\.1:\d+)\/#key=(\S+)/.exec(out);
      if (m?.[1] && m[2]) {
        clearTimeout(timer);
        resolve({ child, link: `${m[1]}/#key=${m[2]}`, url: m[1] });
      }
    });
    child.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${out}\n${err}`)));
  });
}

describe('the demo in Chromium: a campaign appears, its case is decided, intel is exported', { skip }, () => {
  let home: string;
  let demo: { child: ChildProcess; link: string; url: string };
  let browser: Browser;
  let page: Page;
  let campaignHref = '';
  const problems: string[] = [];

  before(async () => {
    ensureDashboardBuilt();
    home = mkdtempSync(join(tmpdir(), 'precursor-demo-browser-'));
    demo = await startDemo(home);
    browser = await launch();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
      // Every request the dashboard makes against the demo is answered: no screenshot asked of a
      // capture without one, no missing icon.
      if (/Failed to load resource/i.test(m.text())) problems.push(`load: ${m.text()} ${m.location().url}`);
    });
  });
  after(async () => {
    await browser?.close();
    if (demo?.child.exitCode === null) {
      const exited = new Promise((r) => demo.child.once('exit', r));
      demo.child.kill('SIGINT');
      await exited;
    }
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('signs in from the printed link and watches a flagged campaign and the scorecard appear', async () => {
    await page.goto(demo.link);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    const top = page.getByRole('region', { name: 'Top campaigns' }).locator('tbody tr a').first();
    await top.waitFor({ timeout: 180_000 });
    await page.getByRole('region', { name: /Live demo/ }).waitFor({ timeout: 30_000 });
    // The chart and the feed table fill as the replay goes on.
    await page.locator('.chart canvas').first().waitFor();
    await page.getByRole('region', { name: 'Feed health' }).locator('tbody tr').first().waitFor();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: artefact('10-demo-overview-dark'), fullPage: true });
    campaignHref = (await top.getAttribute('href')) ?? '';
    assert.match(campaignHref, /^#\/campaigns\/C-/);
  });

  it('opens the campaign: its network is drawn and a click on the graph shows a member', async () => {
    await page.locator(`a[href="${campaignHref}"]`).first().click();
    const id = decodeURIComponent(campaignHref.split('/').pop() ?? '');
    await page.locator('.crumbs', { hasText: id }).waitFor();
    const graph = page.locator('.graph[data-render-ms]');
    await graph.waitFor({ timeout: 30_000 });
    assert.ok(Number(await graph.getAttribute('data-nodes')) >= 2, 'members drawn');
    assert.ok(Number(await graph.getAttribute('data-edges')) >= 1, 'links drawn');
    // The layout settles in the worker (allowed by the server's CSP), not on the page's thread.
    await page.locator('.graph[data-layout-ms]').waitFor({ timeout: 30_000 });
    assert.match((await graph.getAttribute('data-layout')) ?? '', /^worker:/);
    // Show the first member from the table, as a keyboard user would.
    await page
      .getByRole('button', { name: /^Show .* in the graph$/ })
      .first()
      .click();
    await page.locator('.node-info h3').waitFor();
    await page.waitForTimeout(600);
    await page.screenshot({ path: artefact('11-campaign-dark'), fullPage: true });
  });

  it('takes the case in the review queue and decides it malicious by keyboard, with a note', async () => {
    // The campaign's own case, else one opened on a member name (what becomes a shareable indicator).
    const cases = page.getByRole('region', { name: 'Case and exports' }).locator('li');
    const caseLink = cases
      .filter({ hasText: /campaign case|member case: (domain|url):/ })
      .locator('a[href^="#/cases/K-"]')
      .first();
    await caseLink.waitFor({ timeout: 90_000 });
    await caseLink.click();
    await page.getByRole('heading', { name: 'Review queue', level: 1 }).waitFor();
    await page.locator('#case-h').waitFor();
    await page.locator('.member-evidence h3').waitFor();
    await page.screenshot({ path: artefact('12-review-dark'), fullPage: true });
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('c');
    await page
      .getByRole('status')
      .filter({ hasText: /Claimed K-/ })
      .waitFor();
    await page.keyboard.press('m');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    await dialog
      .getByLabel('Note (kept in the audit trail)')
      .fill('Operator kit behind Turnstile; accounts share a payment card.');
    await dialog.getByLabel('Share as').selectOption('green');
    await dialog.getByRole('button', { name: 'Decide malicious' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /decided: malicious/ })
      .waitFor();
    // The replay goes on while the analyst decides: new members of the campaign may reopen the case
    // (the state machine's `evidence` transition) before the header repaints. Either way the header
    // must leave `in-review`, and the case's history must hold the malicious decision.
    const pill = page.locator('#case-h .pill', { hasText: /^(confirmed-malicious|open)$/ });
    await pill.first().waitFor({ timeout: 15_000 });
    const caseId = ((await page.locator('#case-h').textContent()) ?? '').match(/K-[\w-]+/)?.[0];
    assert.ok(caseId, 'the case header names the case');
    const admin = decodeURIComponent(demo.link.split('#key=')[1] ?? '');
    const detail = (await (
      await fetch(`${demo.url}/v1/cases/${encodeURIComponent(caseId)}`, {
        headers: { authorization: `Bearer ${admin}` },
      })
    ).json()) as { state: string; reopened: number; history: { kind: string; to: string | null }[] };
    assert.ok(
      detail.history.some((h) => h.kind === 'decide' && h.to === 'confirmed-malicious'),
      `the decision is in ${caseId}'s history`,
    );
    if ((await pill.first().textContent()) === 'open')
      assert.ok(
        detail.reopened > 0,
        'an open header after the decision means new evidence reopened the case',
      );
    await page.screenshot({ path: artefact('13-review-decided-dark'), fullPage: true });
  });

  it('exports the published STIX bundle with the decided indicators in it', async () => {
    await page.evaluate((h) => {
      location.hash = h;
    }, campaignHref);
    await page.getByRole('region', { name: 'Case and exports' }).waitFor();
    type Bundle = { type: string; objects: { type: string; name?: string; pattern?: string }[] };
    const stixOf = async (group: RegExp): Promise<Bundle> => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('group', { name: group }).getByRole('button', { name: 'STIX 2.1 bundle' }).click(),
      ]);
      return JSON.parse(readFileSync(await download.path(), 'utf8')) as Bundle;
    };
    const bundle = await stixOf(/^Published intel/);
    assert.equal(bundle.type, 'bundle');
    const indicators = bundle.objects.filter((o) => o.type === 'indicator');
    assert.ok(indicators.length >= 1, 'the decision published indicators');
    assert.ok(
      bundle.objects.some((o) => o.type === 'campaign'),
      'and the campaign',
    );
    await page
      .getByRole('status')
      .filter({ hasText: /Downloaded/ })
      .waitFor();
    // This campaign's intel alone (`?campaign=`): a part of the published bundle, one campaign at most.
    const own = await stixOf(/^This campaign/);
    assert.equal(own.type, 'bundle');
    const published = new Set(indicators.map((o) => o.pattern));
    for (const o of own.objects.filter((x) => x.type === 'indicator'))
      assert.ok(published.has(o.pattern), `${o.pattern} is published intel`);
    assert.ok(own.objects.filter((o) => o.type === 'campaign').length <= 1);
  });

  it('looks right in the light theme too', async () => {
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
    await page.waitForTimeout(800);
    await page.screenshot({ path: artefact('14-campaign-light'), fullPage: true });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('combobox', { name: /state/ }).selectOption('all');
    await page.locator('ol.cases li a').first().click();
    await page.locator('.member-evidence h3').waitFor();
    await page.screenshot({ path: artefact('15-review-light'), fullPage: true });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await page.waitForTimeout(1000);
    await page.screenshot({ path: artefact('16-overview-light'), fullPage: true });
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  });

  it('reopens a decided case from its page, with a note', async () => {
    const admin = decodeURIComponent(demo.link.split('#key=')[1] ?? '');
    const api = async (path: string, body?: unknown) => {
      const r = await fetch(`${demo.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      assert.ok(r.ok, `${path}: HTTP ${r.status}`);
      return (await r.json()) as Record<string, unknown>;
    };
    // A case decided benign by another analyst through the API, then taken back here.
    const { items } = (await api('/v1/cases?state=open')) as unknown as { items: { id: string }[] };
    const id = items[0]?.id;
    assert.ok(id, 'the demo has an open case');
    await api(`/v1/cases/${encodeURIComponent(id)}/claim`, {});
    await api(`/v1/cases/${encodeURIComponent(id)}/decision`, { as: 'benign', note: 'a partner test' });
    await page.evaluate(
      (h) => {
        location.hash = h;
      },
      `#/cases/${encodeURIComponent(id)}`,
    );
    await page.locator('#case-h .pill', { hasText: /^benign$/ }).waitFor();
    await page.getByRole('button', { name: /Reopen/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Note (kept in the audit trail)').fill('The partner test was a real lure.');
    await dialog.getByRole('button', { name: 'Reopen' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Reopened ${id}.` })
      .waitFor();
    const after = (await api(`/v1/cases/${encodeURIComponent(id)}`)) as {
      state: string;
      history: { kind: string; note: string | null }[];
    };
    assert.equal(after.state, 'open');
    assert.ok(
      after.history.some((h) => h.kind === 'reopen' && h.note === 'The partner test was a real lure.'),
    );
  });

  it('shows a reader the queue without any action', async () => {
    const admin = decodeURIComponent(demo.link.split('#key=')[1] ?? '');
    const r = await fetch(`${demo.url}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'reader', label: 'browser reader' }),
    });
    const { key } = (await r.json()) as { key: string };
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Review queue' }).click();
    await page.getByRole('combobox', { name: /state/ }).selectOption('all');
    await page.locator('ol.cases li a').first().click();
    await page.getByText('Read-only: deciding needs the analyst role.').waitFor();
    assert.equal(await page.getByRole('button', { name: /Claim|Malicious/ }).count(), 0);
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    assert.deepEqual(problems, []);
  });
});
