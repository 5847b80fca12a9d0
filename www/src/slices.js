// The engine's work on a log of any size, in slices, on whichever thread runs it: the page's
// own (the fallback where no worker may run) or the worker's (www/src/worker.js). Each call into
// the engine does one slice of work, and the thread gets a turn at least every YIELD_MS, so a
// page running this keeps answering input and Stop, and a worker running it hears its messages.
//
// Input reaches wasm memory without a detour: text is encoded by `TextEncoder.encodeInto`
// straight into a buffer the engine owns (`Analysis.inputBuffer`), one slice at a time, and a
// file is read with `blob.stream()` and never becomes a string.
import { Analysis } from 'arc-triage-wasm';
import { isZip, bundleEvents } from './bundle.js';

/**
 * Inputs are fed to the engine in slices of this size, and the engine scans that much at
 * a time, so no call holds the page longer than the work on one slice (a few milliseconds on a
 * real log; about 50 ms on the costliest crafted text, README "Crafted text").
 */
export const SLICE_BYTES = 16 << 10;
/**
 * The worker's slices: its thread is not the page's, so a slice only bounds how long Stop and
 * progress wait (a few milliseconds on a real log, about 150 ms on the costliest crafted text),
 * and fewer, larger calls cost less (a tenth of a dropped file's time went to 16 KB slices).
 */
export const WORKER_SLICE_BYTES = 256 << 10;
/**
 * Where `blob.stream()` fails, a dropped file is read this much at a time instead (each read is
 * a new buffer for the collector).
 */
const READ_BYTES = 256 << 10;

/** The page gets a turn (input, paint, Stop) at least this often while the engine works. */
const YIELD_MS = 12;
/**
 * Rule patterns compiled per engine call. Each compiles the first time the text needs it, a few
 * milliseconds apiece in the browser: text naming every rule would otherwise compile them all in
 * one call (a quarter of a second), so the rest wait for the next calls, with turns in between.
 */
const COMPILE_AT_ONCE = 4;

/** The engine's `WebAssembly.Memory`, where text is encoded into. */
let memory = null;
const encoder = new TextEncoder();

/** Where `textWriter` and the feeders write: the memory of this thread's engine instance. */
export function setMemory(engineMemory) {
  memory = engineMemory;
}

/**
 * Feeds text to `analysis` through its input buffer: `feed(text, from, to)` encodes
 * `text[from, to)` (one code unit less when `to` would split a surrogate pair) into the buffer
 * with `encodeInto` and feeds it, and returns where it stopped. `units` is the longest piece it
 * will be asked for; the buffer holds three bytes for each, the most UTF-8 a code unit becomes.
 */
export function textWriter(analysis, units) {
  const size = Math.max(3, 3 * units);
  const address = analysis.inputBuffer(size);
  let view = new Uint8Array(memory.buffer, address, size);
  return {
    feed(text, from, to) {
      let end = Math.min(text.length, to, from + units);
      // Never split a surrogate pair: encodeInto would write half of it as U+FFFD.
      const last = text.charCodeAt(end - 1);
      if (end < text.length && end - from > 1 && last >= 0xd800 && last <= 0xdbff) end -= 1;
      // Growing wasm memory (the engine allocating as it works) detaches the old view.
      if (view.byteLength === 0) view = new Uint8Array(memory.buffer, address, size);
      const { read, written } = encoder.encodeInto(text.substring(from, end), view);
      if (read !== end - from) throw new Error(`arc-triage: encoded ${read} of ${end - from} characters; please report this`);
      analysis.feedBuffer(written);
      return end;
    },
  };
}

/**
 * `analyse()` on this thread's engine (initialised, its memory given to `setMemory`): a string,
 * a Blob/File, or bytes, a ZIP archive among them, fed in slices with turns in between.
 * `onProgress(done, total)` reports bytes (or characters) processed; `signal` stops it, and the
 * promise then rejects with an AbortError.
 */
export async function analyseHere(input, { signal, onProgress, slice = SLICE_BYTES } = {}) {
  if (await isZip(input)) {
    return analyseBundleHere(input instanceof Blob ? input : new Blob([input]), { signal, onProgress, slice });
  }
  const isText = typeof input === 'string';
  const total = isText ? input.length : input.size ?? input.byteLength;
  const analysis = new Analysis(isText);
  analysis.scanEvery(slice);
  analysis.compileAtMost(COMPILE_AT_ONCE);
  let done = 0;
  const turns = taker(signal, () => onProgress?.(done, total));
  try {
    if (input instanceof Blob) {
      await feedBlob(analysis, input, turns, (n) => (done += n), slice);
    } else if (isText) {
      const writer = textWriter(analysis, slice);
      while (done < total) {
        done = writer.feed(input, done, done + slice);
        await settled(analysis, turns);
        await turns.take();
      }
    } else {
      const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
      await feedSliced(analysis, bytes, turns, (n) => (done += n), slice);
    }
    return await ended(analysis, turns, () => onProgress?.(total, total));
  } finally {
    analysis.free();
  }
}

