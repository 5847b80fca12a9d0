// `npm run screenshots`: the README's picture of the support flow, taken in Debian's Chromium from
// the built dist/ (a customer's PowerShell session with its secret, diagnosed, the reply
// previewed with identifiers replaced). Writes docs/support-flow.png.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PORT = 8191;
const LOG = [
  'PS C:\\Users\\jsmith> azcmagent connect --service-principal-id "f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b" --service-principal-secret "Ke58Q~abc.DEF_ghi-123" --tenant-id "98fbb231-4a93-4dee-85a8-9c286ddfb92d" --subscription-id "4f9e31f7-1845-4909-bdc1-cb4952ffe058" --resource-group "rg-arc-prod" --location "westeurope"',
  'time="2026-11-20T10:00:01Z" level=info msg="Onboarding Machine. It usually takes a few minutes to complete."',
  'time="2026-11-20T10:00:03Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="POST https://login.microsoftonline.com/98fbb231-4a93-4dee-85a8-9c286ddfb92d/oauth2/v2.0/token: Invalid client secret is provided."',
].join('\n');

const server = spawn(process.execPath, [path.join(root, 'scripts/serve.mjs')], { env: { ...process.env, PORT: String(PORT) }, stdio: 'ignore' });
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 }, deviceScaleFactor: 1 });
  // The element's shadow root is closed unless the page opts in; Playwright reaches open ones.
  await page.addInitScript(() => {
    new MutationObserver(() => document.querySelector('arc-triage:not([shadow])')?.setAttribute('shadow', 'open')).observe(document, {
      childList: true,
      subtree: true,
    });
  });
  for (let i = 0; ; i++) {
    try {
      await page.goto(`http://127.0.0.1:${PORT}/`);
      break;
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const host = page.locator('arc-triage');
  await host.locator('.version').filter({ hasText: /^Rule set/ }).waitFor();
  await host.locator('textarea.log').fill(LOG);
  await host.locator('article.diagnosis').first().waitFor();
  await host.locator('[data-action=copy-reply]').click();
  await host.locator('.share-panel textarea').waitFor();
  await page.evaluate(() => document.activeElement?.blur?.());
  const out = path.join(root, 'docs', 'support-flow.png');
  await host.locator('.results').screenshot({ path: out });
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  await browser.close();
  server.kill();
}
