// Nothing a user typed disappears without a way back: replacing a scenario that holds edits
// keeps it in Recently closed (and the notice offers to reopen it); Back returns to the
// previous scenario instead of leaving the app; another tab's autosave, an autosave of a newer
// version and a saved scenario changed in two tabs are never silently overwritten; a damaged
// list of saved scenarios does not make saving fail forever. Each test failed on the main of
// 2026-12-02.
import { test, expect, openApp, menuItem } from './fixtures.mjs';
import { linkOf, scenario } from './links.mjs';
import { randomBytes } from 'node:crypto';

const total = (page) => page.getByTestId('total-billed');

async function typeUsers(page, n, { fresh = true } = {}) {
  if (fresh) await (await menuItem(page, 'new-scenario')).click();
  if (await page.getByTestId('app-0-0-group-0-users').count() === 0) await page.getByTestId('add-app-0').click();
  await page.getByTestId('app-0-0-group-0-users').fill(String(n));
  await expect(total(page)).toHaveText(`$${n * 10}.00`);
}

async function rename(page, name) {
  await page.getByTestId('scenario-name-input').fill(name);
}

test('a new scenario over edits: the notice reopens them, and so does Recently closed', async ({ page }) => {
  await openApp(page);
  await typeUsers(page, 7);
  await rename(page, 'My draft');
  await (await menuItem(page, 'new-scenario')).click();
  await expect(total(page)).toHaveText('$0.00');
  await expect(page.getByTestId('notice')).toContainText('Your edits to “My draft” are in Recently closed');
  await page.getByTestId('notice-undo').click();
  await expect(total(page)).toHaveText('$70.00');
  await expect(page.getByTestId('scenario-name-input')).toHaveValue('My draft');
  // Opening an example over it keeps it again; the list reopens it.
  await (await menuItem(page, 'example-select')).selectOption('doc-pages-month1');
  await expect(total(page)).toHaveText('$36.00');
  await (await menuItem(page, 'recent')).locator('summary').click();
  await expect((await menuItem(page, 'recent'))).toContainText('My draft');
  await (await menuItem(page, 'recent-reopen-0')).click();
  await expect(total(page)).toHaveText('$70.00');
});

test('an example opened without edits is not kept; Back returns to the scenario it replaced', async ({ page }) => {
  await openApp(page);
  await typeUsers(page, 3);
  await rename(page, 'Before the example');
  await page.waitForTimeout(600);
  await (await menuItem(page, 'example-select')).selectOption('doc-apps-month1');
  await expect(total(page)).toHaveText('$90.00');
  await page.waitForTimeout(600);
  // Back: the app, with the scenario that was open before.
  await page.goBack();
  await expect(total(page)).toHaveText('$30.00');
  await expect(page.getByTestId('scenario-name-input')).toHaveValue('Before the example');
  // The unedited example was not worth keeping; the edited scenario was.
  await (await menuItem(page, 'recent')).locator('summary').click();
  await expect((await menuItem(page, 'recent'))).not.toContainText('Three apps');
  await expect((await menuItem(page, 'recent'))).toContainText('Before the example');
});

test('importing a file over edits keeps them', async ({ page }) => {
  await openApp(page);
  await typeUsers(page, 4);
  await rename(page, 'Typed by hand');
  const buffer = Buffer.from(JSON.stringify(scenario([['A', 2]], { name: 'From a file' })));
  await page.getByTestId('import-json').setInputFiles({ name: 'f.json', mimeType: 'application/json', buffer });
  await expect(total(page)).toHaveText('$20.00');
  await expect(page.getByTestId('notice')).toContainText('Your edits to “Typed by hand” are in Recently closed');
});

test('a link opened in another tab keeps the first tab\'s autosave before writing its own', async ({ page, context }) => {
  await openApp(page);
  await typeUsers(page, 6);
  await rename(page, 'Tab A work');
  await page.waitForTimeout(700); // autosaved
  const other = await context.newPage();
  await other.goto('./' + linkOf(scenario([['Linked', 1]], { name: 'Shared with me' })));
  await expect(other.getByTestId('total-billed')).toHaveText('$10.00');
  await other.getByTestId('app-0-0-group-0-users').fill('2');
  await expect(other.getByTestId('total-billed')).toHaveText('$20.00');
  await other.waitForTimeout(700); // its autosave replaced tab A's
  await (await menuItem(other, 'recent')).locator('summary').click();
  await expect((await menuItem(other, 'recent'))).toContainText('Tab A work');
  await (await menuItem(other, 'recent-reopen-0')).click();
  await expect(other.getByTestId('total-billed')).toHaveText('$60.00');
  await other.close();
});

