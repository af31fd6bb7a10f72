// A page fixture that fails the test on any console error, page error or wasm panic.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  page: async ({ page }, use) => {
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
    });
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    await use(page);
    expect(problems, 'no console errors, page errors or panics').toEqual([]);
  },
});
export { expect };

/** Opens the app and waits until the wasm engine has priced the scenario. */
export async function openApp(page, query = '') {
  await page.goto(query);
  await expect(page.getByTestId('total-billed')).toHaveText(/^\$[\d,]+\.\d{2}$/);
}
