// Prints each built-in example as the browser would (A4, the print stylesheet) and reports how
// many pages the report takes. Run after scripts/build.sh:  node scripts/print-pages.mjs
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

if (!existsSync('dist/index.html')) {
  console.error('dist/ is missing: run scripts/build.sh first');
  process.exit(1);
}
const port = Number(process.env.PORT || 4993);
const server = spawn('python3', ['scripts/serve.py', '--root', 'dist', '--base', '/', '--port', String(port)], {
  env: { ...process.env, SERVE_QUIET: '1' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve) => server.stdout.once('data', resolve));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const examples = process.argv.slice(2).length ? process.argv.slice(2)
  : ['doc-apps-month1', 'doc-pages-month1', 'doc-dataverse-month1', 'doc-flow-runs-by-licence', 'doc-prepaid-vs-payg', 'contoso'];
try {
  for (const example of examples) {
    const page = await browser.newPage({ viewport: { width: 710, height: 1000 } });
    await page.goto(`http://127.0.0.1:${port}/#example=${example}`);
    await page.waitForFunction(() => /^\$/.test(document.querySelector('[data-testid=total-billed]')?.textContent || ''));
    await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
    await page.emulateMedia({ media: 'print' });
    const pdf = (await page.pdf({ format: 'A4' })).toString('latin1');
    console.log(`${example}: ${(pdf.match(/\/Type\s*\/Page[^s]/g) || []).length} A4 page(s)`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
