// Scale benchmark in Chromium (prints a table; no pass/fail): a scenario of N environments with
// every meter on and usage in each (2 apps, 2 flows, a website, Dataverse storage), imported
// as a file into the running app. For each N: the time from choosing the file until
// the new total is painted, *Add environment* until the new card is in the DOM (and painted), and
// input-to-updated-total latency (p50/p95) while typing in the first environment.
//   node scripts/bench-scale.mjs                 (after scripts/build.sh)
//   SIZES=20,200 EDITS=50 node scripts/bench-scale.mjs
import { chromium } from '@playwright/test';
import { typingLatency, quantile } from './bench-typing.mjs';
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

const sizes = (process.env.SIZES || '20,100,200,1000,10000').split(',').map(Number);
const edits = Number(process.env.EDITS || 60);
const port = 4900 + Math.floor(Math.random() * 90);
const base = '/bench/';

function scenarioOf(n) {
  const environments = [];
  for (let e = 0; e < n; e++) {
    environments.push({
      name: `Env ${e}`, payg: true,
      apps: [0, 1].map((a) => ({ name: `App ${e}.${a}`, connectors: 'premium',
        user_groups: [{ users: 10 + a, licence: 'none' }, { users: 2, licence: 'microsoft365' }] })),
      flows: [0, 1].map((f) => ({ name: `Flow ${e}.${f}`, trigger: 'automated', mode: f ? 'unattended' : 'cloud',
        connectors: 'premium', owner: { kind: 'user', licence: 'none' }, runs: [{ runs: 100 * (f + 1), licence: 'none' }] })),
      websites: [{ name: `Site ${e}`, status: 'live', authenticated: [{ users: 50, licence: 'none' }], anonymous_visitors: 1000 }],
      storage: { database: { kind: 'constant', gb: '2.5' }, file: { kind: 'constant', gb: '4' } },
    });
  }
  return { version: 1, name: `Scale ${n}`, price_book: '2023-06', month: { year: 2026, month: 11 }, environments };
}

const server = spawn('python3', ['scripts/serve.py', '--root', 'dist', '--base', base, '--port', String(port)],
  { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => server.stdout.once('data', resolve));
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });

const painted = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
const rows = [];
try {
  for (const n of sizes) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}${base}`);
    await page.waitForFunction(() => /^\$/.test(document.querySelector('[data-testid=total-billed]')?.textContent || ''));
    await page.getByTestId('new-scenario').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=total-billed]')?.textContent === '$0.00');
    const buffer = Buffer.from(JSON.stringify(scenarioOf(n)));
    const t0 = Date.now();
    await page.getByTestId('import-json').setInputFiles({ name: `scale-${n}.json`, mimeType: 'application/json', buffer });
    let open = NaN;
    try {
      await page.waitForFunction(() => document.querySelector('[data-testid=total-billed]')?.textContent !== '$0.00', null, { timeout: 120_000 });
      await painted(page);
      open = Date.now() - t0;
    } catch { /* reported as not opened */ }
    let add = NaN;
    let addPainted = NaN;
    let p50 = NaN;
    let p95 = NaN;
    if (!Number.isNaN(open) && errors.length === 0) {
      // In the page, from the click until the new card is in the DOM (the app's own work, not
      // the test driver's round trips), and until the next frame is painted.
      const addTimes = await page.evaluate(async (n) => {
        const t = performance.now();
        const appeared = new Promise((resolve) => {
          const obs = new MutationObserver(() => {
            if (document.querySelector(`[data-testid=env-${n}]`)) { obs.disconnect(); resolve(); }
          });
          obs.observe(document.body, { childList: true, subtree: true });
        });
        document.querySelector('[data-testid=add-environment]').click();
        await appeared;
        const inDom = performance.now() - t;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        return [inDom, performance.now() - t];
      }, n);
      add = addTimes[0];
      addPainted = addTimes[1];
      if (await page.getByTestId('env-0-toggle').getAttribute('aria-expanded') !== 'true') {
        await page.getByTestId('env-0-toggle').click();
      }
      const times = await typingLatency(page, edits);
      p50 = quantile(times, 0.5);
      p95 = quantile(times, 0.95);
    }
    const elements = await page.evaluate(() => document.getElementsByTagName('*').length).catch(() => NaN);
    rows.push({ n, open, add, addPainted, p50, p95, elements, errors: errors.length });
    console.log(`${n} environments: open ${open} ms, add ${add.toFixed(1)} ms (painted ${addPainted.toFixed(1)} ms), typing p50 ${p50.toFixed(1)} ms p95 ${p95.toFixed(1)} ms, ${elements} elements, ${errors.length} page errors`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
  await sleep(100);
}
console.log('\n| environments | open (import to painted total) | Add environment (in DOM / painted) | typing p50 | typing p95 | DOM elements | page errors |');
console.log('|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const ms = (v) => (Number.isNaN(v) ? 'failed' : `${Math.round(v)} ms`);
  console.log(`| ${r.n.toLocaleString('en')} | ${ms(r.open)} | ${ms(r.add)} / ${ms(r.addPainted)} | ${Number.isNaN(r.p50) ? '—' : r.p50.toFixed(1) + ' ms'} | ${Number.isNaN(r.p95) ? '—' : r.p95.toFixed(1) + ' ms'} | ${r.elements} | ${r.errors} |`);
}
