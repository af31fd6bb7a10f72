// Screenshots of the release build for the README: docs/screenshot-1280.png and
// docs/screenshot-390.png. Run after scripts/build.sh: node scripts/screenshots.mjs
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';

const port = 4990;
const server = spawn('python3', ['scripts/serve.py', '--root', 'dist', '--base', '/', '--port', String(port)],
  { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => server.stdout.once('data', resolve));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  for (const [width, height] of [[1280, 900], [390, 844]]) {
    const page = await browser.newPage({ viewport: { width, height }, deviceScaleFactor: 1 });
    await page.goto(`http://127.0.0.1:${port}/#example=contoso`);
    await page.waitForFunction(() => /^\$/.test(document.querySelector('[data-testid=total-billed]')?.textContent || ''));
    // Open the first two lines so the screenshot shows a rule and its arithmetic.
    const lines = page.locator('[data-testid=charge-line] summary');
    for (let i = 0; i < Math.min(2, await lines.count()); i++) await lines.nth(i).click();
    // The first screen, as a visitor sees it: the app bar, the calculator and the total (the
    // breakdown column on a wide screen, the total bar on a phone).
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `docs/screenshot-${width}.png`, fullPage: false });
    await page.close();
    console.log(`docs/screenshot-${width}.png`);
  }
} finally {
  await browser.close();
  server.kill();
}
