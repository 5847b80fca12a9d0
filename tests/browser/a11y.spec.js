// Automated accessibility checks (axe-core through @axe-core/playwright, WCAG 2.1 A/AA rules) in
// every state a user meets, in both colour schemes. axe walks the elements' shadow roots, and
// nothing is filtered out of its answer: a violation inside a widget fails the test.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { test, expect, ROWS, widget, ready, hostPage } from './fixtures.js';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Every violation within `include` (the whole page by default), one readable line each. */
async function violations(page, include) {
  const axe = new AxeBuilder({ page }).withTags(WCAG);
  if (include) axe.include(include);
  const { violations: found, passes } = await axe.analyze();
  // A run that checked nothing (a wrong selector) would pass any page.
  expect(passes.length, 'axe checked something').toBeGreaterThan(0);
  return found.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}

/** A diagnosis with one of the share tools' previews open. */
async function previewOpen(page, w, action) {
  await page.goto('./');
  await ready(w);
  await w.log.fill(ROWS['spn-invalid-secret']);
  await w.results.locator(`[data-action=${action}]`).click();
  await expect(w.results.locator('.share-panel textarea')).toBeFocused();
}

/** The states of the page, each reached from a fresh load. */
const STATES = {
  'nothing pasted': async (page, w) => {
    await page.goto('./');
    await ready(w);
  },
  'a diagnosis': async (page, w) => {
    await page.goto('./');
    await ready(w);
    await w.log.fill(`${ROWS['spn-invalid-secret']}\n${ROWS['provider-not-registered']}`);
    await expect(w.cards).toHaveCount(2);
  },
  'a cause with the exit code it explains, its row open': async (page, w) => {
    await page.goto('./');
    await ready(w);
    await w.log.fill(readFileSync(new URL('../fixtures/a9-expired-secret-console.log', import.meta.url), 'utf8'));
    await w.results.locator('.explained-code summary').click();
    await expect(w.results.locator('.explained-code table.row')).toBeVisible();
  },
  'the reply preview open': (page, w) => previewOpen(page, w, 'copy-reply'),
  'the redacted log preview open': (page, w) => previewOpen(page, w, 'copy-redacted'),
  'the no-match answer': async (page, w) => {
    await page.goto('./');
    await ready(w);
    await w.log.fill('level=error msg="nothing known"');
    await expect(w.results.locator('.no-match')).toBeVisible();
  },
  'a linked row': async (page, w) => {
    await page.goto('./#rule=device-flow-no-such-host&v=2020.01.01');
    await expect(w.first).toHaveAttribute('data-rule-id', 'device-flow-no-such-host');
  },
  'a retired-link notice': async (page, w) => {
    await page.goto('./#rule=azcm-install-windows');
    await expect(w.host.locator('.notice .replacements button')).toHaveCount(6);
  },
  'an unknown-link notice': async (page, w) => {
    await page.goto('./#rule=no-such-row');
    await expect(w.host.locator('.unknown-rule')).toBeVisible();
  },
  // On a page of our own that follows the system's colour scheme, as the site's page does.
  'a row-only embed': async (page, w) => {
    await hostPage(page, { head: '<style>:root { color-scheme: light dark }</style>', body: '<main><arc-triage mode="row" rule="arm-endpoint-forbidden"></arc-triage></main>' });
    await expect(w.first).toHaveAttribute('data-confidence', 'row');
  },
  'an engine that cannot start (a CSP without wasm-unsafe-eval)': async (page, w) => {
    test.info().annotations.push({ type: 'expects-problems' });
    await hostPage(page, {
      csp: "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; connect-src 'self'",
      head: '<style>:root { color-scheme: light dark }</style>',
      body: '<main><arc-triage></arc-triage></main>',
    });
    await expect(w.log).toBeDisabled();
  },
};

for (const scheme of ['light', 'dark']) {
  for (const [state, reach] of Object.entries(STATES)) {
    test(`the page in the ${scheme} theme with ${state} has no WCAG A/AA violations`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const w = widget(page);
      await reach(page, w);
      expect(await violations(page)).toEqual([]);
    });
  }

  test(`the embedded elements in the ${scheme} theme have no WCAG A/AA violations`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto('./embed-example.html');
    const first = widget(page, '#first');
    await ready(first);
    await first.log.fill(ROWS['arm-endpoint-forbidden']);
    await expect(first.first).toBeVisible();
    await expect(widget(page, '#second').first).toHaveAttribute('data-confidence', 'linked');
    // Only the widgets are ours: the example page's deliberately garish theme is not checked.
    expect(await violations(page, 'arc-triage')).toEqual([]);
  });
}
