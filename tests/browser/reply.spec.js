// "Copy reply" (issue 9): the problem, its cause, the fix for the log's platform, the evidence
// (identifiers replaced unless the engineer asks for them), the row's link and the rule set,
// previewed, then read back from the clipboard.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect, widget, ready } from './fixtures.js';

const TENANT = '98fbb231-4a93-4dee-85a8-9c286ddfb92d';
const FAILURE = `time="2026-11-20T10:00:03Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="POST https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token: Invalid client secret is provided."`;
const CONNECT = `azcmagent connect --service-principal-id f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b --service-principal-secret "$SECRET" --tenant-id ${TENANT} --subscription-id 4f9e31f7-1845-4909-bdc1-cb4952ffe058 --resource-group rg-arc-prod --location westeurope`;
const LINUX = `root@edge-03:~# ${CONNECT}\n${FAILURE}`;
const WINDOWS = `PS C:\\Users\\jsmith> ${CONNECT}\n${FAILURE}`;

async function openReply(page, log) {
  const w = widget(page);
  await ready(w);
  await w.log.fill(log);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-invalid-secret');
  await w.results.locator('[data-action=copy-reply]').click();
  return { w, preview: w.results.locator('.share-panel textarea.preview') };
}

test('Copy reply previews a Markdown reply for the log’s platform, identifiers replaced, and copies it', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  const { w, preview } = await openReply(page, LINUX);
  await expect(preview).toBeFocused();
  const reply = await preview.inputValue();
  const origin = new URL(page.url()).origin;
  expect(reply).toMatch(/^\*\*arc-triage found one problem in this log, using the Azure Arc troubleshooting table\*\* \(rule set \d{4}\.\d{2}\.\d{2}[^)]*\)\.\n\n### The service principal's secret is wrong\n\nExact match, log line 2\. Row: /);
  expect(reply).toContain(`Row: ${origin}/#rule=spn-invalid-secret&v=`);
  expect(reply).toContain('**Cause.** Microsoft Entra ID rejected the secret');
  expect(reply).toContain('**Fix (Linux).**\n\n1. Compare with the app registration');
  expect(reply).toContain('   ```bash\n   az ad app credential reset --id <app-id> --append');
  // Only the log's platform: no PowerShell, and no lead-in to the commands left out.
  expect(reply).not.toMatch(/PS>|New-AzADAppCredential|On Windows|powershell/);
  expect(reply).toContain('**Evidence** (identifiers replaced by placeholders):\n```text\n2: ');
  expect(reply).toContain('login.microsoftonline.com/<tenant-1>/oauth2');
  expect(reply).not.toContain(TENANT);
  expect(reply).toContain('Microsoft documentation: https://learn.microsoft.com/azure/azure-arc/servers/onboard-service-principal');
  await w.results.locator('[data-action=copy-reply-confirm]').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(reply);

  // Identifiers on request; plain text for mail.
  await w.results.getByLabel('Include identifiers').check();
  await expect(preview).toHaveValue(new RegExp(`login\\.microsoftonline\\.com/${TENANT}/oauth2`));
  await w.results.getByLabel('Plain text (mail)').check();
  const text = await preview.inputValue();
  expect(text).toMatch(/^arc-triage found one problem .*\n\nThe service principal's secret is wrong\n=+\n/);
  expect(text).toContain('Fix (Linux):\n\n1. Compare');
  expect(text).toContain('\n       $ az ad app credential reset');
  expect(text).not.toContain('**');
  await w.results.locator('[data-action=copy-reply-confirm]').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(text);
});

test('a Windows log gets the PowerShell fix', async ({ page }) => {
  await page.goto('./');
  const { preview } = await openReply(page, WINDOWS);
  const reply = await preview.inputValue();
  expect(reply).toContain('**Fix (Windows).**');
  expect(reply).toContain('```powershell\n   New-AzADAppCredential -ApplicationId <app-id>');
  expect(reply).not.toMatch(/read -rs|```bash|On Linux/);
  // The step's own advice stays; only its lead-in to the bash commands goes.
  expect(reply).toContain('delete the file afterwards.\n');
});

test('from the offline file a reply carries no file:// link', async ({ page }) => {
  await page.goto(pathToFileURL(path.resolve('dist/arc-triage.html')).href);
  const { preview } = await openReply(page, LINUX);
  const reply = await preview.inputValue();
  expect(reply).toContain('Exact match, log line 2.\n');
  expect(reply).not.toMatch(/file:|Row: /);
});

test('reply() refuses what is not a report or a format it writes, and covers no match and secrets', async ({ page }) => {
  await page.goto('./');
  const out = await page.evaluate(async () => {
    const mod = await import('./arc-triage.js');
    await mod.init();
    const errors = [];
    for (const bad of [() => mod.reply({}), () => mod.reply(mod.classify('x'), { format: 'html' })]) {
      try {
        bad();
        errors.push('no error');
      } catch (e) {
        errors.push(`${e.name}: ${e.message}`);
      }
    }
    const none = mod.reply(mod.classify('ERROR could not reach 10.1.2.3\n--service-principal-secret "Ke58Q~abc.DEF_ghi-123"'), { format: 'text', link: null });
    return { errors, none };
  });
  expect(out.errors).toEqual([
    'TypeError: reply() takes a report returned by classify() or analyse()',
    'TypeError: reply() writes "markdown" or "text", not "html"',
  ]);
  expect(out.none).toMatch(/^arc-triage found no row of the Azure Arc troubleshooting table that explains this log/);
  expect(out.none).toContain('Lines that look like errors:\n    1: ERROR could not reach 192.0.2.1');
  expect(out.none).toContain('Note: the log held a secret; it is hidden here.');
  expect(out.none).not.toMatch(/Ke58Q|10\.1\.2\.3/);
});
