// Hostile links, files and storage: each shows a clear message, the app stays usable, saved
// scenarios are untouched, markup renders as text, and nothing panics (the fixture fails the
// test on any console error or page error).
import { test, expect, openApp, menuItem } from './fixtures.mjs';
import { edited, linkOf, linkOf2, scenario } from './links.mjs';
import { deflateRawSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const base64url = (b) => Buffer.from(b).toString('base64url');
const deep = (n) => '['.repeat(n) + ']'.repeat(n);
const env = (extra) => ({ version: 1, name: 'x', price_book: '2023-06', month: { year: 2026, month: 11 },
  environments: [{ name: 'e', payg: true, ...extra }] });

// [name, fragment]
const badLinks = [
  ['bad base64', '#s=1.!!!not*base64!!!'],
  ['empty payload', '#s=1.'],
  ['no version', '#s=.AAAA'],
  ['no dot', '#s=1AAAA'],
  ['future link format', '#s=3.AAAA'],
  ['link format 0', '#s=0.AAAA'],
  ['format-2 link with one character changed', edited(linkOf2(scenario([['A', 2], ['B', 3]])), 60)],
  ['format-2 link cut short', linkOf2(scenario([['A', 2], ['B', 3]])).slice(0, -3)],
  ['format-2 link with its name changed', '#a' + linkOf2(scenario([['A', 2]])).slice(2)],
  ['duplicate key', linkOf('{"version":1,"name":"x","price_book":"2023-06","month":{"year":2026,"month":11},"environments":[{"name":"e","payg":true,"apps":[{"name":"a","connectors":"premium","user_groups":[{"users":5,"licence":"none","users":500}]}]}]}')],
  ['far-future link format', '#s=987.whatever'],
  ['letters as version', '#s=v1.AAAA'],
  ['truncated link', linkOf(scenario([['A', 2], ['B', 3]])).slice(0, 40)],
  ['random bytes', '#s=1.' + base64url(Buffer.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]))],
  ['decompression bomb', '#s=1.' + deflateRawSync(Buffer.alloc(64 * 1024 * 1024, 32)).toString('base64url')],
  ['not JSON inside', linkOf('this is not json')],
  ['JSON array root', linkOf('[1,2,3]')],
  ['JSON null', linkOf('null')],
  ['empty object', linkOf('{}')],
  ['future scenario version', linkOf({ ...scenario([['A', 1]]), version: 99 })],
  ['negative users', linkOf(env({ apps: [{ name: 'a', connectors: 'premium', user_groups: [{ users: -3, licence: 'none' }] }] }))],
  ['huge number', linkOf('{"version":1,"name":"x","price_book":"2023-06","month":{"year":2026,"month":11},"environments":[{"name":"e","payg":true,"apps":[{"name":"a","connectors":"premium","user_groups":[{"users":1e300,"licence":"none"}]}]}]}')],
  ['fractional users', linkOf(env({ apps: [{ name: 'a', connectors: 'premium', user_groups: [{ users: 1.5, licence: 'none' }] }] }))],
  ['unknown licence', linkOf(env({ apps: [{ name: 'a', connectors: 'premium', user_groups: [{ users: 1, licence: 'platinum' }] }] }))],
  ['unknown field', linkOf(env({ aps: [] }))],
  ['month 13', linkOf({ ...scenario([['A', 1]]), month: { year: 2026, month: 13 } })],
  ['unknown price book', linkOf({ ...scenario([['A', 1]]), price_book: '1999-01' })],
  ['deeply nested', linkOf(deep(50000))],
  ['deeply nested objects', linkOf('{"a":'.repeat(3000) + '1' + '}'.repeat(3000))],
  ['day out of month', linkOf(env({ flows: [{ name: 'f', trigger: 'instant', mode: 'cloud', connectors: 'premium', owner: { kind: 'user', licence: 'none' }, daily_runs: [{ day: 40, runs: 1, licence: 'none' }] }] }))],
  ['wrong types everywhere', linkOf({ version: '1', name: 5, price_book: true, month: 'soon', environments: 'many' })],
  ['binary junk in JSON', linkOf(Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d]))],
  ['unknown example', '#example=../../etc/passwd'],
  ['very long garbage', '#s=1.' + 'A'.repeat(300000)],
  ['percent-encoded junk', '#s=1.%00%ff%3Cscript%3E'],
];

for (const [name, fragment] of badLinks) {
  test(`hostile link: ${name}`, async ({ page }) => {
    await openApp(page);
    await (await menuItem(page, 'save-as-name')).fill('Keep me');
    await (await menuItem(page, 'save-as')).click();
    const saved = await (await menuItem(page, 'saved-select')).locator('option').allTextContents();
    // A fresh load of the link (leaving the page first): navigating within the page would race
    // the app's debounced write of the current scenario's own link into the address bar.
    await page.goto('about:blank');
    await page.goto(fragment.startsWith('#') ? `./${fragment}` : fragment);
    await expect(page.getByTestId('notice')).toBeVisible();
    await expect(page.getByTestId('notice')).not.toHaveText('');
    // Still usable: the engine prices, inputs work.
    await expect(page.getByTestId('total-billed')).toHaveText(/^\$[\d,]+\.\d\d$/);
    await (await menuItem(page, 'new-scenario')).click();
    await page.getByTestId('add-app-0').click();
    await page.getByTestId('app-0-0-group-0-users').fill('3');
    await expect(page.getByTestId('total-billed')).toHaveText('$30.00');
    // Saved scenarios untouched.
    expect(await (await menuItem(page, 'saved-select')).locator('option').allTextContents()).toEqual(saved);
  });
}

