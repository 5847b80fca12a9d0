// Seeds for the `classify` fuzz target (fuzz/seeds/classify/): real logs joined past the 4 KB the
// encoding is decided on, as UTF-8, UTF-16 with and without a mark, CRLF, and UTF-16 appended to
// UTF-8 (PowerShell 5's `>>`). Each seed starts with the two bytes the target reads as the piece
// size and the batch. libFuzzer starts small, so without these it rarely reaches the window.
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'fuzz/seeds/classify');
mkdirSync(out, { recursive: true });
const logs = ['fixtures', 'benign'].flatMap((dir) =>
  readdirSync(join(root, 'tests', dir))
    .sort()
    .map((f) =>
      readFileSync(join(root, 'tests', dir, f), 'utf8')
        .split('\n')
        .filter((l) => !l.startsWith('# '))
        .join('\n'),
    ),
);
const utf16 = (text, bom) => Buffer.concat([Buffer.from(bom ? [0xff, 0xfe] : []), Buffer.from(text, 'utf16le')]);
let n = 0;
for (let i = 0; i < logs.length; i += 3) {
  let text = logs.slice(i, i + 6).join('\n');
  while (text.length < 6000) text += `\n${text}`;
  const crlf = text.replace(/\n/g, '\r\n');
  const half = text.lastIndexOf('\n', text.length >> 1) + 1;
  const shapes = [
    Buffer.from(text),
    utf16(crlf, true),
    utf16(crlf, false),
    Buffer.concat([Buffer.from(text.slice(0, half)), utf16(crlf.slice(crlf.indexOf(text.slice(half, half + 20))), i % 2 === 0)]),
  ];
  for (const bytes of shapes) {
    writeFileSync(join(out, `seed-${String(n).padStart(3, '0')}`), Buffer.concat([Buffer.from([n % 256, (n * 7) % 256]), bytes]));
    n += 1;
  }
}
console.log(`${n} seeds in fuzz/seeds/classify`);
