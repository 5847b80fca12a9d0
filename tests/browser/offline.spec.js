// The single file, opened from disk with every network route blocked.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect, ROWS, widget, ready, dropFile } from './fixtures.js';

const single = pathToFileURL(path.resolve('dist/arc-triage.html')).href;

test.beforeEach(async ({ context }) => {
  await context.setOffline(true);
  await context.route(/^(https?|wss?):/, (route) => route.abort('internetdisconnected'));
});

test('the offline file works from file:// with the network blocked', async ({ page }) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(single);
  const w = widget(page);
  await ready(w);
  for (const [id, text] of Object.entries(ROWS)) {
    await w.log.fill(text);
    await expect(w.first).toHaveAttribute('data-rule-id', id);
    await expect(w.first).toHaveAttribute('data-confidence', 'exact');
  }
  // The only thing the browser ever loaded is the file itself.
  expect(requests).toEqual([single]);
});

test('the offline file reads a dropped support bundle with the network blocked', async ({ page }) => {
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(single);
  const w = widget(page);
  await ready(w);
  const bytes = fs.readFileSync(path.resolve('tests/bundle/azcmagent-20201020T152324-web01.zip'));
  await dropFile(page, w, { name: 'azcmagent-20201020T152324-web01.zip', bytes, type: 'application/zip' });
  await expect(w.first).toHaveAttribute('data-rule-id', 'tls-inspection');
  await expect(w.first.locator('.log-lines button.line-no').first()).toHaveText('azcmagent.log:3');
  expect(requests).toEqual([single]);
});

test('the offline file opens on a #rule= link', async ({ page }) => {
  await page.goto(`${single}#rule=device-flow-no-such-host`);
  const w = widget(page);
  await expect(w.first).toHaveAttribute('data-rule-id', 'device-flow-no-such-host');
  await expect(w.first).toHaveAttribute('data-confidence', 'linked');
  // The footnote's explanation (Group Policy deleting the profile) is part of the row.
  await expect(w.first.locator('td[data-label="Probable cause"]')).toContainText(/profile/i);
});

test('window.arcTriage exposes init() and classify() with the CLI --json shape', async ({ page }) => {
  await page.goto(single);
  const result = await page.evaluate(async (text) => {
    const info = await window.arcTriage.init();
    const report = window.arcTriage.classify(text);
    const kinds = window.arcTriage.secretKinds().map((k) => k.kind);
    const redacted = window.arcTriage.redact('--resource-group rg-arc').text;
    let error = null;
    try {
      window.arcTriage.classify(42);
    } catch (e) {
      error = `${e.name}: ${e.message}`;
    }
    return { info, report, kinds, redacted, error };
  }, ROWS['provider-not-registered']);
  expect(result.info).toEqual({ version: expect.stringMatching(/^\d{4}\.\d{2}\.\d{2}/), hash: expect.stringMatching(/^[0-9a-f]{16}$/), rules: expect.any(Number) });
  const m = result.report.matches[0];
  expect(m.id).toBe('provider-not-registered');
  expect(m.lines).toEqual([1]);
  expect(m.fields.namespace).toBe('Microsoft.HybridCompute');
  expect(Object.keys(result.report).sort()).toEqual(
    ['error_line_count', 'error_lines', 'input', 'matches', 'next_steps', 'notes', 'onboarding', 'ruleset', 'secret_count', 'secrets'],
  );
  expect([result.report.secrets, result.report.secret_count]).toEqual([[], 0]);
  expect(result.kinds).toContain('service-principal-secret');
  expect(result.redacted).toBe('--resource-group <resource-group-1>');
  expect(result.error).toBe('TypeError: classify() takes the log as a string, not a number');
});

test('the offline file carries a strict policy: no connections, only its own hashed script and style', async ({ page }) => {
  // The blocked fetch below is reported as a policy violation on purpose.
  test.info().annotations.push({ type: 'expects-problems' });
  await page.goto(single);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toMatch(/default-src 'none'/);
  expect(csp).not.toMatch(/unsafe-inline|connect-src|https?:/);
  // The engine's worker runs from a blob: URL the page makes, and from nothing else.
  expect(csp.match(/worker-src ([^;]*)/)?.[1]).toBe('blob:');
  // A request attempted from the page is refused by the policy itself.
  const attempt = await page.evaluate(() =>
    fetch('https://example.com/report').then(
      () => 'sent',
      (e) => `refused: ${e.name}`,
    ),
  );
  expect(attempt).toBe('refused: TypeError');
});

test('the offline file carries its engine compressed and inflates exactly the shipped .wasm', async ({ page }) => {
  const html = fs.readFileSync(path.resolve('dist/arc-triage.html'));
  const wasm = fs.readFileSync(path.resolve('dist/arc_triage_bg.wasm'));
  // Base64 of the .wasm itself (it starts "\0asm", version 1) is nowhere in the file, and the
  // whole file is smaller than the bare .wasm: what is inlined is compressed.
  expect(html.includes('AGFzbQEAAAA')).toBe(false);
  expect(html.includes(wasm.subarray(0, 3000).toString('base64'))).toBe(false);
  expect(html.length).toBeLessThan(wasm.length);
  await page.addInitScript(() => {
    window.inflated = [];
    const Original = DecompressionStream;
    window.DecompressionStream = class extends Original {
      constructor(format) {
        super(format);
        window.inflated.push(format);
      }
    };
    // The engine compiles the inflated bytes once (the page's instance and its worker's share it).
    const compile = WebAssembly.compile;
    WebAssembly.compile = async function (bytes) {
      const view = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
      window.engineDigest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', view)), (b) => b.toString(16).padStart(2, '0')).join('');
      return compile.call(this, bytes);
    };
  });
  await page.goto(single);
  const w = widget(page);
  await ready(w);
  await w.log.fill(ROWS['provider-not-registered']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
  const seen = await page.evaluate(() => ({ formats: window.inflated, digest: window.engineDigest }));
  expect(seen).toEqual({ formats: ['deflate-raw'], digest: createHash('sha256').update(wasm).digest('hex') });
});

test('without DecompressionStream the offline file says it needs a newer browser, and init() says why', async ({ page }) => {
  test.info().annotations.push({ type: 'expects-problems' });
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.addInitScript(() => {
    delete window.DecompressionStream;
  });
  await page.goto(single);
  const w = widget(page);
  await expect(w.host).toHaveAttribute('unavailable', '');
  await expect(w.error).toHaveText('The troubleshooter needs a newer browser (Chrome or Edge 123, Firefox 120, Safari 17.5 or newer).');
  await expect(w.log).toBeDisabled();
  const init = await page.evaluate(() => window.arcTriage.init().then(() => 'started', (e) => e.message));
  expect(init).toBe(
    'this browser cannot unpack the engine inside this file: it has no DecompressionStream. Use Chrome or Edge 123, Firefox 120, Safari 17.5 or newer',
  );
  expect(errors).toEqual([expect.stringMatching(/^arc-triage cannot run in this browser: it lacks DecompressionStream\./)]);
});
