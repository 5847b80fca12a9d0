// The widget's edges with its host page and with links (issue 10, "Safe edges"): link text is
// checked before it is shown, the host receives no secret, the shadow root is closed unless the
// host opens it, and the widget is marked for session-replay masking.
import { test, expect, widget, ready } from './fixtures.js';

/** Everything the widget shows, as one string (its shadow root is opened by the fixtures). */
const shownText = (w) => w.host.evaluate((el) => el.shadowRoot.textContent);

test.describe('link text', () => {
  // Security report (2026-11-26) F8: 100,000 characters of `#rule=` were echoed in the notice.
  test('a 100 KB #rule= is named by a short excerpt, not echoed', async ({ page }) => {
    await page.goto(`./#rule=${'x'.repeat(100_000)}`);
    const w = widget(page);
    await ready(w);
    const notice = w.host.locator('.notice .invalid-rule');
    await expect(notice).toContainText(`“${'x'.repeat(40)}…”`);
    await expect(w.status).toHaveText('The link names no row.');
    await expect(w.cards).toHaveCount(0);
    const text = await shownText(w);
    expect(text).not.toContain('x'.repeat(41));
    expect((await notice.textContent()).length).toBeLessThan(300);
  });

  test('a #rule= with markup and control characters shows them as inert, replaced text', async ({ page }) => {
    const hostile = '<img src=x onerror=a()>\u001b]52;c;QQ\u0007\u202eevil';
    await page.goto(`./#rule=${encodeURIComponent(hostile)}`);
    const w = widget(page);
    await ready(w);
    const notice = w.host.locator('.notice .invalid-rule');
    await expect(notice).toContainText('“<img src=x onerror=a()>\uFFFD]52;c;QQ\uFFFD\uFFFDevil”');
    const text = await shownText(w);
    expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(await w.host.evaluate((el) => el.shadowRoot.querySelectorAll('img, script, [onerror]').length)).toBe(0);
  });

  test('a 100 KB &v= beside a real row shows the row and says the version is not one', async ({ page }) => {
    await page.goto(`./#rule=provider-not-registered&v=${'9'.repeat(100_000)}`);
    const w = widget(page);
    await ready(w);
    await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
    await expect(w.host.locator('.notice')).toContainText("This link's rule-set version is not one arc-triage writes");
    expect(await shownText(w)).not.toContain('9'.repeat(33));
  });

  test('parseLink keeps ids and versions that look like ones, and nothing else', async ({ page }) => {
    await page.goto('./');
    const parsed = await page.evaluate(async () => {
      const { parseLink } = await import('./arc-triage.js');
      return [
        parseLink('#rule=spn-invalid-secret&v=2026.11.26'),
        parseLink('#rule=spn-invalid-secret&v=<b>'),
        parseLink(`#rule=${'a'.repeat(65)}`),
        parseLink('#rule=Bad_Id'),
        parseLink('#nothing'),
      ];
    });
    expect(parsed).toEqual([
      { rule: 'spn-invalid-secret', version: '2026.11.26' },
      { rule: 'spn-invalid-secret', version: null, badVersion: true },
      { rule: null, version: null, invalid: `${'a'.repeat(40)}…` },
      { rule: null, version: null, invalid: 'Bad_Id' },
      null,
    ]);
  });
});

