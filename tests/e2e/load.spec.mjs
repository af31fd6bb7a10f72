import { test, expect, openApp } from './fixtures.mjs';

test('loads from a sub-path and shows the example total priced by the wasm engine', async ({ page }) => {
  const failed = [];
  page.on('requestfailed', (r) => failed.push(r.url()));
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await openApp(page);
  expect(page.url()).toContain('/tools/payg/');
  await expect(page.getByRole('heading', { level: 1 })).toContainText('pay-as-you-go');
  const total = await page.getByTestId('total-billed').textContent();
  expect(total).not.toBe('$0.00');
  expect(failed).toEqual([]);
});
