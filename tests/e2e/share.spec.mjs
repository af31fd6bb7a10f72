// Scenarios that travel: links, autosave, named scenarios, files, offline, privacy.
import { test, expect, openApp, menuItem } from './fixtures.mjs';
import { linkOf, scenario } from './links.mjs';
import { readFileSync } from 'node:fs';

const total = (page) => page.getByTestId('total-billed');

async function typeUsers(page, n) {
  await (await menuItem(page, 'new-scenario')).click();
  await page.getByTestId('add-app-0').click();
  await page.getByTestId('app-0-0-group-0-users').fill(String(n));
  await expect(total(page)).toHaveText(`$${n * 10}.00`);
}

test('a link opens the same scenario and total in another browser', async ({ browser, page }) => {
  await openApp(page);
  await typeUsers(page, 7);
  await (await menuItem(page, 'copy-link')).click();
  const link = await (await menuItem(page, 'share-link')).inputValue();
  expect(link).toMatch(/#s=2\./);
  expect(link.length).toBeLessThan(2000);
  const other = await browser.newContext();
  const page2 = await other.newPage();
  await page2.goto(link);
  await expect(page2.getByTestId('total-billed')).toHaveText('$70.00');
  await expect(page2.getByTestId('app-0-0-group-0-users')).toHaveValue('7');
  await other.close();
});

test('the URL follows the edits (replaceState) and examples open by URL', async ({ page }) => {
  await openApp(page);
  await typeUsers(page, 3);
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=2\./);
  await page.goto('?example=doc-apps-month1');
  await expect(total(page)).toHaveText('$90.00');
  await page.goto('#example=doc-pages-month1');
  await expect(total(page)).toHaveText('$36.00');
});

test('autosave survives a reload', async ({ page }) => {
  await openApp(page);
  await typeUsers(page, 4);
  await page.waitForTimeout(600);
  await page.goto('./'); // no fragment: the autosave opens
  await expect(total(page)).toHaveText('$40.00');
  await expect(page.getByTestId('app-0-0-group-0-users')).toHaveValue('4');
});

test('the last edit of a saved scenario is kept when another opens before it is written', async ({ page }) => {
  await openApp(page);
  await typeUsers(page, 5);
  await (await menuItem(page, 'save-as-name')).fill('Mine');
  await (await menuItem(page, 'save-as')).click();
  await expect(page.getByTestId('saved-status')).toContainText('Mine');
  // Edit, then at once (well inside the autosave's delay) open an example.
  await page.getByTestId('app-0-0-group-0-users').fill('7');
  await (await menuItem(page, 'example-select')).selectOption('doc-pages-month1');
  await expect(total(page)).toHaveText('$36.00');
  await (await menuItem(page, 'saved-select')).selectOption('Mine');
  await (await menuItem(page, 'saved-open')).click();
  await expect(total(page)).toHaveText('$70.00');
  await expect(page.getByTestId('app-0-0-group-0-users')).toHaveValue('7');
});

test('a shared link never overwrites a saved scenario', async ({ page }) => {
  await openApp(page);
  await typeUsers(page, 5);
  await (await menuItem(page, 'save-as-name')).fill('Mine');
  await (await menuItem(page, 'save-as')).click();
  await expect(page.getByTestId('saved-status')).toContainText('Mine');
  await page.goto(linkOf(scenario([['Other', 2]])));
  await expect(total(page)).toHaveText('$20.00');
  await expect(page.getByTestId('notice')).toContainText(/link/i);
  await expect(page.getByTestId('saved-status')).not.toContainText('Mine');
  await page.waitForTimeout(600);
  await (await menuItem(page, 'saved-select')).selectOption('Mine');
  await (await menuItem(page, 'saved-open')).click();
  await expect(total(page)).toHaveText('$50.00');
});

test('export as JSON then import gives the same total', async ({ page }, info) => {
  await openApp(page, '#example=contoso');
  const before = await total(page).textContent();
  const [download] = await Promise.all([page.waitForEvent('download'), (await menuItem(page, 'export-json')).click()]);
  const file = info.outputPath('scenario.json');
  await download.saveAs(file);
  expect(JSON.parse(readFileSync(file, 'utf8')).version).toBe(1);
  await (await menuItem(page, 'new-scenario')).click();
  await expect(total(page)).toHaveText('$0.00');
  await page.getByTestId('import-json').setInputFiles(file);
  await expect(total(page)).toHaveText(before);
});

test('CSV export has one row per charge line and matches the breakdown', async ({ page }, info) => {
  await openApp(page, '#example=contoso');
  const lines = await page.getByTestId('charge-line').count();
  const [download] = await Promise.all([page.waitForEvent('download'), (await menuItem(page, 'export-csv')).click()]);
  const file = info.outputPath('breakdown.csv');
  await download.saveAs(file);
  const rows = readFileSync(file, 'utf8').trim().split(/\r?\n/);
  expect(rows[0].toLowerCase()).toContain('amount');
  expect(rows.length - 1).toBe(lines);
  const shown = (await page.getByTestId('line-amount').allTextContents()).map((t) => t.replace(/[$,]/g, ''));
  for (const amount of shown) expect(rows.some((r) => r.includes(amount))).toBeTruthy();
});

