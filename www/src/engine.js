// The engine as JavaScript sees it: one WebAssembly instance per page, shared by every
// <arc-triage> element and by the exported API. Nothing here touches the network except the
// one same-origin fetch of the .wasm in the site build (the single file passes the bytes in).
//
// Input reaches wasm memory without a detour: text is encoded by `TextEncoder.encodeInto`
// straight into a buffer the engine owns (`Analysis.inputBuffer`), one slice at a time, and a
// file is read with `blob.stream()` and never becomes a string.
import wasmInit, {
  initSync,
  classifyBytes as wasmClassifyBytes,
  rules as wasmRules,
  retired as wasmRetired,
  labels as wasmLabels,
  secretKinds as wasmSecretKinds,
  redactText,
  redactBytes,
  decodeBytes,
  prepare,
  checkRules as wasmCheckRules,
  Analysis,
} from 'arc-triage-wasm';
import { isZip, bundleEvents } from './bundle.js';

/** Inputs above this size show progress and a Stop button (an archive always does). */
export const CHUNK_BYTES = 1 << 20;
/**
 * Inputs are fed to the engine in slices of this size, and the engine scans that much at
 * a time, so no call holds the page longer than the work on one slice (a few milliseconds on a
 * real log; about 50 ms on the costliest crafted text, README "Crafted text").
 */
export const SLICE_BYTES = 16 << 10;
/**
 * Where `blob.stream()` fails, a dropped file is read this much at a time instead (each read is
 * a new buffer for the collector).
 */
const READ_BYTES = 256 << 10;
/**
 * `classify(text)` encodes this many UTF-16 code units at a time into the engine's buffer (three
 * times as many bytes, the most UTF-8 they can take). It holds the page anyway, so the slice
 * only sets how often JavaScript calls into the engine.
 */
const TEXT_SLICE = 64 << 10;
/** The page gets a turn (input, paint, Stop) at least this often while the engine works. */
const YIELD_MS = 12;
/**
 * Rule patterns compiled per engine call. Each compiles the first time the text needs it, a few
 * milliseconds apiece in the browser: text naming every rule would otherwise compile them all in
 * one call (a quarter of a second), so the rest wait for the next calls, with turns in between.
 */
const COMPILE_AT_ONCE = 4;

/** A performance measure of the rules' compilation (`prepare()`), left when the engine is ready. */
export const PREPARE_MEASURE = 'arc-triage:prepare';

let source = null;
let starting = null;
/** The engine's `WebAssembly.Memory`, where text is encoded into. */
let memory = null;
const encoder = new TextEncoder();
let info = null;
let ruleList = null;
let retiredList = null;
let labelSet = null;
let secretKindList = null;

/**
 * Where the engine comes from: a URL of the .wasm, its bytes or a promise of them, or
 * `{ deflated }`, the base64 of its bytes compressed with raw DEFLATE (the offline file), which
 * `init()` inflates with the browser's DecompressionStream.
 */
export function setSource(wasmSource) {
  source = wasmSource;
}

/** What this browser lacks to start the engine from its source, or null. */
export function missingForSource() {
  return source?.deflated !== undefined && typeof DecompressionStream !== 'function' ? 'DecompressionStream' : null;
}

/** The engine's bytes from the base64 of their raw DEFLATE, checked to be WebAssembly. */
async function inflate(base64) {
  if (typeof DecompressionStream !== 'function') {
    throw new Error(
      'this browser cannot unpack the engine inside this file: it has no DecompressionStream. Use Chrome or Edge 123, Firefox 120, Safari 17.5 or newer',
    );
  }
  let packed;
  if (typeof Uint8Array.fromBase64 === 'function') {
    packed = Uint8Array.fromBase64(base64);
  } else {
    const binary = atob(base64);
    packed = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i += 1) packed[i] = binary.charCodeAt(i);
  }
  let bytes;
  try {
    const stream = new Blob([packed]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`the engine inside this file could not be unpacked (${e?.message ?? e}); the file is damaged: download it again`);
  }
  if (!(bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d)) {
    throw new Error('the engine inside this file did not unpack to WebAssembly; the file is damaged: download it again');
  }
  return bytes;
}

/**
 * Loads the engine and compiles the rules, once. Resolves to the rule set's
 * `{version, hash, rules}`. Safe to call any number of times.
 */
