// When the engine cannot start, the user is told why and what they typed is kept.
import { test, expect, ROWS, widget } from './fixtures.js';

test('an engine that cannot load gives a clear message and keeps the pasted text', async ({ page }) => {
  // The failed fetch is logged to the console on purpose.
  test.info().annotations.push({ type: 'expects-problems' });
  await page.route('**/*.wasm', (route) => route.abort('blockedbyclient'));
  await page.goto('./');
  const w = widget(page);
  await expect(w.error).toBeVisible();
  await expect(w.error).toHaveText(/could not start its engine: .+wasm-unsafe-eval.+Your text is still here/);
  await w.log.fill(ROWS['provider-not-registered']);
  await expect(w.log).toHaveValue(ROWS['provider-not-registered']);
  await expect(w.cards).toHaveCount(0);
});

// The recorder is what proves "no request after load" everywhere else, so prove the recorder:
// this test makes one same-origin request after load and must be failed by the fixture.
test('the network recorder fails a test that makes a request after load', async ({ page }) => {
  test.fail();
  await page.goto('./');
  await expect(widget(page).version).toHaveText(/^Rule set/);
  await page.evaluate(() => fetch('./page.css').then((r) => r.status));
});
