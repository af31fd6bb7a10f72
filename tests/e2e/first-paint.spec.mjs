// Something meaningful paints before the WebAssembly arrives: the app's header and a loading
// note from the static index.html; the app then takes its place without moving anything.
import { test, expect } from './fixtures.mjs';

test.use({ serviceWorkers: 'block' });

test('the header paints before the wasm, and the app replaces it without a layout shift', async ({ page }) => {
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/power-payg-web-[0-9a-f]+_bg\.wasm$/, async (route) => { await held; await route.continue(); });
  await page.addInitScript(() => {
    window.__shifts = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shifts += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await page.goto('./');
  // Before the wasm: the header and where the calculator will be.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Power Platform pay-as-you-go cost calculator');
  await expect(page.getByText('Loading the calculator…')).toBeVisible();
  const before = await page.getByRole('heading', { level: 1 }).boundingBox();
  release();
  await expect(page.getByTestId('total-billed')).toHaveText(/^\$[\d,]+\.\d{2}$/);
  // One header, where it was; the loading note is gone.
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  await expect(page.getByText('Loading the calculator…')).toHaveCount(0);
  const after = await page.getByRole('heading', { level: 1 }).boundingBox();
  expect(after).toEqual(before);
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => window.__shifts)).toBe(0);
});