export function init() {
  if (!starting) {
    starting = (async () => {
      const exports =
        source instanceof Uint8Array || source instanceof ArrayBuffer
          ? initSync({ module: source })
          : await wasmInit({ module_or_path: source?.deflated !== undefined ? await inflate(source.deflated) : source });
      memory = exports.memory;
      const compiling = performance.now();
      info = prepare();
      // Ends when the engine is ready: `npm run bench` reads both figures from it.
      performance.measure(PREPARE_MEASURE, { start: compiling });
      return info;
    })();
    starting.catch(() => {
      starting = null;
    });
  }
  return starting;
}

function ready() {
  if (!info) {
    throw new Error('arc-triage is not initialised yet: await init() before classify()');
  }
}

/** Classifies text. Returns the same report as the CLI's `--json`. */
export function classify(text) {
  ready();
  if (typeof text !== 'string') {
    throw new TypeError(`classify() takes the log as a string, not ${describe(text)}`);
  }
  const analysis = new Analysis(true);
  try {
    const writer = textWriter(analysis, Math.min(text.length, TEXT_SLICE));
    for (let done = 0; done < text.length; ) done = writer.feed(text, done, done + TEXT_SLICE);
    return analysis.finish();
  } finally {
    analysis.free();
  }
}

/**
 * Feeds text to `analysis` through its input buffer: `feed(text, from, to)` encodes
 * `text[from, to)` (one code unit less when `to` would split a surrogate pair) into the buffer
 * with `encodeInto` and feeds it, and returns where it stopped. `units` is the longest piece it
 * will be asked for; the buffer holds three bytes for each, the most UTF-8 a code unit becomes.
 */
function textWriter(analysis, units) {
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

/** Classifies a file's bytes (UTF-8 or UTF-16, detected). */
export function classifyBytes(bytes) {
  ready();
  if (bytes instanceof ArrayBuffer) bytes = new Uint8Array(bytes);
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`classifyBytes() takes a Uint8Array or ArrayBuffer, not ${describe(bytes)}`);
  }
  return wasmClassifyBytes(bytes);
}

/** Every rule the engine knows, for showing a row without a log. */
export function rules() {
  ready();
  if (!ruleList) ruleList = wasmRules();
  return ruleList;
}

/** Public ids that no longer name a rule: `{id, replaced_by, why}`, so old links still work. */
export function retired() {
  ready();
  if (!retiredList) retiredList = wasmRetired();
  return retiredList;
}

/** What the rule set calls each field and each group of rules: `{sources, fields}`. */
export function labels() {
  ready();
  if (!labelSet) labelSet = wasmLabels();
  return labelSet;
}

/** The kinds of secret a report names: `{kind, name, rotate, sources}`. */
export function secretKinds() {
  ready();
  if (!secretKindList) secretKindList = wasmSecretKinds();
  return secretKindList;
}

/** Redaction holds the whole text several times over in memory; above this, use the CLI. */
export const MAX_REDACT_BYTES = 32 << 20;

/**
 * The log with every identifier and secret replaced by a placeholder (`<subscription-1>`: one
 * value, one placeholder): `{text, replaced: [{kind, name, count, occurrences}]}`. Takes text,
 * or a file's bytes (UTF-8 or UTF-16).
 */
export function redact(input) {
  ready();
  if (input instanceof ArrayBuffer) input = new Uint8Array(input);
  const isText = typeof input === 'string';
  if (!isText && !(input instanceof Uint8Array)) {
    throw new TypeError(`redact() takes the log as a string or bytes, not ${describe(input)}`);
  }
  checkRedactSize(isText ? input.length : input.byteLength);
  return isText ? redactText(input) : redactBytes(input);
}

/**
 * A dropped file, redacted: its size is checked before a byte of it is read. A support bundle's
 * logs are redacted as one text, each after a `==> PATH <==` line (as the command line does).
 */
export async function redactFile(blob) {
  ready();
  if (await isZip(blob)) return redactText(await bundleText(blob));
  checkRedactSize(blob.size);
  return redactBytes(new Uint8Array(await blob.arrayBuffer()));
}

/** The logs of an archive as one text, each decoded and after a `==> PATH <==` line. */
async function bundleText(blob) {
  const sections = [];
  let size = 0;
  let parts = [];
  const flush = () => {
    if (!parts.length) return;
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      bytes.set(p, at);
      at += p.length;
    }
    sections[sections.length - 1].text = decodeBytes(bytes);
    parts = [];
  };
  for await (const event of bundleEvents(blob)) {
    if (event.total !== undefined) checkRedactSize(event.total);
    if (event.begin !== undefined) {
      flush();
      sections.push({ name: event.begin, text: '' });
    }
    if (event.bytes) {
      size += event.bytes.length;
      checkRedactSize(size);
      parts.push(event.bytes);
    }
  }
  flush();
  return sections
    .map(({ name, text }) => {
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      return `==> ${name} <==${eol}${text}${text && !text.endsWith('\n') ? eol : ''}`;
    })
    .join('');
}

