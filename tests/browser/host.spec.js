// How the element fits the docs page around it: its sizes come from the host's text (never the
// root's, which docs themes change), --arc-triage-scale scales them, mode="row" is one row of the
// table and nothing else, and the engine costs a page nothing until an element needs it.
import { test, expect, widget, ready, hostPage, ROWS } from './fixtures.js';

/** The computed font size, in px, of each part of the widget. */
function fontSizes(w) {
  return w.host.evaluate((host) => {
    const root = host.shadowRoot;
    const size = (sel) => parseFloat(getComputedStyle(root.querySelector(sel)).fontSize);
    return {
      widget: size('.widget'),
      label: size('.log-label'),
      box: size('textarea.log'),
      button: size('button.open'),
      privacy: size('.privacy'),
      title: size('article.diagnosis h3'),
      table: size('table.row th'),
      commands: size('pre.commands'),
      footer: size('.diagnosis footer'),
    };
  });
}

test("sizes follow the host's text, not the root font size; --arc-triage-scale scales them all", async ({ page }) => {
  // Material for MkDocs sets the root to 20px and its text to 16px: the widget must match the text.
  await hostPage(page, { head: '<style>html { font-size: 20px } body { font-size: 16px }</style>' });
  const w = widget(page);
  await ready(w);
  await w.log.fill(ROWS['provider-not-registered']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
  const at16 = await fontSizes(w);
  expect(at16.widget).toBe(16);
  expect(at16.label).toBe(16);
  expect(at16.button).toBeCloseTo(16 * 0.9, 5);
  expect(at16.privacy).toBeCloseTo(16 * 0.85, 5);
  // A root font size of any value changes nothing.
  await page.evaluate(() => (document.documentElement.style.fontSize = '37px'));
  expect(await fontSizes(w)).toEqual(at16);
  // The host's text, and the scale, change everything in proportion.
  await w.host.evaluate((h) => (h.style.fontSize = '20px'));
  const at20 = await fontSizes(w);
  await w.host.evaluate((h) => h.style.setProperty('--arc-triage-scale', '0.8'));
  const scaled = await fontSizes(w);
  for (const part of Object.keys(at16)) {
    expect(at20[part], part).toBeCloseTo((at16[part] * 20) / 16, 3);
    expect(scaled[part], part).toBeCloseTo(at16[part], 3);
  }
});

test('mode="row": the row alone, no box, nothing about links, whatever the address says', async ({ page }) => {
  await hostPage(page, {
    body: '<arc-triage mode="row" rule="provider-not-registered"></arc-triage><arc-triage id="bare" mode="row"></arc-triage>',
    hash: '#rule=spn-invalid-secret',
  });
  const w = widget(page);
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
  await expect(w.first).toHaveAttribute('data-confidence', 'row');
  await expect(w.first.locator('.badge').first()).toHaveText('Troubleshooting table');
  await expect(w.log).toBeHidden();
  await expect(w.open).toBeHidden();
  await expect(w.host.locator('.about')).toBeHidden();
  await expect(w.host.locator('.copy-link')).toHaveCount(0);
  await expect(w.cards).toHaveCount(1);
  const text = await w.host.evaluate((h) => h.shadowRoot.querySelector('.widget').innerText);
  expect(text).not.toMatch(/\blinks?\b|paste/i);
  // Without a rule there is nothing to show: say what the element needs.
  const bare = widget(page, '#bare');
  await expect(bare.host.locator('.notice')).toHaveText(/mode="row" shows one row of the table: name it with the rule attribute/);
  await expect(bare.log).toBeHidden();
});

/** Counts WebAssembly compilations, and tells when the engine's bytes have been read. */
async function watchEngine(page) {
  await page.addInitScript(() => {
    window.__compiles = 0;
    for (const name of ['instantiate', 'instantiateStreaming', 'compile', 'compileStreaming']) {
      const original = WebAssembly[name];
      WebAssembly[name] = function (...args) {
        // Instantiating a module already compiled (the engine's own, after compile()) is not a compile.
        if (!(args[0] instanceof WebAssembly.Module)) window.__compiles += 1;
        return original.apply(this, args);
      };
    }
    let read;
    window.__wasmRead = new Promise((resolve) => (read = resolve));
    const arrayBuffer = Response.prototype.arrayBuffer;
    Response.prototype.arrayBuffer = function () {
      const bytes = arrayBuffer.call(this);
      if (this.url.endsWith('.wasm')) bytes.then(read);
      return bytes;
    };
  });
}

/** Compilations so far, once the fetched bytes are in and the tasks after that have run. */
const compilesAfterFetch = (page) =>
  page.evaluate(async () => {
    await window.__wasmRead;
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setTimeout(resolve, 0));
    return window.__compiles;
  });

test('lazy: an element below the fold has its engine fetched at load but compiled only when scrolled to', async ({ page }) => {
  await watchEngine(page);
  await hostPage(page, { body: '<p>Intro.</p><div style="height: 300vh"></div><arc-triage></arc-triage>' });
  const w = widget(page);
  expect(await compilesAfterFetch(page)).toBe(0);
  await expect(w.version).toHaveText('');
  await w.host.scrollIntoViewIfNeeded();
  await ready(w);
  expect(await page.evaluate(() => window.__compiles)).toBe(1);
  await w.log.fill(ROWS['spn-invalid-secret']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-invalid-secret');
});

test('lazy: focus (a keyboard user tabbing in) starts the engine without scrolling', async ({ page }) => {
  await watchEngine(page);
  await hostPage(page, { body: '<div style="height: 300vh"></div><arc-triage></arc-triage>' });
  const w = widget(page);
  expect(await compilesAfterFetch(page)).toBe(0);
  await w.log.evaluate((box) => box.focus({ preventScroll: true }));
  await ready(w);
  expect(await page.evaluate(() => scrollY)).toBe(0);
});

test('lazy: a page that loads the module but holds no element never fetches the engine', async ({ page }) => {
  const wasm = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url()));
  await hostPage(page, { body: '<p>A docs page without the widget.</p>' });
  await page.waitForFunction(() => customElements.get('arc-triage') !== undefined);
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
  expect(wasm).toEqual([]);
});
