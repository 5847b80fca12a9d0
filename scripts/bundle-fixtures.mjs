// Writes the support-bundle fixtures in tests/bundle/: ZIP archives laid out the way
// `azcmagent logs` lays them out (the logs under their machine paths), built from the project's
// own fixture logs, plus damaged variants. The archives are committed; run this again
// (`node scripts/bundle-fixtures.mjs`) only when their contents should change.
import { zip } from './zip.mjs';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'tests/bundle');
mkdirSync(out, { recursive: true });

/** A fixture log without its `# source:` / `# expect:` header lines. */
function log(path) {
  return readFileSync(join(root, path), 'utf8')
    .split('\n')
    .filter((line) => !line.startsWith('# '))
    .join('\n');
}

const utf16le = (text) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
const crlf = (text) => text.replace(/\n/g, '\r\n');
const agentConfig = JSON.stringify({ tenantid: '', subscriptionid: '', resourcegroup: '' }, null, 2);

// Members: [path, bytes, {stored, flags}]. Folders end with '/'.
const linux = [
  ['var/opt/azcmagent/log/', ''],
  ['var/opt/azcmagent/log/azcmagent.log', log('tests/fixtures/d-tls-unknown-authority-2020.log')],
  ['var/opt/azcmagent/log/himds.log', log('tests/benign/himds-heartbeat.log'), { stored: true }],
  ['var/opt/azcmagent/agentconfig.json', agentConfig],
  ['var/lib/GuestConfig/ext_mgr_logs/gc_ext.log', log('tests/fixtures/b7-gc-ext-log-only.log')],
];
const windows = [
  ['ProgramData/AzureConnectedMachineAgent/Log/azcmagent.log', crlf(log('tests/fixtures/e-missing-subscription-registration.log'))],
  ['ProgramData/AzureConnectedMachineAgent/Log/himds.log', crlf(log('tests/benign/himds-heartbeat.log'))],
  ['ProgramData/AzureConnectedMachineAgent/Log/installationlog.txt', utf16le(crlf(log('tests/fixtures/d8-msi-extension-service.log')))],
  ['ProgramData/AzureConnectedMachineAgent/Log/azcmagent-events.evtx', Buffer.from([0x45, 0x6c, 0x66, 0x46, 0, 0, 0, 0])],
];

/** The archive with every member's declared inflated size set to `size` (a "zip bomb"). */
function declaring(archive, size) {
  const copy = Buffer.from(archive);
  for (let at = copy.indexOf('PK\x01\x02'); at >= 0; at = copy.indexOf('PK\x01\x02', at + 4)) {
    copy.writeUInt32LE(size, at + 24);
  }
  return copy;
}

const write = (name, bytes) => {
  writeFileSync(join(out, name), bytes);
  console.log(`${name}: ${bytes.length} bytes`);
};

const linuxZip = zip(linux);
write('azcmagent-20201020T152324-web01.zip', linuxZip);
write('azcmagent-20201116T101500-SRV01.zip', zip(windows));
// The same archive, cut short while copying: its directory is gone.
write('damaged-cut-short.zip', linuxZip.subarray(0, linuxZip.length - 200));
// One byte of the stored himds.log changed: its checksum no longer matches.
const flipped = Buffer.from(linuxZip);
const himds = flipped.indexOf('Starting Hybrid Instance Metadata Service');
flipped[himds] = 'Z'.charCodeAt(0);
write('damaged-checksum.zip', flipped);
write('password-protected.zip', zip(linux.map(([n, c, o]) => [n, c, { ...o, flags: 1 }])));
write('too-large.zip', declaring(linuxZip, 0x7fffffff));
write('no-logs.zip', zip([['var/opt/azcmagent/agentconfig.json', agentConfig]]));
