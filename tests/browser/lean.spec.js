// The shipped engine is the lean build (README "Rules compiled at build time"): its rules come
// precompiled from build.rs, so the .wasm carries no TOML parser, no rule lint and none of the
// rules' samples and near-misses. This reads dist/arc_triage_bg.wasm for what each would leave
// behind (data segments are stored uncompressed), beside the rule ids that must be there.
// Runs in node against the release build; no browser.
import { test, expect } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';

const wasmPath = path.resolve('dist/arc_triage_bg.wasm');

/** Each rule file's path, and its `why = "..."` lines (near-misses; the manifest's retired ids too). */
function ruleFiles() {
  return fs.readdirSync('rules', { recursive: true })
    .filter((f) => f.endsWith('.toml'))
    .map((f) => ({ file: f, text: fs.readFileSync(path.join('rules', f), 'utf8') }));
}

test('the shipped .wasm has the rules but no TOML parser, lint, samples or near-misses', () => {
  expect(fs.existsSync(wasmPath), `${wasmPath} is missing: run \`node scripts/build.mjs\``).toBe(true);
  const wasm = fs.readFileSync(wasmPath).toString('latin1');
  const rules = ruleFiles().filter((r) => !r.file.endsWith('ruleset.toml') && !r.file.endsWith('_folder.toml'));
  // What must be there: every rule's id (and so, the check can see the data segments).
  const ids = rules.map((r) => /^id = "([^"]+)"/m.exec(r.text)[1]);
  expect(ids.length).toBeGreaterThan(100);
  expect(ids.filter((id) => !wasm.includes(`"${id}"`) && !wasm.includes(id))).toEqual([]);
  // What must not: the near-misses' reasons (they exist only in the rule files' [[near_miss]]
  // tables; from 32 characters, since a short one such as "the resource was created" can be
  // words of a rule's cause), the names of the TOML tables the loader reads them from, and text of the TOML parser
  // and of the lint.
  const whys = rules.flatMap((r) => [...r.text.matchAll(/^why = "(.{32,})"$/gm)].map((m) => m[1]));
  expect(whys.length).toBeGreaterThan(100);
  expect.soft(whys.filter((why) => wasm.includes(why))).toEqual([]);
  const telltales = {
    'serde field names of [[sample]] / [[near_miss]]': 'near_miss',
    'the TOML parser': 'TOML',
    'the TOML date-time type': 'datetime',
    'the lint (its kebab-case message)': 'is not kebab-case',
    'the lint (its missing-sample message)': 'has no [[sample]]',
  };
  expect.soft(Object.entries(telltales).filter(([, s]) => wasm.includes(s)).map(([what]) => what)).toEqual([]);
});
