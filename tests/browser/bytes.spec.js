// How input reaches the engine: pasted text is encoded by TextEncoder.encodeInto straight into a
// buffer in wasm memory, a slice at a time, so its size in wasm memory does not depend on the
// characters in it; a dropped file is read with blob.stream(), and where the stream fails, in
// slices from where it stopped. The answer is the same as for the whole input in one call.
import { test, expect, ROWS } from './fixtures.js';

const FAILURE = ROWS['provider-not-registered'];
const CHATTER = 'time="2024-05-01T10:00:00Z" level=debug msg="Sending heartbeat" Endpoint="https://weu.his.arc.azure.com/machine/status"\n';

/**
 * The module's API as `window.api` on the site's page, and the engine's memory as
 * `window.wasmMemory`. `onPage`: no Worker, so analyse() reads files on the page, where a test
 * can patch a Blob's reading (a Blob sent to the worker is read there, unpatched; the reading
 * code, www/src/slices.js, is the same in both).
 */
async function openApi(page, { onPage = false } = {}) {
  if (onPage) await page.addInitScript(() => delete window.Worker);
  await page.addInitScript(() => {
    // The page does not expose the engine's memory: catch it as the glue instantiates it.
    const instantiate = WebAssembly.instantiate;
    WebAssembly.instantiate = async function (...args) {
      const out = await instantiate.apply(this, args);
      window.wasmMemory = (out.instance ?? out).exports.memory;
      return out;
    };
  });
  await page.goto('./');
  await page.evaluate(async () => {
    window.api = await import('./arc-triage.js');
    await window.api.init();
  });
}

test('a large paste with a non-ASCII character near the top grows wasm memory by the engine\'s batch, not three times its size', async ({ page }) => {
  test.setTimeout(120_000);
  await openApi(page);
  const out = await page.evaluate(
    async ({ chatter, failure }) => {
      // 96 MB, one ✓ in the first line: wasm-bindgen's string passing reserved three times the
      // rest of the text from there (288 MB), which wasm memory never gives back. The engine's
      // own working memory does not grow with the input (its batch of records, the patterns'
      // caches): 16-52 MB here, depending on what ran before.
      const text = `✓ agent installed\n${chatter.repeat(Math.ceil((96 << 20) / chatter.length))}${failure}\n`;
      const before = window.wasmMemory.buffer.byteLength;
      const report = window.api.classify(text);
      return {
        bytes: text.length + 2, // ✓ is one UTF-16 code unit and three bytes of UTF-8; the rest ASCII
        grown: window.wasmMemory.buffer.byteLength - before,
        id: report.matches[0]?.id,
        invalid: report.input.invalid_sequences,
      };
    },
    { chatter: CHATTER, failure: FAILURE },
  );
  expect(out.id).toBe('provider-not-registered');
  expect(out.invalid).toBe(0);
  const said = `wasm memory grew ${(out.grown / 2 ** 20).toFixed(1)} MiB for a paste of ${(out.bytes / 2 ** 20).toFixed(1)} MiB`;
  test.info().annotations.push({ type: 'memory', description: said });
  expect(out.grown, said).toBeLessThan(out.bytes / 1.5);
});

test('a character outside the BMP cut by a slice edge reaches the engine whole, pasted or classified', async ({ page }) => {
  await openApi(page);
  const out = await page.evaluate(async (failure) => {
    // The failure line carries 🔥 (a surrogate pair) across each slice edge engine.js uses:
    // 16 Ki code units (the widget's paste), 64 Ki (classify), and the 16 Ki edges in between.
    const results = [];
    for (const edge of [16 << 10, 32 << 10, 64 << 10]) {
      const line = failure.replace("HybridCompute'", "HybridCompute' 🔥");
      const cut = line.indexOf('🔥') + 1; // the low surrogate's index within the line
      const filler = 'x'.repeat(edge - cut - 1) + '\n';
      const text = filler + line + '\n';
      if (text.charCodeAt(edge - 1) !== 0xd83d) throw new Error('the pair does not straddle the edge');
      for (const report of [window.api.classify(text), await window.api.analyse(text)]) {
        const shown = report.matches[0]?.evidence[0]?.lines[0]?.text ?? '';
        results.push({ edge, id: report.matches[0]?.id, whole: shown.includes('🔥'), replaced: shown.includes('\ufffd'), invalid: report.input.invalid_sequences });
      }
    }
    return results;
  }, FAILURE);
  for (const r of out) expect(r).toEqual({ edge: r.edge, id: 'provider-not-registered', whole: true, replaced: false, invalid: 0 });
});

