// The browser half of `npm run bench`, in headless Chromium against the built dist/ (or
// ARC_TRIAGE_BENCH_DIST): start-up of the site and of the offline file in fresh pages, the
// engine's throughput through each entry point users hit with their ratios to classifyBytes
// taken round by round in one page, wasm memory after a large paste, crafted shapes (warm, and in
// fresh pages in the engine's worker and on the page), and the sizes of what ships. ARC_TRIAGE_BENCH_AGAINST=<another dist/> adds a paired comparison of
// classifyBytes in the two builds, run by run in turn (how a change of build flags is judged);
// `npm run bench` compares with the floor, a build that confirms nothing (scripts/bench.sh).
// Figures, not pass/fail: the machine's noise would make any threshold flaky.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { benchLog } from './bench-log.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.resolve(process.env.ARC_TRIAGE_BENCH_DIST ?? path.join(root, 'dist'));
const against = process.env.ARC_TRIAGE_BENCH_AGAINST ? path.resolve(process.env.ARC_TRIAGE_BENCH_AGAINST) : null;
const MB = Number(process.env.ARC_TRIAGE_BENCH_MB ?? 10);
const ROUNDS = Number(process.env.ARC_TRIAGE_BENCH_ROUNDS ?? 9);
const STARTS = Number(process.env.ARC_TRIAGE_BENCH_STARTS ?? 7);
const PASTE_MB = Number(process.env.ARC_TRIAGE_BENCH_PASTE_MB ?? 100);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
});
const offline = (dir) => pathToFileURL(path.join(dir, 'arc-triage.html')).href;

// The engine's WebAssembly.Memory, caught as it is instantiated (the page does not expose it),
// so its size can be read after a call: it only ever grows, so that is the peak.
function catchMemory() {
  const keep = (instance) => {
    if (instance?.exports?.memory) window.__arcTriageMemory = instance.exports.memory;
  };
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async function (...args) {
    const out = await instantiate.apply(this, args);
    keep(out.instance ?? out);
    return out;
  };
  const streaming = WebAssembly.instantiateStreaming;
  if (streaming) {
    WebAssembly.instantiateStreaming = async function (...args) {
      const out = await streaming.apply(this, args);
      keep(out.instance);
      return out;
    };
  }
  WebAssembly.Instance = new Proxy(WebAssembly.Instance, {
    construct(target, args, newTarget) {
      const instance = Reflect.construct(target, args, newTarget);
      keep(instance);
      return instance;
    },
  });
}

/**
 * A fresh page (new context: nothing cached) with the API as `window.arcTriage` either way.
 * `onPage`: no Worker, so analyse() runs on the page in slices (its fallback).
 */
async function freshPage(url, { onPage = false } = {}) {
  const context = await browser.newContext();
  await context.addInitScript(catchMemory);
  if (onPage) await context.addInitScript(() => delete window.Worker);
  const page = await context.newPage();
  await page.goto(url);
  if (url.startsWith('http')) {
    await page.evaluate(async () => {
      if (!window.arcTriage) window.arcTriage = await import('/arc-triage.js');
    });
  }
  return { page, close: () => context.close() };
}

