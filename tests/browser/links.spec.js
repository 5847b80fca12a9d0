import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test, expect, ROWS, TABLE_ROWS, widget, ready } from './fixtures.js';

test('#rule=<id> opens the page on that row', async ({ page }) => {
  await page.goto('./#rule=spn-invalid-secret');
  const w = widget(page);
  await ready(w);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-invalid-secret');
  await expect(w.first).toHaveAttribute('data-confidence', 'linked');
  await expect(w.first.locator('td[data-label=Error]')).toHaveText('Invalid client secret is provided');
  // Following another link on the same page switches rows.
  await page.evaluate(() => {
    location.hash = '#rule=arm-endpoint-forbidden';
  });
  await expect(w.first).toHaveAttribute('data-rule-id', 'arm-endpoint-forbidden');
});

test('an unknown row id gets a clear message', async ({ page }) => {
  await page.goto('./#rule=no-such-row&v=2099.01.01');
  const w = widget(page);
  await ready(w);
  await expect(w.host.locator('.unknown-rule')).toContainText('“no-such-row”');
  await expect(w.cards).toHaveCount(0);
});

test('a link from another rule-set version says so and shows the current advice', async ({ page }) => {
  await page.goto('./#rule=provider-not-registered&v=2020.01.01');
  const w = widget(page);
  await ready(w);
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
  await expect(w.host.locator('.notice')).toContainText('2020.01.01');
});

test('"Copy link" copies a link with only the row id and rule-set version, and the link works', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(ROWS['spn-app-not-found']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-app-not-found');
  await w.first.locator('button.copy-link').click();
  await expect(w.first.locator('button.copy-link')).toHaveText('Link copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  const version = (await w.version.textContent()).match(/Rule set (\S+)/)[1];
  expect(copied).toBe(`http://127.0.0.1:${new URL(page.url()).port}/#rule=spn-app-not-found&v=${version}`);
  await expect(w.first.locator('input.share-link')).toHaveValue(copied);
  // Nothing from the log travels in the link.
  for (const secret of ['A1B2C3D4', 'fb84ce97', 'directory']) expect(copied).not.toContain(secret);

  const second = await context.newPage();
  await second.goto(copied);
  const w2 = widget(second);
  await expect(w2.first).toHaveAttribute('data-rule-id', 'spn-app-not-found');
  await expect(w2.first).toHaveAttribute('data-confidence', 'linked');
  await second.close();
});

test('when the clipboard is refused, the link is shown selected for copying by hand', async ({ page }) => {
  await page.goto('./#rule=provider-not-registered');
  const w = widget(page);
  await ready(w);
  await page.evaluate(() => {
    Object.defineProperty(navigator, 'clipboard', { value: { writeText: () => Promise.reject(new Error('denied')) } });
  });
  await w.first.locator('button.copy-link').click();
  await expect(w.first.locator('button.copy-link')).toHaveText('Copy the link below');
  await expect(w.first.locator('input.share-link')).toBeFocused();
  await expect(w.first.locator('input.share-link')).toHaveValue(/#rule=provider-not-registered&v=/);
});

test('the list of every known problem is grouped by source and opens a row', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.host.locator('details.all-rows summary').click();
  const groups = w.host.locator('.row-group');
  await expect(groups).toHaveCount(3);
  await expect(groups.first().locator('strong')).toHaveText('Microsoft’s troubleshooting table (9)');
  const ids = await groups.first().locator('button.row-link').evaluateAll((b) => b.map((x) => x.dataset.ruleId));
  expect(ids.sort()).toEqual(TABLE_ROWS.map((r) => r.id).sort());
  await groups.nth(1).locator('button[data-rule-id=azcm0018]').click();
  await expect(w.first).toHaveAttribute('data-rule-id', 'azcm0018');
  await expect(w.first).toBeFocused();
});

test('a row says where its advice comes from and when it was checked', async ({ page }) => {
  await page.goto('./#rule=tls-inspection');
  const w = widget(page);
  await ready(w);
  const sources = w.first.locator('td[data-label=Solution] .sources');
  await expect(sources).toContainText(/Sources?: .+; checked \d{4}-\d{2}/);
  // Links to Microsoft's documentation and to public issues, opened outside the widget.
  const links = sources.locator('a');
  expect(await links.count()).toBeGreaterThan(0);
  const hrefs = await links.evaluateAll((a) => a.map((x) => x.getAttribute('href')));
  for (const href of hrefs) expect(href).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//);
  expect(hrefs.some((href) => href.startsWith('https://learn.microsoft.com/azure/azure-arc/'))).toBe(true);
  await expect(links.first()).toHaveAttribute('rel', 'noopener noreferrer');
});

test('a link to a retired row says what replaced it and opens the replacements', async ({ page }) => {
  await page.goto('./#rule=azcm-install-windows&v=2026.11.25.2');
  const w = widget(page);
  await ready(w);
  const notice = w.host.locator('.notice');
  await expect(notice.locator('.retired-rule')).toContainText('“azcm-install-windows”');
  const replacements = notice.locator('.replacements button.row-link');
  await expect(replacements).toHaveCount(6);
  expect(await replacements.evaluateAll((b) => b.map((x) => x.dataset.ruleId))).toEqual([
    'azcm0147', 'azcm0148', 'azcm0149', 'azcm0150', 'azcm0151', 'azcm0152',
  ]);
  await expect(w.cards).toHaveCount(0);
  await replacements.nth(1).click();
  await expect(w.first).toHaveAttribute('data-rule-id', 'azcm0148');
  await expect(w.first).toBeFocused();
});

test('a public-url attribute is where copied links and replies point', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.host.evaluate((el) => el.setAttribute('public-url', 'https://docs.example.org/arc/triage/'));
  await w.log.fill(ROWS['spn-app-not-found']);
  await w.first.locator('button.copy-link').click();
  await expect(w.first.locator('button.copy-link')).toHaveText('Link copied');
  const version = (await w.version.textContent()).match(/Rule set (\S+)/)[1];
  const link = `https://docs.example.org/arc/triage/#rule=spn-app-not-found&v=${version}`;
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  await w.results.locator('[data-action=copy-reply]').click();
  await expect(w.results.locator('.share-panel textarea')).toHaveValue(new RegExp(`Row: ${link.replace(/[.?]/g, '\\$&')}\\n`));
});

