// The TypeScript declarations in src/wasm.rs are hand-written; nothing in Rust checks them. Here
// the engine's real outputs (a report per fixture, a no-match, streamed and UTF-16 input, the rule
// set's info, rows, labels and retired ids, the lean engine's checkRules error) are written into a .ts file as
// object literals, each assigned to its declared type, and `tsc --strict` checks the file against
// the .d.ts wasm-pack generated. A renamed field is a missing property; a field the engine emits
// but the declaration lacks is an excess property (object literals get that check).
// Runs in node against the wasm-pack output, the module the declarations describe; no browser.
import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const pkg = path.resolve('target/wasm-pkg');
const fixtures = path.resolve('tests/fixtures');

/** Every output, as `[name, declared type, value]`. */
async function outputs() {
  const glue = await import(pathToFileURL(path.join(pkg, 'arc_triage.js')).href);
  glue.initSync({ module: fs.readFileSync(path.join(pkg, 'arc_triage_bg.wasm')) });
  const out = [];
  for (const file of fs.readdirSync(fixtures).filter((f) => f.endsWith('.log')).sort()) {
    out.push([`fixture ${file}`, 'Report', glue.classifyBytes(fs.readFileSync(path.join(fixtures, file)))]);
  }
  out.push(['no match', 'Report', glue.classifyText('time="2024-01-01T00:00:00Z" level=error msg="flux capacitor"')]);
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from("The subscription is not registered to use namespace 'Microsoft.HybridCompute'\r\n", 'utf16le')]);
  out.push(['UTF-16 bytes', 'Report', glue.classifyBytes(utf16)]);
  const analysis = new glue.Analysis(true);
  analysis.feedText('ERROR[0001] Failed to acquire authorization token from SPN  Error="Failed to execute ');
  analysis.feedText("the refresh request. Error = 'Invalid client secret is provided.'\"\n");
  out.push(['streamed', 'Report', analysis.finish()]);
  analysis.free();
  out.push(['prepare()', 'RulesetInfo', glue.prepare()]);
  out.push(['rules()', 'RuleInfo[]', glue.rules()]);
  out.push(['retired()', 'RetiredId[]', glue.retired()]);
  out.push(['labels()', 'Labels', glue.labels()]);
  // The shipped engine has no rule loader (README "Rules compiled at build time"): checkRules
  // keeps its declared type and throws an Error saying where rules are checked.
  try {
    glue.checkRules({ 'rules/table/x.toml': 'id = 1' });
    throw new Error('checkRules answered without a rule loader');
  } catch (e) {
    out.push(['checkRules error', 'Error', { name: e.name, message: e.message }]);
  }
  return out;
}

test('the declared TypeScript types describe what the engine really returns', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const declarations = path.join(pkg, 'arc_triage.d.ts');
  expect(fs.existsSync(declarations), `${declarations} is missing: run \`node scripts/build.mjs\``).toBe(true);
  const found = await outputs();
  const lines = [
    `import type { Analysis, Labels, Report, RetiredId, RuleInfo, RulesetInfo, checkRules, classifyBytes, classifyText, labels, prepare, retired, rules } from ${JSON.stringify(path.join(pkg, 'arc_triage.js'))};`,
    // Each export must return its named type: a missing `unchecked_return_type` makes it `any`,
    // which would accept anything below.
    'type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;',
    'export const returns: true[] = [',
    '  true as Equals<ReturnType<typeof classifyText>, Report>,',
    '  true as Equals<ReturnType<typeof classifyBytes>, Report>,',
    '  true as Equals<ReturnType<Analysis["finish"]>, Report>,',
    '  true as Equals<ReturnType<typeof prepare>, RulesetInfo>,',
    '  true as Equals<ReturnType<typeof checkRules>, RulesetInfo>,',
    '  true as Equals<ReturnType<typeof rules>, RuleInfo[]>,',
    '  true as Equals<ReturnType<typeof retired>, RetiredId[]>,',
    '  true as Equals<ReturnType<typeof labels>, Labels>,',
    '];',
  ];
  found.forEach(([name, type, value], i) => {
    lines.push(`// ${name}`, `export const output${i}: ${type} = ${JSON.stringify(value, null, 1)};`);
  });
  const file = testInfo.outputPath('outputs.ts');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  let diagnostics = '';
  try {
    execFileSync(
      path.resolve('node_modules/.bin/tsc'),
      ['--noEmit', '--strict', '--target', 'esnext', '--module', 'esnext', '--moduleResolution', 'bundler', file],
      { encoding: 'utf8', stdio: 'pipe' },
    );
  } catch (e) {
    diagnostics = `${e.stdout}${e.stderr}`.trim();
  }
  expect(diagnostics, `tsc found outputs that do not fit the declarations in src/wasm.rs (see ${file})`).toBe('');
  // Every kind of output was checked, and the fixtures' reports with them.
  expect(new Set(found.map(([, type]) => type))).toEqual(new Set(['Report', 'RulesetInfo', 'RuleInfo[]', 'RetiredId[]', 'Labels', 'Error']));
  expect(found.length).toBeGreaterThan(50);
});
