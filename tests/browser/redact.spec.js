// "Copy redacted log" (issue 9): a preview of exactly what will be copied, every identifier and
// secret replaced by a placeholder, read back from the clipboard; the same from a dropped file
// and through the API.
import { test, expect, widget, ready, dropFile, utf16le } from './fixtures.js';

const SECRET = 'Ke58Q~abc.DEF_ghi-123';
const SEEDED = [SECRET, '98fbb231-4a93-4dee-85a8-9c286ddfb92d', '4f9e31f7-1845-4909-bdc1-cb4952ffe058', 'rg-arc-prod', 'edge-03', 'proxy.contoso.local', '10.20.0.4'];
const LOG = [
  `root@edge-03:~# azcmagent connect --service-principal-id f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b --service-principal-secret '${SECRET}' --tenant-id 98fbb231-4a93-4dee-85a8-9c286ddfb92d --subscription-id 4f9e31f7-1845-4909-bdc1-cb4952ffe058 --resource-group rg-arc-prod --location westeurope`,
  'INFO    Connecting machine to Azure... This might take a few minutes.',
  'FATAL   Get "https://gbl.his.arc.azure.com/discovery?location=westeurope&api-version=2.1": proxyconnect tcp: dial tcp: lookup proxy.contoso.local on 10.20.0.4:53: no such host',
].join('\n');
const REDACTED = [
  "root@<machine-1>:~# azcmagent connect --service-principal-id <application-1> --service-principal-secret '<secret-1>' --tenant-id <tenant-1> --subscription-id <subscription-1> --resource-group <resource-group-1> --location westeurope",
  'INFO    Connecting machine to Azure... This might take a few minutes.',
  'FATAL   Get "https://gbl.his.arc.azure.com/discovery?location=westeurope&api-version=2.1": proxyconnect tcp: dial tcp: lookup <host-1> on 192.0.2.1:53: no such host',
].join('\n');

test('Copy redacted log previews the text, then copies exactly that, with no identifier left', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(LOG);
  await expect(w.first).toHaveAttribute('data-rule-id', 'proxy-unreachable');
  const open = w.results.locator('[data-action=copy-redacted]');
  await expect(open).toHaveAttribute('aria-expanded', 'false');
  await open.click();
  const panel = w.results.locator('.share-panel');
  await expect(panel).toBeVisible();
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  await expect(panel.locator('.redaction-summary')).toHaveText(
    /^Replaced 1 secret, 1 tenant id, 1 subscription id, 1 application \(client\) id, 1 resource group name, 1 machine name, 1 host name and 1 IP address: /,
  );
  const preview = panel.locator('textarea.preview');
  await expect(preview).toBeFocused();
  await expect(preview).toHaveValue(REDACTED);
  await panel.locator('[data-action=copy-redacted-confirm]').click();
  await expect(panel.locator('[data-action=copy-redacted-confirm]')).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toBe(REDACTED);
  for (const value of SEEDED) expect(copied).not.toContain(value);
  // Close hides the preview and gives focus back to the button.
  await panel.getByRole('button', { name: 'Close' }).click();
  await expect(panel).toBeHidden();
  await expect(open).toBeFocused();
});

test('a dropped UTF-16 file is redacted from its bytes, line endings kept', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await dropFile(page, w, { name: 'connect.log', bytes: utf16le(LOG.replaceAll('\n', '\r\n')) });
  await expect(w.first).toHaveAttribute('data-rule-id', 'proxy-unreachable');
  await w.results.locator('[data-action=copy-redacted]').click();
  await w.results.locator('[data-action=copy-redacted-confirm]').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(REDACTED.replaceAll('\n', '\r\n'));
});

test('redact() takes text or bytes and refuses anything else, or too much, with a clear error', async ({ page }) => {
  await page.goto('./');
  const out = await page.evaluate(async (log) => {
    const mod = await import('./arc-triage.js');
    await mod.init();
    const errors = [];
    for (const bad of [() => mod.redact(42), () => mod.redact('x'.repeat((32 << 20) + 1))]) {
      try {
        bad();
        errors.push('no error');
      } catch (e) {
        errors.push(`${e.name}: ${e.message}`);
      }
    }
    return { text: mod.redact(log), bytes: mod.redact(new TextEncoder().encode(log)), empty: mod.redact(''), errors };
  }, LOG);
  expect(out.text.text).toBe(REDACTED);
  expect(out.bytes).toEqual(out.text);
  expect(out.text.replaced[0]).toEqual({ kind: 'secret', name: 'secret', count: 1, occurrences: 1 });
  expect(out.empty).toEqual({ text: '', replaced: [] });
  expect(out.errors[0]).toBe('TypeError: redact() takes the log as a string or bytes, not a number');
  expect(out.errors[1]).toMatch(/^RangeError: this log is 32 MB; the page redacts up to 32 MB\. Redact larger logs with the command line: arc-triage --redact FILE$/);
});

test('a dropped file too large to redact is refused before it is read, with the way out', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  // Count whole-file reads (the analysis reads 1 MB slices, which are not counted).
  const dataTransfer = await page.evaluateHandle(() => {
    const read = Blob.prototype.arrayBuffer;
    window.bigReads = 0;
    Blob.prototype.arrayBuffer = function () {
      if (this.size > 32 << 20) window.bigReads += 1;
      return read.call(this);
    };
    const dt = new DataTransfer();
    const line = 'level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace \'Microsoft.HybridCompute\'"\n';
    dt.items.add(new File([line.repeat(Math.ceil((33 << 20) / line.length))], 'huge.log', { type: 'text/plain' }));
    return dt;
  });
  await w.host.dispatchEvent('drop', { dataTransfer });
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered', { timeout: 30_000 });
  await w.results.locator('[data-action=copy-redacted]').click();
  await expect(w.results.locator('.share-panel [role=alert]')).toHaveText(
    /^Could not prepare it: this log is 33 MB; the page redacts up to 32 MB\. Redact larger logs with the command line: arc-triage --redact FILE$/,
  );
  expect(await page.evaluate(() => window.bigReads)).toBe(0);
});
