// The support bundle (`azcmagent logs` ZIP) dropped on the page: read and inflated in the browser
// (DecompressionStream), one report whose evidence names file and line, the same report the CLI
// gives for the same archive; archives that cannot be read say why; redaction covers every log.
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { test, expect, widget, ready, dropFile } from './fixtures.js';
import { zip as makeZip } from '../../scripts/zip.mjs';

const CLI = path.resolve('target/release/arc-triage');
const BUNDLES = path.resolve('tests/bundle');
const LINUX = 'azcmagent-20201020T152324-web01.zip';
const WINDOWS = 'azcmagent-20201116T101500-SRV01.zip';
const zip = (name) => fs.readFileSync(path.join(BUNDLES, name));

/** Opens a share tool's preview, copies what it shows, and returns the clipboard. */
async function copied(page, w, action) {
  await w.results.locator(`[data-action=${action}]`).click();
  await w.results.locator(`[data-action=${action}-confirm]`).click();
  return page.evaluate(() => navigator.clipboard.readText());
}

async function drop(page, name) {
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  await dropFile(page, w, { name, bytes: zip(name), type: 'application/zip' });
  return w;
}

test('a dropped bundle is read log by log, and evidence names the file and the line', async ({ page }) => {
  const w = await drop(page, LINUX);
  await expect(w.cards).toHaveCount(2);
  await expect(w.cards.nth(0)).toHaveAttribute('data-rule-id', 'tls-inspection');
  await expect(w.cards.nth(1)).toHaveAttribute('data-rule-id', 'guest-config-service-error');
  // The status counts what the list counts: a step whose cause is unclear is a problem too.
  await expect(w.results.locator('nav.problems p')).toHaveText('2 problems found:');
  await expect(w.status).toHaveText(
    '2 problems found: A TLS-inspecting proxy or firewall re-signs Azure traffic with a CA this machine distrusts; The extension or guest configuration service cannot work with its Azure endpoint (cause unclear).',
  );
  const first = w.cards.nth(0).locator('.log-lines button.line-no').first();
  await expect(first).toHaveText('azcmagent.log:3');
  await expect(first).toHaveAttribute('title', 'var/opt/azcmagent/log/azcmagent.log, line 3');
  await expect(w.cards.nth(1).locator('.log-lines button.line-no').first()).toHaveText('gc_ext.log:2');
  const summary = w.results.locator('.input-summary');
  await expect(summary).toContainText('21 lines in 3 logs');
  await expect(summary).toContainText('Read 3 logs from the archive: azcmagent.log, himds.log, gc_ext.log.');
  await expect(summary.locator('li[data-file="var/opt/azcmagent/agentconfig.json"]')).toHaveText(
    'var/opt/azcmagent/agentconfig.json — not read: not a log',
  );
  await expect(summary.locator('li[data-read=yes]')).toHaveCount(3);
  await expect(w.results.locator('.source')).toHaveText(`Analysed ${LINUX} (2.9 KB).`);
  // A line of an archive's log is not in the text box: activating it says where it is.
  await first.click();
  await expect(w.status).toHaveText(`Line 3 is in var/opt/azcmagent/log/azcmagent.log, inside ${LINUX}; the archive's text is not shown here.`);
});

test('the page and the CLI give the same report for the same bundle', async ({ page }) => {
  expect(fs.existsSync(CLI), `${CLI} is missing: run \`cargo build --release\` first`).toBe(true);
  for (const name of [LINUX, WINDOWS, 'damaged-checksum.zip']) {
    const cli = JSON.parse(execFileSync(CLI, ['--json', path.join(BUNDLES, name)], { encoding: 'utf8' }));
    await page.goto('./');
    const browser = await page.evaluate(
      async ({ bytes, name }) => {
        const mod = await import('./arc-triage.js');
        await mod.init();
        return mod.analyse(new File([new Uint8Array(bytes)], name));
      },
      { bytes: Array.from(zip(name)), name },
    );
    expect(browser.input.files.length, name).toBeGreaterThan(2);
    expect(browser, name).toEqual(cli);
  }
});

test('a Windows bundle reads its UTF-16 installation log', async ({ page }) => {
  const w = await drop(page, WINDOWS);
  await expect(w.cards.nth(0)).toHaveAttribute('data-rule-id', 'provider-not-registered');
  await expect(w.cards.nth(1)).toHaveAttribute('data-rule-id', 'agent-service-start-failed');
  await expect(w.cards.nth(1).locator('.log-lines button.line-no').first()).toHaveText('installationlog.txt:4');
  await expect(w.cards.nth(1).locator('.log-lines code').first()).toContainText("Service 'Guest Configuration Extension service (ExtensionService)'");
  await expect(w.results.locator('li[data-file$="azcmagent-events.evtx"]')).toContainText('not read: not a log');
});

