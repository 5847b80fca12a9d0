// Fixes filled in for the person who pasted (issue 9): the commands carry the log's tenant,
// subscription, resource group and region, only the log's platform's commands are shown (the
// other's one click away), and each block copies its commands without prompts.
import { test, expect, widget, ready } from './fixtures.js';

const TENANT = '98fbb231-4a93-4dee-85a8-9c286ddfb92d';
const FAILURE = `time="2026-11-20T10:00:03Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="POST https://login.microsoftonline.com/${TENANT}/oauth2/v2.0/token: Invalid client secret is provided."`;
const CONNECT = `azcmagent connect --service-principal-id f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b --service-principal-secret "$SECRET" --tenant-id ${TENANT} --subscription-id 4f9e31f7-1845-4909-bdc1-cb4952ffe058 --resource-group rg-arc-prod --location "West Europe"`;
const FILLED = `azcmagent connect --config /root/arc-connect.json --service-principal-id f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b --tenant-id ${TENANT} --subscription-id 4f9e31f7-1845-4909-bdc1-cb4952ffe058 --resource-group rg-arc-prod --location "West Europe"`;

test('a Linux log gets bash commands with its own values, each block copied without prompts', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(`root@edge-03:~# ${CONNECT}\n${FAILURE}`);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-invalid-secret');
  const solution = w.first.locator('td[data-label=Solution]');
  await expect(solution.locator('.platform-note')).toHaveText('Commands for Linux, where your log comes from. Show the Windows commands too');
  await expect(solution.locator('.shell', { hasText: 'PS>' })).toHaveCount(0);
  const step2 = solution.locator('li[value="2"] pre.commands');
  await expect(step2).toContainText(FILLED);
  await expect(step2.locator('.filled')).toHaveText([
    'f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b', TENANT, '4f9e31f7-1845-4909-bdc1-cb4952ffe058', 'rg-arc-prod', '"West Europe"',
  ]);
  await solution.locator('li[value="2"] [data-action=copy-commands]').click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.split('\n')).toEqual([
    'read -rs ARC_SECRET',
    `(umask 077; printf '{"service-principal-secret": "%s"}\\n' "$ARC_SECRET" > /root/arc-connect.json)`,
    FILLED,
    'rm -f /root/arc-connect.json; unset ARC_SECRET',
  ]);
  // A command never wraps: it scrolls.
  expect(await step2.evaluate((pre) => getComputedStyle(pre).whiteSpace)).toBe('pre');
  // The other platform's commands are one click away, filled in as well.
  await solution.locator('button.show-all-platforms').click();
  await expect(solution.locator('.platform-note')).toHaveCount(0);
  await expect(solution.locator('pre.commands')).toContainText([/New-AzADAppCredential -ApplicationId f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b/]);
});

test('a Windows log gets PowerShell commands first and only', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(`PS C:\\Users\\jsmith> ${CONNECT}\n${FAILURE}`);
  const solution = w.first.locator('td[data-label=Solution]');
  await expect(solution.locator('.platform-note')).toHaveAttribute('data-platform', 'windows');
  await expect(solution.locator('.shell', { hasText: '$' })).toHaveCount(0);
  await expect(solution.locator('li[value="2"] pre.commands')).toContainText('--resource-group rg-arc-prod --location "West Europe"');
});

test('a log that says neither platform shows both, and a value that is not a plain name stays a placeholder', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(`${CONNECT.replace('rg-arc-prod', '"rg;rm -rf /"')}\n${FAILURE}`);
  const solution = w.first.locator('td[data-label=Solution]');
  await expect(solution.locator('.platform-note')).toHaveCount(0);
  await expect(solution.locator('.shell', { hasText: 'PS>' }).first()).toBeVisible();
  await expect(solution.locator('.shell', { hasText: '$' }).first()).toBeVisible();
  await expect(solution.locator('li[value="2"] pre.commands').first()).toContainText('--resource-group <rg> --location "West Europe"');
});

test('the reply fills the commands only when identifiers are included', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(`root@edge-03:~# ${CONNECT}\n${FAILURE}`);
  await w.results.locator('[data-action=copy-reply]').click();
  const preview = w.results.locator('.share-panel textarea');
  await expect(preview).toHaveValue(/--resource-group <rg> --location <region>/);
  await w.results.getByLabel('Include identifiers').check();
  await expect(preview).toHaveValue(new RegExp(FILLED.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
});
