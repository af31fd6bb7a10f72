// A page fixture that fails the test on any console error, page error or wasm panic, but for
// console errors a test expects (`test.use({ expectedConsoleErrors: /regex/ })`), such as the
// browser's own report of a fetch the test made fail on purpose.
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  expectedConsoleErrors: [null, { option: true }],
  page: async ({ page, expectedConsoleErrors }, use) => {
    const problems = [];
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return;
      if (expectedConsoleErrors?.test(msg.text())) return;
      problems.push(`console error: ${msg.text()}`);
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

/** Opens the app bar's scenario menu (closed at start on every screen) if it is closed. */
export async function openMenu(page) {
  const menu = page.getByTestId('scenario-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator(':scope > summary').click();
  await expect(menu).toHaveAttribute('open', '');
  return menu;
}

/** A control of the scenario menu, with the menu opened as a user would open it first. */
export async function menuItem(page, testid) {
  await openMenu(page);
  return page.getByTestId(testid);
}
