// Browser tests: Playwright drives Debian's Chromium against the release dist/, served on
// 127.0.0.1 under a sub-path so relative asset URLs are proven on every run.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.E2E_PORT || 4817);
export const BASE_PATH = '/tools/payg/';

export default defineConfig({
  testDir: '.',
  testMatch: /.*\.spec\.mjs$/,
  timeout: 30_000,
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}${BASE_PATH}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    command: `python3 ../../scripts/serve.py --root ../../dist --base ${BASE_PATH} --port ${port}`,
    url: `http://127.0.0.1:${port}${BASE_PATH}`,
    reuseExistingServer: false,
    env: { SERVE_QUIET: '1' },
    timeout: 20_000,
  },
});
