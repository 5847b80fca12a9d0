// Secrets in a pasted log (issue 9): one plain warning names each kind and line and says how to
// rotate it; the value appears nowhere in the page, and copying the results never carries it.
import { test, expect, widget, ready } from './fixtures.js';

const SECRET = 'Ke58Q~abc.DEF_ghi-123';
const PROXY_PASSWORD = 'Winter2024x';
const LOG = [
  `PS C:\\> & "$env:ProgramFiles\\AzureConnectedMachineAgent\\azcmagent.exe" connect --service-principal-id "0d0c7bd1-1234-4c1e-9d2b-2f1b0a6e3f44" --service-principal-secret "${SECRET}" --tenant-id "72f988bf-86f1-41af-91ab-2d7cd011db47" --location "westeurope"`,
  'time="2026-11-20T10:00:03Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = \'Invalid client secret is provided.\'"',
  `Using HTTPS Proxy                       : http://svc-arc:${PROXY_PASSWORD}@proxy.contoso.local:8080`,
  'FATAL   Get "https://gbl.his.arc.azure.com/discovery?location=westeurope&api-version=1.1-preview": Proxy Authentication Required',
].join('\n');

/** Everything the widget shows, shadow root included, as one string. */
async function shownText(w) {
  return w.host.evaluate((el) => el.shadowRoot.textContent);
}

test('a pasted secret is named with its line and how to rotate it, and shown nowhere', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(LOG);
  const warning = w.host.locator('[data-warning=secret]');
  await expect(warning).toBeVisible();
  await expect(warning.locator('h3')).toHaveText('This log holds 2 secrets');
  await expect(warning).toContainText('never left this browser');
  const principal = warning.locator('li[data-secret-kind=service-principal-secret]');
  await expect(principal).toContainText('service principal secret on line 1.');
  await expect(principal.locator('code').first()).toHaveText('az ad app credential reset --id <app-id> --append');
  await expect(warning.locator('li[data-secret-kind=url-password]')).toContainText('on line 3.');
  // The warning comes first in the results, before any card.
  await expect(w.results.locator(':scope > *').first()).toHaveAttribute('data-warning', 'secret');
  // The proxy password sits in an evidence line: it is shown masked, the match still marked.
  const proxyCard = w.host.locator('article.diagnosis[data-rule-id=proxy-auth-unsupported]');
  await expect(proxyCard.locator('.log-lines').first()).toContainText('http://svc-arc:<secret hidden>@proxy.contoso.local');
  await expect(proxyCard.locator('.log-lines mark').first()).toContainText('<secret hidden>');
  const text = await shownText(w);
  expect(text).not.toContain(SECRET);
  expect(text).not.toContain(PROXY_PASSWORD);
});

test('copying the results or a link never carries a secret', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(LOG);
  await expect(w.host.locator('[data-warning=secret]')).toBeVisible();
  // Select every result the way a support engineer would, and copy it.
  await w.results.evaluate((results) => {
    const range = document.createRange();
    range.selectNodeContents(results);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
  });
  await page.keyboard.press('Control+C');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain('Proxy Authentication Required');
  expect(copied).toContain('<secret hidden>');
  expect(copied).not.toContain(SECRET);
  expect(copied).not.toContain(PROXY_PASSWORD);
  // The row link copies no log text at all.
  await w.first.locator('button[data-action=copy-link]').click();
  const link = await page.evaluate(() => navigator.clipboard.readText());
  expect(link).toMatch(/#rule=/);
  expect(link).not.toContain(SECRET);
});

test('a log without secrets shows no warning, and the API names none', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(LOG.split('\n')[1]);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-invalid-secret');
  await expect(w.host.locator('[data-warning=secret]')).toHaveCount(0);
  const api = await page.evaluate(async (log) => {
    const m = await import('./arc-triage.js');
    await m.init();
    const r = m.classify(log);
    return { secrets: r.secrets, count: r.secret_count, kinds: m.secretKinds().map((k) => k.kind) };
  }, LOG);
  expect(api.secrets).toEqual([
    { kind: 'service-principal-secret', line: 1 },
    { kind: 'url-password', line: 3 },
  ]);
  expect(api.count).toBe(2);
  expect(api.kinds).toContain('private-key');
});
