// The answer first (issue 13): one app bar (title, the scenario's name, its save state and a
// menu) instead of a block of scenario controls, the total on the first screen of a phone and a
// desktop for every built-in example, a menu that works from the keyboard, and a first paint
// whose figures are exactly the ones the app then shows.
import { test, expect, openApp, openMenu } from './fixtures.mjs';
import { linkOf, scenario } from './links.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

/** The names of the built-in examples, as the menu lists them. */
async function exampleNames(page) {
  return page.getByTestId('example-select').locator('option').evaluateAll(
    (options) => options.map((o) => o.value).filter(Boolean));
}

for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
  test.describe(`on a ${label} (${viewport.width} × ${viewport.height})`, () => {
    test.use({ viewport });

    test('every built-in example shows its billed total on the first screen', async ({ page }) => {
      await openApp(page, './');
      const names = await exampleNames(page);
      expect(names.length).toBeGreaterThanOrEqual(19);
      for (const name of names) {
        await page.goto('about:blank');
        await openApp(page, `./#example=${name}`);
        const billed = await page.getByTestId('total-billed').textContent();
        if (viewport === PHONE) {
          await expect(page.getByTestId('total-bar')).toBeInViewport();
          await expect(page.getByTestId('total-bar-amounts')).toContainText(`${billed} billed`);
        } else {
          await expect(page.getByTestId('total-billed'), name).toBeInViewport();
        }
        // The scenario's own name is in the bar, on the first screen too.
        await expect(page.getByTestId('scenario-name-input')).toBeInViewport();
      }
    });

    test('the first paint shows the first visit\'s total before the wasm, and the app the same total in the same place', async ({ page }) => {
      let release;
      const held = new Promise((resolve) => { release = resolve; });
      await page.route(/power-payg-web-[0-9a-f]+_bg\.wasm$/, async (route) => { await held; await route.continue(); });
      await page.goto('./');
      const boot = viewport === PHONE ? page.locator('#boot [data-prerender=bar_billed]') : page.locator('#boot [data-prerender=total_billed]');
      await expect(boot).toBeVisible();
      const shown = (await boot.textContent()).replace(/ billed$/, '');
      const before = await boot.boundingBox();
      release();
      await expect(page.locator('#boot')).toHaveCount(0);
      await expect(page.getByTestId('total-billed')).toHaveText(shown);
      const now = viewport === PHONE ? page.locator('.total-bar-billed') : page.getByTestId('total-billed');
      const after = await now.boundingBox();
      // The same place: a pixel of text-metric rounding at most.
      expect(Math.abs(after.y - before.y)).toBeLessThanOrEqual(1);
      expect(Math.abs(after.x + after.width - (before.x + before.width))).toBeLessThanOrEqual(1);
    });
  });
}

test.describe('the first paint of a visit that opens something else', () => {
  test.use({ serviceWorkers: 'block' });

  test('a link shows no figure until the app has computed its own', async ({ page }) => {
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(/power-payg-web-[0-9a-f]+_bg\.wasm$/, async (route) => { await held; await route.continue(); });
    await page.goto('./#example=doc-apps-month1');
    await expect(page.getByText('Loading the calculator…')).toBeVisible();
    await expect(page.locator('#boot [data-prerender=total_billed]')).toBeHidden();
    await expect(page.locator('#boot [data-prerender=name]')).toBeHidden();
    release();
    await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
  });

  test('an autosaved scenario shows no figure of the example either', async ({ page }) => {
    await openApp(page, './' + linkOf(scenario([['A', 3], ['B', 4]])));
    // An edit makes it work worth keeping: the autosave is written. Then come back without a link.
    await page.getByTestId('app-0-0-group-0-users').fill('5');
    await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
    await expect.poll(() => page.evaluate(() => localStorage.getItem('power-payg/v1/current'))).not.toBeNull();
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route(/power-payg-web-[0-9a-f]+_bg\.wasm$/, async (route) => { await held; await route.continue(); });
    await page.goto('about:blank');
    await page.goto('./');
    await expect(page.locator('#boot [data-prerender=total_billed]')).toBeHidden();
    release();
    await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
  });
});

