// One problem, one card (issue 9): an exit code that a cause explains is shown inside the
// cause's card, the status counts problems, and several problems get a list leading to them.
import { readFileSync } from 'node:fs';
import { test, expect, ROWS, widget, ready } from './fixtures.js';

// A cause (the secret expired) and the exit code it produced (AZCM0041).
const EXPIRED = readFileSync(new URL('../fixtures/a9-expired-secret-console.log', import.meta.url), 'utf8');

test('an exit code the cause explains is inside the cause’s card, and that is one problem', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(EXPIRED);
  await expect(w.cards).toHaveCount(1);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-secret-expired');
  await expect(w.status).toHaveText(/^1 problem found: /);
  const code = w.first.locator('.explained-code[data-rule-id=azcm0041]');
  await expect(code.locator('strong')).toHaveText(/^AZCM0041: the credentials supplied are invalid/);
  await expect(code.locator('table.row')).toBeHidden();
  await code.locator('summary').click();
  await expect(code.locator('table.row')).toBeVisible();
  await expect(w.results.locator('nav.problems')).toHaveCount(0);
});

test('several problems get a list whose entries lead to their cards', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(`${ROWS['spn-invalid-secret']}\n${ROWS['provider-not-registered']}`);
  const list = w.results.locator('nav.problems');
  await expect(list.locator('p')).toHaveText('2 problems found:');
  const links = list.locator('button.card-link');
  await expect(links).toHaveCount(2);
  const target = await links.nth(1).getAttribute('data-card');
  await links.nth(1).click();
  await expect(w.host.locator(`article.diagnosis[data-rule-id=${target}]`)).toBeFocused();
});

test('the reply names the exit code under the cause that explains it', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(EXPIRED);
  await w.results.locator('[data-action=copy-reply]').click();
  const reply = await w.results.locator('.share-panel textarea').inputValue();
  expect(reply).toMatch(/^\*\*arc-triage found one problem in this log/);
  expect(reply).toMatch(/\*\*Exit code:\*\* AZCM0041: the credentials supplied are invalid .*\(log lines 1, 2, 7\); the cause above explains it\./);
  expect(reply.match(/^### /gm)).toHaveLength(1);
});
