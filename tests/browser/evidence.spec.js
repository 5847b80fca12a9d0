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

// Evidence is shown decoded with a line of context (issue 9): escapes undone, a JSON body laid
// out to read with the match still marked, and the log's line before and after shown dimmed,
// selectable, and with any secret in them hidden.
const SECRET = 'Ke58Q~abc.DEF_ghi-123';
const DECODED_LOG = [
  'INFO    Connecting machine to Azure',
  `time="2020-11-03T16:22:40Z" level=debug msg="token request" Body="{\\"client_id\\":\\"0d0c7bd1-1234-4c1e-9d2b-2f1b0a6e3f44\\",\\"client_secret\\":\\"${SECRET}\\"}"`,
  'time="2020-11-03T16:22:41Z" level=debug msg="Get ARM Resource Response" Body="{\\"error\\":{\\"code\\":\\"AuthorizationFailed\\",\\"message\\":\\"The client has no access.\\"}}"',
  'time="2020-11-03T16:22:42Z" level=info msg="For troubleshooting, see https://aka.ms/arc/azcmerror"',
].join('\n');

test('evidence is decoded, its JSON body laid out, between dimmed context lines', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await w.log.fill(DECODED_LOG);
  const card = w.host.locator('article.diagnosis[data-rule-id=arm-authorization-failed]');
  const line = card.locator('.log-lines li[data-line="3"] code.line-text');
  await expect(line).toHaveClass(/\bjson\b/);
  const text = await line.textContent();
  expect(text).not.toContain('\\');
  expect(text).toContain('Body="{\n  "error": {\n    "code": "AuthorizationFailed",\n    "message": "The client has no access."\n  }\n}"');
  await expect(line.locator('mark')).toHaveText('AuthorizationFailed');

  const before = card.locator('.context-line[data-context=before]');
  const after = card.locator('.context-line[data-context=after]');
  await expect(before).toHaveAttribute('data-line', '2');
  await expect(before).toContainText('"client_secret":"<secret hidden>"');
  await expect(after).toHaveAttribute('data-line', '4');
  await expect(after).toContainText('For troubleshooting');
  await expect(card.locator('.context-line mark')).toHaveCount(0);
  // Dimmed: the muted colour of the line numbers, not the evidence's.
  const colour = (l) => l.evaluate((el) => getComputedStyle(el).color);
  expect(await colour(before.locator('.line-text'))).toBe(await colour(before.locator('.line-no')));
  expect(await colour(before.locator('.line-text'))).not.toBe(await colour(line));
  expect(await w.host.evaluate((el) => el.shadowRoot.textContent)).not.toContain(SECRET);

  // A context line's number selects that line in the input too.
  await before.locator('button.line-no').click();
  await expect(w.log).toBeFocused();
  const selected = await w.log.evaluate((t) => t.value.slice(t.selectionStart, t.selectionEnd));
  expect(selected).toBe(DECODED_LOG.split('\n')[1]);
});
