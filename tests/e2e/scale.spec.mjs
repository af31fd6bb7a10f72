// Big scenarios open: everything the format accepts opens (or is refused with a message), the
// page stays usable, and the DOM grows with what the user opens, not with the scenario. On the
// main of 2026-12-02, 5,000 environments crashed the app (RuntimeError: unreachable).
import { test, expect, openApp } from './fixtures.mjs';
import { linkOf } from './links.mjs';

test.describe.configure({ timeout: 120_000 });

const total = (page) => page.getByTestId('total-billed');
const elements = (page) => page.evaluate(() => document.getElementsByTagName('*').length);

function environments(n, body = () => ({})) {
  return {
    version: 1, name: `${n} environments`, price_book: '2023-06', month: { year: 2026, month: 11 },
    environments: Array.from({ length: n }, (_, i) => ({ name: `Env ${i}`, payg: true, ...body(i) })),
  };
}

async function importScenario(page, scenario) {
  const buffer = Buffer.from(JSON.stringify(scenario));
  await page.getByTestId('import-json').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer });
}

test('a link of 5,000 empty environments opens, and the page stays small', async ({ page }) => {
  const link = linkOf(environments(5000));
  expect(link.length).toBeGreaterThan(10_000);
  await page.goto('./' + link);
  await expect(total(page)).toHaveText('$0.00');
  await expect(page.getByTestId('notice')).toContainText('shared link');
  // The first environments are listed, closed; the rest wait behind "show more".
  await expect(page.getByTestId('env-0-toggle')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('env-49')).toBeAttached();
  await expect(page.getByTestId('env-50')).toHaveCount(0);
  await expect(page.getByTestId('show-more-rows')).toContainText('4950 more not shown');
  expect(await elements(page)).toBeLessThan(3000);
  // Usable: open a card, add an app, type; the total follows.
  await page.getByTestId('env-0-toggle').click();
  await expect(page.getByTestId('env-0-toggle')).toHaveAttribute('aria-expanded', 'true');
  await page.getByTestId('add-app-0').click();
  await page.getByTestId('app-0-0-group-0-users').fill('4');
  await expect(total(page)).toHaveText('$40.00');
  await expect(page.getByTestId('env-0-summary')).toContainText('1 item · $40.00');
  // Add environment: the new (5,001st) card shows, open, although 4,950 before it are not shown.
  await page.getByTestId('add-environment').click();
  await expect(page.getByTestId('env-5000-toggle')).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByTestId('env-5000-name')).toHaveValue('Environment 5001');
  // Show more shows the next fifty.
  await page.getByTestId('show-more-rows').getByRole('button').click();
  await expect(page.getByTestId('env-99')).toBeAttached();
  await expect(page.getByTestId('env-100')).toHaveCount(0);
});

test('10,000 environments with usage, imported from a file, open and price', async ({ page }) => {
  await openApp(page);
  await importScenario(page, environments(10_000, (i) => ({
    apps: [{ name: `App ${i}`, connectors: 'premium', user_groups: [{ users: 3, licence: 'none' }] }],
  })));
  // 10,000 × 3 user-apps × $10.
  await expect(total(page)).toHaveText('$300,000.00', { timeout: 60_000 });
  await expect(page.getByTestId('env-0-summary')).toContainText('1 item · $30.00');
  // The chart draws the largest environments and one bar for the others.
  await expect(page.getByTestId('chart-environment')).toContainText('9990 other environments');
  expect(await elements(page)).toBeLessThan(6000);
});

test('97,669 apps in one environment open; the breakdown shows the first lines and more on request', async ({ page }) => {
  await openApp(page);
  const apps = Array.from({ length: 97_669 }, (_, i) => ({
    name: `App ${i}`, connectors: 'premium', user_groups: [{ users: 1, licence: 'none' }],
  }));
  await importScenario(page, { ...environments(1), environments: [{ name: 'Big', payg: true, apps }] });
  await expect(total(page)).toHaveText('$976,690.00', { timeout: 90_000 });
  await expect(page.getByTestId('charge-line')).toHaveCount(100);
  const more = page.getByTestId('meter-lines-power_apps').getByTestId('show-more');
  await expect(more).toContainText('Showing 100 of 97,669 lines');
  await more.getByRole('button').click();
  await expect(page.getByTestId('charge-line')).toHaveCount(200);
  // So many apps open on the section's header (cards::OPEN_ITEMS_UP_TO); opened, the form
  // lists the first fifty.
  await expect(page.getByTestId('app-0-0-name')).toHaveCount(0);
  await page.getByTestId('env-0-section-power_apps').locator('summary').click();
  await expect(page.getByTestId('app-0-49-name')).toBeAttached();
  await expect(page.getByTestId('app-0-50-name')).toHaveCount(0);
  expect(await elements(page)).toBeLessThan(12_000);
});
