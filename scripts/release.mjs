// The release package, written by `npm run build` after dist/:
//   dist/release/arc-triage-<version>/        what a docs site copies, and an npm package
//     arc-triage.js                           the module (defines <arc-triage>, exports the API)
//     arc-triage-<hash>.wasm                  the engine, named by its content: a cache can never
//                                             pair this module with another build's engine
//     arc-triage.html                         the offline file (also where a reader is sent when
//                                             the engine cannot start on a page)
//     embed-example.html                      a plain page using the element (examples/html)
//     arc-triage.d.ts, engine-types.d.ts      types for the element and the API
//     package.json, README.md, LICENSE        the package; the README is for docs maintainers
//     SHA256SUMS                              `sha256sum -c SHA256SUMS` checks every file above
//   dist/release/arc-triage-<version>.tgz     `npm pack` of that folder: `npm i ./arc-triage-<version>.tgz`
//   dist/release/arc-triage-<version>.tgz.sha256
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const sha256hex = (bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * Writes the release folder and its tarball. `buildModule(outfile, wasmFile)` bundles the module
 * so that it loads `wasmFile` from beside itself. Returns the folder's path.
 */
export async function writeRelease({ root, dist, wasmPath, offlinePath, buildModule, fail }) {
  const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const version = pkg.version;
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(version)) fail(`package.json's version "${version}" is not a release version`);
  const name = `arc-triage-${version}`;
  const releases = path.join(dist, 'release');
  const out = path.join(releases, name);
  fs.rmSync(releases, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });

  const wasm = fs.readFileSync(wasmPath);
  const wasmFile = `arc-triage-${sha256hex(wasm).slice(0, 12)}.wasm`;
  fs.writeFileSync(path.join(out, wasmFile), wasm);
  await buildModule(path.join(out, 'arc-triage.js'), wasmFile);
  const module = fs.readFileSync(path.join(out, 'arc-triage.js'), 'utf8');
  if (!module.includes(wasmFile)) fail(`the release module does not name ${wasmFile}`);
  fs.copyFileSync(offlinePath, path.join(out, 'arc-triage.html'));

  // The plain-HTML recipe, with the module beside it instead of in an arc-triage/ folder.
  const example = fs.readFileSync(path.join(root, 'examples', 'html', 'index.html'), 'utf8');
  if (!example.includes('"arc-triage/arc-triage.js"')) fail('examples/html/index.html no longer loads "arc-triage/arc-triage.js"');
  fs.writeFileSync(path.join(out, 'embed-example.html'), example.replaceAll('"arc-triage/', '"./'));

  // Types: the element and API by hand; the report's shape from the engine binding's declarations.
  fs.copyFileSync(path.join(root, 'www', 'release', 'arc-triage.d.ts'), path.join(out, 'arc-triage.d.ts'));
  const engineTypes = fs.readFileSync(path.join(root, 'target', 'wasm-pkg', 'arc_triage.d.ts'), 'utf8');
  // The data types come first; the generated classes and functions (the raw binding, which the
  // module wraps) start at the first class, after its doc comment.
  const end = engineTypes.search(/^export (declare )?class /m);
  if (end === -1) fail('cannot find where the data types end in target/wasm-pkg/arc_triage.d.ts');
  const types = engineTypes
    .slice(0, end)
    .replace(/\/\*\*(?:(?!\*\/)[\s\S])*\*\/\s*$/, '')
    .replace(/^\/\* (tslint|eslint)[^\n]*\n/gm, '')
    .trim();
  fs.writeFileSync(path.join(out, 'engine-types.d.ts'), `// The report and its parts, as the engine's binding (src/wasm.rs) declares them.\n${types}\n`);

  const readme = fs.readFileSync(path.join(root, 'www', 'release', 'README.md'), 'utf8');
  fs.writeFileSync(path.join(out, 'README.md'), readme.replaceAll('{{version}}', version).replaceAll('{{wasm}}', wasmFile));
  fs.copyFileSync(path.join(root, 'LICENSE'), path.join(out, 'LICENSE'));

  // No scripts at all (so none runs on install), no dependencies, and only these files.
  const files = ['arc-triage.js', wasmFile, 'arc-triage.html', 'embed-example.html', 'arc-triage.d.ts', 'engine-types.d.ts', 'SHA256SUMS'];
  const manifest = {
    name: 'arc-triage',
    version,
    description: pkg.description,
    license: pkg.license,
    type: 'module',
    exports: {
      '.': { types: './arc-triage.d.ts', default: './arc-triage.js' },
      './arc-triage.js': { types: './arc-triage.d.ts', default: './arc-triage.js' },
      './arc-triage.wasm': `./${wasmFile}`,
      './arc-triage.html': './arc-triage.html',
      './package.json': './package.json',
    },
    types: './arc-triage.d.ts',
    files,
    sideEffects: ['./arc-triage.js'],
    browser: './arc-triage.js',
  };
  fs.writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

  const listed = ['arc-triage.js', wasmFile, 'arc-triage.html', 'embed-example.html', 'arc-triage.d.ts', 'engine-types.d.ts', 'package.json', 'README.md', 'LICENSE'];
  const sums = listed.map((f) => `${sha256hex(fs.readFileSync(path.join(out, f)))}  ${f}\n`).join('');
  fs.writeFileSync(path.join(out, 'SHA256SUMS'), sums);

  // npm pack gives every entry a fixed date, so the same files make the same tarball.
  const packed = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', releases], { cwd: out, encoding: 'utf8' }).trim();
  const tgz = path.join(releases, packed.split('\n').pop());
  if (path.basename(tgz) !== `${name}.tgz`) fail(`npm pack wrote ${tgz}, expected ${name}.tgz`);
  fs.writeFileSync(`${tgz}.sha256`, `${sha256hex(fs.readFileSync(tgz))}  ${path.basename(tgz)}\n`);
  return { out, tgz, wasmFile, version };
}
