// Code splitting (issue 2): the advisor, the comparison and the price table are wasm chunks of
// their own that the first load does not fetch; opening them fetches them; a chunk that cannot
// be fetched is reported next to its panel, and opening the panel again retries.
import { test, expect, openApp } from './fixtures.mjs';

// The service worker fetches every chunk in the background to make them work offline; blocking
// it leaves only the page's own requests to observe.
test.use({ serviceWorkers: 'block' });

const isChunk = (url) => /\/(split|chunk)_[^/]*\.wasm$/.test(new URL(url).pathname);

function recordChunkRequests(page) {
  const chunks = [];
  page.on('request', (r) => {
    if (isChunk(r.url())) chunks.push(new URL(r.url()).pathname.split('/').pop());
  });
  return chunks;
}

test('the first total needs no chunk; the advisor and the comparison load when opened', async ({ page }) => {
  const chunks = recordChunkRequests(page);
  await openApp(page, '#example=doc-prepaid-vs-payg');
  await expect(page.getByTestId('total-billed')).toHaveText('$807.00');
  // Edits reprice without any chunk either.
  const connectors = page.getByTestId('flow-0-0-connectors');
  const was = await connectors.inputValue();
  await connectors.selectOption('standard');
  await expect(page.getByTestId('total-billed')).not.toHaveText('$807.00');
  await connectors.selectOption(was);
  await expect(page.getByTestId('total-billed')).toHaveText('$807.00');
  expect(chunks).toEqual([]);
  // The price table is a chunk of its own, fetched when Prices is first opened.
  await page.getByTestId('price-editor').locator('summary').click();
  await page.getByTestId('price-power_automate_per_user').fill('30');
  // (With the small chunks of code it shares with the others, `chunk_…`.)
  await expect(page.getByTestId('price-power_automate_per_user')).toHaveValue('30');
  expect(chunks.filter((c) => c.startsWith('split_') && !c.startsWith('split_price_table'))).toEqual([]);
  expect(chunks.some((c) => c.startsWith('split_price_table'))).toBe(true);

  await page.getByTestId('advisor').locator('summary').first().click();
  await expect(page.getByTestId('advice-total-payg')).toHaveText('$807.00');
  expect(chunks.some((c) => c.startsWith('split_advice_view'))).toBe(true);
  expect(chunks.some((c) => c.startsWith('split_comparison'))).toBe(false);

  await page.getByTestId('compare-select').selectOption('example:doc-apps-month3');
  await expect(page.getByTestId('compare-table')).toBeVisible();
  expect(chunks.some((c) => c.startsWith('split_comparison'))).toBe(true);
});

test('the link compressor is fetched by the first link written, not by the first total', async ({ page }) => {
  const chunks = recordChunkRequests(page);
  await openApp(page, '#example=doc-prepaid-vs-payg');
  await page.waitForTimeout(500);
  expect(chunks).toEqual([]);
  await page.getByTestId('price-editor').locator('summary').click();
  await page.getByTestId('price-power_automate_per_user').fill('30');
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=2\./);
  expect(chunks.some((c) => c.startsWith('split_link_fragment'))).toBe(true);
  // The next edit's link needs no fetch; a reload opens that edit, not a link to an older one.
  const first = await page.evaluate(() => location.hash);
  await page.getByTestId('price-power_automate_per_user').fill('31');
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(first);
  await page.reload();
  await expect(page.getByTestId('total-billed')).toHaveText('$807.00');
  await page.getByTestId('price-editor').locator('summary').click();
  await expect(page.getByTestId('price-power_automate_per_user')).toHaveValue('31');
  await expect(page.getByTestId('notice')).toHaveCount(0);
});

test('while a chunk is on its way, its panel says what it is doing', async ({ page }) => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/split_advice_view[^/]*\.wasm$/, async (route) => { await held; await route.continue(); });
  await openApp(page, '#example=doc-prepaid-vs-payg');
  await page.getByTestId('advisor').locator('summary').first().click();
  const note = page.getByTestId('advisor').getByText('Pricing the alternatives…');
  // Past the settle delay, still waiting for the chunk: the note stays.
  await page.waitForTimeout(400);
  await expect(note).toBeVisible();
  release();
  await expect(page.getByTestId('advice-total-payg')).toHaveText('$807.00');
  await expect(note).toBeHidden();
});

test.describe('a chunk that cannot be fetched', () => {
  test.use({
    expectedConsoleErrors: /Failed to load resource|Failed to fetch|failed to load split module/i,
  });

  test('is reported in its panel without breaking the app, and opening it again retries', async ({ page }) => {
    let offline = true;
    await page.route(/\/split_advice_view[^/]*\.wasm$/, (route) => (offline ? route.abort() : route.continue()));
    await openApp(page, '#example=doc-prepaid-vs-payg');
    const summary = page.getByTestId('advisor').locator('summary').first();
    await summary.click();
    await expect(page.getByTestId('chunk-unavailable')).toHaveText(
      'The advisor could not be loaded (is the network down?). Close it and open it again to retry.',
    );
    // The calculator still works.
    await page.getByTestId('price-editor').locator('summary').click();
    await page.getByTestId('price-power_automate_per_user').fill('30');
    await expect(page.getByTestId('advisor')).toBeVisible();

    offline = false;
    await summary.click();
    await summary.click();
    await expect(page.getByTestId('chunk-unavailable')).toHaveCount(0);
    await expect(page.getByTestId('advice-total-payg')).toHaveText('$807.00');
  });

  test('without the link compressor the address keeps no older link, so a reload opens the last edit', async ({ page }) => {
    await page.route(/\/split_link_fragment[^/]*\.wasm$/, (route) => route.abort());
    await openApp(page, '#example=doc-prepaid-vs-payg');
    await page.getByTestId('price-editor').locator('summary').click();
    await page.getByTestId('price-power_automate_per_user').fill('30');
    await page.waitForTimeout(800);
    await page.reload();
    await expect(page.getByTestId('total-billed')).toHaveText('$807.00');
    expect(await page.evaluate(() => location.hash)).toBe('');
    await page.getByTestId('price-editor').locator('summary').click();
    await expect(page.getByTestId('price-power_automate_per_user')).toHaveValue('30');
  });

  test('the comparison says so too, and the next edit retries', async ({ page }) => {
    let offline = true;
    await page.route(/\/split_comparison[^/]*\.wasm$/, (route) => (offline ? route.abort() : route.continue()));
    await openApp(page, '#example=doc-apps-month1');
    await page.getByTestId('compare-select').selectOption('example:doc-apps-month3');
    await expect(page.getByTestId('chunk-unavailable')).toHaveText(
      'The comparison could not be loaded (is the network down?). It is tried again with your next change.',
    );
    offline = false;
    await page.getByTestId('scenario-name-input').fill('Three apps, month 1');
    await expect(page.getByTestId('compare-table')).toBeVisible();
    await expect(page.getByTestId('chunk-unavailable')).toHaveCount(0);
  });
});
