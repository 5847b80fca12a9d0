// The command-line half of the support-bundle figures in `npm run bench`: the release CLI on a
// generated 50 MB log, read as a file and as the one log of a support bundle (inflated with
// flate2), medians of 5 whole runs (start-up included).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { benchLog } from './bench-log.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'target/release/arc-triage');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arc-triage-bench-'));
const megabytes = 50;
const { text, archive } = benchLog(megabytes);
const log = path.join(dir, 'azcmagent.log');
const bundle = path.join(dir, 'azcmagent-bench.zip');
fs.writeFileSync(log, text);
fs.writeFileSync(bundle, archive);

function median(file, runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i += 1) {
    const start = process.hrtime.bigint();
    const out = execFileSync(cli, ['--json', file], { maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (JSON.parse(out).matches[0]?.id !== 'provider-not-registered') throw new Error(`wrong answer for ${file}`);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

const size = Buffer.byteLength(text) / (1 << 20);
const row = (label, ms) => console.log(`${label.padEnd(52)} ${ms.toFixed(1).padStart(8)} ms  ${(size / (ms / 1000)).toFixed(0).padStart(5)} MB/s`);
console.log(`\nCLI (release), ${size.toFixed(1)} MB log, whole runs (medians of 5)`);
row('arc-triage azcmagent.log', median(log));
row(`arc-triage bundle.zip    the same log as a ${(archive.length / 1024).toFixed(0)} KB ZIP`, median(bundle));
fs.rmSync(dir, { recursive: true, force: true });
