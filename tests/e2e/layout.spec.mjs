// The answer first: on a phone the total is on the first screen, always, and leads to the
// breakdown; on a wide screen the breakdown column beside the forms shows it instead.
import { test, expect, openApp, menuItem } from './fixtures.mjs';
import { linkOf, scenario } from './links.mjs';

// A touch target, and no more than a small strip of the phone's screen.
const box_height_ok = (box) => box.height >= 44 && box.height <= 72;

test.describe('on a phone (390 × 844)', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('a shared link shows its total on the first screen, and it stays there while scrolling', async ({ page }) => {
    await page.goto('./' + linkOf(scenario([['A', 3], ['B', 4]])));
    await expect(page.getByTestId('total-billed')).toHaveText('$70.00');
    const bar = page.getByTestId('total-bar');
    await expect(bar).toBeInViewport();
    await expect(page.getByTestId('total-bar-amounts')).toHaveText('$70.00 billed');
    expect(box_height_ok(await bar.boundingBox())).toBe(true);
    await page.mouse.wheel(0, 2000);
    await expect(bar).toBeInViewport();
    // It follows the edits, and says what the ISV and the report carry when they do.
    await page.getByTestId('app-0-0-group-0-users').fill('5');
    await expect(page.getByTestId('total-bar-amounts')).toHaveText('$90.00 billed');
    // Activating it shows the breakdown.
    await bar.click();
    await expect(page.getByRole('heading', { name: 'Cost this month' })).toBeInViewport();
  });

  test('the scenario menu starts closed, so the first screen shows the scenario and its inputs', async ({ page }) => {
    await openApp(page, '#example=doc-apps-month1');
    const menu = page.getByTestId('scenario-menu');
    await expect(menu).not.toHaveAttribute('open', '');
    await expect(page.getByTestId('save-as')).toBeHidden();
    await expect(page.getByTestId('scenario-name-input')).toBeInViewport();
    await expect(page.getByRole('heading', { name: 'Scenario', exact: true })).toBeInViewport();
    // One tap opens every action.
    await menu.locator(':scope > summary').click();
    await expect((await menuItem(page, 'save-as'))).toBeVisible();
    await expect((await menuItem(page, 'export-json'))).toBeVisible();
    const summary = await menu.locator(':scope > summary').boundingBox();
    expect(summary.height).toBeGreaterThanOrEqual(44);
  });

  test('the ISV and reported amounts appear beside the billed total when there are any', async ({ page }) => {
    await openApp(page, '#example=contoso');
    const text = await page.getByTestId('total-bar-amounts').textContent();
    const billed = await page.getByTestId('total-billed').textContent();
    expect(text.startsWith(`${billed} billed`)).toBe(true);
    const isv = await page.getByTestId('total-isv-billed').textContent();
    if (isv !== '$0.00') expect(text).toContain(`ISV ${isv}`);
    // Compact: at most two lines of the phone's first screen.
    expect((await page.getByTestId('total-bar').boundingBox()).height).toBeLessThanOrEqual(72);
  });
});

test('on a wide screen the bar is hidden: the breakdown column shows the total', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await openApp(page, '#example=doc-apps-month1');
  await expect(page.getByTestId('total-bar')).toBeHidden();
  await expect(page.getByTestId('total-billed')).toBeInViewport();
  // The scenario menu starts closed here too: the calculator starts right under the app bar.
  await expect(page.getByTestId('scenario-menu')).not.toHaveAttribute('open', '');
});

test('each meter section says what it holds and costs while closed, and follows the edits', async ({ page }) => {
  await page.goto('./' + linkOf(scenario([['A', 3], ['B', 4]])));
  await expect(page.getByTestId('total-billed')).toHaveText('$70.00');
  await expect(page.getByTestId('env-0-summary-power_apps')).toHaveText('2 items · $70.00');
  await expect(page.getByTestId('env-0-summary-power_pages')).toHaveText('0 items · $0.00');
  await expect(page.getByTestId('env-0-summary')).toHaveText('2 items · $70.00');
  await page.getByTestId('app-0-0-group-0-users').fill('13');
  await expect(page.getByTestId('env-0-summary-power_apps')).toHaveText('2 items · $170.00');
});
