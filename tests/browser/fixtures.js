// Shared test fixtures. Every test's page is watched: any network request after the page has
// loaded (by the page or a worker it started), a worker whose script is not a blob: URL, any page
// error, any Content-Security-Policy violation, and any cookie or storage write fails the test.
import { readFileSync } from 'node:fs';
import { test as base, expect } from '@playwright/test';

export const test = base.extend({
  // The element's shadow root is closed unless the page asks for it open. Playwright's locators
  // only pierce open ones, so every element a page's markup holds is given shadow="open" before
  // it upgrades (as a host page that opts in would write it); `test.use({ openShadow: false })`
  // sees the element as an ordinary host page does.
  openShadow: [true, { option: true }],
  page: async ({ page, openShadow }, use, testInfo) => {
    if (openShadow) {
      // On the context, so pages a test opens itself (a copied link) get it too.
      await page.context().addInitScript(() => {
        new MutationObserver((records) => {
          for (const record of records) {
            for (const node of record.addedNodes) {
              if (node.localName === 'arc-triage' && !node.hasAttribute('shadow')) node.setAttribute('shadow', 'open');
            }
          }
        }).observe(document, { childList: true, subtree: true });
      });
    }
    const afterLoad = [];
    const problems = [];
    let loaded = false;
    // The one request allowed after load: the engine's .wasm, once per document, from the page's
    // own origin. An element that appears after load (client-side navigation) fetches it then, and
    // under page.route a fetch started just before load can be reported just after it.
    let engineFetched = false;
    page.on('load', () => {
      loaded = true;
    });
    page.on('request', (request) => {
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        // A new document (the test's own page.goto) starts a new load. Navigations may only
        // go to the test server or to files: the page must never send the user elsewhere.
        if (!/^(http:\/\/127\.0\.0\.1:\d+\/|file:)/.test(request.url())) afterLoad.push(`navigation to ${request.url()}`);
        loaded = false;
        engineFetched = false;
        return;
      }
      const fromPage = new URL(request.url()).origin === new URL(page.url()).origin;
      if (!engineFetched && fromPage && request.method() === 'GET' && /\.wasm$/.test(new URL(request.url()).pathname)) {
        engineFetched = true;
        return;
      }
      // Data URLs are not network requests, nor blob: URLs (objects the page made, such as the
      // engine worker's script); anything else after load is, from the page or its workers.
      if (loaded && !/^(data|blob):/.test(request.url())) afterLoad.push(`${request.method()} ${request.url()}`);
    });
    // A worker's script must come from the page itself (a blob: URL), never from a server.
    page.on('worker', (worker) => {
      if (!worker.url().startsWith('blob:')) afterLoad.push(`worker script ${worker.url()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`);
      });
    });
    await use(page);
    if (!testInfo.annotations.some((a) => a.type === 'expects-problems')) {
      expect(problems, 'page errors, console errors or CSP violations').toEqual([]);
    }
    expect(afterLoad, 'network requests after the page loaded').toEqual([]);
    if (!page.isClosed() && !page.url().startsWith('about:')) {
      const storage = await page.evaluate(async () => ({
        cookie: document.cookie,
        local: (() => { try { return localStorage.length; } catch { return 0; } })(),
        session: (() => { try { return sessionStorage.length; } catch { return 0; } })(),
        databases: indexedDB.databases ? (await indexedDB.databases()).length : 0,
      }));
      expect(storage, 'cookies and storage').toEqual({ cookie: '', local: 0, session: 0, databases: 0 });
    }
  },
});
export { expect };

/** The nine rows of the 2020 table (tests/data/table-rows.json, shared with the Rust tests). */
export const TABLE_ROWS = JSON.parse(readFileSync(new URL('../data/table-rows.json', import.meta.url), 'utf8')).rows;

/** Each row as the agent printed it in a real session, by id. */
export const ROWS = Object.fromEntries(TABLE_ROWS.map((r) => [r.id, r.session.join('\n')]));

/** The widget's parts, found through its (opened) shadow root: Playwright's CSS locators pierce it. */
export function widget(page, selector = 'arc-triage') {
  const host = page.locator(selector).first();
  return {
    host,
    log: host.locator('textarea.log'),
    status: host.locator('.status'),
    error: host.locator('.error'),
    results: host.locator('.results'),
    cards: host.locator('article.diagnosis'),
    first: host.locator('article.diagnosis').first(),
    open: host.locator('button.open'),
    clear: host.locator('button.clear'),
    stop: host.locator('button.stop'),
    fileInput: host.locator('input[type=file]'),
    version: host.locator('.version'),
  };
}

/**
 * Opens a page of the test's own making on the test server (`host-page.html`): `body` after the
 * module's script tag, an optional CSP and extra `head`. For what a docs page may do around the
 * element. `hash` is appended to the address.
 */
export async function hostPage(page, { csp = null, body = '<arc-triage></arc-triage>', head = '', hash = '' } = {}) {
  await page.route('**/host-page.html', (route) =>
    route.fulfill({
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>host</title><link rel="icon" href="data:,">${
        csp ? `<meta http-equiv="Content-Security-Policy" content="${csp}">` : ''
      }${head}<script type="module" src="arc-triage.js"></script></head><body>${body}</body></html>`,
    }),
  );
  await page.goto(`./host-page.html${hash}`);
}

/** Waits until the engine is up (the rule-set line is filled in). */
export async function ready(w) {
  await expect(w.version).toHaveText(/^Rule set \d{4}\.\d{2}\.\d{2}/);
}

/** Drops a file built in the page onto the element, as a drag from the desktop would. */
export async function dropFile(page, w, { name, bytes, type = 'text/plain' }) {
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

/** `text` as UTF-16 LE with a byte-order mark, as PowerShell 5's `>` writes it. */
export function utf16le(text) {
  const out = Buffer.alloc(2 + text.length * 2);
  out[0] = 0xff;
  out[1] = 0xfe;
  out.write(text, 2, 'utf16le');
  return out;
}
