// The engine as JavaScript sees it: one WebAssembly instance per page, shared by every
// <arc-triage> element and by the exported API, and a second in a dedicated worker for
// `analyse()` (www/src/off-thread.js), made from the same compiled module. Nothing here touches
// the network except the one same-origin fetch of the .wasm in the site build (the single file
// passes the bytes in).
//
// Input reaches wasm memory without a detour: text is encoded by `TextEncoder.encodeInto`
// straight into a buffer the engine owns (`Analysis.inputBuffer`), and a file is read with
// `blob.stream()` and never becomes a string (www/src/slices.js).
import wasmInit, {
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
import { setMemory, textWriter, analyseHere } from './slices.js';
import { analyseInWorker, warmWorker, NoWorker } from './off-thread.js';

export { SLICE_BYTES } from './slices.js';

/** Inputs above this size show progress and a Stop button (an archive always does). */
export const CHUNK_BYTES = 1 << 20;

/** A performance measure of the rules' compilation (`prepare()`), left when the engine is ready. */
export const PREPARE_MEASURE = 'arc-triage:prepare';

/**
 * `classify(text)` encodes this many UTF-16 code units at a time into the engine's buffer (three
 * times as many bytes, the most UTF-8 they can take). It holds the page anyway, so the slice
 * only sets how often JavaScript calls into the engine.
 */
const TEXT_SLICE = 64 << 10;

let source = null;
let starting = null;
/** The compiled engine: this page's instance, and the worker's (www/src/off-thread.js). */
let module = null;
/** The engine's `WebAssembly.Memory`, where text is encoded into. */
let memory = null;
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
      // Compiled here, not by the glue, so the worker can be handed the same module.
      module = await compile(source);
      const exports = await wasmInit({ module_or_path: module });
      memory = exports.memory;
      setMemory(memory);
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

/** The engine's `WebAssembly.Module` from its source (see `setSource`). */
async function compile(from) {
  if (from instanceof Uint8Array || from instanceof ArrayBuffer) return new WebAssembly.Module(from);
  if (from?.deflated !== undefined) return WebAssembly.compile(await inflate(from.deflated));
  if (typeof from === 'string' || from instanceof URL) {
    const response = await fetch(from, { credentials: 'same-origin' });
    // Compiled while it downloads where the server names the type; otherwise once it is here.
    if (response.headers.get('content-type')?.split(';')[0].trim() === 'application/wasm') return WebAssembly.compileStreaming(response);
    return WebAssembly.compile(await response.arrayBuffer());
  }
  return WebAssembly.compile(await from);
}

/** Starts the engine's worker ahead of the first `analyse()` (once the engine is ready). */
export function startWorker() {
  if (info) warmWorker(module);
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
 * Classifies input of any size without freezing the page: a string, a Blob/File, or bytes (a
 * support bundle's ZIP archive among them). Runs in the engine's worker where the page allows
 * one, and otherwise on the page in slices, yielding to the browser between them; the report is
 * the same either way. `onProgress(done, total)` reports bytes (or characters) processed;
 * `signal` stops it, and the promise then rejects with an AbortError.
 */
export async function analyse(input, { signal, onProgress } = {}) {
  await init();
  if (!(typeof input === 'string' || input instanceof Blob || input instanceof Uint8Array || input instanceof ArrayBuffer)) {
    throw new TypeError(`analyse() takes the log as a string, a Blob or File, or bytes, not ${describe(input)}`);
  }
  try {
    return await analyseInWorker(module, input, { signal, onProgress });
  } catch (e) {
    if (!(e instanceof NoWorker)) throw e;
  }
  return analyseHere(input, { signal, onProgress });
}

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? `a ${value.constructor?.name ?? 'object'}` : `a ${typeof value}`;
}
