// The advisor: prepaid or pay-as-you-go, break-even points and the projection (issue 6).
import { test, expect, openApp } from './fixtures.mjs';
import { scenarioOf } from './links.mjs';

async function openAdvisor(page, example = 'doc-prepaid-vs-payg') {
  await openApp(page, `#example=${example}`);
  await page.getByTestId('advisor').locator('summary').first().click();
  await expect(page.getByTestId('advice')).toBeVisible();
}

const row = (page, flow) =>
  page.getByTestId('advice-row').filter({ has: page.getByTestId('advice-subject').getByText(flow, { exact: true }) });

test("the six-flow table of the documentation: six recommendations, the documented figures", async ({ page }) => {
  await openAdvisor(page);
  await expect(page.getByTestId('advice-row')).toHaveCount(6);
  // Flow 1: $87.00 pay-as-you-go against $45.00 for a per-user licence over three months.
  await expect(row(page, 'Flow 1').getByTestId('advice-recommended')).toHaveText('Power Automate per user for the owner');
  await expect(row(page, 'Flow 1').getByTestId('advice-reason')).toContainText('$45.00 over 3 months, $42.00 less than pay-as-you-go at $87.00');
  for (const flow of ['Flow 2', 'Flow 3', 'Flow 4', 'Flow 5', 'Flow 6']) {
    await expect(row(page, flow).getByTestId('advice-recommended')).toHaveText('Pay-as-you-go');
  }
  // Flow 4: unattended runs at $3.00 against two bots and a maker licence.
  await expect(row(page, 'Flow 4').getByTestId('advice-reason')).toContainText('$435.00');
  await expect(row(page, 'Flow 4').getByTestId('advice-reason')).toContainText('$1,020.00');
  // Flow 6: the per-flow minimum caveat (INC-3).
  await expect(row(page, 'Flow 6').getByTestId('advice-option').filter({ hasText: 'per flow' })).toContainText('minimum of 5');
  await expect(page.getByTestId('advice-total-payg')).toHaveText('$807.00');
  await expect(page.getByTestId('advice-total-recommended')).toHaveText('$765.00');
});

test('changing a prepaid price moves the break-even point shown', async ({ page }) => {
  await openAdvisor(page);
  const breakEven = row(page, 'Flow 1').getByTestId('break-even').first();
  await expect(breakEven).toContainText('above 25 premium cloud runs per user a month ($15.00 ÷ $0.60)');
  await page.getByTestId('price-editor').locator('summary').click();
  await page.getByTestId('price-power_automate_per_user').fill('30');
  await expect(breakEven).toContainText('above 50 premium cloud runs per user a month ($30.00 ÷ $0.60)');
  // At $30 a month the licence costs $90 over three months, more than the $87 of runs.
  await expect(row(page, 'Flow 1').getByTestId('advice-recommended')).toHaveText('Pay-as-you-go');
  await expect(row(page, 'Flow 1').getByTestId('advice-option').filter({ hasText: 'per user for the owner' }).first())
    .toContainText('negotiated price');
});

test('people per flow change the licence count', async ({ page }) => {
  await openAdvisor(page);
  const flow2 = row(page, 'Flow 2');
  await expect(flow2.getByTestId('advisor-users')).toHaveValue('10');
  await flow2.getByTestId('advisor-users').fill('1');
  // One person: 3 × $15.00 = $45.00 beats $87.00 of runs.
  await expect(flow2.getByTestId('advice-recommended')).toHaveText('Power Automate per user for 1 user');
  await flow2.getByTestId('advisor-users').fill('0');
  await expect(flow2.locator('.field-error')).not.toBeEmpty();
  await expect(flow2.getByTestId('advisor-users')).toHaveValue('0');
  await expect(flow2.getByTestId('advice-recommended')).toHaveText('Power Automate per user for 1 user');
  await flow2.getByTestId('advisor-users').fill('1');
  // The inputs are part of the scenario: they survive a reload (autosave and the link).
  await expect.poll(() => page.evaluate(() => location.hash)).toMatch(/^#s=2\./);
  await page.reload();
  await page.getByTestId('advisor').locator('summary').first().click();
  await expect(row(page, 'Flow 2').getByTestId('advisor-users')).toHaveValue('1');
  await expect(row(page, 'Flow 2').getByTestId('advice-recommended')).toHaveText('Power Automate per user for 1 user');
});

test('the projection: twelve months with their days, growth, and a bad profile explained', async ({ page }) => {
  await openAdvisor(page, 'doc-dataverse-month1');
  const months = page.getByTestId('projection-month');
  await expect(months).toHaveCount(12);
  // Snapshots follow the real month: February is cheaper than March for the same storage.
  const feb = months.filter({ hasText: '-02' });
  const mar = months.filter({ hasText: '-03' });
  await expect(feb).toContainText('28');
  await expect(mar).toContainText('31');
  const cost = async (m) => Number((await m.locator('td.amount').first().innerText()).replace(/[$,]/g, ''));
  expect(await cost(feb)).toBeLessThan(await cost(mar));
  const flatTotal = await page.getByTestId('projection-total-payg').innerText();

  await page.getByTestId('advisor-growth').fill('10%');
  await expect(page.getByTestId('projection-total-payg')).not.toHaveText(flatTotal);
  const grown = await page.getByTestId('projection-total-payg').innerText();

  await page.getByTestId('advisor-growth').fill('1,2,3');
  await expect(page.getByText('a seasonal profile has 12 multipliers')).toBeVisible();
  await expect(page.getByTestId('advisor-growth')).toHaveValue('1,2,3');
  await expect(page.getByTestId('projection-total-payg')).toHaveText(grown);

  await page.getByTestId('advisor-months').fill('24');
  await expect(months).toHaveCount(24);
  await expect(page.getByTestId('projection-year-payg')).toHaveCount(2);

  // The growth profile and the projection's length are part of the scenario, like the other
  // advisor inputs: a reload (autosave and the link) brings back the last valid ones.
  // The link is written a moment after the last edit: wait for the one that holds this edit.
  const tenPercent24 = await page.getByTestId('projection-total-payg').innerText();
  await page.getByTestId('advisor-growth').fill('5%');
  await expect(page.getByTestId('projection-total-payg')).not.toHaveText(tenPercent24);
  const grown24 = await page.getByTestId('projection-total-payg').innerText();
  await expect.poll(async () => {
    const advisor = scenarioOf(await page.evaluate(() => location.hash))?.advisor;
    return advisor && `${advisor.growth} ${advisor.projection_months}`;
  }).toBe('5% 24');
  await page.reload();
  await page.getByTestId('advisor').locator('summary').first().click();
  await expect(page.getByTestId('advisor-growth')).toHaveValue('5%');
  await expect(page.getByTestId('advisor-months')).toHaveValue('24');
  await expect(months).toHaveCount(24);
  await expect(page.getByTestId('projection-total-payg')).toHaveText(grown24);
});

test('opening another example keeps the advisor open with that example', async ({ page }) => {
  await openAdvisor(page);
  await page.goto('#example=contoso');
  await expect(page.getByTestId('total-billed')).toHaveText('$7,177.20');
  await expect(page.getByTestId('advice-row').first()).toBeVisible();
  await expect(page.getByTestId('advice-subject').getByText('Order sync', { exact: true })).toBeVisible();
});
