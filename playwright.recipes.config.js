// `npm run test:recipes`: the embedding recipes (examples/), each built with its real generator and
// driven in Debian's Chromium. Each spec starts its own servers on ARC_TRIAGE_TEST_PORT + 1..6.
import { defineConfig } from '@playwright/test';
import base from './playwright.config.js';

export default defineConfig({
  testDir: 'tests/recipes',
  workers: 1,
  retries: 0,
  reporter: [['list']],
  timeout: 120_000,
  use: base.use,
});
