// The calculator driven as a user drives it: typing the documentation's worked examples into
// an empty scenario, editing, bad input, keyboard only.
import { test, expect, openApp, menuItem } from './fixtures.mjs';

async function newScenario(page) {
  await openApp(page);
  await (await menuItem(page, 'new-scenario')).click();
  await expect(page.getByTestId('total-billed')).toHaveText('$0.00');
}

async function type(page, testid, value) {
  const input = page.getByTestId(testid);
  await input.fill(value);
}

test('typing the three-app example (TC-AP-1) into an empty scenario shows $90.00', async ({ page }) => {
  await newScenario(page);
  for (let i = 0; i < 3; i++) await page.getByTestId('add-app-0').click();
  await type(page, 'app-0-0-name', 'App A');
  await type(page, 'app-0-1-name', 'App B');
  await type(page, 'app-0-2-name', 'App C');
  await type(page, 'app-0-0-group-0-users', '2');
  await type(page, 'app-0-1-group-0-users', '3');
  await type(page, 'app-0-2-group-0-users', '4');
  await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
  // Every line names its rule and opens to show the arithmetic.
  const line = page.getByTestId('charge-line').filter({ hasText: 'App C' });
  await expect(line).toContainText('AP-1');
  await line.locator('summary').click();
  await expect(line).toContainText('4 user-apps × $10.00 = $40.00');
});

test('licensed users are excluded with the reason (AP-5)', async ({ page }) => {
  await newScenario(page);
  await page.getByTestId('add-app-0').click();
  await type(page, 'app-0-0-group-0-users', '120');
  await page.getByTestId('app-0-0-add-group').click();
  await type(page, 'app-0-0-group-1-users', '30');
  await page.getByTestId('app-0-0-group-1-licence').selectOption('power_apps_per_user');
  await expect(page.getByTestId('total-billed')).toHaveText('$1,200.00');
  await page.getByTestId('exclusions').locator('summary').click();
  await expect(page.getByTestId('exclusion').filter({ hasText: 'AP-5' })).toHaveCount(1);
});

test('the pages example (TC-PP-1) shows $36.00', async ({ page }) => {
  await newScenario(page);
  await page.getByTestId('env-0-section-power_pages').locator('summary').click();
  for (let i = 0; i < 3; i++) await page.getByTestId('add-site-0').click();
  const users = ['2', '3', '4'];
  for (let w = 0; w < 3; w++) {
    const group = page.getByTestId(`site-0-${w}-group-0-users`);
    if (await group.count() === 0) await page.getByTestId(`site-0-${w}-add-group`).click();
    await type(page, `site-0-${w}-group-0-users`, users[w]);
  }
  await expect(page.getByTestId('total-billed')).toHaveText('$36.00');
});

test('same-day logins with no authenticated user on record are said next to the input and in the notes (PP-6e)', async ({ page }) => {
  await newScenario(page);
  await page.getByTestId('env-0-section-power_pages').locator('summary').click();
  await page.getByTestId('add-site-0').click();
  await type(page, 'site-0-0-anonymous', '10');
  await page.getByTestId('site-0-0-exclusions').locator('summary').click();
  await type(page, 'site-0-0-excl-logged-in-same-day', '3');
  const said = page.getByTestId('site-0-0-unmatched-logins');
  await expect(said).toContainText('Website 1 has 0 authenticated users on record, 3 fewer');
  await expect(said).toContainText('billed on neither meter');
  await expect(page.getByTestId('total-billed')).toHaveText('$2.10');
  await expect(page.getByTestId('note').filter({ hasText: 'PP-6e' })).toContainText('3 fewer');
  // Their logins entered as authenticated users: matched, nothing more to say.
  await type(page, 'site-0-0-group-0-users', '3');
  await expect(said).toHaveCount(0);
  await expect(page.getByTestId('total-billed')).toHaveText('$14.10');
});

test('Dataverse month 1 (TC-DV-1) shows $28.80', async ({ page }) => {
  await newScenario(page);
  // The seed documentation's worked example: its book and a 30-day month (a new scenario
  // starts on this month's book).
  await page.getByTestId('price-book').selectOption('2023-06');
  await type(page, 'month-month', '11');
  await page.getByTestId('env-0-section-dataverse').locator('summary').click();
  await type(page, 'storage-0-database-gb', '1.5');
  await type(page, 'storage-0-file-gb', '3');
  await expect(page.getByTestId('total-billed')).toHaveText('$28.80');
});

test('the flow-runs-by-licence example follows the rules, not the table (INC-1)', async ({ page }) => {
  await openApp(page);
  await (await menuItem(page, 'example-select')).selectOption('doc-flow-runs-by-licence');
  await expect(page.getByTestId('total-billed')).toHaveText('$105.00');
  await expect(page.getByTestId('note').filter({ hasText: 'INC-1' })).toHaveCount(1);
});

