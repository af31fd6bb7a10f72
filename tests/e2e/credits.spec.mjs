// Copilot Credits (issue 12): scenarios using the new meter open and price, the agents' form
// (a chunk of its own) edits them, and an opened line cites its sources.
import { test, expect, openApp, menuItem } from './fixtures.mjs';

test('a Copilot Credits example opens and prices: prepaid pack first, then pay-as-you-go', async ({ page }) => {
  await openApp(page, '#example=learn-credits-prepaid');
  await expect(page.getByTestId('total-billed')).toHaveText('$183.00');
  const line = page.getByTestId('charge-line').filter({ hasText: 'Copilot Credits (pay-as-you-go)' });
  await expect(line).toHaveCount(1);
  await line.locator('summary').click();
  await expect(line).toContainText('43,300 credits − 25,000 prepaid (CC-4) = 18,300 credits × $0.01 = $183.00');
});

test('an unpublished price says the total is incomplete', async ({ page }) => {
  await openApp(page, '#example=learn-windows365-unpriced');
  await expect(page.getByTestId('total-billed')).toHaveText('$35.00');
  await expect(page.locator('body')).toContainText('The total is incomplete');
});

test('the book line says what is missing, and when the month is later than the book was checked', async ({ page }) => {
  await openApp(page, '#example=learn-windows365-unpriced');
  const book = page.getByTestId('price-book-used');
  await expect(book).toContainText('2026-09 book');
  await expect(book).toContainText('Incomplete: Microsoft publishes no price for');
  await expect(book).not.toContainText('later than');
  // A month after the book's sources were last checked (2026-11).
  await page.getByTestId('month-year').fill('2027');
  await expect(book).toContainText('later than the book\'s prices were last checked');
});

/** Waits for the first environment's Copilot section, open because the scenario uses it, and
 * for the agents' form in it (a chunk). */
async function openCopilot(page) {
  await expect(page.getByTestId('env-0-section-copilot_studio')).toHaveAttribute('open', '');
  await expect(page.getByTestId('agent-0-0')).toBeVisible();
}

test('the agents form prices each agent as it is typed: features, licensed share, new agents, packs', async ({ page }) => {
  await openApp(page, '#example=learn-credits-prepaid');
  await openCopilot(page);
  await expect(page.getByTestId('agent-0-0-name')).toHaveValue('Customer service agent');
  await expect(page.getByTestId('agent-0-1-channel')).toHaveValue('m365_copilot_chat');
  // Each input says its rate in the book.
  await expect(page.getByTestId('agent-0-0-features')).toContainText('13 credits per 100 actions in the 2025-09 book');
  // 10,000 more generative answers × 2 credits.
  await page.getByTestId('agent-0-0-generative-answers').fill('20000');
  await expect(page.getByTestId('total-billed')).toHaveText('$383.00');
  // Not employee-facing: the licensed half of 12,000 grounded credits is charged too, and the
  // share's field goes (files accept a share only for employee-facing agents).
  await expect(page.getByTestId('agent-0-1-licensed-percent')).toHaveValue('50');
  await page.getByTestId('agent-0-1-employee-facing').uncheck();
  await expect(page.getByTestId('agent-0-1-licensed-percent')).toHaveCount(0);
  await expect(page.getByTestId('total-billed')).toHaveText('$443.00');
  // A new agent with 100 classic answers × 1 credit.
  await page.getByTestId('add-agent-0').click();
  await page.getByTestId('agent-0-2-classic-answers').fill('100');
  await expect(page.getByTestId('total-billed')).toHaveText('$444.00');
  // A second pack: 69,400 − 50,000 = 19,400 credits.
  await page.getByTestId('credits-0-packs').fill('2');
  await expect(page.getByTestId('total-billed')).toHaveText('$194.00');
  // The section's header sums it up.
  await expect(page.getByTestId('env-0-summary-copilot_studio')).toHaveText('3 items · $194.00');
  // Bad input: a message next to the field, the last valid value kept.
  await page.getByTestId('agent-0-2-classic-answers').fill('12x');
  await expect(page.getByTestId('agent-0-2-classic-answers')).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByTestId('total-billed')).toHaveText('$194.00');
});

test('the features offered follow the book: tokens from 2025-10, what a scenario holds always', async ({ page }) => {
  await openApp(page, '#example=learn-credits-prepaid');
  await openCopilot(page);
  await expect(page.getByTestId('agent-0-0-ai-tool-responses-basic')).toBeVisible();
  await expect(page.getByTestId('agent-0-0-ai-tool-tokens-basic')).toHaveCount(0);
  await page.getByTestId('agent-0-0-ai-tool-responses-basic').fill('30');
  await page.getByTestId('price-book').selectOption('2025-10');
  await expect(page.getByTestId('agent-0-0-ai-tool-tokens-basic')).toBeVisible();
  // The book has no per-response rate any more, but the agent holds 30: still shown, and said.
  await expect(page.getByTestId('agent-0-0-ai-tool-responses-basic')).toHaveValue('30');
  await expect(page.getByTestId('agent-0-0-features')).toContainText('The 2025-10 book has no rate for AI tools basic responses');
});

test('an opened line cites its sources with the date they were verified', async ({ page }) => {
  await openApp(page, '#example=learn-credits-prepaid');
  const line = page.getByTestId('charge-line').filter({ hasText: 'Copilot Credits (pay-as-you-go)' });
  await expect(line.getByTestId('line-sources')).toHaveCount(0);
  await line.locator('summary').click();
  const sources = line.getByTestId('line-sources');
  await expect(sources).toContainText('messages renamed Copilot Credits');
  await expect(sources).toContainText('Microsoft; version 2025-09-01; verified 2026-11');
  await expect(sources.locator('a').first()).toHaveAttribute('href', /^https:\/\/learn\.microsoft\.com\//);
});

test('a new scenario is priced by the book in force this month', async ({ page }) => {
  await page.clock.setFixedTime(new Date('2026-12-02T10:00:00Z'));
  await openApp(page, '#example=learn-credits-prepaid');
  const menu = page.getByTestId('scenario-menu');
  if ((await menu.getAttribute('open')) === null) await menu.locator(':scope > summary').click();
  await (await menuItem(page, 'new-scenario')).click();
  await expect(page.getByTestId('price-book')).toHaveValue('2026-09');
  await expect(page.getByTestId('month-year')).toHaveValue('2026');
  await expect(page.getByTestId('month-month')).toHaveValue('12');
});

test('a line priced by a third-party rate is marked provisional, one without a published price says so', async ({ page }) => {
  await openApp(page, '#example=learn-windows365-unpriced');
  const credits = page.getByTestId('charge-line').filter({ hasText: 'Copilot Credits (pay-as-you-go)' });
  await expect(credits.getByTestId('provisional-marker')).toHaveText('provisional');
  await expect(credits.getByTestId('unpublished-marker')).toHaveCount(0);
  const hours = page.getByTestId('charge-line').filter({ hasText: 'Windows 365 for Agents Cloud PC hours' });
  await expect(hours.getByTestId('unpublished-marker')).toHaveText('no published price');
  await hours.locator('summary').click();
  await expect(hours.getByTestId('line-sources')).toContainText('Cloud PC pool');
});
