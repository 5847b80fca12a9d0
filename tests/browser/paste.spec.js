import { test, expect, ROWS, widget, ready } from './fixtures.js';

test.describe('the page', () => {
  for (const [id, text] of Object.entries(ROWS)) {
    test(`pasting the agent's output for ${id} shows that row`, async ({ page }) => {
      await page.goto('./');
      const w = widget(page);
      await ready(w);
      await w.log.click();
      await page.keyboard.insertText(`${text}\n`);
      await expect(w.first).toHaveAttribute('data-rule-id', id);
      await expect(w.first).toHaveAttribute('data-confidence', 'exact');
      // The row's four columns are rendered, and the evidence points into the pasted text.
      await expect(w.first.locator('table.row th')).toHaveText(['Message', 'Error', 'Probable cause', 'Solution']);
      const lastLine = text.split('\n').length;
      await expect(w.first.locator('.log-lines li').last()).toHaveAttribute('data-line', String(lastLine));
      const mark = await w.first.locator('.log-lines mark').first().textContent();
      expect(text.replace(/\s+/g, ' ')).toContain(mark.replace(/\s+/g, ' '));
    });
  }

  test('a real clipboard paste is diagnosed, and fields are extracted', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto('./');
    const w = widget(page);
    await ready(w);
    await page.evaluate((t) => navigator.clipboard.writeText(t), ROWS['device-flow-network-unreachable']);
    await w.log.focus();
    await page.keyboard.press('Control+V');
    await expect(w.first).toHaveAttribute('data-rule-id', 'device-flow-network-unreachable');
    await expect(w.first.locator('[data-field=tenant_id]')).toHaveText('fb84ce97-b875-4d12-b031-ef5e7edf9c8e');
    await expect(w.first.locator('[data-field=ip]')).toHaveText('40.126.9.7');
    await expect(w.first.locator('[data-field=port]')).toHaveText('443');
    // Titled by the rule set's [labels.fields], not by the capture name.
    await expect(w.first.locator('dt:has(+ dd[data-field=tenant_id])')).toHaveText('Tenant');
    await expect(w.first.locator('dt:has(+ dd[data-field=ip])')).toHaveText('IP address');
  });

  test('several problems are all shown, best first, with the reason', async ({ page }) => {
    await page.goto('./');
    const w = widget(page);
    await ready(w);
    await w.log.fill(`${ROWS['spn-invalid-secret']}\n${ROWS['provider-not-registered']}`);
    await expect(w.cards).toHaveCount(2);
    const ids = await w.cards.evaluateAll((cards) => cards.map((c) => c.dataset.ruleId));
    expect(ids.sort()).toEqual(['provider-not-registered', 'spn-invalid-secret']);
    await expect(w.first.locator('.rank-reason')).not.toBeEmpty();
    await expect(w.status).toHaveText(/^2 problems found: /);
  });

  test('a step without a known cause is partial and lists the candidates', async ({ page }) => {
    await page.goto('./');
    const w = widget(page);
    await ready(w);
    await w.log.fill(
      'time="2020-09-18T08:12:46Z" level=fatal msg="Failed to acquire authorization token device flow" Error="context deadline exceeded"',
    );
    await expect(w.first).toHaveAttribute('data-confidence', 'partial');
    await expect(w.first).toHaveAttribute('data-rule-id', 'device-flow-failed');
    await expect(w.first.locator('[data-candidate]')).toHaveCount(5);
  });

  test('no match is an answer: error lines and next steps', async ({ page }) => {
    await page.goto('./');
    const w = widget(page);
    await ready(w);
    await w.log.fill('time="2024-01-01T00:00:00Z" level=error msg="Something nobody has seen before" Error="flux capacitor"\nall good otherwise');
    const none = w.results.locator('.no-match');
    await expect(none).toHaveAttribute('data-confidence', 'none');
    await expect(none.locator('.error-lines li')).toHaveCount(1);
    await expect(none.locator('.error-lines li')).toHaveAttribute('data-line', '1');
    await expect(none.locator('.next-steps li')).not.toHaveCount(0);
    await expect(w.status).toHaveText(/No row of the table matches/);
  });

  test('typing is debounced, and clearing goes back to the empty state', async ({ page }) => {
    await page.goto('./');
    const w = widget(page);
    await ready(w);
    await w.log.click();
    // The element marks each run of the engine. Typed quickly, a line is analysed once it
    // pauses, not at every key; a slow machine may see a pause or two mid-line.
    const typed = 'Invalid client secret is provided';
    await page.evaluate(() => performance.clearMarks('arc-triage:analysis'));
    await page.keyboard.type(typed, { delay: 5 });
    await expect(w.first).toHaveAttribute('data-rule-id', 'spn-invalid-secret');
    const analyses = await page.evaluate(() => performance.getEntriesByName('arc-triage:analysis').length);
    expect(analyses, `${analyses} analyses for ${typed.length} keystrokes`).toBeGreaterThanOrEqual(1);
    expect(analyses, `${analyses} analyses for ${typed.length} keystrokes`).toBeLessThan(typed.length / 4);
    await w.clear.click();
    await expect(w.cards).toHaveCount(0);
    await expect(w.status).toHaveText(/Paste the agent/);
    await expect(w.log).toBeFocused();
    await w.log.fill('   \n\t  ');
    await expect(w.status).toHaveText(/only blank space/);
  });

  test('hostile HTML in a log is shown as text and never runs', async ({ page }) => {
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs += 1;
      d.dismiss();
    });
    await page.goto('./');
    const w = widget(page);
    await ready(w);
    const evil = `<img src=x onerror="alert(1)"><script>alert(2)</script>`;
    await w.log.fill(
      `time="2020-09-18T08:12:48Z" level=fatal msg="Failed to AzcmagentConnect ARM resource ${evil}" Error="The subscription is not registered to use namespace 'Microsoft.HybridCompute' ${evil}"`,
    );
    await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
    await expect(w.first.locator('.log-lines')).toContainText('<img src=x onerror="alert(1)">');
    await expect(w.host.locator('img, script')).toHaveCount(0);
    expect(dialogs).toBe(0);
  });
});
