// A browser that keeps nothing: the app works fully, says once that nothing will be kept, and
// never panics. Tried as such browsers are met: a real Chromium profile with site data blocked
// (reading `window.localStorage` throws a SecurityError), a page where `localStorage` is null,
// and a storage whose every write fails.
import { test as base, expect, chromium } from '@playwright/test';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import config from './playwright.config.mjs';
import { linkOf, scenario } from './links.mjs';
import { menuItem } from './fixtures.mjs';

const NOTHING_KEPT = /Nothing you enter will be kept after this tab closes/;

/** Fails the test on any page error (a wasm panic is one) or console error. */
function watch(page) {
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  return problems;
}

/** A persistent Chromium profile whose preferences block all site data (cookies: 2). */
const test = base.extend({
  blockedPage: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'payg-blocked-'));
    mkdirSync(join(dir, 'Default'));
    writeFileSync(join(dir, 'Default', 'Preferences'),
      JSON.stringify({ profile: { default_content_setting_values: { cookies: 2 } } }));
    const context = await chromium.launchPersistentContext(dir, {
      ...config.use.launchOptions,
      baseURL: config.use.baseURL,
    });
    const page = context.pages()[0] ?? await context.newPage();
    const problems = watch(page);
    await use(page);
    await context.close();
    rmSync(dir, { recursive: true, force: true });
    expect(problems, 'no console errors, page errors or panics').toEqual([]);
  },
});

async function usable(page) {
  await expect(page.getByTestId('total-billed')).toHaveText(/^\$[\d,]+\.\d{2}$/);
  // Told once, at start-up.
  await expect(page.getByTestId('notice')).toContainText(NOTHING_KEPT);
  // Works fully: a new scenario, typing reprices live.
  await (await menuItem(page, 'new-scenario')).click();
  await page.getByTestId('add-app-0').click();
  await page.getByTestId('app-0-0-group-0-users').fill('7');
  await expect(page.getByTestId('total-billed')).toHaveText('$70.00');
  // The autosave fails quietly (it was said once); the link still follows the edits.
  await page.waitForTimeout(700);
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=2\./);
  await expect(page.getByTestId('notice')).not.toContainText('autosave is unavailable');
  await expect(page.getByTestId('notice')).not.toContainText(NOTHING_KEPT);
  // Nowhere to save: the notice does not offer it.
  await expect(page.getByTestId('notice-save')).toHaveCount(0);
  // Saving by name asks for storage: a clear message, the scenario stays open.
  await (await menuItem(page, 'save-as-name')).fill('Mine');
  await (await menuItem(page, 'save-as')).click();
  await expect(page.getByTestId('notice')).toContainText(/cannot be kept in this browser|nothing was saved|Saving failed/);
  await expect(page.getByTestId('total-billed')).toHaveText('$70.00');
  await expect(page.getByTestId('app-0-0-group-0-users')).toHaveValue('7');
  // Export still works: the way to keep the scenario.
  const download = page.waitForEvent('download');
  await (await menuItem(page, 'export-json')).click();
  expect((await download).suggestedFilename()).toMatch(/\.json$/);
}

test('site data blocked in a real Chromium profile: the app works and says nothing is kept', async ({ blockedPage: page }) => {
  await page.goto('./');
  // The browser really refuses: reading localStorage throws.
  const refused = await page.evaluate(() => { try { void window.localStorage; return false; } catch { return true; } });
  expect(refused).toBe(true);
  await usable(page);
});

test('site data blocked: a shared link opens with its total, and the comparison lists examples', async ({ blockedPage: page }) => {
  await page.goto('./' + linkOf(scenario([['A', 3]])));
  await expect(page.getByTestId('total-billed')).toHaveText('$30.00');
  await expect(page.getByTestId('notice')).toContainText('shared link');
  await expect(page.getByTestId('notice')).toContainText(NOTHING_KEPT);
  // The comparison (which listed saved scenarios without a guard, and panicked) offers the
  // examples and compares with one.
  await page.getByTestId('compare-select').selectOption('example:doc-apps-month1');
  await expect(page.getByTestId('compare')).toContainText('$90.00');
});

test('localStorage is null: the app works and says nothing is kept', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: config.use.baseURL });
  await context.addInitScript(() => {
    Object.defineProperty(window, 'localStorage', { get: () => null, configurable: true });
  });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto('./');
  await usable(page);
  await context.close();
  expect(problems).toEqual([]);
});

test('a storage whose every write fails: the app works and says nothing is kept', async ({ browser }) => {
  const context = await browser.newContext({ baseURL: config.use.baseURL });
  await context.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('quota', 'QuotaExceededError'); };
  });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto('./');
  await usable(page);
  await context.close();
  expect(problems).toEqual([]);
});