test('compare shows the difference per meter and in total', async ({ page }) => {
  await openApp(page, '#example=doc-apps-month1');
  await page.getByTestId('compare-select').selectOption('example:doc-apps-month3');
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await expect(page.getByTestId('compare-total')).toContainText('$90.00');
  await expect(page.getByTestId('compare-total')).toContainText('$60.00');
  await expect(page.getByTestId('compare-total')).toContainText(/[−-]\$30\.00/);
});

test('works offline after one visit, the on-demand parts too', async ({ page, context }) => {
  await openApp(page, '?example=contoso');
  await page.evaluate(async () => { await navigator.serviceWorker.ready; });
  await page.reload();
  await expect(total(page)).toHaveText(/^\$/);
  const expected = await total(page).textContent();
  await context.setOffline(true);
  await page.reload();
  await expect(total(page)).toHaveText(expected);
  await (await menuItem(page, 'example-select')).selectOption('doc-apps-month1');
  await expect(total(page)).toHaveText('$90.00');
  // The chunks split off the first load were never opened online; the worker cached them.
  await page.getByTestId('advisor').locator('summary').first().click();
  await expect(page.getByTestId('advice')).toBeVisible();
  await page.getByTestId('compare-select').selectOption('example:doc-apps-month3');
  await expect(page.getByTestId('compare-table')).toBeVisible();
  await context.setOffline(false);
});

test('no request leaves the origin during a full session', async ({ page }, info) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await openApp(page);
  await typeUsers(page, 2);
  await (await menuItem(page, 'copy-link')).click();
  await (await menuItem(page, 'save-as-name')).fill('Trip');
  await (await menuItem(page, 'save-as')).click();
  const [d] = await Promise.all([page.waitForEvent('download'), (await menuItem(page, 'export-csv')).click()]);
  await d.saveAs(info.outputPath('x.csv'));
  await page.getByTestId('compare-select').selectOption('example:contoso');
  await page.getByTestId('advisor').locator('summary').first().click();
  await expect(page.getByTestId('advice')).toBeVisible();
  await (await menuItem(page, 'example-select')).selectOption('contoso');
  await page.reload();
  await expect(total(page)).toHaveText(/^\$/);
  const origin = new URL(page.url()).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(requests.length).toBeGreaterThan(3);
  expect(foreign).toEqual([]);
  // And the page forbids it: the CSP allows connections to its own origin only.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("default-src 'self'");
});

test('the printed report: inputs beside results, book and date, one page for the three-app example', async ({ page }) => {
  await openApp(page, '#example=doc-apps-month1');
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('print-date')).toBeVisible();
  await expect(page.getByTestId('print-date')).toContainText(/\d{4}-\d{2}-\d{2}/);
  await expect(page.getByTestId('price-book-used')).toContainText('2023-06');
  // Inputs and results side by side.
  const inputs = await page.locator('main.inputs').boundingBox();
  const results = await page.getByTestId('breakdown').boundingBox();
  expect(results.x).toBeGreaterThan(inputs.x + inputs.width - 1);
  // The inputs print as one line per item instead of the forms.
  await expect(page.getByTestId('env-0-section-power_apps')).toBeHidden();
  await expect(page.getByTestId('embed')).toBeHidden();
  const summary = page.getByTestId('print-summary');
  await expect(summary).toBeVisible();
  await expect(summary.locator('li')).toHaveText([
    'App A (app, premium connectors): 2 named users',
    'App B (app, premium connectors): 3 named users',
    'App C (app, premium connectors): 4 named users',
  ]);
  const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
  expect((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length).toBe(1);
});

test('the printed report lists the inputs as they are when printing; contoso fits three pages', async ({ page }) => {
  await openApp(page, '#example=doc-pages-month1');
  await expect(total(page)).toHaveText('$36.00');
  await expect(page.getByTestId('print-summary')).toBeHidden();
  // An edit made before printing is in the report.
  await page.getByTestId('env-0-section-power_pages').evaluate((d) => { d.open = true; });
  await page.getByTestId('site-0-1-anonymous').fill('500');
  await page.getByTestId('site-0-1-exclusions').locator('summary').click();
  await page.getByTestId('site-0-1-exclusions').locator('input').first().fill('20');
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('print-summary').locator('li').nth(1)).toHaveText(
    'Website B (website, live): 3 named users; anonymous: 500 (20 of them not counted)');
  let pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
  expect((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length).toBe(1);

  await page.emulateMedia({ media: 'screen' });
  await page.goto('about:blank');
  await openApp(page, '#example=contoso');
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('print-summary').locator('h3').first()).toHaveText('Contoso Production (pay-as-you-go)');
  pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
  expect((pdf.match(/\/Type\s*\/Page[^s]/g) || []).length).toBeLessThanOrEqual(3);
});

test('a link in the query string opens and moves to the fragment, so it stops reaching the server', async ({ page }) => {
  const fragment = linkOf(scenario([['Q', 4]])).slice(1); // s=1.…
  const requested = [];
  page.on('request', (r) => requested.push(r.url()));
  await page.goto(`./?${fragment}`);
  await expect(page.getByTestId('total-billed')).toHaveText('$40.00');
  await expect.poll(() => page.evaluate(() => location.search)).toBe('');
  expect(await page.evaluate(() => location.hash)).toMatch(/^#s=\d\./);
  // A reload asks the server for the page alone.
  requested.length = 0;
  await page.reload();
  await expect(page.getByTestId('total-billed')).toHaveText('$40.00');
  expect(requested.filter((u) => u.includes('s=1.'))).toEqual([]);
});
