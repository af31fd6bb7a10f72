// UI benchmark in Chromium (prints figures; no pass/fail): input-to-updated-total latency over
// 200 edits on a large scenario (20 environments, 100 apps, 100 flows, 10 websites), and
// load-to-interactive on 127.0.0.1. Run: node scripts/bench-ui.mjs  (after scripts/build.sh)
import { chromium } from '@playwright/test';
import { typingLatency, quantile } from './bench-typing.mjs';
import { spawn } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';

const port = 4900 + Math.floor(Math.random() * 90);
// EDITS=1000 LOADS=0 node scripts/bench-ui.mjs: more edits, no load timing (for comparing builds).
const edits = Number(process.env.EDITS || 200);
const loadRuns = Number(process.env.LOADS ?? 5);
const base = '/bench/';

function largeScenario() {
  const licences = ['none', 'microsoft365', 'power_apps_per_user', 'power_automate_premium', 'dynamics365'];
  const environments = [];
  for (let e = 0; e < 20; e++) {
    const env = { name: `Env ${e}`, payg: true, apps: [], flows: [], websites: [] };
    for (let a = 0; a < 5; a++) {
      env.apps.push({ name: `App ${e}.${a}`, connectors: a % 2 ? 'premium' : 'standard',
        user_groups: [{ users: 10 + a, licence: 'none' }, { users: 3, licence: licences[a] }] });
    }
    for (let f = 0; f < 5; f++) {
      env.flows.push({ name: `Flow ${e}.${f}`, trigger: f % 2 ? 'instant' : 'automated',
        mode: ['cloud', 'attended', 'unattended', 'hosted', 'cloud'][f], connectors: 'premium',
        owner: { kind: 'user', licence: 'none' }, runs: [{ runs: 100 * (f + 1), licence: licences[f] }] });
    }
    if (e < 10) env.websites.push({ name: `Site ${e}`, status: 'live',
      authenticated: [{ users: 50, licence: 'none' }], anonymous_visitors: 1000 });
    env.storage = { database: { kind: 'constant', gb: '2.5' }, file: { kind: 'constant', gb: '4' } };
    environments.push(env);
  }
  return { version: 1, name: 'Benchmark: large', price_book: '2023-06', month: { year: 2026, month: 11 }, environments };
}

const link = 's=1.' + deflateRawSync(Buffer.from(JSON.stringify(largeScenario()))).toString('base64url');
const server = spawn('python3', ['scripts/serve.py', '--root', 'dist', '--base', base, '--port', String(port)],
  { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => server.stdout.once('data', resolve));

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  // Load-to-interactive: navigation start until the engine's total is on screen.
  const loads = [];
  for (let i = 0; i < loadRuns; i++) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`http://127.0.0.1:${port}${base}#example=contoso`);
    await page.waitForFunction(() => /^\$/.test(document.querySelector('[data-testid=total-billed]')?.textContent || ''));
    loads.push(await page.evaluate(() => performance.now()));
    await ctx.close();
  }
  loads.sort((a, b) => a - b);
  if (loads.length) {
    console.log(`load-to-interactive (contoso, 127.0.0.1, cold context): median ${loads[Math.floor(loads.length / 2)].toFixed(0)} ms, max ${loads[loads.length - 1].toFixed(0)} ms`);
  }

  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://127.0.0.1:${port}${base}#${link}`);
  await page.waitForFunction(() => /^\$/.test(document.querySelector('[data-testid=total-billed]')?.textContent || ''));
  // A scenario this large opens with its environment cards closed: open the first.
  if (await page.getByTestId('env-0-toggle').getAttribute('aria-expanded') !== 'true') {
    await page.getByTestId('env-0-toggle').click();
  }
  const lines = await page.locator('[data-testid=charge-line]').count();
  const times = await typingLatency(page, edits);
  const q = (p) => quantile(times, p);
  console.log(`input-to-updated-total, large scenario (20 environments, 100 apps, 100 flows, 10 websites; ${lines} charge lines), ${edits} edits: p50 ${q(0.5).toFixed(2)} ms, p95 ${q(0.95).toFixed(2)} ms, max ${times[times.length - 1].toFixed(2)} ms`);
} finally {
  await browser.close();
  server.kill();
  await sleep(100);
}
