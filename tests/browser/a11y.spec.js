// Automated accessibility checks (axe-core, WCAG 2.1 A/AA rules) on every state a user meets:
// empty, a diagnosis, no match, a linked row, and the embedded elements in both themes.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { test, expect, ROWS, widget, ready } from './fixtures.js';

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

async function violations(page) {
  // Injected as a function call, not a <script>: the pages' CSP forbids inline scripts.
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }),
  );
  return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the page has no WCAG A/AA violations, empty and with results', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  expect(await violations(page)).toEqual([]);
  await w.log.fill(`${ROWS['spn-invalid-secret']}\n${ROWS['provider-not-registered']}`);
  await expect(w.cards).toHaveCount(2);
  expect(await violations(page)).toEqual([]);
  await w.log.fill('level=error msg="nothing known"');
  await expect(w.results.locator('.no-match')).toBeVisible();
  expect(await violations(page)).toEqual([]);
});

test('a linked row and the embedded elements in both themes have no WCAG A/AA violations', async ({ page }) => {
  await page.goto('./#rule=device-flow-no-such-host');
  await expect(widget(page).first).toHaveAttribute('data-rule-id', 'device-flow-no-such-host');
  expect(await violations(page)).toEqual([]);
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./embed-example.html');
    const first = widget(page, '#first');
    await ready(first);
    await first.log.fill(ROWS['arm-endpoint-forbidden']);
    await expect(first.first).toBeVisible();
    // Only the widgets are ours: the example page's deliberately garish theme is not checked.
    const ours = (await violations(page)).filter((v) => v.includes('arc-triage'));
    expect(ours, `${scheme} theme`).toEqual([]);
  }
});
