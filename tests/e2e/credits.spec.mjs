// Copilot Credits (issue 12): a scenario using the new meter opens in the app and prices,
// its lines shown like any other meter's, before the UI has a form for it.
import { test, expect, openApp } from './fixtures.mjs';

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
