// Browser tests run in Debian's Chromium (npm tools cannot download browsers here) against the
// built dist/, served on loopback. `npm test` builds first.
import { defineConfig } from '@playwright/test';

const PORT = Number(process.env.ARC_TRIAGE_TEST_PORT ?? 8181);

export default defineConfig({
  testDir: 'tests/browser',
  fullyParallel: true,
  workers: process.env.CI ? 2 : undefined,
  retries: 0,
  reporter: [['list']],
  timeout: 60_000,
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
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
  // The worker's fresh-page tests measure main-thread tasks in wall-clock time: a test beside
  // them on this 2-core machine stretched a 40 ms task to 87 ms in CI. They run after the rest,
  // one at a time (worker.spec.js is serial).
  projects: [
    { name: 'main', testIgnore: /worker\.spec\.js$/ },
    { name: 'quiet', testMatch: /worker\.spec\.js$/, dependencies: ['main'] },
  ],
  webServer: {
    command: 'node scripts/serve.mjs',
    env: { PORT: String(PORT) },
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    stdout: 'ignore',
  },
});
