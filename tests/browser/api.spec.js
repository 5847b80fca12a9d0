// The ES module's exported API, as a docs site's own script would use it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test, expect, ROWS } from './fixtures.js';

// Built by scripts/test.sh before Playwright runs; a browser test never compiles Rust.
const CLI = path.resolve('target/release/arc-triage');

test('init() and classify() return the CLI --json shape; bad arguments get clear errors', async ({ page }) => {
  await page.goto('./');
  const out = await page.evaluate(async (rows) => {
    const mod = await import('./arc-triage.js');
    const info = await mod.init();
    const again = await mod.init();
    const report = mod.classify(rows['spn-invalid-secret']);
    const bytes = mod.classifyBytes(new TextEncoder().encode(rows['arm-endpoint-forbidden']));
    const streamed = await mod.analyse(new Blob([rows['device-flow-forbidden']]));
    const errors = [];
    for (const bad of [() => mod.classify(null), () => mod.classifyBytes('text'), () => mod.checkRules({ 'rules/table/x.toml': 'id = 1' })]) {
      try {
        bad();
        errors.push('no error');
      } catch (e) {
        errors.push(e.message);
      }
    }
    return { info, same: info === again, report, bytes: bytes.matches[0].id, streamed: streamed.matches[0].id, errors, exports: Object.keys(mod).sort() };
  }, ROWS);
  expect(out.same).toBe(true);
  expect(out.report.matches[0]).toMatchObject({ id: 'spn-invalid-secret', confidence: 'exact', lines: [1] });
  expect(out.report.ruleset).toEqual(out.info);
  expect(out.bytes).toBe('arm-endpoint-forbidden');
  expect(out.streamed).toBe('device-flow-forbidden');
  expect(out.errors[0]).toMatch(/takes the log as a string, not null/);
  expect(out.errors[1]).toMatch(/takes a Uint8Array or ArrayBuffer, not a string/);
  expect(out.errors[2]).toMatch(/authoring build.*arc-triage --check-rules/s);
  expect(out.exports).toEqual(expect.arrayContaining(['init', 'classify', 'classifyBytes', 'analyse', 'rules', 'ruleset']));
});

test('the browser and the CLI give the same report for the same text', async ({ page }) => {
  expect(fs.existsSync(CLI), `${CLI} is missing: run \`cargo build --release\` first`).toBe(true);
  const text = `${ROWS['device-flow-no-such-host']}\n${ROWS['arm-authorization-failed']}\nINFO    Exit Code:  AZCM0041: Failed to Get Access Token\nFATAL   Failed to acquire authorization token from SPN: unexpected EOF\n`;
  const cli = JSON.parse(execFileSync(CLI, ['--json', '--color', 'never'], { input: text, encoding: 'utf8' }));
  await page.goto('./');
  const browser = await page.evaluate(async (t) => {
    const mod = await import('./arc-triage.js');
    await mod.init();
    return mod.classify(t);
  }, text);
  expect(browser.matches.map((m) => m.id)).toEqual(['device-flow-no-such-host', 'arm-authorization-failed', 'azcm0041']);
  expect(browser).toEqual(cli);
});

test('analyse() reports progress while it works, rising to the whole, on a file and on text', async ({ page }) => {
  await page.goto('./');
  const seen = await page.evaluate(async (failure) => {
    const { init, analyse } = await import('./arc-triage.js');
    await init();
    const chatter = 'time="2024-05-01T10:00:00Z" level=debug msg="Sending heartbeat"\n';
    const text = chatter.repeat(Math.ceil((24 << 20) / chatter.length)) + failure + '\n';
    const run = async (input) => {
      const calls = [];
      const report = await analyse(input, { onProgress: (done, total) => calls.push(done / total) });
      return { id: report.matches[0]?.id, calls };
    };
    return [await run(new Blob([text])), await run(text)];
  }, ROWS['provider-not-registered']);
  for (const { id, calls } of seen) {
    expect(id).toBe('provider-not-registered');
    // Reported along the way (the page gets a turn at least every 12 ms of work), not only at the end.
    expect(calls.filter((f) => f > 0 && f < 1).length).toBeGreaterThan(2);
    expect(calls.at(-1)).toBe(1);
    expect(calls).toEqual([...calls].sort((a, b) => a - b));
  }
});

test('a paste naming many rules compiles their patterns a few at a time, with turns between, and gets the same answer', async ({ page }) => {
  await page.goto('./');
  const seen = await page.evaluate(async (rows) => {
    const { init, analyse, classify } = await import('./arc-triage.js');
    await init();
    // The table rows' agent output, under one slice (16 KB): dozens of patterns to compile before
    // it can be answered, none compiled yet in this page.
    let text = '';
    for (const sample of Object.values(rows)) {
      if (text.length + sample.length + 1 > 16000) break;
      text += `${sample}\n`;
    }
    const calls = [];
    const report = await analyse(text, { onProgress: (done, total) => calls.push(done / total) });
    return { calls, report, again: classify(text) };
  }, ROWS);
  expect(seen.report.matches.length).toBeGreaterThan(5);
  expect(seen.report).toEqual(seen.again);
  // Progress is reported at each turn the page gets; without the limit the whole paste is one
  // call and the only report is the last.
  expect(seen.calls.length).toBeGreaterThan(2);
});