function checkRedactSize(size) {
  if (size > MAX_REDACT_BYTES) {
    throw new RangeError(
      `this log is ${Math.round(size / 2 ** 20)} MB; the page redacts up to ${MAX_REDACT_BYTES / 2 ** 20} MB. ` +
        'Redact larger logs with the command line: arc-triage --redact FILE',
    );
  }
}

/** The rule set's `{version, hash, rules}`. */
export function ruleset() {
  ready();
  return info;
}

/** Checks rule files given as `{path: text}`; throws an error naming the file, rule and fix. */
export function checkRules(files) {
  ready();
  return wasmCheckRules(files);
}

/**
 * Classifies input of any size without freezing the page: a string, a Blob/File, or bytes.
 * Reads and feeds it in chunks, yielding to the browser between them.
 * `onProgress(done, total)` reports bytes (or characters) processed; `signal` stops it, and the
 * promise then rejects with an AbortError.
 */
export async function analyse(input, { signal, onProgress } = {}) {
  await init();
  if (await isZip(input)) {
    return analyseBundle(input instanceof Blob ? input : new Blob([input]), { signal, onProgress });
  }
  const isText = typeof input === 'string';
  const total = isText ? input.length : input.size ?? input.byteLength;
  const analysis = new Analysis(isText);
  analysis.scanEvery(SLICE_BYTES);
  analysis.compileAtMost(COMPILE_AT_ONCE);
  let done = 0;
  const turns = taker(signal, () => onProgress?.(done, total));
  try {
    if (input instanceof Blob) {
      await feedBlob(analysis, input, turns, (n) => (done += n));
    } else if (isText) {
      const writer = textWriter(analysis, SLICE_BYTES);
      while (done < total) {
        done = writer.feed(input, done, done + SLICE_BYTES);
        await settled(analysis, turns);
        await turns.take();
      }
    } else {
      const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
      await feedSliced(analysis, bytes, turns, (n) => (done += n));
    }
    while (analysis.end()) await turns.take();
    turns.check();
    onProgress?.(total, total);
    return analysis.finish();
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
async function feedBlob(analysis, blob, turns, fed) {
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
        await feedSliced(analysis, chunk.value, turns, count);
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  }
  while (done < blob.size) {
    const bytes = new Uint8Array(await blob.slice(done, Math.min(blob.size, done + READ_BYTES)).arrayBuffer());
    await feedSliced(analysis, bytes, turns, count);
  }
}

/**
 * Feeds `bytes` in slices, giving the page its turns in between; `fed(n)` counts each slice.
 * Each slice is copied into the engine's input buffer (not passed as an argument, which would
 * allocate and free 16 KB in wasm memory every time).
 */
async function feedSliced(analysis, bytes, turns, fed) {
  const address = analysis.inputBuffer(SLICE_BYTES);
  let view = new Uint8Array(memory.buffer, address, SLICE_BYTES);
  for (let at = 0; at < bytes.length; at += SLICE_BYTES) {
    const slice = bytes.subarray(at, at + SLICE_BYTES);
    // Growing wasm memory (the engine allocating as it works) detaches the old view.
    if (view.byteLength === 0) view = new Uint8Array(memory.buffer, address, SLICE_BYTES);
    view.set(slice);
    analysis.feedBuffer(slice.length);
    await settled(analysis, turns);
    fed?.(slice.length);
    await turns.take();
  }
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
 * Classifies a support bundle (a ZIP archive from `azcmagent logs`): every log in it, inflated
 * in the browser, as one report whose evidence names the file and the line. Throws, with what to
 * do, for an archive that cannot be read (damaged, password-protected, too large, no logs).
 */
export async function analyseBundle(blob, { signal, onProgress } = {}) {
  await init();
  const analysis = new Analysis(false);
  analysis.scanEvery(SLICE_BYTES);
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
        await feedSliced(analysis, event.bytes, turns, (n) => (done += n));
      }
    }
    while (analysis.end()) await turns.take();
    turns.check();
    onProgress?.(total, total);
    return analysis.finish();
  } finally {
    analysis.free();
  }
}

function abortError() {
  return new DOMException('The analysis was stopped.', 'AbortError');
}

// A macrotask without setTimeout's 4 ms clamp, so input events and paints get in between chunks.
function nextTask() {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : `a ${typeof value}`;
}
