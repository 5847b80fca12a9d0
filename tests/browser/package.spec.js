// The npm package `npm run build` writes (dist/release/arc-triage-<version>.tgz), installed the way
// a docs site installs it, into an empty project: its manifest (exports, files, types, no install
// scripts), its checksums, its TypeScript types compiled against a consumer, and the element used
// on a blank page served from node_modules.
import { test, expect, ROWS, widget, ready } from './fixtures.js';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveStatic } from '../recipes/static-server.mjs';

const releases = path.resolve('dist/release');

function tarball() {
  const found = fs.readdirSync(releases).filter((f) => /^arc-triage-\d+\.\d+\.\d+.*\.tgz$/.test(f));
  expect(found, 'one tarball in dist/release').toHaveLength(1);
  return path.join(releases, found[0]);
}

test.describe.configure({ mode: 'serial' });

let project;
test.beforeAll(() => {
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'arc-triage-package-'));
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'blank-docs-site', private: true, type: 'module' }));
  execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', tarball()], { cwd: project, stdio: 'pipe' });
});
test.afterAll(() => fs.rmSync(project, { recursive: true, force: true }));

test('the tarball installs: exports, files, types, no scripts, and every file matches SHA256SUMS', async () => {
  const installed = path.join(project, 'node_modules', 'arc-triage');
  const manifest = JSON.parse(fs.readFileSync(path.join(installed, 'package.json'), 'utf8'));
  const version = JSON.parse(fs.readFileSync('package.json', 'utf8')).version;
  expect(manifest.version).toBe(version);
  expect(manifest.scripts, 'no scripts, so nothing runs on install').toBeUndefined();
  expect(manifest.dependencies).toBeUndefined();
  expect(manifest.types).toBe('./arc-triage.d.ts');
  const require = createRequire(path.join(project, 'index.js'));
  expect(require.resolve('arc-triage')).toBe(path.join(installed, 'arc-triage.js'));
  const wasm = require.resolve('arc-triage/arc-triage.wasm');
  expect(path.basename(wasm)).toMatch(/^arc-triage-[0-9a-f]{12}\.wasm$/);
  // The engine's name is its content's hash, and the module loads exactly that file.
  const wasmBytes = fs.readFileSync(wasm);
  expect(path.basename(wasm)).toBe(`arc-triage-${createHash('sha256').update(wasmBytes).digest('hex').slice(0, 12)}.wasm`);
  expect(fs.readFileSync(path.join(installed, 'arc-triage.js'), 'utf8')).toContain(path.basename(wasm));
  const sums = fs.readFileSync(path.join(installed, 'SHA256SUMS'), 'utf8').trim().split('\n');
  const listed = sums.map((line) => line.split(/\s+/)[1]).sort();
  expect(listed).toEqual(fs.readdirSync(installed).filter((f) => f !== 'SHA256SUMS').sort());
  for (const line of sums) {
    const [sum, file] = line.split(/\s+/);
    expect(createHash('sha256').update(fs.readFileSync(path.join(installed, file))).digest('hex'), file).toBe(sum);
  }
});

test('the types describe the element, its event and the API to a strict TypeScript consumer', async () => {
  fs.writeFileSync(
    path.join(project, 'consumer.ts'),
    `import { init, classify, analyse, reply, type Report, type ArcTriageElement, type Diagnosis } from 'arc-triage';
const element: ArcTriageElement = document.createElement('arc-triage');
element.setAttribute('mode', 'row');
const last: Report | null = element.report;
element.addEventListener('arc-triage-report', (event) => {
  const first: Diagnosis | undefined = event.detail.matches[0];
  console.log(first?.id, first?.confidence);
});
document.addEventListener('arc-triage-report', (event) => console.log(event.detail.ruleset.version));
await element.analyse('log text');
const info = await init();
const version: string = info.version;
const report: Report = classify('log text');
const big: Report = await analyse(new Blob(['log']), { onProgress: (done, total) => console.log(done / total) });
const text: string = reply(report, { format: 'text' });
// @ts-expect-error the report is read-only data from the element, not something a page sets
element.report = report;
// @ts-expect-error classify takes text, not bytes
classify(new Uint8Array(4));
console.log(last, version, big, text);
`,
  );
  fs.writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'], skipLibCheck: false },
      files: ['consumer.ts'],
    }),
  );
  const tsc = path.resolve('node_modules/.bin/tsc');
  let output = '';
  try {
    execFileSync(tsc, ['-p', project], { encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    output = `${e.stdout}${e.stderr}`;
  }
  expect(output).toBe('');
});

test('a blank page uses the element straight from node_modules', async ({ page }) => {
  fs.writeFileSync(
    path.join(project, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>blank</title><link rel="icon" href="data:,">
<script type="module" src="node_modules/arc-triage/arc-triage.js"></script></head>
<body><arc-triage></arc-triage></body></html>`,
  );
  const site = await serveStatic(project);
  try {
    await page.goto(`${site.url}index.html`);
    const w = widget(page);
    await ready(w);
    await w.log.fill(ROWS['arm-authorization-failed']);
    await expect(w.first).toHaveAttribute('data-rule-id', 'arm-authorization-failed');
  } finally {
    await site.close();
  }
});
