// The 1,000,000-row usage report imported in Chromium (issue 14: "the same file in Chromium in
// <= 3 s with the page responsive"). Prints figures; no pass/fail.
//
//   node scripts/bench-import-browser.mjs [FILE]     (after scripts/build.sh)
//
// FILE defaults to /tmp/imp-bench/usage-1000000.csv (scripts/bench-import.sh writes it). The
// release dist/ is served on 127.0.0.1 (port E2E_PORT, default 4921); the file is chosen in the
// transfer bar's "Import usage data (CSV)" input, as a person would. For each run (RUNS, default
// 2, each in a fresh page; the first also fetches the importer's on-demand chunk):
// - time: from the input's change event to the month's total on screen (read a 256 KB slice at
//   a time on the main thread, aggregated, scenario built and priced), timed in the page;
// - responsiveness: the longest gap between ticks of a 10 ms timer while the import runs;
// - memory: the renderer processes' peak resident memory (VmHWM), the page's JS heap after.
import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const file = process.argv[2] || '/tmp/imp-bench/usage-1000000.csv';
if (!existsSync(file)) {
  console.error(`no ${file}: run scripts/bench-import.sh (or scripts/gen-usage.py big 1000000 ${file}) first`);
  process.exit(2);
}
const port = Number(process.env.E2E_PORT || 4921);
const runs = Number(process.env.RUNS || 2);
const base = '/bench/';

/** Peak resident memory (MB) of Chromium's renderer processes. */
function rendererPeakMb() {
  let peak = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('chromium') || !cmd.includes('--type=renderer')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) / 1024);
    } catch {
      // The process ended.
    }
  }
  return peak;
}

const server = spawn('python3', ['scripts/serve.py', '--root', 'dist', '--base', base, '--port', String(port)],
  { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve) => server.stdout.once('data', resolve));

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--enable-precise-memory-info'] });
const mb = (statSync(file).size / 1e6).toFixed(0);
try {
  const context = await browser.newContext();
  for (let run = 1; run <= runs; run++) {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${port}${base}#example=doc-apps-month1`);
    await page.waitForFunction(() => /^\$/.test(document.querySelector('[data-testid=total-billed]')?.textContent || ''));
    await page.evaluate(() => {
      window.__t0 = 0;
      window.__t1 = 0;
      window.__worst = 0;
      document.addEventListener('change', (e) => {
        if (e.target?.dataset?.testid === 'import-usage') {
          window.__t0 = performance.now();
          window.__last = window.__t0;
          window.__ticks = setInterval(() => {
            const now = performance.now();
            window.__worst = Math.max(window.__worst, now - window.__last);
            window.__last = now;
          }, 10);
        }
      }, true);
      new MutationObserver((_, observer) => {
        const done = document.querySelector('[data-testid=import-total]')
          || document.querySelector('.pricing-error[data-testid=import-status]');
        if (done && window.__t0) {
          window.__t1 = performance.now();
          window.__outcome = done.textContent;
          clearInterval(window.__ticks);
          observer.disconnect();
        }
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.getByTestId('import-usage').setInputFiles(file);
    await page.waitForFunction(() => window.__t1 > 0, null, { timeout: 300_000, polling: 100 });
    const r = await page.evaluate(() => ({
      ms: window.__t1 - window.__t0,
      worst: window.__worst,
      outcome: window.__outcome,
      heap: performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null,
    }));
    console.log(`run ${run}: ${mb} MB file imported in ${(r.ms / 1000).toFixed(2)} s; longest timer gap ${r.worst.toFixed(0)} ms; `
      + `renderer peak ${rendererPeakMb().toFixed(0)} MB${r.heap ? `, JS heap after ${r.heap.toFixed(0)} MB` : ''}; shows "${r.outcome.trim().slice(0, 80)}"`);
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
  await sleep(100);
}
