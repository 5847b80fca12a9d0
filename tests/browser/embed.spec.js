// The custom element inside a docs-like page whose global CSS attacks everything.
import { test, expect, ROWS, widget, ready } from './fixtures.js';

test('host styles do not reach inside, and the element styles do not leak out', async ({ page }) => {
  await page.goto('./embed-example.html');
  const w = widget(page, '#first');
  await ready(w);
  await w.log.fill(ROWS['provider-not-registered']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
  await expect(w.first).toBeVisible();
  const inside = await w.host.evaluate((host) => {
    const root = host.shadowRoot;
    const style = (sel) => getComputedStyle(root.querySelector(sel));
    return {
      font: style('.widget').fontFamily,
      button: style('button.open').backgroundColor,
      textareaHeight: root.querySelector('textarea').getBoundingClientRect().height,
      mark: style('mark').display,
      cell: style('table.row td').borderTopWidth,
    };
  });
  expect(inside.font).not.toMatch(/Comic/);
  expect(inside.button).not.toBe('rgb(255, 105, 180)');
  expect(inside.textareaHeight).toBeGreaterThan(60);
  expect(inside.mark).toBe('inline');
  expect(inside.cell).toBe('1px');
  // The page's own code elements keep the page's styles: nothing of ours leaked.
  const outside = await page.evaluate(() => ({
    code: getComputedStyle(document.querySelector('p code')).fontFamily,
    paragraph: getComputedStyle(document.querySelector('p')).marginTop,
  }));
  expect(outside.code).toMatch(/Comic/);
  expect(outside.paragraph).toBe('66px');
});

test('two elements on one page work independently; the compact one opens on its rule attribute', async ({ page }) => {
  await page.goto('./embed-example.html');
  const first = widget(page, '#first');
  const second = widget(page, '#second');
  await ready(first);
  await expect(second.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
  await expect(second.first).toHaveAttribute('data-confidence', 'linked');
  await expect(second.host.locator('.about')).toBeHidden();
  await first.log.fill(ROWS['device-flow-forbidden']);
  await expect(first.first).toHaveAttribute('data-rule-id', 'device-flow-forbidden');
  await second.log.fill(ROWS['spn-token-forbidden']);
  await expect(second.first).toHaveAttribute('data-rule-id', 'spn-token-forbidden');
  await expect(first.first).toHaveAttribute('data-rule-id', 'device-flow-forbidden');
  // Dark theme by attribute: its own colours, not the page's.
  const background = (w) => w.host.evaluate((h) => getComputedStyle(h.shadowRoot.querySelector('.widget')).backgroundColor);
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background(second)).toBe('rgb(13, 17, 23)');
  expect(await background(first)).toBe('rgb(255, 255, 255)');
  // Without a theme attribute the element follows the page, not the system: this page declares
  // no color-scheme, so it stays light on a dark system...
  await page.emulateMedia({ colorScheme: 'dark' });
  expect(await background(first)).toBe('rgb(255, 255, 255)');
  // ...and turns dark with the page, as a docs site's dark toggle makes it.
  await page.evaluate(() => (document.body.style.colorScheme = 'dark'));
  expect(await background(first)).toBe('rgb(13, 17, 23)');
  expect(await background(second)).toBe('rgb(13, 17, 23)');
  await page.evaluate(() => (document.body.style.colorScheme = 'light'));
  expect(await background(first)).toBe('rgb(255, 255, 255)');
  expect(await background(second)).toBe('rgb(13, 17, 23)');
  // theme="system" follows the operating system whatever the page says.
  await second.host.evaluate((h) => h.setAttribute('theme', 'system'));
  expect(await background(second)).toBe('rgb(13, 17, 23)');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background(second)).toBe('rgb(255, 255, 255)');
});

test('on a page that follows the system (color-scheme: light dark), so does the element', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  const background = () => w.host.evaluate((h) => getComputedStyle(h.shadowRoot.querySelector('.widget')).backgroundColor);
  expect(await background()).toBe('rgb(13, 17, 23)');
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await background()).toBe('rgb(255, 255, 255)');
});

test('an element removed and re-inserted (instant navigation) still works', async ({ page }) => {
  await page.goto('./embed-example.html');
  const w = widget(page, '#first');
  await ready(w);
  await w.log.fill(ROWS['arm-authorization-failed']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'arm-authorization-failed');
  await page.evaluate(() => {
    const el = document.querySelector('#first');
    const parent = el.parentNode;
    const next = el.nextSibling;
    el.remove();
    window.__parked = { el, parent, next };
  });
  await expect(page.locator('#first')).toHaveCount(0);
  await page.evaluate(() => {
    const { el, parent, next } = window.__parked;
    parent.insertBefore(el, next);
  });
  await expect(w.first).toHaveAttribute('data-rule-id', 'arm-authorization-failed');
  await w.log.fill(ROWS['spn-invalid-secret']);
  await expect(w.first).toHaveAttribute('data-rule-id', 'spn-invalid-secret');
  // A brand-new element created by script also works (docs sites render pages client-side).
  await page.evaluate(() => {
    const el = document.createElement('arc-triage');
    el.id = 'third';
    el.setAttribute('shadow', 'open');
    document.body.append(el);
  });
  const third = widget(page, '#third');
  await ready(third);
  await third.log.fill(ROWS['device-flow-no-such-host']);
  await expect(third.first).toHaveAttribute('data-rule-id', 'device-flow-no-such-host');
});

test('the element reports to the host page through an event and a property', async ({ page }) => {
  await page.goto('./embed-example.html');
  const w = widget(page, '#first');
  await ready(w);
  const detail = page.evaluate(
    () =>
      new Promise((resolve) =>
        document.addEventListener('arc-triage-report', (e) => resolve({ id: e.detail.matches[0]?.id, target: e.target.id }), { once: true }),
      ),
  );
  await w.log.fill(ROWS['spn-token-forbidden']);
  expect(await detail).toEqual({ id: 'spn-token-forbidden', target: 'first' });
  expect(await w.host.evaluate((el) => el.report.matches[0].id)).toBe('spn-token-forbidden');
});