test.describe('the app bar on a desktop', () => {
  test.use({ viewport: DESKTOP });

  test('is one row, and the calculator starts right under it', async ({ page }) => {
    await openApp(page, './#example=contoso');
    const bar = await page.locator('.app-bar').boundingBox();
    expect(bar.height).toBeLessThanOrEqual(64);
    // The example's notice takes one line under the bar, no more.
    expect((await page.getByTestId('notice').boundingBox()).height).toBeLessThanOrEqual(64);
    const settings = await page.getByRole('heading', { name: 'Scenario', exact: true }).boundingBox();
    expect(settings.y).toBeLessThan(200);
    await expect(page.getByTestId('total-billed')).toBeInViewport();
  });

  test('the name is edited in the bar and followed by the saved scenario', async ({ page }) => {
    await openApp(page, './#example=doc-apps-month1');
    await page.getByTestId('scenario-name-input').fill('Budget 2027');
    await (await openMenu(page)).getByTestId('save-as-name').fill('Budget 2027');
    await page.getByTestId('save-as').click();
    await expect(page.getByTestId('saved-status')).toHaveText('saved as “Budget 2027” in this browser');
    // The address follows the edits once they settle; a reload then reopens them.
    await expect.poll(() => page.url()).toContain('#s=');
    await page.reload();
    await expect(page.getByTestId('scenario-name-input')).toHaveValue('Budget 2027');
  });

  test('every menu action works from the keyboard; Escape closes it and focus goes back', async ({ page }) => {
    await openApp(page, './#example=doc-apps-month1');
    const menu = page.getByTestId('scenario-menu');
    const button = page.getByTestId('scenario-menu-button');
    // Reach the menu by Tab from the name, as a keyboard user would.
    await page.getByTestId('scenario-name-input').focus();
    await page.keyboard.press('Tab');
    await expect(button).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(menu).toHaveAttribute('open', '');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('example-select')).toBeFocused();
    await page.keyboard.press('Escape');
    await expect(menu).not.toHaveAttribute('open', '');
    await expect(button).toBeFocused();

    // Copy link: the link field opens and takes focus.
    await page.keyboard.press('Enter');
    await page.getByTestId('copy-link').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('share-link')).toBeFocused();
    await expect(page.getByTestId('share-link')).toHaveValue(/#s=/);

    // Save as, by typing and Enter on the button.
    await page.getByTestId('save-as-name').focus();
    await page.keyboard.type('Kept');
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('save-as')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('saved-status')).toHaveText('saved as “Kept” in this browser');

    // Export the scenario and the breakdown.
    for (const [id, file] of [['export-json', /\.json$/], ['export-csv', /-breakdown\.csv$/]]) {
      await page.getByTestId(id).focus();
      const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
      expect(download.suggestedFilename()).toMatch(file);
    }

    // Print asks the browser to print.
    await page.evaluate(() => { window.print = () => { window.__printed = (window.__printed || 0) + 1; }; });
    await page.getByTestId('print').focus();
    await page.keyboard.press('Enter');
    expect(await page.evaluate(() => window.__printed)).toBe(1);

    // A new scenario: the menu closes and focus goes to what opened, the new scenario's name.
    await page.getByTestId('new-scenario').focus();
    await page.keyboard.press('Enter');
    await expect(menu).not.toHaveAttribute('open', '');
    await expect(page.getByTestId('scenario-name-input')).toBeFocused();
    await expect(page.getByTestId('total-billed')).toHaveText('$0.00');

    // Open the saved one again from the list.
    await openMenu(page);
    await page.getByTestId('saved-select').selectOption('Kept');
    await page.getByTestId('saved-open').focus();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
    await expect(page.getByTestId('scenario-name-input')).toBeFocused();
    await expect(menu).not.toHaveAttribute('open', '');
  });

  test('a click outside the open menu closes it', async ({ page }) => {
    await openApp(page, './#example=doc-apps-month1');
    const menu = await openMenu(page);
    // Beside the menu's panel, on the forms' side.
    await page.mouse.click(20, 700);
    await expect(menu).not.toHaveAttribute('open', '');
  });
});

test.describe('the app bar on a phone', () => {
  test.use({ viewport: PHONE });

  test('its controls are touch targets of at least 44 × 44 px, and the menu fits the screen', async ({ page }) => {
    await openApp(page, './#example=contoso');
    for (const locator of [page.getByTestId('scenario-menu-button'), page.getByTestId('scenario-name-input')]) {
      const box = await locator.boundingBox();
      expect(box.height).toBeGreaterThanOrEqual(44);
      expect(box.width).toBeGreaterThanOrEqual(44);
    }
    await openMenu(page);
    const panel = await page.getByTestId('menu-panel').boundingBox();
    expect(panel.x).toBeGreaterThanOrEqual(0);
    expect(panel.x + panel.width).toBeLessThanOrEqual(PHONE.width);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
  });
});
