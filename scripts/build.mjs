// `npm run build`: the WASM engine (wasm-pack, release with wasm-opt) and the three deliverables:
//   dist/index.html + dist/arc-triage.js + dist/arc_triage_bg.wasm   the site, and the embed module
//   dist/arc-triage.html                                              one self-contained offline file
//   dist/embed-example.html                                           a docs-like page embedding two elements
//   dist/release/arc-triage-<version>/ and its .tgz                   the release package (scripts/release.mjs)
// `--dev` skips wasm-opt and minification. Prints the gzip sizes of what ships.
// `--floor` builds the measuring engine of `npm run bench` instead (Cargo feature `floor`: it
// confirms no candidate) into target/floor-dist/, never into dist/, and makes no release.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { pathToFileURL } from 'node:url';
import zlib from 'node:zlib';
import * as esbuild from 'esbuild';
import { writeRelease } from './release.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dev = process.argv.includes('--dev');
const floor = process.argv.includes('--floor');
const dist = path.join(root, floor ? 'target/floor-dist' : 'dist');
const pkg = path.join(root, 'target', floor ? 'floor-pkg' : 'wasm-pkg');
const www = path.join(root, 'www');

function fail(message) {
  console.error(`build failed: ${message}`);
  process.exit(1);
}

// Debian's wasm-opt (binaryen 108) silently corrupts current wasm-bindgen output; npm's
// binaryen 132 is first on PATH so wasm-pack picks it.
const env = { ...process.env, PATH: `${path.join(root, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH}` };
// The floor compiles in a target directory of its own: the wasm's file name carries no feature,
// so in a shared one a build running beside it could pick up the other's engine.
if (floor) env.CARGO_TARGET_DIR = path.join(root, 'target', 'floor-wasm');
try {
  execFileSync(
    'wasm-pack',
    [
      'build', '--target', 'web', dev ? '--dev' : '--release', '--out-dir', pkg, '--out-name', 'arc_triage', '--no-pack', '--mode', 'no-install',
      // The release profile is tuned for the native CLI's speed; the wasm is built for size (Cargo.toml).
      '--',
      ...(dev ? [] : ['--config', 'profile.release.opt-level="s"']),
      ...(floor ? ['--features', 'floor'] : []),
    ],
    { cwd: root, env, stdio: 'inherit' },
  );
} catch (e) {
  fail(`wasm-pack exited with ${e.status ?? e.message}. Run \`bash scripts/bootstrap.sh\` if a tool is missing.`);
}

// The offline file carries the engine compressed (raw DEFLATE, which the browser's
// DecompressionStream inflates): base64 of the compressed bytes is about 45% of base64 of the
// .wasm itself.
const wasmBytes = fs.readFileSync(path.join(pkg, 'arc_triage_bg.wasm'));
fs.writeFileSync(path.join(pkg, 'arc_triage_bg.wasm.deflate'), zlib.deflateRawSync(wasmBytes, { level: 9 }));

// Load what was just built, once, as a smoke test and for the rule set's identity, before
// anything is written to dist/. The floor confirms nothing, so it must name no rule: that is how
// it is told from an engine.
const glue = await import(pathToFileURL(path.join(pkg, 'arc_triage.js')).href);
glue.initSync({ module: wasmBytes });
const ruleset = glue.prepare();
const smoke = glue.classifyText("The subscription is not registered to use namespace 'Microsoft.HybridCompute'").matches[0]?.id;
if (floor ? smoke !== undefined : smoke !== 'provider-not-registered') {
  fail(`the freshly built ${floor ? 'floor named a rule: it is not the floor' : 'engine does not diagnose the smoke-test line; the wasm is broken'}`);
}

fs.rmSync(dist, { recursive: true, force: true });
fs.mkdirSync(dist, { recursive: true });