// dist/ over HTTP on a free loopback port, as `npm run serve` serves it.
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };
const server = http.createServer((req, res) => {
  const name = decodeURIComponent(new URL(req.url, 'http://x').pathname).replace(/\/$/, '/index.html');
  const file = path.join(dist, path.normalize(name));
  if (!file.startsWith(dist + path.sep) || !fs.existsSync(file)) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
  res.end(fs.readFileSync(file));
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const site = `http://127.0.0.1:${server.address().port}/`;

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const spread = (xs) => `[${Math.min(...xs).toFixed(1)}-${Math.max(...xs).toFixed(1)}]`;

// Start-up, each in a fresh context: navigation to engine ready (the end of the prepare
// measure engine.js leaves), prepare() itself, and the first answer for a 50-line paste after.
const { text: log } = benchLog(MB);
const paste = log.split('\n').slice(0, 49).join('\n') + `\n${log.split('\n').at(-2)}\n`;
const startup = {};
for (const [name, url] of [['site', site], ['offline file', offline(dist)]]) {
  const runs = { ready: [], prepare: [], first: [] };
  for (let i = 0; i < STARTS; i += 1) {
    const { page, close } = await freshPage(url);
    const r = await page.evaluate(async (paste) => {
      await window.arcTriage.init();
      const [prepare] = performance.getEntriesByName('arc-triage:prepare');
      const start = performance.now();
      const report = window.arcTriage.classify(paste);
      const first = performance.now() - start;
      if (report.matches[0]?.id !== 'provider-not-registered') throw new Error(`wrong answer: ${report.matches[0]?.id}`);
      return { ready: prepare ? prepare.startTime + prepare.duration : NaN, prepare: prepare?.duration ?? NaN, first };
    }, paste);
    for (const k of Object.keys(runs)) runs[k].push(r[k]);
    await close();
  }
  startup[name] = runs;
}

// Throughput, one page: each round runs every entry point once, in a rotating order, and the
// ratios are taken within the round (the machine's load drifts between rounds, not within one).
const { text, archive } = benchLog(MB);
const { page, close } = await freshPage(offline(dist));
const figures = await page.evaluate(async ({ text, archive, rounds }) => {
  const api = window.arcTriage;
  const info = await api.init();
  const bytes = new TextEncoder().encode(text);
  const blob = new Blob([bytes]);
  const zip = new Blob([new Uint8Array(archive)]);
  const check = (r) => {
    if (r.matches[0]?.id !== 'provider-not-registered') throw new Error(`wrong answer: ${r.matches[0]?.id}`);
  };
  const paths = {
    classifyBytes: () => api.classifyBytes(bytes),
    classify: () => api.classify(text),
    analyseBlob: () => api.analyse(blob),
    analyseText: () => api.analyse(text),
    analyseZip: () => api.analyse(zip),
  };
  const names = Object.keys(paths);
  for (const name of names) check(await paths[name]()); // warm-up, and the answers checked
  const times = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < rounds; round += 1) {
    for (let k = 0; k < names.length; k += 1) {
      const name = names[(round + k) % names.length];
      const start = performance.now();
      await paths[name]();
      times[name].push(performance.now() - start);
    }
  }
  const phrases = api.rules().map((r) => new RegExp(r.error.slice(0, 40).replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i'));
  const naive = [];
  for (let round = 0; round < 3; round += 1) {
    const start = performance.now();
    for (const line of text.split('\n')) for (const re of phrases) re.test(line);
    naive.push(performance.now() - start);
  }
  return { rules: info.rules, megabytes: bytes.length / 2 ** 20, zipKB: archive.length / 1024, times, naive, naivePatterns: phrases.length };
}, { text, archive: Array.from(archive), rounds: ROUNDS });

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
await close();

// The same shapes in fresh pages of the offline file (the engine just ready, its code cold), in
// the worker and on the page: the longest main-thread task, and the time to the report.
for (const h of hostile) {
  const bytes = fs.readFileSync(path.join(hostileDir, `${hostile.indexOf(h)}.log`));
  for (const where of ['worker', 'page']) {
    const { page: fresh, close: closeFresh } = await freshPage(offline(dist), { onPage: where === 'page' });
    h[where] = await fresh.evaluate(async (b64) => {
      await window.arcTriage.init();
      const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
      const tasks = [];
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push(e.duration);
      });
      observer.observe({ type: 'longtask' });
      const start = performance.now();
      await window.arcTriage.analyse(blob);
      const ms = performance.now() - start;
      await new Promise((r) => setTimeout(r, 100));
      observer.disconnect();
      return { ms, longest: Math.max(0, ...tasks) };
    }, bytes.toString('base64'));
    await closeFresh();
  }
}

// Memory: a fresh page per path, a PASTE_MB paste with one non-ASCII character in its first line
// (where wasm-bindgen's string passing used to reserve three times the rest of the text).
const memory = {};
// analyse() runs on the page here: the worker's engine grows the same, where this cannot see it.
for (const [name, call] of [['classify(text)', 'classify'], ['analyse(text)', 'analyse']]) {
  const { page, close } = await freshPage(offline(dist), { onPage: true });
  memory[name] = await page.evaluate(async ({ mb, call }) => {
    await window.arcTriage.init();
    const before = window.__arcTriageMemory.buffer.byteLength;
    const line = 'time="2024-05-01T10:00:00Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/status"\n';
    const text = '✓ connected\n' + line.repeat(Math.ceil((mb * 2 ** 20) / line.length));
    await window.arcTriage[call](text);
    return { before, after: window.__arcTriageMemory.buffer.byteLength, bytes: new TextEncoder().encode(text).length };
  }, { mb: PASTE_MB, call });
  await close();
}

// Paired: classifyBytes in this build and in another, alternately, in two pages.
let paired = null;
if (against) {
  const pages = [await freshPage(offline(dist)), await freshPage(offline(against))];
  for (const { page } of pages) {
    await page.evaluate(async (text) => {
      await window.arcTriage.init();
      window.benchBytes = new TextEncoder().encode(text);
      window.arcTriage.classifyBytes(window.benchBytes);
    }, text);
  }
  const times = [[], []];
  for (let round = 0; round < 2 * ROUNDS + 1; round += 1) {
    for (const i of round % 2 ? [1, 0] : [0, 1]) {
      times[i].push(
        await pages[i].page.evaluate(() => {
          const start = performance.now();
          window.arcTriage.classifyBytes(window.benchBytes);
          return performance.now() - start;
        }),
      );
    }
  }
  for (const { close } of pages) await close();
  paired = { times, ratios: times[0].map((t, i) => t / times[1][i]) };
}
await browser.close();
server.close();

const { times } = figures;
const rate = (ms) => `${(figures.megabytes / (ms / 1000)).toFixed(0).padStart(5)} MB/s`;
const ratio = (name) => median(times[name].map((t, i) => t / times.classifyBytes[i]));
const row = (label, name) =>
  console.log(`${label.padEnd(50)} ${median(times[name]).toFixed(1).padStart(8)} ms  ${rate(median(times[name]))}  ${ratio(name).toFixed(2).padStart(5)}x classifyBytes`);
const ms = (xs) => `${median(xs).toFixed(1).padStart(8)} ms  ${spread(xs)}`;

console.log(`\nheadless Chromium, start-up (median of ${STARTS} fresh pages [min-max])`);
for (const [name, r] of Object.entries(startup)) {
  console.log(`${`${name}: navigation to engine ready`.padEnd(50)} ${ms(r.ready)}`);
  console.log(`${`${name}: prepare() (the rules compiled)`.padEnd(50)} ${ms(r.prepare)}`);
  console.log(`${`${name}: first answer, 50-line paste, after ready`.padEnd(50)} ${ms(r.first)}`);
}
console.log(`\nheadless Chromium, ${figures.megabytes.toFixed(1)} MB log, ${figures.rules} rules (median of ${ROUNDS} rounds; ratios taken within each round)`);
row('classifyBytes(bytes)    a file read whole', 'classifyBytes');
row('classify(text)          pasted text', 'classify');
row('analyse(blob)           a dropped file', 'analyseBlob');
row('analyse(text)           the widget, a large paste', 'analyseText');
row(`analyse(zip)            as a ${figures.zipKB.toFixed(0)} KB ZIP`, 'analyseZip');
const naive = median(figures.naive);
console.log(`${`naive JS: split + ${figures.naivePatterns} regexes per line (3 runs)`.padEnd(50)} ${naive.toFixed(1).padStart(8)} ms  ${rate(naive)}`);
if (paired) {
  const [a, b] = paired.times;
  const name = path.relative(root, against) || against;
  const info = path.join(against, 'build-info.json');
  const isFloor = fs.existsSync(info) && JSON.parse(fs.readFileSync(info, 'utf8')).floor === true;
  console.log(`\npaired: classifyBytes, this build / ${isFloor ? `the floor, ${name} (confirms nothing, so nothing after confirmation runs either: what reading, records, decoding and the prefilter cost)` : name} (${a.length} runs each, alternating)`);
  console.log(`  this ${median(a).toFixed(1)} ms (${rate(median(a)).trim()}), other ${median(b).toFixed(1)} ms (${rate(median(b)).trim()}); ratio of each pair: median ${median(paired.ratios).toFixed(3)} ${spread(paired.ratios)}`);
}
console.log(`\nwasm memory after a ${PASTE_MB} MB paste with one non-ASCII character in line 1 (fresh page each)`);
for (const [name, m] of Object.entries(memory)) {
  const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  console.log(`  ${name.padEnd(16)} ${mib(m.after).padStart(10)}  (${(m.after / m.bytes).toFixed(2)}x the text's ${mib(m.bytes)} of UTF-8; ${mib(m.before)} when ready)`);
}
if (hostile.length) {
  console.log('\nheadless Chromium, crafted text dropped as a file (analyse(blob), one run each)');
  for (const h of hostile) {
    const rate = h.megabytes / (h.ms / 1000);
    const factor = hostile[0].megabytes / (hostile[0].ms / 1000) / rate;
    console.log(`${h.label.padEnd(44)} ${h.megabytes.toFixed(1).padStart(5)} MB ${h.ms.toFixed(0).padStart(7)} ms ${rate.toFixed(1).padStart(6)} MB/s ${factor.toFixed(1).padStart(5)}x  longest task ${h.longest.toFixed(0)} ms`);
  }
  console.log('\nthe same, each in a fresh page of the offline file (cold code): longest main-thread task, time to report');
  for (const h of hostile) {
    const [w, p] = [h.worker, h.page].map((r) => `${r.longest.toFixed(0).padStart(4)} ms, ${r.ms.toFixed(0).padStart(5)} ms`);
    console.log(`${h.label.padEnd(44)} in the worker ${w}   on the page (no worker) ${p}`);
  }
}
console.log('\nsizes (gzip -9; the offline file carries the .wasm as base64 of its raw DEFLATE)');
const wasm = fs.readFileSync(path.join(dist, 'arc_triage_bg.wasm'));
const sizes = [
  ['arc_triage_bg.wasm', wasm],
  ['  its raw DEFLATE (inlined)', zlib.deflateRawSync(wasm, { level: 9 })],
  ...['arc-triage.js', 'arc-triage.html', 'index.html'].map((f) => [f, fs.readFileSync(path.join(dist, f))]),
];
for (const [file, bytes] of sizes) {
  console.log(`  ${file.padEnd(28)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KB   gzip ${(zlib.gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1).padStart(7)} KB`);
}