test('editing a field updates the total without a reload', async ({ page }) => {
  await newScenario(page);
  await page.getByTestId('add-app-0').click();
  await page.evaluate(() => { window.__marker = 'same page'; });
  const input = page.getByTestId('app-0-0-group-0-users');
  await input.fill('1');
  await expect(page.getByTestId('total-billed')).toHaveText('$10.00');
  await input.press('End');
  await input.type('5');
  await expect(page.getByTestId('total-billed')).toHaveText('$150.00');
  expect(await page.evaluate(() => window.__marker)).toBe('same page');
});

test('an invalid value shows its message, keeps the text and the other inputs', async ({ page }) => {
  await newScenario(page);
  await page.getByTestId('add-app-0').click();
  await page.getByTestId('add-app-0').click();
  await type(page, 'app-0-0-group-0-users', '7');
  await type(page, 'app-0-1-group-0-users', '2');
  await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
  const bad = page.getByTestId('app-0-1-group-0-users');
  await bad.fill('-3');
  await expect(bad).toHaveAttribute('aria-invalid', 'true');
  await expect(bad).toHaveValue('-3');
  await expect(page.locator('.field-error').filter({ hasText: 'must be 0 or more, got -3' })).toBeVisible();
  await expect(page.getByTestId('invalid-inputs')).toContainText('environments[0].apps[1].user_groups[0].users');
  // The other input keeps its value; the total uses the last valid value of the bad one.
  await expect(page.getByTestId('app-0-0-group-0-users')).toHaveValue('7');
  await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
  // Typing a decimal separator is not rewritten under the cursor.
  const gb = page.getByTestId('app-0-0-group-0-users');
  await gb.fill('1.');
  await expect(gb).toHaveValue('1.');
  await bad.fill('4');
  await expect(page.getByTestId('invalid-inputs')).toHaveCount(1);
  await gb.fill('1');
  await expect(page.getByTestId('invalid-inputs')).toHaveCount(0);
  await expect(page.getByTestId('total-billed')).toHaveText('$50.00');
});

test('a decimal comma gets a clear message and the text stays', async ({ page }) => {
  await newScenario(page);
  await page.getByTestId('env-0-section-dataverse').locator('summary').click();
  const gb = page.getByTestId('storage-0-database-gb');
  await gb.fill('0,5');
  await expect(gb).toHaveValue('0,5');
  await expect(page.locator('.field-error').filter({ hasText: 'use a dot as the decimal separator: 0.5' })).toBeVisible();
});

test('keyboard only: add an app and type its users', async ({ page }) => {
  await newScenario(page);
  const add = page.getByTestId('add-app-0');
  await add.focus();
  await page.keyboard.press('Enter');
  // Tab from the button's new row: name, connectors, opted out, users.
  await page.getByTestId('app-0-0-name').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('app-0-0-connectors')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('app-0-0-opted-out')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('app-0-0-group-0-users')).toBeFocused();
  await page.keyboard.type('12');
  await expect(page.getByTestId('total-billed')).toHaveText('$120.00');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('app-0-0-group-0-licence')).toBeFocused();
  await page.keyboard.press('ArrowDown'); // Microsoft 365: counted on a premium app
  await expect(page.getByTestId('total-billed')).toHaveText('$120.00');
  // Focus is visible: the focused element has an outline.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  expect(outline).not.toBe('none');
});

test('a negotiated price marks the lines that use it', async ({ page }) => {
  await newScenario(page);
  await page.getByTestId('add-app-0').click();
  await type(page, 'app-0-0-group-0-users', '10');
  await page.getByTestId('price-editor').locator('summary').click();
  await type(page, 'price-power_apps_per_app_user', '8.5');
  await expect(page.getByTestId('total-billed')).toHaveText('$85.00');
  await expect(page.getByTestId('overridden-marker')).toHaveCount(1);
  await expect(page.getByTestId('price-book-used')).toContainText('negotiated');
});

