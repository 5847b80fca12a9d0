// The browser half of `npm run bench`: loads the offline single file in headless Chromium and
// times the engine on a generated 10 MB log through each entry point users hit, next to a naive
// JavaScript baseline (split lines, test every rule's key phrase per line).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { benchLog } from './bench-log.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const page = await browser.newPage();
const { text, archive } = benchLog();
await page.goto(pathToFileURL(path.join(root, 'dist', 'arc-triage.html')).href);

// The element starts the engine as the page loads; this is when it was ready, from navigation
// (asked before the 10 MB log is handed over, which takes a while of its own).
const startup = await page.evaluate(async () => {
  await window.arcTriage.init();
  return performance.now();
});
const figures = await page.evaluate(async ({ text, archive }) => {
  const info = await window.arcTriage.init();
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
  // The same log as the one member of a support bundle: sliced, inflated by DecompressionStream.
  const zip = new Blob([new Uint8Array(archive)]);
  const bundle = await median(() => window.arcTriage.analyse(zip));
  check(bundle.out);
  const phrases = window.arcTriage.rules().map((r) => new RegExp(r.error.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
  const naive = await median(() => {
    let hits = 0;
    for (const line of text.split('\n')) for (const re of phrases) if (re.test(line)) hits += 1;
    return hits;
  });
  return {
    rules: info.rules,
    megabytes: bytes.length / (1 << 20),
    pasted: pasted.ms,
    file: file.ms,
    streamed: streamed.ms,
    bundle: bundle.ms,
    zipKB: archive.length / 1024,
    naive: naive.ms,
    naivePatterns: phrases.length,
  };
}, { text, archive: Array.from(archive) });
// The crafted shapes of `cargo bench --bench hostile` (written to target/hostile/), dropped on the
// page's element as files: how fast, and the longest the main thread was held at once.
const hostileDir = path.join(root, 'target', 'hostile');
const hostileLabels = ['real log (the baseline)', 'tls: 60 KB entries of https:// fragments', 'device flow: phrases every few bytes', 'every AZCM code on every line', "every rule's anchor on every line"];
const hostile = [];
for (let i = 0; fs.existsSync(path.join(hostileDir, `${i}.log`)); i += 1) {
  const bytes = fs.readFileSync(path.join(hostileDir, `${i}.log`));
  const figure = await page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const tasks = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) tasks.push(e.duration);
    });
    observer.observe({ type: 'longtask' });
    const start = performance.now();
    await window.arcTriage.analyse(new Blob([bytes]));
    const ms = performance.now() - start;
    await new Promise((r) => setTimeout(r, 100));
    observer.disconnect();
    return { ms, megabytes: bytes.length / (1 << 20), longest: Math.max(0, ...tasks) };
  }, bytes.toString('base64'));
  hostile.push({ label: hostileLabels[i] ?? `shape ${i}`, ...figure });
}
await browser.close();

const rate = (ms) => `${(figures.megabytes / (ms / 1000)).toFixed(0).padStart(5)} MB/s`;
const row = (label, ms) => console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms  ${rate(ms)}`);
console.log(`\nheadless Chromium, ${figures.megabytes.toFixed(1)} MB log, ${figures.rules} rules (medians of 7)`);
console.log(`${`page load to engine ready (wasm, ${figures.rules} rules checked)`.padEnd(52)} ${startup.toFixed(1).padStart(8)} ms`);
row('classify(text)          pasted text', figures.pasted);
row('classifyBytes(bytes)    a file read whole', figures.file);
row('analyse(blob)           a dropped file, 1 MB chunks', figures.streamed);
row(`analyse(zip)            the same log as a ${figures.zipKB.toFixed(0)} KB ZIP`, figures.bundle);
row(`naive JS: split + ${figures.naivePatterns} regexes per line (no evidence)`, figures.naive);
if (hostile.length) {
  console.log('\nheadless Chromium, crafted text dropped as a file (analyse(blob), one run each)');
  for (const h of hostile) {
    const rate = h.megabytes / (h.ms / 1000);
    const factor = (hostile[0].megabytes / (hostile[0].ms / 1000)) / rate;
    console.log(`${h.label.padEnd(44)} ${h.megabytes.toFixed(1).padStart(5)} MB ${h.ms.toFixed(0).padStart(7)} ms ${rate.toFixed(1).padStart(6)} MB/s ${factor.toFixed(1).padStart(5)}x  longest task ${h.longest.toFixed(0)} ms`);
  }
}
const info = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'build-info.json'), 'utf8'));
console.log('\nshipped sizes (gzip -9)');
for (const [file, s] of Object.entries(info.sizes)) {
  console.log(`  ${file.padEnd(20)} ${(s.bytes / 1024).toFixed(1).padStart(8)} KB   gzip ${(s.gzip / 1024).toFixed(1).padStart(7)} KB`);
}
