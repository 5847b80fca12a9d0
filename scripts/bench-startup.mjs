// Start-up figures for `npm run bench` (issue 11's targets), each in a fresh browser context so
// nothing is cached between rounds: navigation to engine ready for the site (dist/ over HTTP on
// loopback) and for the offline file, and `prepare()` alone (the built-in rules turned into a
// classifier inside the wasm). `node scripts/bench-startup.mjs [rounds]`; prints medians and ranges.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch, serve } from './headless.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// DIST and PKG name another build's dist/ and target/wasm-pkg/ (to compare two builds).
const dist = path.resolve(process.env.DIST ?? path.join(root, 'dist'));
const pkg = path.resolve(process.env.PKG ?? path.join(root, 'target', 'wasm-pkg'));
const rounds = Number(process.argv[2] ?? 10);
// The floor: pages that do nothing, the site's shape (a page, its style sheet and a module script
// over HTTP) and the offline file's (one file with an inline script), timed the same way. What a
// fresh context costs before any of arc-triage's own work can start.
const floor = fs.mkdtempSync(path.join(os.tmpdir(), 'arc-triage-floor-'));
fs.writeFileSync(path.join(floor, 'index.html'), '<!doctype html><title>floor</title><link rel="stylesheet" href="/page.css"><p>Nothing here.</p><script type="module" src="/floor/nothing.js"></script>');
fs.writeFileSync(path.join(floor, 'nothing.js'), 'window.ran = performance.now();');
fs.writeFileSync(path.join(floor, 'offline.html'), '<!doctype html><title>floor</title><p>Nothing here.</p><script>window.ran = performance.now();</script>');
// dist/ at /, the wasm-bindgen glue (the same .wasm, without the page) at /pkg/, the floor at /floor/.
const server = await serve((url) => {
  if (url.startsWith('/pkg/')) return path.join(pkg, url.slice(5));
  if (url.startsWith('/floor/')) return path.join(floor, url.slice(7));
  return path.join(dist, url.endsWith('/') ? `${url}index.html` : url);
});
const { origin } = server;
const browser = await launch();

async function fresh(fn) {
  const context = await browser.newContext();
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

const figures = { site: [], offline: [], prepare: [], firstAnswer: [], floorSite: [], floorOffline: [] };
const ran = (page) => page.waitForFunction(() => window.ran).then((h) => h.jsonValue());
for (let i = 0; i < rounds; i += 1) {
  figures.floorSite.push(await fresh(async (page) => {
    await page.goto(`${origin}/floor/index.html`);
    return ran(page);
  }));
  figures.floorOffline.push(await fresh(async (page) => {
    await page.goto(pathToFileURL(path.join(floor, 'offline.html')).href);
    return ran(page);
  }));
  figures.site.push(await fresh(async (page) => {
    await page.goto(`${origin}/index.html`);
    // The page's own module instance (same URL): its init() is the one the element started.
    return page.evaluate(async () => {
      const m = await import('/arc-triage.js');
      await m.init();
      return performance.now();
    });
  }));
  figures.offline.push(await fresh(async (page) => {
    await page.goto(pathToFileURL(path.join(dist, 'arc-triage.html')).href);
    return page.evaluate(async () => {
      await window.arcTriage.init();
      return performance.now();
    });
  }));
  const [prepare, firstAnswer] = await fresh(async (page) => {
    await page.goto(`${origin}/blank`);
    return page.evaluate(async () => {
      const glue = await import('/pkg/arc_triage.js');
      await glue.default({ module_or_path: '/pkg/arc_triage_bg.wasm' });
      const t0 = performance.now();
      glue.prepare();
      const t1 = performance.now();
      const lines = Array.from({ length: 50 }, (_, n) => `time="2026-11-27T10:00:${String(n).padStart(2, '0')}Z" level=info msg="Connecting"`);
      lines.push('level=fatal msg="Failed" Error="The subscription is not registered to use namespace \'Microsoft.HybridCompute\'"');
      const report = glue.classifyText(lines.join('\n'));
      if (report.matches[0]?.id !== 'provider-not-registered') throw new Error('wrong answer');
      return [t1 - t0, performance.now() - t1];
    });
  });
  figures.prepare.push(prepare);
  figures.firstAnswer.push(firstAnswer);
}
await browser.close();
server.close();
fs.rmSync(floor, { recursive: true, force: true });

const summary = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${s[s.length >> 1].toFixed(1)} ms [${s[0].toFixed(1)}-${s[s.length - 1].toFixed(1)}]`;
};
console.log(`Start-up, ${rounds} fresh contexts each (median [min-max]):`);
console.log(`  site: navigation to engine ready           ${summary(figures.site)}`);
console.log(`  offline file: navigation to engine ready   ${summary(figures.offline)}`);
console.log(`  prepare() (rules → classifier, in wasm)    ${summary(figures.prepare)}`);
console.log(`  first answer, 51-line paste, after ready   ${summary(figures.firstAnswer)}`);
console.log('The floor, pages that do nothing (same method):');
console.log(`  site's shape: navigation to its module run  ${summary(figures.floorSite)}`);
console.log(`  offline file's shape: to its script run    ${summary(figures.floorOffline)}`);
