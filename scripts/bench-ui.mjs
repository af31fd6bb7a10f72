// UI benchmark in Chromium (prints figures; no pass/fail): input-to-updated-total latency over
// 200 edits on a large scenario (20 environments, 100 apps, 100 flows, 10 websites); the cold
// load of `contoso` on slow 4G with a 4x slower CPU (first contentful paint, wasm arrival,
// instantiation, first total); and the first total on 127.0.0.1 without throttling.
// Run: node scripts/bench-ui.mjs  (after scripts/build.sh)
import { chromium } from '@playwright/test';
import { typingLatency, quantile } from './bench-typing.mjs';
import { spawn } from 'node:child_process';
import { deflateRawSync } from 'node:zlib';
import { setTimeout as sleep } from 'node:timers/promises';

const port = 4900 + Math.floor(Math.random() * 90);
// EDITS=1000 LOADS=0 SLOW_LOADS=0 node scripts/bench-ui.mjs: more edits, no load timing (for
// comparing builds). EDITS=0: the loads only.
const edits = Number(process.env.EDITS ?? 200);
const loadRuns = Number(process.env.LOADS ?? 5);
const slowLoadRuns = Number(process.env.SLOW_LOADS ?? 3);
const dist = process.env.DIST || 'dist';

// Slow 4G as Lighthouse's mobile preset defines it (1.6 Mbps down, 750 kbps up, 150 ms round
// trip), applied by the browser to each request, and a CPU 4 times slower than this one.
const SLOW_4G = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };
const CPU_SLOWDOWN = 4;

// Runs before the page's own scripts: records when the wasm is instantiated and when the first
// total (a dollar amount in the breakdown) is in the DOM, without polling from outside.
const TIMELINE_PROBE = () => {
  const marks = (window.__timeline = {});
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = WebAssembly[name];
    if (typeof original !== 'function') continue;
    WebAssembly[name] = function (...args) {
      return original.apply(this, args).then((result) => {
        // The first module instantiated is the app's first-load module (chunks come later).
        marks.instantiated ??= performance.now();
        return result;
      });
    };
  }
  const seen = () => {
    if (marks.firstTotal !== undefined) return;
    const total = document.querySelector('[data-testid=total-billed]');
    if (total && /^\$/.test(total.textContent || '')) {
      marks.firstTotal = performance.now();
      marks.elements = document.getElementsByTagName('*').length;
    }
  };
  new MutationObserver(seen).observe(document, { childList: true, subtree: true, characterData: true });
};

/** One cold load (a new browser context: no cache, no service worker) of `url`, throttled or
 * not; returns milliseconds from navigation start. */
async function coldLoad(browser, url, throttled) {
  const ctx = await browser.newContext({ viewport: { width: 390, height: 844 } });
  try {
    const page = await ctx.newPage();
    await page.addInitScript(TIMELINE_PROBE);
    if (throttled) {
      const cdp = await ctx.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    }
    await page.goto(url);
    await page.waitForFunction(() => window.__timeline?.firstTotal !== undefined, null, { timeout: 60_000 });
    return await page.evaluate(() => {
      const t = window.__timeline;
      const wasm = performance.getEntriesByType('resource').find((r) => /_bg\.wasm$/.test(r.name));
      const fcp = performance.getEntriesByType('paint').find((p) => p.name === 'first-contentful-paint');
      return { fcp: fcp?.startTime, wasmArrived: wasm?.responseEnd, instantiated: t.instantiated, firstTotal: t.firstTotal, elements: t.elements };
    });
  } finally {
    await ctx.close();
  }
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x) => (x === undefined ? '?' : `${x.toFixed(0)} ms`);
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
const server = spawn('python3', ['scripts/serve.py', '--root', dist, '--base', base, '--port', String(port)],
  // Its stderr is dropped: closing a context mid-transfer (the service worker's precache)
  // makes it print a broken-pipe trace per request, which says nothing about the app.
  { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'ignore'] });
await new Promise((resolve, reject) => {
  server.stdout.once('data', resolve);
  server.once('exit', (code) => reject(new Error(`scripts/serve.py exited with ${code} (is ${dist}/ built?)`)));
});

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
try {
  // Cold load on slow 4G with a 4x slower CPU: what a phone on a poor network sees.
  const slow = [];
  for (let i = 0; i < slowLoadRuns; i++) slow.push(await coldLoad(browser, `http://127.0.0.1:${port}${base}#example=contoso`, true));
  if (slow.length) {
    const m = (k) => ms(median(slow.map((r) => r[k]).filter((x) => x !== undefined)));
    console.log(`cold load, slow 4G (1.6 Mbps, 150 ms RTT) and 4x CPU slowdown (contoso, median of ${slow.length}): first contentful paint ${m('fcp')}, wasm arrived ${m('wasmArrived')}, instantiated ${m('instantiated')}, first total ${m('firstTotal')}; ${slow[0].elements} elements at first total`);
  }
  // Loopback without throttling: navigation start until the first total is in the DOM.
  const loads = [];
  for (let i = 0; i < loadRuns; i++) loads.push(await coldLoad(browser, `http://127.0.0.1:${port}${base}#example=contoso`, false));
  if (loads.length) {
    const first = loads.map((r) => r.firstTotal);
    const m = (k) => ms(median(loads.map((r) => r[k]).filter((x) => x !== undefined)));
    console.log(`cold load, 127.0.0.1 without throttling (contoso, ${loads.length} runs): first total median ${m('firstTotal')}, max ${ms(Math.max(...first))}; first contentful paint ${m('fcp')}, instantiated ${m('instantiated')}`);
  }

  if (edits > 0) {
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
  }
} finally {
  await browser.close();
  server.kill();
  await sleep(100);
}
