// Lighthouse audit of the release dist/ (prints figures; no pass/fail). Lighthouse 12.2.3 is
// pinned in package-lock (later releases need Node 22) and runs on the system Chromium, with the
// app served gzipped by scripts/serve.py as a static host would serve it (an uncompressed server
// would fail "text compression" and overstate every transfer).
//
// For each preset (mobile: Lighthouse's default, a slow 4G phone with 4x CPU, simulated; desktop)
// and each view (the default view; a shared link to the `contoso` example, the largest built-in
// scenario, as `power-payg link` writes it) it prints the four category scores and every audit
// that does not pass.
//
// Run: node scripts/lighthouse.mjs   (after scripts/build.sh)
//   PRESETS=mobile VIEWS=contoso-link node scripts/lighthouse.mjs   only some of the runs
//   LH_JSON=/tmp/lh node scripts/lighthouse.mjs                     also keep each full report
//   DIST=other/dist node scripts/lighthouse.mjs                     audit another build
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import * as chromeLauncher from 'chrome-launcher';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const chromePath = process.env.CHROMIUM || '/usr/bin/chromium';
const port = 4900 + Math.floor(Math.random() * 90);
const presets = (process.env.PRESETS || 'mobile,desktop').split(',');
const viewNames = (process.env.VIEWS || 'default,contoso-link').split(',');

// The share link the app would write for contoso (format 2, with its checksum), from the CLI so
// it is exactly what a user would paste: `power-payg example contoso | power-payg link -`.
// PAYG_CLI=path/to/power-payg uses a built CLI instead of `cargo run`.
function contosoLink() {
  const [cmd, pre] = process.env.PAYG_CLI ? [process.env.PAYG_CLI, []]
    : ['cargo', ['run', '--quiet', '--locked', '--bin', 'power-payg', '--']];
  const cli = (args, input) => execFileSync(cmd, [...pre, ...args], { input, encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'] });
  return cli(['link', '-'], cli(['example', 'contoso'])).trim();
}

const views = {
  default: () => '',
  'contoso-link': contosoLink,
  'contoso-example': () => '#example=contoso',
};
for (const name of viewNames) {
  if (!views[name]) throw new Error(`unknown view ${name}; known: ${Object.keys(views).join(', ')}`);
}
const fragments = Object.fromEntries(viewNames.map((name) => [name, views[name]()]));

const server = spawn('python3', ['scripts/serve.py', '--root', process.env.DIST || 'dist', '--base', '/', '--port', String(port)],
  { env: { ...process.env, SERVE_QUIET: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((resolve, reject) => {
  server.stdout.once('data', resolve);
  server.once('exit', (code) => reject(new Error(`scripts/serve.py exited with ${code}`)));
});

// Audits that count against a category and did not get full marks (informative, manual and
// not-applicable audits have no score and are left out, as in Lighthouse's own report).
function failing(lhr) {
  const seen = new Set();
  const out = [];
  for (const category of Object.values(lhr.categories)) {
    for (const ref of category.auditRefs) {
      const audit = lhr.audits[ref.id];
      if (seen.has(ref.id) || audit.score === null || audit.score >= 1) continue;
      if (['informative', 'manual', 'notApplicable'].includes(audit.scoreDisplayMode)) continue;
      seen.add(ref.id);
      const weight = ref.weight ? '' : ', no weight';
      out.push(`  ${category.id}: ${ref.id} (score ${audit.score}${weight})${audit.displayValue ? ` ${audit.displayValue}` : ''}: ${audit.title}`);
      // Which elements, for the audits that name them (touch targets, contrast, labels).
      const nodes = (audit.details?.items || []).map((item) => item.node).filter(Boolean);
      for (const node of nodes.slice(0, 5)) {
        const why = (node.explanation || '').split('\n').slice(1).join(' ').trim();
        out.push(`    ${node.selector || node.snippet}${why ? `: ${why.slice(0, 160)}` : ''}`);
      }
      if (nodes.length > 5) out.push(`    … and ${nodes.length - 5} more`);
    }
  }
  return out;
}

const metrics = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'];

const chrome = await chromeLauncher.launch({
  chromePath,
  chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const preset of presets) {
    for (const view of viewNames) {
      const url = `http://127.0.0.1:${port}/${fragments[view]}`;
      const flags = { port: chrome.port, output: 'json', logLevel: 'error',
        onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo'] };
      const result = await lighthouse(url, flags, preset === 'desktop' ? desktopConfig : undefined);
      if (!result) throw new Error(`Lighthouse returned nothing for ${preset} ${view}`);
      const { lhr } = result;
      if (process.env.LH_JSON) {
        mkdirSync(process.env.LH_JSON, { recursive: true });
        writeFileSync(`${process.env.LH_JSON}/${preset}-${view}.json`, result.report);
      }
      const score = (id) => Math.round((lhr.categories[id]?.score ?? NaN) * 100);
      console.log(`${preset} ${view}: performance ${score('performance')}, accessibility ${score('accessibility')}, best practices ${score('best-practices')}, SEO ${score('seo')}`);
      console.log(`  ${metrics.map((id) => `${id} ${lhr.audits[id]?.displayValue ?? '?'}`).join(', ')}; DOM ${lhr.audits['dom-size']?.displayValue ?? '?'}`);
      if (lhr.runtimeError) console.log(`  runtime error: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
      for (const line of failing(lhr)) console.log(line);
    }
  }
} finally {
  chrome.kill();
  server.kill();
  await sleep(100);
}