test('usable at 320 px wide: no horizontal scrolling', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await openApp(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('the breakdown updates in place: an opened line stays open while other inputs change', async ({ page }) => {
  await openApp(page, '#example=contoso');
  // A line of another environment than the one edited below.
  const other = page.locator('[data-testid^="env-lines-"]:not([data-testid="env-lines-0"])').first();
  const line = other.getByTestId('charge-line').first();
  await line.locator('summary').click();
  await expect(line.locator('details')).toHaveAttribute('open', '');
  const before = await page.getByTestId('total-billed').innerText();
  // Contoso opens on its cards' headers: open the apps as a user would.
  await page.getByTestId('env-0-section-power_apps').locator('summary').click();
  await page.getByTestId('app-0-0-group-0-users').fill('999');
  await expect(page.getByTestId('total-billed')).not.toHaveText(before);
  await expect(line.locator('details')).toHaveAttribute('open', '');
});

test('a renamed app and a changed trigger show at once in the form', async ({ page }) => {
  await newScenario(page);
  await page.getByTestId('add-app-0').click();
  await type(page, 'app-0-0-name', 'Expenses <b>2</b>');
  await expect(page.getByTestId('app-0-0').locator('legend').first()).toHaveText('Expenses <b>2</b>');
  await page.getByTestId('env-0-section-flow_runs').locator('summary').click();
  await page.getByTestId('add-flow-0').click();
  await expect(page.getByTestId('flow-0-0-owner-note')).toHaveCount(await page.getByTestId('flow-0-0-trigger').inputValue() === 'instant' ? 0 : 1);
  await page.getByTestId('flow-0-0-trigger').selectOption('scheduled');
  await expect(page.getByTestId('flow-0-0-owner-note')).toBeVisible();
  await page.getByTestId('flow-0-0-trigger').selectOption('instant');
  await expect(page.getByTestId('flow-0-0-owner-note')).toHaveCount(0);
});

test('the chart: a bar per meter and per environment, the same numbers in a table', async ({ page }) => {
  await openApp(page, '#example=contoso');
  await expect(page.getByTestId('total-billed')).toHaveText('$7,177.20');
  const meters = page.getByTestId('chart-meter');
  // Contoso uses six meters; each has a bar, and the table says the same amounts.
  await expect(meters.locator('rect.chart-bar')).toHaveCount(6);
  const values = await meters.locator('text.chart-value').allTextContents();
  const cells = await meters.locator('table tbody td').allTextContents();
  expect(values).toEqual(cells);
  expect(values).toContain('$2,270.00');
  await expect(meters.locator('table tbody th').first()).toHaveText('Power Apps per app');
  // The largest bar is the longest.
  const widths = (await meters.locator('rect.chart-bar').evaluateAll((r) => r.map((x) => Number(x.getAttribute('width')))));
  const amounts = values.map((v) => Number(v.replace(/[$,]/g, '')));
  expect(widths[amounts.indexOf(Math.max(...amounts))]).toBe(Math.max(...widths));
  // By environment, and a long environment name is shortened beside its bar, whole in the table.
  const envs = page.getByTestId('chart-environment');
  await expect(envs.locator('table tbody th')).toHaveText(['Contoso Production', 'Contoso Sandbox']);
  const long = 'Contoso Production Europe West (Finance and Operations)';
  await page.getByTestId('env-0-name').fill(long);
  await expect(envs.locator('table tbody th').first()).toHaveText(long);
  await expect(envs.locator('text.chart-label').first()).toHaveText('Contoso Production Europe…');
  await expect(envs.locator('svg g > title').first()).toHaveText(long);
  // An edit moves the bars and the numbers together.
  await page.getByTestId('env-0-name').fill('Contoso Production');
  const before = await envs.locator('text.chart-value').first().textContent();
  await page.getByTestId('env-0-section-power_apps').locator('summary').click();
  await page.getByTestId('app-0-0-group-0-users').fill('1000');
  await expect(envs.locator('text.chart-value').first()).not.toHaveText(before);
  expect(await envs.locator('text.chart-value').allTextContents()).toEqual(await envs.locator('table tbody td').allTextContents());
});

test('contrast: every visible text meets WCAG AA on its background', async ({ page }) => {
  await openApp(page, '#example=contoso');
  await expect(page.getByTestId('total-billed')).toHaveText('$7,177.20');
  // Show what is folded away: an invalid value, a line's arithmetic, the free items, the advisor.
  await page.getByTestId('env-0-section-power_apps').locator('summary').click();
  await page.getByTestId('app-0-0-group-0-users').fill('-3');
  await page.getByTestId('charge-line').first().locator('summary').click();
  await page.getByTestId('exclusions').locator('summary').click();
  await page.getByTestId('advisor').locator('summary').first().click();
  await expect(page.getByTestId('advice-row').first()).toBeVisible();
  const failures = await page.evaluate(() => {
    const parse = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const out = [];
    const seen = new Set();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!el || seen.has(el) || !n.textContent.trim()) continue;
      seen.add(el);
      const style = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (box.width === 0 || box.height === 0 || style.visibility === 'hidden') continue;
      if (el.closest('.sr-only, [disabled], :disabled, option, title')) continue;
      const isSvg = el instanceof SVGElement;
      const fg = parse(isSvg ? style.fill : style.color).slice(0, 3);
      const bg = background(isSvg ? el.closest('svg').parentElement : el);
      const [a, b] = [lum(fg), lum(bg)].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      const size = parseFloat(style.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) {
        out.push(`${ratio.toFixed(2)}:1 "${n.textContent.trim().slice(0, 40)}" (${el.tagName.toLowerCase()}.${el.className})`);
      }
    }
    return { checked: seen.size, out };
  });
  expect(failures.checked).toBeGreaterThan(200);
  expect(failures.out).toEqual([]);
});