// The page's public address (ARC_TRIAGE_PUBLIC_URL): the links and replies the offline file
// copies point there, since its own file:// address opens for nobody else.
const publicUrl = process.env.ARC_TRIAGE_PUBLIC_URL ?? '';
if (publicUrl && !/^https:\/\/[^\s#]+$/.test(publicUrl)) {
  fail(`ARC_TRIAGE_PUBLIC_URL must be an https:// address without a #fragment, not "${publicUrl}"`);
}

const common = {
  define: { __ARC_TRIAGE_PUBLIC_URL__: JSON.stringify(publicUrl) },
  absWorkingDir: root,
  bundle: true,
  minify: !dev,
  legalComments: 'none',
  // The element's CSS uses light-dark(), so these are the oldest browsers it supports.
  target: ['chrome123', 'edge123', 'firefox120', 'safari17.5'],
  loader: { '.css': 'text', '.deflate': 'base64', '.txt': 'text' },
  alias: {
    'arc-triage-wasm': `./${path.relative(root, pkg)}/arc_triage.js`,
    'arc-triage-wasm-deflated': `./${path.relative(root, pkg)}/arc_triage_bg.wasm.deflate`,
    'arc-triage-worker': `./${path.relative(root, pkg)}/arc_triage_worker.txt`,
  },
  logLevel: 'warning',
  // The glue's fallback `new URL(..., import.meta.url)` is never reached: init() always names
  // the wasm (URL in the module build, bytes in the single file).
  logOverride: { 'empty-import-meta': 'silent' },
};

// The engine's worker (www/src/worker.js) as one classic script, carried as text inside each
// build below and started from a blob: URL, so no build has a worker file to fetch or lose.
const worker = await esbuild.build({ ...common, entryPoints: ['www/src/worker.js'], format: 'iife', write: false });
fs.writeFileSync(path.join(pkg, 'arc_triage_worker.txt'), worker.outputFiles[0].text);

/** The module, loading `wasmFile` from beside itself. */
const buildModule = (outfile, wasmFile) =>
  esbuild.build({
    ...common,
    define: { ...common.define, __ARC_TRIAGE_WASM_FILE__: JSON.stringify(wasmFile) },
    entryPoints: ['www/src/arc-triage.js'],
    format: 'esm',
    outfile,
  });
await buildModule(path.join(dist, 'arc-triage.js'), 'arc_triage_bg.wasm');
fs.copyFileSync(path.join(pkg, 'arc_triage_bg.wasm'), path.join(dist, 'arc_triage_bg.wasm'));
for (const file of ['index.html', 'page.css', 'embed-example.html']) {
  fs.copyFileSync(path.join(www, file), path.join(dist, file));
}

// The single file: one classic inline script (engine bytes inside) and one inline style, each
// allowed by its hash in the Content-Security-Policy rather than by 'unsafe-inline'.
const standalone = await esbuild.build({
  ...common,
  entryPoints: ['www/src/standalone.js'],
  format: 'iife',
  write: false,
});
let script = standalone.outputFiles[0].text.replaceAll('</script', '<\\/script');
if (script.includes('<!--')) fail('the inlined script contains "<!--", which HTML parses specially inside <script>');
const style = fs.readFileSync(path.join(www, 'page.css'), 'utf8');
if (style.includes('</style')) fail('page.css contains "</style"');
const sha256 = (text) => `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
const values = {
  script,
  style,
  'script-hash': sha256(script),
  'style-hash': sha256(style),
  version: ruleset.version,
  built: new Date().toISOString().slice(0, 10),
};
const template = fs.readFileSync(path.join(www, 'standalone.html'), 'utf8');
const html = template.replace(/\{\{([a-z-]+)\}\}/g, (whole, key) => {
  if (!(key in values)) fail(`www/standalone.html uses an unknown placeholder ${whole}`);
  return values[key];
});
fs.writeFileSync(path.join(dist, 'arc-triage.html'), html);

const release = floor
  ? null
  : await writeRelease({
      root,
      dist,
      wasmPath: path.join(dist, 'arc_triage_bg.wasm'),
      offlinePath: path.join(dist, 'arc-triage.html'),
      buildModule,
      fail,
    });

// What ships, raw and gzipped (-9), so size regressions are visible in every build.
const sizes = {};
for (const file of ['arc_triage_bg.wasm', 'arc-triage.js', 'arc-triage.html', 'index.html']) {
  const bytes = fs.readFileSync(path.join(dist, file));
  sizes[file] = { bytes: bytes.length, gzip: zlib.gzipSync(bytes, { level: 9 }).length };
}
fs.writeFileSync(path.join(dist, 'build-info.json'), `${JSON.stringify({ ruleset, dev, floor, sizes }, null, 2)}\n`);
console.log(`\nBuilt ${path.relative(root, dist)}/ (${floor ? 'the floor: confirms nothing, for measuring only' : dev ? 'dev' : 'release'}), rule set ${ruleset.version} (${ruleset.rules} rules, hash ${ruleset.hash})`);
for (const [file, s] of Object.entries(sizes)) {
  console.log(`  ${file.padEnd(20)} ${(s.bytes / 1024).toFixed(1).padStart(8)} KB   gzip ${(s.gzip / 1024).toFixed(1).padStart(7)} KB`);
}
if (release) console.log(`Release: ${path.relative(root, release.out)}/ and ${path.relative(root, release.tgz)} (engine ${release.wasmFile})`);
