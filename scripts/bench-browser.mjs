// The browser half of `npm run bench`: loads the offline single file in headless Chromium and
// times the engine on a generated 10 MB log through each entry point users hit, next to a naive
// JavaScript baseline (split lines, test every rule's key phrase per line).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = await browser.newPage();
await page.goto(pathToFileURL(path.join(root, 'dist', 'arc-triage.html')).href);

const figures = await page.evaluate(async () => {
  // The element starts the engine as the page loads; this is when it was ready, from navigation.
  const info = await window.arcTriage.init();
  const startup = performance.now();
  // Same shape as benches/throughput.rs: noisy verbose connect with retries, the fatal error last.
  const lines = [
    'time="2022-09-30T10:04:14Z" level=debug msg="Checking connectivity to https://westeurope-gas.guestconfiguration.azure.com, proxy status: proxy is not used"',
    'time="2022-09-30T10:04:14Z" level=debug msg="https://management.azure.com is available, using cryptographic protocol: TLS 1.2"',
    'time="2022-09-30T10:04:16Z" level=debug msg="Get ARM Resource Response" Body="{\\"error\\":{\\"code\\":\\"ResourceNotFound\\",\\"message\\":\\"The Resource \'Microsoft.HybridCompute/machines/web01\' under resource group \'rg\' was not found.\\"}}" Status Code=404',
    'time="2022-09-30T10:04:17Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/11b51d59-1e28-4716-88b3-a00dbfaa4440/status?api-version=2021-01-28"',
    '\u001b[36mDEBU\u001b[0m[0031] Successfully acquired Authorization Token',
    'INFO    Testing connectivity to endpoints that are needed to connect to Azure... This might take a few minutes.',
    'time="2022-09-30T10:04:09Z" level=debug msg="Validating HTTP response. getting a non-200 response (404 Not Found)" Endpoint="http://169.254.169.254/metadata/instance/compute?api-version=2019-06-01"',
    'time="2022-09-30T10:04:18Z" level=error msg="Failed to acquire authorization token device flow" Error="Error occurred while sending request for Device Authorization Code: Post https://login.windows.net/fb84ce97-b875-4d12-b031-ef5e7edf9c8e/oauth2/devicecode?api-version=1.0: dial tcp 40.126.9.7:443: connect: network is unreachable"',
  ];
  const parts = [];
  let size = 0;
  for (let i = 0; size < 10 << 20; i += 1) {
    const line = i % 500 === 499 ? lines[7] : lines[i % 7];
    parts.push(line, '\n');
    size += line.length + 1;
  }
  parts.push('time="2022-09-30T10:09:41Z" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="The subscription is not registered to use namespace \'Microsoft.HybridCompute\'"\n');
  const text = parts.join('');
  const bytes = new TextEncoder().encode(text);
  const blob = new Blob([bytes]);
  const median = async (fn, runs = 7) => {
    const times = [];
    let out;
    for (let i = 0; i < runs; i += 1) {
      const s = performance.now();
      out = await fn();
      times.push(performance.now() - s);
    }
    times.sort((a, b) => a - b);
    return { ms: times[runs >> 1], out };
  };
  const check = (r) => {
    if (r.matches[0]?.id !== 'provider-not-registered') throw new Error(`wrong answer: ${r.matches[0]?.id}`);
  };
  const pasted = await median(() => window.arcTriage.classify(text));
  check(pasted.out);
  const file = await median(() => window.arcTriage.classifyBytes(bytes));
  check(file.out);
  const streamed = await median(() => window.arcTriage.analyse(blob));
  check(streamed.out);
  const phrases = window.arcTriage.rules().map((r) => new RegExp(r.error.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
  const naive = await median(() => {
    let hits = 0;
    for (const line of text.split('\n')) for (const re of phrases) if (re.test(line)) hits += 1;
    return hits;
  });
  return {
    rules: info.rules,
    megabytes: bytes.length / (1 << 20),
    startup,
    pasted: pasted.ms,
    file: file.ms,
    streamed: streamed.ms,
    naive: naive.ms,
    naivePatterns: phrases.length,
  };
});
await browser.close();

const rate = (ms) => `${(figures.megabytes / (ms / 1000)).toFixed(0).padStart(5)} MB/s`;
const row = (label, ms) => console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms  ${rate(ms)}`);
console.log(`\nheadless Chromium, ${figures.megabytes.toFixed(1)} MB log, ${figures.rules} rules (medians of 7)`);
console.log(`${`page load to engine ready (wasm, ${figures.rules} rules checked)`.padEnd(52)} ${figures.startup.toFixed(1).padStart(8)} ms`);
row('classify(text)          pasted text', figures.pasted);
row('classifyBytes(bytes)    a file read whole', figures.file);
row('analyse(blob)           a dropped file, 1 MB chunks', figures.streamed);
row(`naive JS: split + ${figures.naivePatterns} regexes per line (no evidence)`, figures.naive);
const info = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'build-info.json'), 'utf8'));
console.log('\nshipped sizes (gzip -9)');
for (const [file, s] of Object.entries(info.sizes)) {
  console.log(`  ${file.padEnd(20)} ${(s.bytes / 1024).toFixed(1).padStart(8)} KB   gzip ${(s.gzip / 1024).toFixed(1).padStart(7)} KB`);
}