// The session of the security report (2026-11-26) F1: one secret of each shape.
const SECRETS = {
  spSecret: 'Xy8Q~SECRETSECRETSECRET0123456789abcdEFG',
  tokenSignature: 'SIGNATUREsignatureSIGNATURE',
  bearer: 'BEARERSIGNATURE',
  sas: 'SASSIGNATURE',
  proxy: 'Winter2024PROXYPASS',
  access: 'ACCESSTOKENSIG',
  refresh: 'REFRESHTOKENVALUE',
};
const SECRET_LOG = [
  `root@edge-03:~# azcmagent connect --service-principal-id f3a5c1d2-7b8e-4f60-9a1b-2c3d4e5f6a7b --service-principal-secret '${SECRETS.spSecret}' --tenant-id 98fbb231-4a93-4dee-85a8-9c286ddfb92d --location westeurope`,
  `PS C:\\> azcmagent connect --access-token eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ.${SECRETS.tokenSignature} --tenant-id 98fbb231-4a93-4dee-85a8-9c286ddfb92d`,
  `time="2024-05-05T10:25:31Z" level=debug msg="Sending request" Authorization="Bearer eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJhcmMifQ.${SECRETS.bearer}"`,
  `time="2024-05-05T10:25:32Z" level=error msg="Failed to download extension" Error="Get \\"https://arcext.blob.core.windows.net/pkgs/ext.zip?sv=2021-08-06&sr=b&sp=r&sig=${SECRETS.sas}%2Babc%3D\\": x509: certificate signed by unknown authority"`,
  `PS C:\\> azcmagent config set proxy.url http://svc-arc:${SECRETS.proxy}@proxy.contoso.local:8080`,
  `time="2024-05-05T10:25:33Z" level=error msg="Token response" Body="{\\"token_type\\":\\"Bearer\\",\\"access_token\\":\\"eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.${SECRETS.access}\\",\\"refresh_token\\":\\"0.${SECRETS.refresh}\\"}"`,
  `time="2024-05-05T10:25:34Z" level=fatal msg="Failed to acquire authorization token from SPN" Error="Failed to execute the refresh request. Error = 'Invalid client secret is provided.' client_secret=${SECRETS.spSecret}"`,
].join('\n');

test('the report property and the event carry no secret in clear', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  for (const log of [SECRET_LOG, SECRET_LOG.replace('Invalid client secret', 'something else')]) {
    const detail = page.evaluate(
      () => new Promise((resolve) => document.addEventListener('arc-triage-report', (e) => resolve(JSON.stringify(e.detail)), { once: true })),
    );
    await w.host.evaluate((el, text) => el.analyse(text), log);
    const fromEvent = await detail;
    const fromProperty = await w.host.evaluate((el) => JSON.stringify(el.report));
    for (const text of [fromEvent, fromProperty]) {
      for (const [name, value] of Object.entries(SECRETS)) expect(text, name).not.toContain(value);
    }
    // The report is a real one: every secret named, and shown masked.
    expect(JSON.parse(fromProperty).secret_count).toBe(8);
    expect(fromProperty).toContain('<secret hidden>');
  }
  expect(await w.host.evaluate((el) => el.report.error_lines.length)).toBeGreaterThan(0);
});

test.describe('a host page that does not open the shadow root', () => {
  test.use({ openShadow: false });

  test('finds it closed, and the element works all the same', async ({ page }) => {
    await page.goto('./embed-example.html');
    const host = page.locator('#first');
    expect(await host.evaluate((el) => el.shadowRoot)).toBeNull();
    const id = await host.evaluate(async (el, log) => {
      await customElements.whenDefined('arc-triage');
      const done = new Promise((resolve) => el.addEventListener('arc-triage-report', resolve, { once: true }));
      el.analyse(log); // analysed once the engine is up, if it is not yet
      await done;
      return el.report.matches[0].id;
    }, SECRET_LOG);
    expect(id).toBe('spn-invalid-secret');
  });

  test('an element with shadow="open" has an open root', async ({ page }) => {
    await page.goto('./embed-example.html');
    const open = await page.evaluate(() => {
      const el = document.createElement('arc-triage');
      el.setAttribute('shadow', 'open');
      document.body.append(el);
      return el.shadowRoot?.mode;
    });
    expect(open).toBe('open');
  });
});

test('the widget is marked for session-replay masking unless the host turns it off', async ({ page }) => {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  const marks = () =>
    w.host.evaluate((el) =>
      [el, el.shadowRoot.querySelector('.widget'), el.shadowRoot.querySelector('textarea.log')].map((node) => ({
        classes: ['fs-mask', 'rr-mask', 'sentry-mask'].filter((c) => node.classList.contains(c)),
        attributes: ['data-private', 'data-dd-privacy', 'data-clarity-mask', 'data-sentry-mask'].map((a) => node.getAttribute(a)),
      })),
    );
  const masked = { classes: ['fs-mask', 'rr-mask', 'sentry-mask'], attributes: ['', 'mask', 'true', ''] };
  const unmasked = { classes: [], attributes: [null, null, null, null] };
  expect(await marks()).toEqual([masked, masked, masked]);
  await w.host.evaluate((el) => el.setAttribute('replay-masking', 'off'));
  expect(await marks()).toEqual([unmasked, unmasked, unmasked]);
  await w.host.evaluate((el) => el.removeAttribute('replay-masking'));
  expect(await marks()).toEqual([masked, masked, masked]);
});
