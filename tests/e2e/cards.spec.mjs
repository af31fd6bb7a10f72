// Which cards are open (issue 13): by default the first environment's used meters, unless it
// holds many items; what the user opens and closes is remembered per scenario in this browser.
import { test, expect, openApp, menuItem } from './fixtures.mjs';
import { linkOf2, scenario } from './links.mjs';

const METERS = ['power_apps', 'flow_runs', 'power_pages', 'dataverse', 'requests', 'copilot_studio'];
const section = (page, e, m) => page.getByTestId(`env-${e}-section-${m}`);
const isOpen = async (loc) => (await loc.getAttribute('open')) !== null;

// Two environments; the first holds three items (two apps and its storage), few enough that
// its used meters open (cards::OPEN_ITEMS_UP_TO).
const SMALL = scenario([], {
  name: 'Small',
  environments: [
    { name: 'Production', payg: true,
      apps: [['A', 5], ['B', 7]].map(([name, users]) => ({ name, connectors: 'premium', user_groups: [{ users, licence: 'none' }] })),
      storage: { database: { kind: 'constant', gb: '3' } } },
    { name: 'Test', payg: true,
      apps: [{ name: 'C', connectors: 'premium', user_groups: [{ users: 2, licence: 'none' }] }] },
  ],
});

test('a small scenario opens its first environment\'s used meters, and nothing else', async ({ page }) => {
  await openApp(page, linkOf2(SMALL));
  const used = { power_apps: true, dataverse: true };
  for (const m of METERS) {
    expect(await isOpen(section(page, 0, m)), `${m} open iff used`).toBe(Boolean(used[m]));
    expect((await page.getByTestId(`env-0-summary-${m}`).textContent()).startsWith('0 items'), `${m} summary`).toBe(!used[m]);
  }
  for (const m of METERS) expect(await isOpen(section(page, 1, m)), `env 1 ${m}`).toBe(false);
});

test('a first environment of many items opens on its headers: contoso', async ({ page }) => {
  await openApp(page, '#example=contoso');
  for (const e of [0, 1, 2]) {
    for (const m of METERS) expect(await isOpen(section(page, e, m)), `env ${e} ${m}`).toBe(false);
  }
  // The headers say what each closed section holds and costs.
  await expect(page.getByTestId('env-0-summary-flow_runs')).toHaveText(/^4 items · \$[\d,]+\.\d{2}$/);
});

/** Opens a closed section or closes an open one; returns whether it is open now. */
async function flip(page, e, m) {
  const was = await isOpen(section(page, e, m));
  await section(page, e, m).locator('summary').first().click();
  if (was) await expect(section(page, e, m)).not.toHaveAttribute('open', '');
  else await expect(section(page, e, m)).toHaveAttribute('open', '');
  return !was;
}

async function expectOpen(page, e, m, open) {
  if (open) await expect(section(page, e, m)).toHaveAttribute('open', '');
  else await expect(section(page, e, m)).not.toHaveAttribute('open', '');
}

test('the unsaved scenario\'s open cards come back after a reload', async ({ page }) => {
  await openApp(page, '#example=contoso');
  const apps = await flip(page, 0, 'power_apps');
  // An edit, so that the scenario is the autosave a reload reopens.
  await page.getByTestId('app-0-0-group-0-users').fill('7');
  const storage = await flip(page, 1, 'dataverse');
  await page.goto('./');
  await expect(page.getByTestId('total-billed')).toHaveText(/^\$/);
  await expectOpen(page, 0, 'power_apps', apps);
  await expectOpen(page, 1, 'dataverse', storage);
  // Another scenario starts from its own defaults.
  await (await menuItem(page, 'example-select')).selectOption('doc-apps-month1');
  await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
  await expectOpen(page, 0, 'power_apps', true);
});

test('a saved scenario reopens with the cards it had open', async ({ page }) => {
  await openApp(page, '#example=contoso');
  await (await menuItem(page, 'save-as-name')).fill('Cards');
  await (await menuItem(page, 'save-as')).click();
  await expect(page.getByTestId('saved-status')).toContainText('Cards');
  const requests = await flip(page, 0, 'requests');
  const pages = await flip(page, 1, 'power_pages');
  await (await menuItem(page, 'example-select')).selectOption('doc-apps-month1');
  await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
  await (await menuItem(page, 'saved-select')).selectOption('Cards');
  await (await menuItem(page, 'saved-open')).click();
  await expect(page.getByTestId('saved-status')).toContainText('Cards');
  await expectOpen(page, 0, 'requests', requests);
  await expectOpen(page, 1, 'power_pages', pages);
});
