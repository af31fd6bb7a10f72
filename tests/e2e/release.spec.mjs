// New releases and the offline cache (scripts/sw.js): a tab keeps the files of the release it
// runs until it is closed, and a cache only ever holds one complete release. Each test serves
// its own copy of dist/ and changes it on disk, as publishing a new release would.
import { test, expect } from './fixtures.mjs';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, '..', '..', 'dist');
const serveScript = join(here, '..', '..', 'scripts', 'serve.py');
const base = '/rel/';

/** A static host for a copy of dist/ that the test can change and stop. */
class Host {
  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'payg-release-'));
    cpSync(dist, this.dir, { recursive: true });
    this.port = 5100 + Math.floor(Math.random() * 800);
  }
  get url() { return `http://127.0.0.1:${this.port}${base}`; }
  async start() {
    this.server = spawn('python3', [serveScript, '--root', this.dir, '--base', base, '--port', String(this.port)],
      { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => this.server.stdout.once('data', resolve));
  }
  async stop() {
    if (!this.server) return;
    const exited = new Promise((resolve) => this.server.once('exit', resolve));
    this.server.kill();
    await exited;
    this.server = null;
  }
  file(name) { return join(this.dir, name); }
  find(prefix) { return readdirSync(this.dir).find((n) => n.startsWith(prefix)); }
  /** Publishes "another release": a new cache version; `edit` changes the worker's text. */
  publishWorker(edit = (s) => s) {
    const sw = readFileSync(this.file('sw.js'), 'utf8')
      .replace(/power-payg-([0-9a-f]{16})/, (_, v) => `power-payg-${[...v].reverse().join('')}`);
    writeFileSync(this.file('sw.js'), edit(sw));
  }
  cleanup() { rmSync(this.dir, { recursive: true, force: true }); }
}

/** The page's Content-Security-Policy, with the hashes of its inline scripts as they now are. */
function withScriptHashes(html) {
  const scripts = [...html.matchAll(/<script(?: type="module")?>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  const hashes = scripts.map((s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`).join(' ');
  return html.replace(/script-src 'self' [^;]*'wasm-unsafe-eval'/, `script-src 'self' ${hashes} 'wasm-unsafe-eval'`);
}

async function controlled(page) {
  await page.waitForFunction(() => navigator.serviceWorker?.controller?.state === 'activated', null, { timeout: 15_000 });
}

async function openControlled(page, host, hash = '') {
  await page.goto(host.url + hash);
  await expect(page.getByTestId('total-billed')).toHaveText(/^\$/);
  await page.waitForFunction(async () => (await navigator.serviceWorker.ready).active?.state === 'activated');
  // The first visit is not controlled until the worker claims it.
  await controlled(page);
}

test('a tab keeps the chunks of its release after a newer release is published', async ({ page }) => {
  const host = new Host();
  await host.start();
  try {
    await openControlled(page, host, '#example=doc-prepaid-vs-payg');
    await expect(page.getByTestId('total-billed')).toHaveText('$807.00');
    // The next release has other chunks: this release's advisor chunk is gone from the server.
    const chunk = host.find('split_advice_view');
    unlinkSync(host.file(chunk));
    host.publishWorker((sw) => sw.replace(`"./${chunk}",`, ''));
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration.update();
    });
    // The new worker installs and waits for this tab to close.
    await page.waitForFunction(async () => {
      const r = await navigator.serviceWorker.getRegistration();
      return Boolean(r.waiting) || Boolean(r.installing);
    });
    await sleep(500);
    // The advisor, first opened now, loads from this release's cache.
    await page.getByTestId('advisor').locator('summary').first().click();
    await expect(page.getByTestId('advice-total-payg')).toHaveText('$807.00');
    await expect(page.getByTestId('chunk-unavailable')).toHaveCount(0);
  } finally {
    await host.stop();
    host.cleanup();
  }
});

test.describe('an update that fails part-way', () => {
  // The browser reports the missing file of the failed update and the refused connections
  // while the host is down.
  test.use({ expectedConsoleErrors: /Failed to load resource|ERR_CONNECTION_REFUSED|Failed to fetch/i });

  test('leaves the installed release working offline, page and files of one release', async ({ page }) => {
    const host = new Host();
    await host.start();
    try {
      await openControlled(page, host, '#example=doc-apps-month1');
      await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
      // A new release whose page names a new script, and whose worker cannot fetch one file.
      const glue = readdirSync(host.dir).find((n) => /^power-payg-web-[0-9a-f]+\.js$/.test(n));
      const renamed = glue.replace(/-([0-9a-f]+)\.js$/, '-0000$1.js');
      renameSync(host.file(glue), host.file(renamed));
      writeFileSync(host.file('index.html'), withScriptHashes(readFileSync(host.file('index.html'), 'utf8').split(glue).join(renamed)));
      host.publishWorker((sw) => sw.split(glue).join(renamed).replace('"./",', '"./",\n  "./missing-part.wasm",'));
      // Online, the new page loads (from the network) and the new worker fails to install.
      await page.reload();
      await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        await registration.update().catch(() => {});
      });
      await sleep(1000);
      // One complete release in the cache: the failed install left nothing behind, and the
      // new page was not written into the installed release's cache.
      const cached = await page.evaluate(async () => {
        const out = [];
        for (const key of await caches.keys()) {
          const page = await (await caches.open(key)).match('./');
          out.push(page ? (await page.text()).match(/power-payg-web-[0-9a-f]+\.js/)[0] : 'no page');
        }
        return out;
      });
      expect(cached).toEqual([glue]);
      // Offline: the cached release opens, whole.
      await host.stop();
      await page.reload();
      await expect(page.getByTestId('total-billed')).toHaveText('$90.00');
    } finally {
      await host.stop();
      host.cleanup();
    }
  });
});