test('two tabs on one saved scenario: a change in one is never silently overwritten by the other', async ({ page, context }) => {
  await openApp(page);
  await typeUsers(page, 5);
  await (await menuItem(page, 'save-as-name')).fill('Mine');
  await (await menuItem(page, 'save-as')).click();
  await expect(page.getByTestId('saved-status')).toContainText('Mine');
  const b = await context.newPage();
  await openApp(b);
  await (await menuItem(b, 'saved-select')).selectOption('Mine');
  await (await menuItem(b, 'saved-open')).click();
  await expect(b.getByTestId('total-billed')).toHaveText('$50.00');
  await expect(b.getByTestId('saved-status')).toContainText('Mine');
  // Tab A changes it; tab B is told, detaches, and keeps its own version open.
  await page.getByTestId('app-0-0-group-0-users').fill('8');
  await expect(total(page)).toHaveText('$80.00');
  await expect(b.getByTestId('notice')).toContainText('“Mine” was changed in another tab', { timeout: 5000 });
  await expect(b.getByTestId('saved-status')).toContainText('not saved');
  await b.getByTestId('app-0-0-group-0-users').fill('9');
  await expect(b.getByTestId('total-billed')).toHaveText('$90.00');
  await b.waitForTimeout(700);
  // "Mine" holds tab A's version; B's is open, and saved when B chooses.
  await b.getByTestId('notice-save').click();
  await expect(b.getByTestId('saved-status')).toContainText('saved as');
  await expect(b.getByTestId('saved-status')).not.toContainText('“Mine”');
  await page.reload();
  await (await menuItem(page, 'saved-select')).selectOption('Mine');
  await (await menuItem(page, 'saved-open')).click();
  await expect(total(page)).toHaveText('$80.00');
  await b.close();
});

test('a scenario renamed in another tab: this tab follows the new name and keeps saving to it', async ({ page, context }) => {
  await openApp(page);
  await typeUsers(page, 2);
  await (await menuItem(page, 'save-as-name')).fill('Old name');
  await (await menuItem(page, 'save-as')).click();
  await page.waitForTimeout(600);
  const b = await context.newPage();
  await openApp(b);
  await (await menuItem(b, 'saved-select')).selectOption('Old name');
  await (await menuItem(b, 'rename-name')).fill('New name');
  await (await menuItem(b, 'saved-rename')).click();
  await expect(page.getByTestId('saved-status')).toContainText('New name', { timeout: 5000 });
  await page.getByTestId('app-0-0-group-0-users').fill('3');
  await page.waitForTimeout(700);
  await b.reload();
  await (await menuItem(b, 'saved-select')).selectOption('New name');
  await (await menuItem(b, 'saved-open')).click();
  await expect(b.getByTestId('total-billed')).toHaveText('$30.00');
  await b.close();
});

test('an autosave written by a newer version is not overwritten by the first edit', async ({ page }) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('power-payg/v1/current', JSON.stringify({ version: 99, name: 'From the future', environments: [] }));
    }
  });
  await openApp(page);
  await expect(page.getByTestId('notice')).toContainText('not lost');
  await typeUsers(page, 1);
  await page.waitForTimeout(700);
  await (await menuItem(page, 'recent')).locator('summary').click();
  await expect((await menuItem(page, 'recent'))).toContainText('From the future');
  await (await menuItem(page, 'recent-reopen-0')).click();
  await expect(page.getByTestId('notice')).toContainText('cannot be opened by this version');
  await expect((await menuItem(page, 'recent'))).toContainText('From the future');
});

test('a damaged list of saved scenarios is moved aside, and saving works again', async ({ page }) => {
  await page.addInitScript(() => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem('power-payg/v1/saved', '{damaged');
    }
  });
  await openApp(page);
  await typeUsers(page, 2);
  await (await menuItem(page, 'save-as-name')).fill('After the damage');
  await (await menuItem(page, 'save-as')).click();
  await expect(page.getByTestId('saved-status')).toContainText('After the damage');
  const aside = await page.evaluate(() => localStorage.getItem('power-payg/v1/saved-damaged-1'));
  expect(aside).toBe('{damaged');
});

test.describe('files the app cannot take', () => {
  test('a Latin-1 file is refused with a message, not imported as mojibake', async ({ page }) => {
    await openApp(page, '#example=doc-apps-month1');
    const json = JSON.stringify(scenario([['Caf\u00e9', 2]]));
    const buffer = Buffer.from(json, 'latin1');
    await page.getByTestId('import-json').setInputFiles({ name: 'latin1.json', mimeType: 'application/json', buffer });
    await expect(page.getByTestId('notice')).toContainText('is not UTF-8 text');
    await expect(total(page)).toHaveText('$90.00');
  });

  test('two dropped files: both refused, with a message', async ({ page }) => {
    await openApp(page, '#example=doc-apps-month1');
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['{}'], 'a.json', { type: 'application/json' }));
      dt.items.add(new File(['{}'], 'b.json', { type: 'application/json' }));
      window.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    });
    await expect(page.getByTestId('notice')).toContainText('2 files were dropped');
    await expect(total(page)).toHaveText('$90.00');
  });
});

test('Copy link refuses a scenario too big for a link, and says to export it', async ({ page }) => {
  test.setTimeout(60_000);
  await openApp(page);
  // Names that do not compress: the link would be over 2,000,000 characters, while the file
  // (under 20 MiB) is a scenario the app opens.
  const apps = Array.from({ length: 40_000 }, () => ({
    name: randomBytes(60).toString('hex'),
    connectors: 'premium', user_groups: [{ users: 1, licence: 'none' }],
  }));
  const big = { ...scenario([]), environments: [{ name: 'Big', payg: true, apps }] };
  const buffer = Buffer.from(JSON.stringify(big));
  await page.getByTestId('import-json').setInputFiles({ name: 'big.json', mimeType: 'application/json', buffer });
  await expect(total(page)).toHaveText('$400,000.00', { timeout: 30_000 });
  await (await menuItem(page, 'copy-link')).click();
  await expect((await menuItem(page, 'link-copied'))).toContainText('too big for a link');
  await expect((await menuItem(page, 'share-link'))).toBeHidden();
});
