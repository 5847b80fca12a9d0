// Evidence leads back to the log (issue 9): activating an evidence line's number selects that
// line in the input.
import { test, expect, ROWS, widget, ready } from './fixtures.js';

test('activating an evidence line number selects that line in the pasted text', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  const log = `first line\nsecond line\n${ROWS['provider-not-registered']}\nlast line`;
  await w.log.fill(log);
  const number = w.first.locator('.log-lines button.line-no').first();
  await expect(number).toHaveText('3');
  await number.focus();
  await page.keyboard.press('Enter');
  await expect(w.log).toBeFocused();
  const selected = await w.log.evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  expect(selected).toBe(ROWS['provider-not-registered'].split('\n')[0]);
});