/**
 * Feeds a file from `blob.stream()` (about three times as fast as reading slices in this
 * browser), and where the stream cannot be opened or fails part-way (a file changed or moved
 * while read, a browser's stream limit), reads the rest in READ_BYTES slices from where it
 * stopped. A failure of the slices too is the file's error. Stop (the turns) is never a
 * failure to retry.
 */
async function feedBlob(analysis, blob, turns, fed, size) {
  let done = 0;
  const count = (n) => {
    done += n;
    fed(n);
  };
  let reader = null;
  try {
    reader = blob.stream().getReader();
  } catch {
    // No stream here: slices below.
  }
  if (reader) {
    try {
      for (;;) {
        let chunk;
        try {
          chunk = await reader.read();
        } catch {
          break;
        }
        if (chunk.done) return;
        await feedSliced(analysis, chunk.value, turns, count, size);
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }
  while (done < blob.size) {
    const bytes = new Uint8Array(await blob.slice(done, Math.min(blob.size, done + READ_BYTES)).arrayBuffer());
    await feedSliced(analysis, bytes, turns, count, size);
  }
}

/**
 * Feeds `bytes` in slices of `size`, giving the page its turns in between; `fed(n)` counts each
 * slice. Each slice is copied into the engine's input buffer (not passed as an argument, which
 * would allocate and free a slice in wasm memory every time).
 */
async function feedSliced(analysis, bytes, turns, fed, size = SLICE_BYTES) {
  const address = analysis.inputBuffer(size);
  let view = new Uint8Array(memory.buffer, address, size);
  for (let at = 0; at < bytes.length; at += size) {
    const slice = bytes.subarray(at, at + size);
    // Growing wasm memory (the engine allocating as it works) detaches the old view.
    if (view.byteLength === 0) view = new Uint8Array(memory.buffer, address, size);
    view.set(slice);
    analysis.feedBuffer(slice.length);
    await settled(analysis, turns);
    fed?.(slice.length);
    await turns.take();
  }
}

/**
 * Ends the input: the last record, and what waits for patterns, a few per call with turns; then,
 * unless stopped, the full progress (`done()`) and the report.
 */
async function ended(analysis, turns, done) {
  while (analysis.end()) await turns.take();
  turns.check();
  done();
  return analysis.finish();
}

/** Lets the engine compile the patterns waiting records need, a few per call, with turns. */
async function settled(analysis, turns) {
  while (analysis.settle()) await turns.take();
}

/**
 * Turns for the page while the engine works: `take()` yields a task once YIELD_MS have passed
 * since the last (reporting `progress` first), and throws once `signal` is aborted.
 */
function taker(signal, progress) {
  let last = performance.now();
  const check = () => {
    if (signal?.aborted) throw abortError();
  };
  return {
    check,
    async take() {
      check();
      if (performance.now() - last < YIELD_MS) return;
      progress?.();
      await nextTask();
      last = performance.now();
      check();
    },
  };
}

/**
 * `analyseBundle()` on this thread's engine: a support bundle (a ZIP archive from `azcmagent
 * logs`), every log in it inflated here, as one report whose evidence names the file and the line.
 */
export async function analyseBundleHere(blob, { signal, onProgress, slice = SLICE_BYTES } = {}) {
  const analysis = new Analysis(false);
  analysis.scanEvery(slice);
  analysis.compileAtMost(COMPILE_AT_ONCE);
  let total = 0;
  let done = 0;
  const turns = taker(signal, () => onProgress?.(done, total));
  try {
    for await (const event of bundleEvents(blob)) {
      turns.check();
      if (event.total !== undefined) total = event.total;
      else if (event.skip !== undefined) analysis.skipFile(event.skip, event.why);
      else if (event.begin !== undefined) analysis.beginFile(event.begin);
      else if (event.damaged) analysis.fileDamaged(event.damaged);
      else if (event.bytes) {
        await feedSliced(analysis, event.bytes, turns, (n) => (done += n), slice);
      }
    }
    return await ended(analysis, turns, () => onProgress?.(total, total));
  } finally {
    analysis.free();
  }
}

export function abortError() {
  return new DOMException('The analysis was stopped.', 'AbortError');
}

// A macrotask without setTimeout's 4 ms clamp, so input events and paints get in between chunks.
export function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}
