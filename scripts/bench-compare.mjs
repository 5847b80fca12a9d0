// Two builds of the engine side by side in one headless Chromium page, for deciding a size lever
// at equal speed: `node scripts/bench-compare.mjs A_DIR B_DIR [pairs]`, each DIR holding a
// wasm-bindgen `arc_triage.js` + `arc_triage_bg.wasm` (`--target web`). Prints each one's size
// (raw, gzip -9), `prepare()` in a fresh page each, and `classifyBytes` on the 10 MB bench log
// in pairs (A then B, then B then A...), with the median of the per-pair ratios B/A: the machine
// this runs on is shared and noisy, so only ratios measured side by side are worth comparing.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { launch, serve } from './headless.mjs';
import { benchLog } from './bench-log.mjs';

const [dirA, dirB] = process.argv.slice(2, 4).map((d) => path.resolve(d));
const pairs = Number(process.argv[4] ?? 10);
if (!dirA || !dirB) {
  console.error('usage: node scripts/bench-compare.mjs A_DIR B_DIR [pairs]');
  process.exit(2);
}
const server = await serve((url) => {
  const dir = { '/a/': dirA, '/b/': dirB }[url.slice(0, 3)];
  return dir ? path.join(dir, url.slice(3)) : null;
});
const { origin } = server;
const browser = await launch();

const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const startups = { a: [], b: [] };
for (let i = 0; i < 5; i += 1) {
  for (const which of i % 2 ? ['b', 'a'] : ['a', 'b']) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${origin}/blank`);
    startups[which].push(await page.evaluate(async (w) => {
      const glue = await import(`/${w}/arc_triage.js`);
      await glue.default({ module_or_path: `/${w}/arc_triage_bg.wasm` });
      const t = performance.now();
      glue.prepare();
      return performance.now() - t;
    }, which));
    await context.close();
  }
}

const page = await (await browser.newContext()).newPage();
await page.goto(`${origin}/blank`);
const { text } = benchLog();
const runs = await page.evaluate(async ({ text, pairs }) => {
  const bytes = new TextEncoder().encode(text);
  const glues = {};
  for (const w of ['a', 'b']) {
    glues[w] = await import(`/${w}/arc_triage.js`);
    await glues[w].default({ module_or_path: `/${w}/arc_triage_bg.wasm` });
    glues[w].classifyBytes(bytes); // warm: patterns compiled, code tiered up
  }
  const time = (w) => {
    const t = performance.now();
    const r = glues[w].classifyBytes(bytes);
    if (r.matches[0]?.id !== 'provider-not-registered') throw new Error(`${w}: wrong answer`);
    return performance.now() - t;
  };
  const out = [];
  for (let i = 0; i < pairs; i += 1) {
    const order = i % 2 ? ['b', 'a'] : ['a', 'b'];
    const t = {};
    for (const w of order) t[w] = time(w);
    out.push(t);
  }
  return out;
}, { text, pairs });
await browser.close();
server.close();

for (const [w, dir] of [['a', dirA], ['b', dirB]]) {
  const wasm = fs.readFileSync(path.join(dir, 'arc_triage_bg.wasm'));
  const gz = zlib.gzipSync(wasm, { level: 9 }).length;
  console.log(`${w.toUpperCase()} ${dir}: ${wasm.length} bytes, gzip -9 ${gz}; prepare() median ${median(startups[w]).toFixed(1)} ms; classifyBytes 10 MB median ${median(runs.map((r) => r[w])).toFixed(1)} ms`);
}
const ratios = runs.map((r) => r.b / r.a);
console.log(`classifyBytes B/A per pair: median ${median(ratios).toFixed(3)} [${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}], ${pairs} pairs`);
