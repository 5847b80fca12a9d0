// Reading a support bundle (the ZIP archive `azcmagent logs` writes) in the browser. The engine
// reads the archive's directory and checks every log (size, CRC-32); the bytes come from the
// Blob in slices and are inflated by the browser's own DecompressionStream, so nothing is loaded
// whole and no inflater ships in the .wasm. Nothing leaves the page.
import { Bundle } from 'arc-triage-wasm';

/** The file name of an archive member's path (`var/opt/azcmagent/log/himds.log` → `himds.log`). */
export function baseName(path) {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Whether a Blob or bytes start like a ZIP archive (a first member, or an empty archive's end
 * record).
 */
export async function isZip(input) {
  let head;
  if (input instanceof Blob) head = new Uint8Array(await input.slice(0, 4).arrayBuffer());
  else if (input instanceof ArrayBuffer) head = new Uint8Array(input, 0, Math.min(4, input.byteLength));
  else if (input instanceof Uint8Array) head = input.subarray(0, 4);
  else return false;
  return head.length === 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/**
 * The archive's logs, as events in archive order: `{skip, why}` for a file not read,
 * `{begin}` when a log starts, `{bytes}` for its inflated bytes, `{damaged}` when it was not
 * whole. Throws, with what to do, when the archive cannot be read at all. `total` (in the first
 * event, `{total}`) is the inflated size of the logs, for progress.
 */
export async function* bundleEvents(blob) {
  if (typeof DecompressionStream !== 'function') {
    throw new Error(
      'this browser cannot unpack ZIP archives (it has no DecompressionStream). Unzip the archive and drop azcmagent.log or himds.log, or use a current Chrome, Edge, Firefox or Safari.',
    );
  }
  const read = async ([start, end]) => new Uint8Array(await blob.slice(start, end).arrayBuffer());
  const len = blob.size;
  const directory = await read(Bundle.locate(await read(Bundle.tailRange(len)), len));
  const bundle = new Bundle(directory, len);
  try {
    const members = bundle.members();
    yield { total: members.reduce((sum, m) => sum + (m.skip ? 0 : m.size), 0) };
    for (const [i, member] of members.entries()) {
      if (member.skip) {
        yield { skip: member.name, why: member.skip };
        continue;
      }
      const data = bundle.begin(i, await read([member.header, member.header + 30]));
      yield { begin: member.name };
      let stream = blob.slice(data[0], data[1]).stream();
      if (member.method === 8) stream = stream.pipeThrough(new DecompressionStream('deflate-raw'));
      const reader = stream.getReader();
      let failed = false;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          const keep = bundle.accept(value);
          yield { bytes: keep === value.length ? value : value.subarray(0, keep) };
          if (keep < value.length) break;
        }
      } catch (e) {
        if (e?.name === 'AbortError') throw e;
        failed = true; // the browser could not inflate the rest: the data is damaged
      } finally {
        reader.cancel().catch(() => {});
      }
      const damaged = bundle.end(failed);
      if (damaged) yield { damaged };
    }
  } finally {
    bundle.free();
  }
}
