// When the engine cannot start, the reader gets a calm sentence and somewhere else to go, the box
// is disabled (nothing looks like it works when it does not), and the site's maintainer gets the
// exact fix in the console. Where the element never upgrades, its fallback content shows.
import { test, expect, widget, hostPage } from './fixtures.js';

/** Collects what the page logs as errors. */
function consoleErrors(page) {
  const errors = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

async function expectDisabled(w) {
  await expect(w.log).toBeDisabled();
  await expect(w.open).toBeDisabled();
  await expect(w.host).toHaveAttribute('unavailable', '');
  await expect(w.version).toHaveText('');
}

test("a CSP without 'wasm-unsafe-eval': a calm message, the offline file offered, the box off, the fix in the console", async ({ page }) => {
  test.info().annotations.push({ type: 'expects-problems' });
  const errors = consoleErrors(page);
  await hostPage(page, { csp: "default-src 'none'; script-src 'self'; connect-src 'self'", body: '<arc-triage></arc-triage><arc-triage id="second"></arc-triage>' });
  const w = widget(page);
  // Every element on the page says so; the console says it once.
  await expectDisabled(widget(page, '#second'));
  await expect(w.error).toHaveText(
    'The troubleshooter could not start on this page, so nothing pasted here would be checked. Download the offline version and open it in your browser instead.',
  );
  await expect(w.error.locator('a')).toHaveAttribute('href', /\/arc-triage\.html$/);
  await expect(w.error.locator('a')).toHaveAttribute('download', 'arc-triage.html');
  await expectDisabled(w);
  expect(errors.filter((e) => e.startsWith('arc-triage'))).toEqual([
    expect.stringMatching(/^arc-triage could not start: this page's Content-Security-Policy does not allow WebAssembly\. Fix: add 'wasm-unsafe-eval' to the policy's script-src/),
  ]);
});

test('a missing .wasm (404): the reader is sent to the hosted page, the maintainer told which file and where', async ({ page }) => {
  test.info().annotations.push({ type: 'expects-problems' });
  const errors = consoleErrors(page);
  await page.route('**/arc_triage_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not found' }));
  await hostPage(page, { body: '<arc-triage public-url="https://arc-triage.example.org/"></arc-triage>' });
  const w = widget(page);
  await expect(w.error).toHaveText(/^The troubleshooter could not start on this page.+Open arc-triage on its own page instead\.$/);
  await expect(w.error.locator('a')).toHaveAttribute('href', 'https://arc-triage.example.org/');
  await expectDisabled(w);
  expect(errors.filter((e) => e.startsWith('arc-triage'))).toEqual([
    expect.stringMatching(/^arc-triage could not start: http:\/\/127\.0\.0\.1:\d+\/arc_triage_bg\.wasm answered 404.*\. Fix: Copy arc_triage_bg\.wasm .+ into the same folder/),
  ]);
});

test('a site that answers the .wasm with its HTML fallback page: named as not WebAssembly', async ({ page }) => {
  test.info().annotations.push({ type: 'expects-problems' });
  const errors = consoleErrors(page);
  await page.route('**/arc_triage_bg.wasm', (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><p>Page not found' }));
  await hostPage(page);
  await expectDisabled(widget(page));
  expect(errors.filter((e) => e.startsWith('arc-triage'))).toEqual([
    expect.stringMatching(/arc_triage_bg\.wasm is not a WebAssembly file \(text\/html, \d+ bytes\)/),
  ]);
});

test('a browser without WebAssembly: says which browsers work, never fetches the engine', async ({ page }) => {
  test.info().annotations.push({ type: 'expects-problems' });
  const errors = consoleErrors(page);
  const wasm = [];
  page.on('request', (r) => r.url().endsWith('.wasm') && wasm.push(r.url()));
  await page.addInitScript(() => delete globalThis.WebAssembly);
  await hostPage(page);
  const w = widget(page);
  await expect(w.error).toHaveText(/^The troubleshooter needs a newer browser \(Chrome or Edge 123, Firefox 120, Safari 17\.5 or newer\)\. Download the offline version and open it in a current browser instead\.$/);
  await expectDisabled(w);
  expect(errors.filter((e) => e.startsWith('arc-triage'))).toEqual(['arc-triage cannot run in this browser: it lacks WebAssembly. It supports Chrome or Edge 123, Firefox 120, Safari 17.5 or newer.']);
  expect(wasm).toEqual([]);
});

test('where the element never upgrades (the module did not load), its fallback content shows', async ({ page }) => {
  test.info().annotations.push({ type: 'expects-problems' });
  await page.route('**/arc-triage.js', (route) => route.fulfill({ status: 404, body: '' }));
  await hostPage(page, { body: '<arc-triage><p id="fallback">Needs JavaScript: <a href="arc-triage.html" download>download the offline version</a>.</p></arc-triage>' });
  await expect(page.locator('#fallback')).toBeVisible();
  // The same page, with the module: the element upgrades and the fallback is not shown.
  await page.unroute('**/arc-triage.js');
  await page.goto('./host-page.html');
  await expect(widget(page).version).toHaveText(/^Rule set/);
  await expect(page.locator('#fallback')).toBeHidden();
});

// The recorder is what proves "no request after load" everywhere else, so prove the recorder:
// this test makes one same-origin request after load and must be failed by the fixture.
test('the network recorder fails a test that makes a request after load', async ({ page }) => {
  test.fail();
  await page.goto('./');
  await expect(widget(page).version).toHaveText(/^Rule set/);
  await page.evaluate(() => fetch('./page.css').then((r) => r.status));
});

// The engine's one fetch is the only request allowed after load: a second one is not.
test('the network recorder fails a test that fetches the .wasm a second time', async ({ page }) => {
  test.fail();
  await page.goto('./');
  await expect(widget(page).version).toHaveText(/^Rule set/);
  await page.evaluate(() => fetch('./arc_triage_bg.wasm').then((r) => r.status));
});

// The engine's worker may not reach the network either: a request made from inside a worker is
// seen by the recorder like one made by the page.
test('the network recorder fails a test whose worker makes a request after load', async ({ page }) => {
  test.fail();
  await page.goto('./');
  await expect(widget(page).version).toHaveText(/^Rule set/);
  await page.evaluate(
    () =>
      new Promise((resolve) => {
        // A blob: worker resolves no relative address: the page's own origin, in full.
        const source = `fetch('${location.origin}/page.css').then((r) => postMessage(r.status), () => postMessage(0))`;
        const worker = new Worker(URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
        worker.onmessage = () => resolve();
      }),
  );
});
