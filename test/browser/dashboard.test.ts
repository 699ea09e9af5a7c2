/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The dashboard in a real browser against a real server: sign in, the overview, entity search and an
 * entity page, roles, both themes, and no Content-Security-Policy violation or script error on the way.
 * Screenshots go to test-artifacts/browser/ (not committed) for a person to look at.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { artefact, type Browser, ensureDashboardBuilt, launch, skipReason } from './browser.js';
import { LOOKALIKES, type SeededServer, seededServer } from './seeded-server.js';

const skip = skipReason();

describe('dashboard in Chromium', { skip }, () => {
  let srv: SeededServer;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async () => {
    ensureDashboardBuilt();
    srv = await seededServer();
    browser = await launch();
    page = await browser.context.newPage();
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      // A refused script, style or image is a CSP violation: the build must need no inline code.
      if (/Content Security Policy|Refused to/i.test(m.text())) problems.push(`csp: ${m.text()}`);
    });
  });
  after(async () => {
    await browser?.close();
    await srv?.close();
  });

  const signIn = async (key: string) => {
    await page.goto(`${srv.url}/`);
    const out = page.getByRole('button', { name: 'Sign out' });
    const field = page.getByLabel('API key');
    // Wait for the app to draw either state: asked at once after navigation, a page still loading
    // showed neither, the sign-out was skipped, and the remembered session then hid the form.
    await out.or(field).first().waitFor();
    if (await out.isVisible()) await out.click();
    await field.fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };

  it('refuses an unknown key with a message and keeps the form', async () => {
    await page.goto(`${srv.url}/`);
    await page.getByLabel('API key').fill('pcr_000000000000_not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'does not know this key' }).waitFor();
    await page.screenshot({ path: artefact('01-sign-in-refused') });
  });

  it('signs in with an analyst key and shows the overview with live counts', async () => {
    await signIn(srv.keys.analyst);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const flagged = page.locator('.tile', { hasText: 'flagged entities' }).locator('b');
    await page.waitForFunction(
      (el) => Number(el?.textContent?.replace(/,/g, '')) >= 3,
      await flagged.elementHandle(),
      { timeout: 20_000 },
    );
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator, not a DOM node: the text a reader sees is the point
    assert.match(await page.locator('.who').innerText(), /analyst/);
    // The key lives in sessionStorage only: a reload keeps the session, nothing is in the URL.
    await page.reload();
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    assert.doesNotMatch(page.url(), /pcr_/);
    assert.equal(await page.evaluate(() => localStorage.getItem('precursor.key')), null);
    await page.waitForTimeout(500);
    await page.screenshot({ path: artefact('02-overview-dark'), fullPage: true });
  });

  it('finds an entity by part of its name and opens its page with the reasons', async () => {
    await page.getByRole('link', { name: 'Entities' }).click();
    await page.getByRole('searchbox').fill('paypa1');
    await page.getByRole('button', { name: 'Search' }).click();
    const hit = page.getByRole('link', { name: 'secure-paypa1-verify.top' });
    await hit.waitFor();
    await page.screenshot({ path: artefact('03-entity-search'), fullPage: true });
    await hit.click();
    await page.getByRole('heading', { level: 1, name: /secure-paypa1-verify\.top/ }).waitFor();
    const signals = page.locator('.signals li');
    assert.ok((await signals.count()) >= 1, 'the page explains the score');
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator, not a DOM node: the text a reader sees is the point
    assert.match(await page.locator('.signals').innerText(), /paypal/i);
    await page.screenshot({ path: artefact('04-entity-page'), fullPage: true });
  });

  it('switches to the light theme and keeps it', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('button', { name: /Switch to light theme/ }).click();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(244, 246, 249)');
    await page.reload();
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'light');
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: artefact('05-overview-light'), fullPage: true });
    await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  });

  it('is usable by keyboard: a skip link first, visible focus, labelled controls', async () => {
    await page.getByRole('link', { name: 'Entities' }).click();
    await page.reload();
    await page.getByRole('heading', { name: 'Entities', level: 1 }).waitFor();
    await page.keyboard.press('Tab');
    const first = await page.evaluate(() => document.activeElement?.textContent?.trim());
    assert.equal(first, 'Skip to content');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'main');
    await page.keyboard.press('Tab');
    const outline = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { tag: el.tagName, outline: getComputedStyle(el).outlineStyle };
    });
    assert.notEqual(outline.outline, 'none', `focused ${outline.tag} shows its focus`);
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => !(el as HTMLInputElement).labels?.length && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    assert.deepEqual(unlabelled, []);
    for (const landmark of ['banner', 'navigation', 'main'])
      assert.ok((await page.getByRole(landmark as 'main').count()) >= 1, landmark);
  });

  it('signs in from the URL fragment the demo prints and takes the key out of the address bar', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.goto(`${srv.url}/#key=${encodeURIComponent(srv.keys.admin)}`);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    assert.doesNotMatch(page.url(), /key=/);
    // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator, not a DOM node: the text a reader sees is the point
    assert.match(await page.locator('.who').innerText(), /admin/);
  });

  it('tells an ingest key that it cannot read, and shows a reader no actions', async () => {
    await signIn(srv.keys.ingest);
    await page.getByRole('alert').filter({ hasText: 'ingest' }).waitFor();
    assert.equal(await page.getByRole('navigation', { name: 'Main' }).getByRole('link').count(), 0);
    await signIn(srv.keys.reader);
    await page.getByRole('heading', { name: 'Overview', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Policy' }).click();
    assert.equal(await page.getByRole('button', { name: 'Dry run' }).count(), 0, 'no dry run for a reader');
  });

  it('fits a phone-sized screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('link', { name: 'Entities' }).click();
    await page.getByRole('searchbox').fill(LOOKALIKES[0]?.slice(0, 6) ?? 'micro');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.locator('table.results tbody tr').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `no sideways scrolling (${overflow}px)`);
    await page.screenshot({ path: artefact('06-phone'), fullPage: true });
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('raised no script error and no Content-Security-Policy violation', () => {
    assert.deepEqual(problems, []);
  });
});