test('from the offline file, Copy link gives the row id and says why, never a file:// address', async ({ page }) => {
  await page.goto(pathToFileURL(path.resolve('dist/arc-triage.html')).href);
  const w = widget(page);
  await ready(w);
  await w.log.fill(ROWS['spn-app-not-found']);
  const button = w.first.locator('button[data-action=copy-link]');
  await expect(button).toHaveText('Copy row id');
  await expect(w.first.locator('.no-link')).toHaveText(
    "This page was opened from a file, so a link to it would open on no one else's computer. Send the row id instead: on the arc-triage page, the address ending in #rule=spn-app-not-found opens this row.",
  );
  await button.click();
  await expect(w.first.locator('input.share-link')).toHaveValue('spn-app-not-found');
  expect(await w.host.evaluate((el) => el.shadowRoot.textContent)).not.toContain('file:');
});

test('a linked row comes first, above the empty box, and moves below it once a log is pasted', async ({ page }) => {
  await page.goto('./#rule=spn-invalid-secret');
  const w = widget(page);
  await ready(w);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-invalid-secret');
  const resultsBeforeInput = () =>
    w.host.evaluate((el) => {
      const root = el.shadowRoot;
      return Boolean(root.querySelector('.results').compareDocumentPosition(root.querySelector('.input')) & Node.DOCUMENT_POSITION_FOLLOWING);
    });
  expect(await resultsBeforeInput()).toBe(true);
  await expect(w.results.locator('p.source')).toHaveText('This is the row the link points to. To check it against your own output, paste the log in the box below.');
  await w.log.fill(ROWS['provider-not-registered']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
  expect(await resultsBeforeInput()).toBe(false);
});

test('a rule attribute shows its row without talking about a link', async ({ page }) => {
  await page.goto('./embed-example.html');
  const w = widget(page, 'arc-triage[rule]');
  await expect(w.first).toHaveAttribute('data-confidence', 'linked');
  await expect(w.results.locator('p.source')).toHaveText('One row of the Azure Arc troubleshooting table. To check it against your own output, paste the log in the box below.');
});
