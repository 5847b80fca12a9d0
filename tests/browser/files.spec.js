import { test, expect, ROWS, widget, ready, dropFile, utf16le } from './fixtures.js';

test('a dropped UTF-16 log file (PowerShell redirect) is read locally and diagnosed', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  const text = `PS C:\\> azcmagent connect --service-principal-id x --service-principal-secret y\r\n${ROWS['spn-app-not-found']}\r\n`;
  await dropFile(page, w, { name: 'connect.log', bytes: utf16le(text) });
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-app-not-found');
  await expect(w.first.locator('.log-lines li').first()).toHaveAttribute('data-line', '2');
  await expect(w.results.locator('.source')).toHaveText(/connect\.log/);
  await expect(w.results.locator('.input-summary')).toContainText('utf16le');
  await expect(w.host).not.toHaveAttribute('dragging', '');
  // The file's text is not copied into the text box.
  await expect(w.log).toHaveValue('');
  // Keyboard users land on the result.
  await expect(w.first).toBeFocused();
});

test('the file picker reads the chosen file', async ({ page }) => {
  const choosers = [];
  page.on('filechooser', (c) => choosers.push(c));
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.open.click();
  await expect.poll(() => choosers.length).toBe(1);
  await choosers[0].setFiles({ name: 'himds.log', mimeType: 'text/plain', buffer: Buffer.from(ROWS['arm-endpoint-forbidden']) });
  await expect(w.first).toHaveAttribute('data-rule-id', 'arm-endpoint-forbidden');
});

// While a large file is analysed the main thread may be blocked at most this long at once, and
// for at most this share of the analysis' time. The engine scans 4 MB batches, so a batch, not a
// 1 MB chunk, is the longest block. Measured here (2-core x86-64 VM shared with other builds,
// Chromium 156, release build, 2026-11-26): the longest task was 172-492 ms in 16 runs (40 and
// 120 MB files) and 807-905 ms in 2 runs at load average 11; the bound is twice the worst. Fed in
// one piece (the fault this test is for), the 120 MB file blocked the thread for 3.4-5.0 s. The
// share catches that however busy the machine is, since both sides slow down together: chunked,
// the longest task was 4-6% of the analysis (one 4 MB batch, the first also compiling patterns);
// in one piece, 83-92%. Since the engine works in 16 KB slices (2026-11-27) no slice is a long
// task; the one long task left comes when the last slice is fed (320-450 ms here, the engine's
// finish() takes 51 us natively: the collector, after 120 MB of reads), and the analysis is
// shorter, so that task was 14-19% of it alone and 26-36% on CI with another test beside it.
// The share still tells a chunked analysis from one piece (83-92%).
// Since a file is read with blob.stream() (2026-11-27, issue 11) the analysis is a third shorter
// and that last task is not (it is where the failure's pattern is first compiled: analysis.finish()
// measured 0.65-2.1 s at load average 8): 22-57% of the analysis in 7 runs at load average 8-10,
// and the same 1.2-2.6 s with the old 256 KB slices. That compile was every pattern at once (the
// working memory handed back at the end compiled them all); fixed, and with at most 4 patterns
// compiled per call (issue 10), the longest task is 56-62 ms of a 1.0 s analysis (6%), so the
// share is back to a quarter: room for a busy CI machine, and one piece (78-92%) far above it.
const LONGEST_TASK_MS = 1800;
const LONGEST_TASK_SHARE = 0.25;
const FILE_MB = 120;

test('a large file is analysed in chunks with progress, and the page stays responsive', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  // Healthy chatter with the real failure at the very end. From the drop on, every task longer
  // than 50 ms is recorded (the Long Tasks API), and so is when the report arrives.
  await page.evaluate(
    async ({ failure, mb }) => {
      const chatter = 'time="2024-05-01T10:00:00Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/status"\n';
      const block = chatter.repeat(Math.ceil((1 << 20) / chatter.length));
      const parts = Array.from({ length: mb }, () => block);
      parts.push(failure + '\n');
      const dt = new DataTransfer();
      dt.items.add(new File(parts, 'huge.log'));
      const host = document.querySelector('arc-triage');
      const since = performance.now();
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) if (e.startTime >= since) window.longTasks.push(e.duration);
      }).observe({ type: 'longtask', buffered: true });
      host.addEventListener('arc-triage-report', () => (window.analysisMs = performance.now() - since), { once: true });
      host.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    },
    { failure: ROWS['provider-not-registered'], mb: FILE_MB },
  );
  await expect(w.stop).toBeVisible();
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered', { timeout: 90_000 });
  await expect(w.first.locator('.log-lines li').first()).toHaveAttribute('data-line', /^\d{7}$/);
  await expect(w.stop).toBeHidden();
  // A long task is reported after it ends; one more turn lets the last one in.
  const { longest, total } = await page.evaluate(
    () => new Promise((r) => setTimeout(() => r({ longest: Math.max(0, ...window.longTasks), total: window.analysisMs }), 100)),
  );
  const said = `the main thread was blocked for ${longest.toFixed(0)} ms at once, in an analysis of ${total.toFixed(0)} ms`;
  test.info().annotations.push({ type: 'longest task', description: said });
  expect(longest, said).toBeLessThan(LONGEST_TASK_MS);
  expect(longest / total, said).toBeLessThan(LONGEST_TASK_SHARE);
});

test('a large file can be stopped', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await page.evaluate(() => {
    const line = 'time="2024-05-01T10:00:00Z" level=debug msg="Sending heartbeat"\n';
    const file = new File([line.repeat(3_000_000)], 'endless.log');
    const dt = new DataTransfer();
    dt.items.add(file);
    document.querySelector('arc-triage').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  });
  await w.stop.click();
  await expect(w.status).toHaveText(/Stopped/);
  await expect(w.cards).toHaveCount(0);
  await expect(w.stop).toBeHidden();
});

test('a broken zip archive or a binary file gets a clear message, not a crash', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  // Readable archives are bundle.spec's; this one only starts like a ZIP.
  const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'binary'), Buffer.alloc(2000, 7)]);
  await dropFile(page, w, { name: 'azcmagent-logs.zip', bytes: zip, type: 'application/zip' });
  await expect(w.error).toContainText('Could not analyse azcmagent-logs.zip (2.0 KB): this file starts like a ZIP archive but its directory is missing');
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
  await dropFile(page, w, { name: 'core.dmp', bytes: binary });
  await expect(w.results.locator('.source')).toHaveText(/core\.dmp/);
  await expect(w.results.locator('.no-match')).toBeVisible();
  await expect(w.error).toBeHidden();
  await expect(w.results.locator('.notes')).toContainText('NUL bytes');
});
