// The advisor's 2025–2026 routes (issue 12, item 3): Copilot Studio capacity packs against
// pay-as-you-go (and the pre-purchase plan from the 2025-11 book), with the break-even in
// credits a month and the 125 % rule, shown in the lazily loaded advisor panel.
import { test, expect, openApp } from './fixtures.mjs';

test('Copilot Credits: a pack against pay-as-you-go, the break-even and the 125 % caveat', async ({ page }) => {
  await openApp(page, '#example=learn-credits-prepaid');
  await page.getByTestId('advisor').locator('summary').first().click();
  await expect(page.getByTestId('advice')).toBeVisible();
  const credits = page
    .getByTestId('advice-row')
    .filter({ has: page.getByTestId('advice-subject').getByText("Agents' Copilot Credits", { exact: true }) });
  // 43,300 credits: $433.00 on pay-as-you-go, one pack + 18,300 on pay-as-you-go = $383.00.
  await expect(credits.getByTestId('advice-recommended')).toHaveText('1 capacity pack (25,000 credits a month)');
  await expect(credits.getByTestId('advice-reason')).toContainText('$383.00 a month, $50.00 less than pay-as-you-go at $433.00');
  await expect(credits.getByTestId('break-even').first()).toContainText('pays for itself above 20,000 credits a month ($200.00 ÷ $0.01)');
  await expect(credits.getByTestId('advice-option').filter({ hasText: 'capacity pack' })).toContainText('125 %');
});
