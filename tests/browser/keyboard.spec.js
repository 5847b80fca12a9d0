// The whole flow without a mouse.
import { test, expect, ROWS, widget, ready } from './fixtures.js';

/** The focused element, looking through shadow roots. */
function focused(page) {
  return page.evaluate(() => {
    let el = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? { tag: el.tagName.toLowerCase(), cls: el.className, text: el.textContent.trim(), rule: el.dataset?.ruleId ?? null } : null;
  });
}

async function tabTo(page, predicate, max = 40) {
  for (let i = 0; i < max; i += 1) {
    await page.keyboard.press('Tab');
    const f = await focused(page);
    if (f && predicate(f)) return f;
  }
  throw new Error('Tab never reached the control');
}

test('paste, read the result, copy its link and browse the rows by keyboard alone', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await tabTo(page, (f) => f.tag === 'textarea');
  await page.keyboard.insertText(ROWS['device-flow-no-such-host']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'device-flow-no-such-host');
  // Every control is reachable in order, and Enter works on them.
  await tabTo(page, (f) => f.tag === 'button' && f.cls.includes('open'));
  await tabTo(page, (f) => f.tag === 'a' && f.text === 'Microsoft documentation');
  await tabTo(page, (f) => f.cls.includes('copy-link'));
  await page.keyboard.press('Enter');
  await expect(w.first.locator('button.copy-link')).toHaveText('Link copied');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toMatch(/#rule=device-flow-no-such-host&v=/);
  // Clear by keyboard, then open a row from the list of every known problem.
  await page.keyboard.press('Shift+Tab');
  await tabTo(page, (f) => f.cls.includes('clear'), 60);
  await page.keyboard.press('Enter');
  await expect(w.cards).toHaveCount(0);
  await tabTo(page, (f) => f.tag === 'summary');
  await page.keyboard.press('Enter');
  await tabTo(page, (f) => f.cls.includes('row-link') && f.text.length > 0);
  const chosen = await focused(page);
  await page.keyboard.press('Enter');
  await expect(w.first).toHaveAttribute('data-confidence', 'linked');
  await expect(w.first).toHaveAttribute('data-rule-id', chosen.rule);
  await expect(w.first.locator('h3')).toHaveText(chosen.text);
  expect((await focused(page)).tag).toBe('article');
});

test('the file picker opens from the keyboard', async ({ page }) => {
  // Listen before the page loads: file-chooser interception is switched on asynchronously, and a
  // keypress right after a late waitForEvent() can beat it.
  const choosers = [];
  page.on('filechooser', (c) => choosers.push(c));
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await tabTo(page, (f) => f.tag === 'button' && f.cls.includes('open'));
  await page.keyboard.press('Enter');
  await expect.poll(() => choosers.length).toBe(1);
  await choosers[0].setFiles({ name: 'azcmagent.log', mimeType: 'text/plain', buffer: Buffer.from(ROWS['spn-token-forbidden']) });
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-token-forbidden');
  expect((await focused(page)).tag).toBe('article');
});
