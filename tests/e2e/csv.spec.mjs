// The breakdown CSV opened in a spreadsheet: names come from whoever wrote the scenario (a shared
// link, an imported file), so a name that starts like a formula must arrive as text, and the
// numbers must stay numbers. On the main of 2026-12-02, `=HYPERLINK(...)` went out unchanged.
import { test, expect, openApp, menuItem } from './fixtures.mjs';
import { readFileSync } from 'node:fs';

const total = (page) => page.getByTestId('total-billed');

/** Splits RFC 4180 text into rows of fields; fails on a quote inside an unquoted field. */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (field === '' && text[i] === '"') {
      i += 1;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field');
        if (text[i] === '"' && text[i + 1] === '"') { field += '"'; i += 2; }
        else if (text[i] === '"') { i += 1; break; }
        else { field += text[i]; i += 1; }
      }
    } else if (text[i] === ',') { row.push(field); field = ''; i += 1; }
    else if (text[i] === '\r' && text[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; i += 2;
    } else if (text[i] === '"' || text[i] === '\n' || text[i] === '\r') {
      throw new Error(`${JSON.stringify(text[i])} in an unquoted field at ${i}`);
    } else { field += text[i]; i += 1; }
  }
  if (field !== '' || row.length) throw new Error('the last row has no CRLF');
  return rows;
}

const NAMES = ['=HYPERLINK("http://x","y")', '@SUM(A1)', '-2+3', '+1', '\t=1+1', '\r=1+1', 'App, "safe"'];
const startsLikeAFormula = (s) => /^[=+\-@\t\r]/.test(s);

test('exported CSV: names that start like formulas are text, numbers stay numbers', async ({ page }, info) => {
  await openApp(page);
  const users = Array.from({ length: 3 }, (_, i) => ({ id: `U${i + 1}`, licence: 'none' }));
  const scenario = {
    version: 1, name: 'Formulas', price_book: '2023-06', month: { year: 2026, month: 11 },
    environments: [{
      name: '@Contoso', payg: true, users,
      apps: NAMES.map((name) => ({ name, connectors: 'premium', opened_by: ['U1', 'U2', 'U3'] })),
    }],
  };
  const buffer = Buffer.from(JSON.stringify(scenario));
  await page.getByTestId('import-json').setInputFiles({ name: 'formulas.json', mimeType: 'application/json', buffer });
  await expect(total(page)).toHaveText(`$${NAMES.length * 30}.00`);

  const [download] = await Promise.all([page.waitForEvent('download'), (await menuItem(page, 'export-csv')).click()]);
  const file = info.outputPath('breakdown.csv');
  await download.saveAs(file);
  const text = readFileSync(file, 'utf8');
  // The exact cell as a spreadsheet reads it: quoted, the quote prefix inside, quotes doubled.
  expect(text).toContain(`"'=HYPERLINK(""http://x"",""y"")",3,user-app,10,30.00,`);

  const rows = parseCsv(text);
  const header = rows[0];
  expect(header).toEqual(['environment', 'meter', 'item', 'quantity', 'unit', 'unit_price', 'amount',
    'payer', 'rule', 'price_overridden', 'explanation']);
  const col = (name) => header.indexOf(name);
  const lines = rows.slice(1);
  expect(lines.map((r) => r[col('item')]).sort()).toEqual(
    NAMES.map((n) => (startsLikeAFormula(n) ? `'${n}` : n)).sort());
  for (const r of lines) {
    expect(r).toHaveLength(header.length);
    expect(r[col('environment')]).toBe("'@Contoso");
    expect([r[col('quantity')], r[col('unit_price')], r[col('amount')]]).toEqual(['3', '10', '30.00']);
    for (const [i, cell] of r.entries()) {
      expect(startsLikeAFormula(cell), `${header[i]}: ${JSON.stringify(cell)}`).toBe(false);
    }
  }
});
