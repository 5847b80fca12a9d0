import { test, expect, ROWS, widget, ready } from './fixtures.js';

/** Drops a file built in the page onto the element, as a drag from the desktop would. */
async function dropFile(page, w, { name, bytes, type = 'text/plain' }) {
  const dataTransfer = await page.evaluateHandle(
    ({ name, bytes, type }) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return dt;
    },
    { name, bytes: Array.from(bytes), type },
  );
  await w.host.dispatchEvent('dragover', { dataTransfer });
  await expect(w.host).toHaveAttribute('dragging', '');
  await w.host.dispatchEvent('drop', { dataTransfer });
}

function utf16le(text) {
  const out = Buffer.alloc(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  out.write(text, 2, 'utf16le');
  return out;
}

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

test('a large file is analysed in chunks with progress, and the page stays responsive', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  // 40 MB of healthy chatter with the real failure at the very end.
  await page.evaluate(async (failure) => {
    const chatter = 'time="2024-05-01T10:00:00Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/status"\n';
    const block = chatter.repeat(Math.ceil((1 << 20) / chatter.length));
    const parts = Array.from({ length: 40 }, () => block);
    parts.push(failure + '\n');
    const file = new File(parts, 'huge.log');
    const dt = new DataTransfer();
    dt.items.add(file);
    const host = document.querySelector('arc-triage');
    host.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, ROWS['provider-not-registered']);
  await expect(w.stop).toBeVisible();
  // While it runs the page answers: the main thread gets turns between chunks.
  const turn = await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r('painted'))));
  expect(turn).toBe('painted');
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered', { timeout: 30_000 });
  await expect(w.first.locator('.log-lines li').first()).toHaveAttribute('data-line', /^\d{6}$/);
  await expect(w.stop).toBeHidden();
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

test('a zip archive or binary file gets a clear note, not a crash', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  const zip = Buffer.concat([Buffer.from('PK\x03\x04', 'binary'), Buffer.alloc(2000, 7)]);
  await dropFile(page, w, { name: 'azcmagent-logs.zip', bytes: zip, type: 'application/zip' });
  await expect(w.results.locator('.notes')).toContainText(/zip/i);
  await expect(w.error).toBeHidden();
  const binary = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
  await dropFile(page, w, { name: 'core.dmp', bytes: binary });
  await expect(w.results.locator('.source')).toHaveText(/core\.dmp/);
  await expect(w.results.locator('.no-match')).toBeVisible();
  await expect(w.error).toBeHidden();
});