test('archives that cannot be read say why, with the limit, and the page keeps working', async ({ page }) => {
  const cases = [
    ['damaged-cut-short.zip', /its directory is missing: it was probably cut short while copying/],
    ['password-protected.zip', /the 3 logs in this ZIP archive are password-protected/],
    ['too-large.zip', /inflate to 5\.9 GB, more than the 1 GB arc-triage reads from one archive/],
    ['no-logs.zip', /holds one file, which is not a log/],
  ];
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  for (const [name, message] of cases) {
    await dropFile(page, w, { name, bytes: zip(name), type: 'application/zip' });
    await expect(w.error).toContainText(`Could not analyse ${name}`);
    await expect(w.error).toContainText(message);
    await expect(w.cards).toHaveCount(0);
  }
  // A damaged log inside a readable archive is read, and said to be damaged.
  await dropFile(page, w, { name: 'damaged-checksum.zip', bytes: zip('damaged-checksum.zip'), type: 'application/zip' });
  await expect(w.first).toHaveAttribute('data-rule-id', 'tls-inspection');
  await expect(w.results.locator('.notes')).toContainText('var/opt/azcmagent/log/himds.log is damaged: its checksum does not match');
  await expect(w.error).toBeHidden();
});

test('deflated data the browser cannot inflate is reported as damaged, the rest still read', async ({ page }) => {
  const bytes = Buffer.from(zip(LINUX));
  const at = bytes.indexOf('var/opt/azcmagent/log/azcmagent.log') + 35;
  bytes.fill(0xff, at + 10, at + 60);
  await page.goto('./');
  const report = await page.evaluate(async (b) => {
    const mod = await import('./arc-triage.js');
    await mod.init();
    return mod.analyse(new Blob([new Uint8Array(b)]));
  }, Array.from(bytes));
  expect(report.notes).toContain('var/opt/azcmagent/log/azcmagent.log is damaged: its compressed data is damaged after 0 bytes; what came before was read.');
  expect(report.matches.map((m) => m.id)).toEqual(['guest-config-service-error']);
});

test('Copy redacted log copies every log of the bundle, each after its name, redacted', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const w = await drop(page, WINDOWS);
  await expect(w.first).toHaveAttribute('data-rule-id', 'provider-not-registered');
  const text = await copied(page, w, 'copy-redacted');
  const sections = text.split('\r\n').filter((l) => l.startsWith('==> '));
  expect(sections).toEqual([
    '==> ProgramData/AzureConnectedMachineAgent/Log/azcmagent.log <==',
    '==> ProgramData/AzureConnectedMachineAgent/Log/himds.log <==',
    '==> ProgramData/AzureConnectedMachineAgent/Log/installationlog.txt <==',
  ]);
  expect(text).toContain('RequestCorrelationId:<correlation-1>');
  expect(text).not.toContain('c1d985c6-de6c-47f2-a048-b064b6f234aa');
  expect(text).toContain('Guest Configuration Extension service');
});

test('a reply from a bundle names each evidence line by file and line', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const w = await drop(page, LINUX);
  await expect(w.first).toHaveAttribute('data-rule-id', 'tls-inspection');
  const reply = await copied(page, w, 'copy-reply');
  expect(reply).toContain('Exact match, azcmagent.log line 3.');
  expect(reply).toContain('azcmagent.log:3: time="2020-10-20T15:23:24-06:00" level=error msg="x509: certificate signed by unknown authority.');
  expect(reply).toContain('gc_ext.log:2: …26 03:01:21.423]');
});

test('a bundle that inflates to many megabytes shows progress, can be stopped, and is read to its end', async ({ page }) => {
  test.setTimeout(120_000);
  const heartbeat = 'time="2024-05-01T10:00:00Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/status"\n';
  const lines = Math.ceil((80 << 20) / heartbeat.length);
  const himds = heartbeat.repeat(lines) + 'time="2024-05-01T10:00:01Z" level=error msg="x509: certificate signed by unknown authority"\n';
  const big = makeZip([['var/opt/azcmagent/log/himds.log', himds]]);
  expect(big.length).toBeLessThan(1 << 20);
  await page.goto('./');
  const w = widget(page);
  await ready(w);
  // Read to its end: the failure on the last line, numbered within himds.log.
  let started = Date.now();
  await dropFile(page, w, { name: 'big.zip', bytes: big, type: 'application/zip' });
  await expect(w.stop).toBeVisible();
  await expect(w.host.locator('progress')).toBeVisible();
  await expect(w.first).toHaveAttribute('data-rule-id', 'tls-inspection', { timeout: 60_000 });
  const whole = Date.now() - started;
  await expect(w.first.locator('.log-lines button.line-no').first()).toHaveText(`himds.log:${lines + 1}`);
  // Stopped part-way, it stops then, not after inflating the rest.
  await dropFile(page, w, { name: 'big.zip', bytes: big, type: 'application/zip' });
  await expect(w.stop).toBeVisible();
  started = Date.now();
  await w.stop.click();
  await expect(w.status).toHaveText(`Stopped. Nothing from big.zip (${(big.length / 1024).toFixed(1)} KB) was kept.`);
  const stopping = Date.now() - started;
  expect(stopping, `stopping took ${stopping} ms; the whole archive ${whole} ms`).toBeLessThan(whole / 2);
});