test('text pasted in pieces gives the report of the same text as bytes in one call', async ({ page }) => {
  await openApi(page);
  const out = await page.evaluate(async ({ chatter, failure }) => {
    // Non-ASCII of every UTF-8 length, around many slice edges, and CRLF.
    const mixed = 'Échec — 連線失敗 🔥 ' + chatter.replace('\n', '\r\n');
    const text = mixed.repeat(3000) + failure + '\r\n' + mixed.repeat(10);
    const bytes = new TextEncoder().encode(text);
    const strip = (r) => JSON.stringify(r);
    return {
      size: text.length,
      classify: strip(window.api.classify(text)) === strip(window.api.classifyBytes(bytes)),
      analyse: strip(await window.api.analyse(text)) === strip(window.api.classifyBytes(bytes)),
      id: window.api.classify(text).matches[0]?.id,
    };
  }, { chatter: CHATTER, failure: FAILURE });
  expect(out.size).toBeGreaterThan(64 << 10);
  expect(out).toMatchObject({ classify: true, analyse: true, id: 'provider-not-registered' });
});

test('a dropped file is read through blob.stream(), and a stream that fails part-way is read on from where it stopped', async ({ page }) => {
  await openApi(page, { onPage: true });
  const out = await page.evaluate(async ({ chatter, failure }) => {
    const text = chatter.repeat(Math.ceil((3 << 20) / chatter.length)) + failure + '\n';
    const bytes = new TextEncoder().encode(text);
    const whole = JSON.stringify(window.api.classifyBytes(bytes));
    const calls = { stream: 0, slices: 0 };
    const slice = Blob.prototype.slice;
    Blob.prototype.slice = function (...args) {
      // isZip() reads the first 4 bytes; anything larger is a read of the file's content.
      if ((args[1] ?? this.size) - (args[0] ?? 0) > 4) calls.slices += 1;
      return slice.apply(this, args);
    };
    const stream = Blob.prototype.stream;
    Blob.prototype.stream = function () {
      calls.stream += 1;
      return stream.call(this);
    };
    const streamed = JSON.stringify(await window.api.analyse(new Blob([bytes])));
    const used = { ...calls };

    // A stream that delivers 1 MB and a bit (not a slice edge) and then fails, as a file
    // changed on disk does; and one that cannot be opened at all.
    const failing = new Blob([bytes]);
    failing.stream = () => {
      const reader = stream.call(failing).getReader();
      let sent = 0;
      return new ReadableStream({
        async pull(controller) {
          if (sent > (1 << 20) + 777) {
            controller.error(new DOMException('The file changed while it was read.', 'NotReadableError'));
            return;
          }
          const { done, value } = await reader.read();
          if (done) controller.close();
          else {
            sent += value.length;
            controller.enqueue(value);
          }
        },
      });
    };
    const resumed = JSON.stringify(await window.api.analyse(failing));
    const unopenable = new Blob([bytes]);
    unopenable.stream = () => {
      throw new TypeError('streams are not available here');
    };
    const sliced = JSON.stringify(await window.api.analyse(unopenable));
    Blob.prototype.slice = slice;
    Blob.prototype.stream = stream;
    return { used, streamed: streamed === whole, resumed: resumed === whole, sliced: sliced === whole, id: JSON.parse(resumed).matches[0]?.id };
  }, { chatter: CHATTER, failure: FAILURE });
  expect(out.used).toEqual({ stream: 1, slices: 0 });
  expect(out).toMatchObject({ streamed: true, resumed: true, sliced: true, id: 'provider-not-registered' });
});

test('a file whose slices fail too gets the reading error, and Stop while streaming is a stop, not a failure to retry', async ({ page }) => {
  await openApi(page, { onPage: true });
  const out = await page.evaluate(async (chatter) => {
    const bytes = new TextEncoder().encode(chatter.repeat(200_000));
    const broken = new Blob([bytes]);
    broken.stream = () => {
      throw new TypeError('no stream');
    };
    const whole = broken.slice.bind(broken);
    // The first 4 bytes (isZip) read; the file's content does not.
    broken.slice = (start, end) =>
      end - start > 4 ? { arrayBuffer: () => Promise.reject(new DOMException('The file could not be read.', 'NotReadableError')) } : whole(start, end);
    let failed;
    try {
      await window.api.analyse(broken);
      failed = 'no error';
    } catch (e) {
      failed = `${e.name}: ${e.message}`;
    }
    // Stopped once the stream has delivered something: no slice is read after it.
    const controller = new AbortController();
    const file = new Blob([bytes]);
    let sliced = 0;
    const slice = file.slice.bind(file);
    file.slice = (...args) => {
      if ((args[1] ?? file.size) - (args[0] ?? 0) > 4) sliced += 1;
      return slice(...args);
    };
    let stopped;
    try {
      await window.api.analyse(file, { signal: controller.signal, onProgress: () => controller.abort() });
      stopped = 'finished';
    } catch (e) {
      stopped = e.name;
    }
    return { failed, stopped, sliced };
  }, CHATTER);
  expect(out).toEqual({ failed: 'NotReadableError: The file could not be read.', stopped: 'AbortError', sliced: 0 });
});