test('names with markup and script render as text', async ({ page }) => {
  const evil = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const s = scenario([[evil, 2]], { name: evil });
  s.environments[0].name = '<b>bold</b>';
  await page.goto(linkOf(s));
  await expect(page.getByTestId('total-billed')).toHaveText('$20.00');
  await expect(page.getByTestId('scenario-name-input')).toHaveValue(evil);
  await expect(page.getByTestId('charge-line').first()).toContainText('<img');
  expect(await page.evaluate(() => window.__pwned)).toBeUndefined();
  expect(await page.locator('main img, main script, main b, aside img').count()).toBe(0);
});

test('a damaged format-2 link says it was changed or cut', async ({ page }) => {
  await page.goto('./' + edited(linkOf2(scenario([['A', 2], ['B', 3]])), 60));
  await expect(page.getByTestId('notice')).toContainText(/changed or cut after it was made/);
  await page.goto('about:blank');
  await page.goto('./#s=0.AAAA');
  await expect(page.getByTestId('notice')).toContainText(/not one power-payg writes/);
  await expect(page.getByTestId('notice')).not.toContainText(/newer/);
  await page.goto('about:blank');
  await page.goto('./' + linkOf(Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x7d])));
  await expect(page.getByTestId('notice')).toContainText(/not text/);
});

test('a duplicate key in a link is named, not priced', async ({ page }) => {
  await page.goto('./' + linkOf('{"version":1,"name":"x","price_book":"2023-06","month":{"year":2026,"month":11},"environments":[{"name":"e","payg":true,"apps":[{"name":"a","connectors":"premium","user_groups":[{"users":5,"licence":"none","users":500}]}]}]}'));
  await expect(page.getByTestId('notice')).toContainText('environments[0].apps[0].user_groups[0].users: duplicate key');
  await expect(page.getByTestId('total-billed')).not.toHaveText('$5,000.00');
});

// A link made outside the app (Node's zlib CRC-32) opens, and so do the spellings mail and
// chat tools produce: `S=` and a percent-encoded `=`.
for (const [name, spell] of [
  ['format 2', (l) => l],
  ['S=', (l) => l.replace('#s=', '#S=')],
  ['s%3D', (l) => l.replace('#s=', '#s%3D')],
]) {
  test(`a link spelled ${name} opens its scenario`, async ({ page }) => {
    await page.goto('./' + spell(linkOf2(scenario([['Spelled', 4]]))));
    await expect(page.getByTestId('total-billed')).toHaveText('$40.00');
    await expect(page.getByTestId('notice')).toContainText(/link/i);
  });
}

const badFiles = [
  ['not-json.json', 'hello'],
  ['future.json', JSON.stringify({ ...scenario([['A', 1]]), version: 7 })],
  ['negative.json', JSON.stringify(env({ apps: [{ name: 'a', connectors: 'premium', user_groups: [{ users: -1, licence: 'none' }] }] }))],
  ['deep.json', deep(20000)],
  ['binary.json', Buffer.from([0, 1, 2, 255, 254])],
  ['duplicate-key.json', JSON.stringify(scenario([['A', 5]])).replace('"users":5', '"users":5,"users":500')],
];
for (const [name, content] of badFiles) {
  test(`hostile file: ${name}`, async ({ page }, info) => {
    await openApp(page, '#example=doc-apps-month1');
    const file = info.outputPath(name);
    writeFileSync(file, content);
    await page.getByTestId('import-json').setInputFiles(file);
    await expect(page.getByTestId('notice')).toBeVisible();
    await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
  });
}

test('corrupt autosave data shows a message and opens the example', async ({ page }) => {
  await page.addInitScript(() => {
    localStorage.setItem('power-payg/v1/current', '{"version": 1, "garbage": true');
    localStorage.setItem('power-payg/v1/saved', 'not a map');
  });
  await openApp(page);
  await expect(page.getByTestId('notice')).toBeVisible();
  await expect(page.getByTestId('total-billed')).toHaveText(/^\$/);
});

test('storage full or disabled: a message, and the scenario is not lost', async ({ page }) => {
  await page.addInitScript(() => {
    Storage.prototype.setItem = function () { throw new DOMException('quota', 'QuotaExceededError'); };
  });
  await openApp(page);
  // Said once, at start-up (storage-blocked.spec.mjs checks it is not repeated).
  await expect(page.getByTestId('notice')).toContainText(/storage|keep data/i);
  await (await menuItem(page, 'new-scenario')).click();
  await page.getByTestId('add-app-0').click();
  await page.getByTestId('app-0-0-group-0-users').fill('6');
  await expect(page.getByTestId('total-billed')).toHaveText('$60.00');
  await (await menuItem(page, 'save-as-name')).fill('Nope');
  await (await menuItem(page, 'save-as')).click();
  await expect(page.getByTestId('notice')).toContainText(/storage|saved/i);
  await expect(page.getByTestId('total-billed')).toHaveText('$60.00');
  await expect(page.getByTestId('app-0-0-group-0-users')).toHaveValue('6');
});
