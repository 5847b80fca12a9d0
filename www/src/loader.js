// When and how the module build gets its engine: the .wasm is fetched once an <arc-triage> is on
// the page (never by a page that only links the script), and compiled once an element is needed
// (scrolled into view, focused, a file dragged onto it, or its API called). A docs site that
// loads the module on every page pays nothing on the pages without the widget.
//
// If the engine cannot start, `explain` turns the cause into two messages: a calm one for the
// reader, and the exact fix for the site's maintainer (logged to the console).
import { setSource, init, missingForSource, startWorker } from './engine.js';

let wasmUrl = null;
let fallbackUrl = null;
let fetched = null;
let started = false;
const waiting = new Set();

/**
 * The module build names its .wasm and the offline file, both beside the module. `fallback` is
 * where a reader goes when the engine cannot start here.
 */
export function configure({ wasm, fallback }) {
  wasmUrl = wasm;
  fallbackUrl = fallback ?? null;
  setSource(wasm);
}

/** Where a reader can use arc-triage when this page cannot run it, or null. */
export function fallbackAddress() {
  return fallbackUrl ? String(fallbackUrl) : null;
}

/** Starts fetching the .wasm (once per page); compiling waits for `start`. */
export function prefetch() {
  if (!wasmUrl || fetched) return;
  fetched = fetchWasm(wasmUrl);
  // Whoever starts the engine sees a failure; an element that never does must not log one.
  fetched.catch(() => {});
  setSource(fetched);
}

/**
 * Compiles the engine (once) and wakes every element that was waiting to be needed. An element
 * will analyse, so the engine's worker starts too, in the background.
 */
export function start() {
  if (!started) {
    started = true;
    for (const wake of waiting) wake();
    waiting.clear();
  }
  return init().then((info) => {
    startWorker();
    return info;
  });
}

/**
 * Calls `wake` once `element` is needed: in (or near) the viewport, focused, a file dragged
 * onto it, or once any element has started the engine (from then on starting costs nothing).
 * Returns a function that stops watching (the element left the page).
 */
export function whenNeeded(element, wake) {
  if (started || typeof IntersectionObserver !== 'function') {
    queueMicrotask(wake);
    return () => {};
  }
  let done = false;
  const observer = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) fire();
  }, { rootMargin: '200px' });
  const events = ['focusin', 'dragenter', 'pointerdown'];
  const stop = () => {
    observer.disconnect();
    for (const type of events) element.removeEventListener(type, fire);
    waiting.delete(fire);
  };
  function fire() {
    if (done) return;
    done = true;
    stop();
    wake();
  }
  observer.observe(element);
  for (const type of events) element.addEventListener(type, fire);
  waiting.add(fire);
  return stop;
}

/** A start-up failure that knows its cause (`kind`) and what the maintainer should do. */
export class StartError extends Error {
  constructor(kind, message, fix) {
    super(message);
    this.name = 'StartError';
    this.kind = kind;
    this.fix = fix;
  }
}

async function fetchWasm(url) {
  const beside = 'Copy arc_triage_bg.wasm from the same release as arc-triage.js into the same folder (or rebuild and copy both)';
  let response;
  try {
    response = await fetch(url, { credentials: 'same-origin' });
  } catch (e) {
    throw new StartError(
      'fetch',
      `could not fetch ${url}: ${e?.message ?? e}`,
      `If the page sets a Content-Security-Policy, its connect-src must allow ${new URL(url).origin} (for example connect-src 'self'). Otherwise check that ${url} is reachable.`,
    );
  }
  if (!response.ok) {
    throw new StartError('missing', `${url} answered ${response.status} ${response.statusText}`.trim(), `${beside}: it is loaded from ${url}.`);
  }
  const bytes = await response.arrayBuffer();
  const head = new Uint8Array(bytes, 0, Math.min(4, bytes.byteLength));
  if (!(head[0] === 0 && head[1] === 0x61 && head[2] === 0x73 && head[3] === 0x6d)) {
    const type = response.headers.get('content-type') ?? 'no content type';
    throw new StartError(
      'not-wasm',
      `${url} is not a WebAssembly file (${type}, ${bytes.byteLength} bytes); the server probably answered with a page of its own`,
      `${beside}: it is loaded from ${url}.`,
    );
  }
  return bytes;
}

/** What this browser lacks that the widget needs, or null. */
export function missingFeature() {
  if (typeof WebAssembly !== 'object') return 'WebAssembly';
  if (typeof CSS === 'undefined' || !CSS.supports('color', 'light-dark(#000, #fff)')) return 'CSS light-dark()';
  if (!('adoptedStyleSheets' in ShadowRoot.prototype)) return 'constructable style sheets';
  return missingForSource();
}

const BROWSERS = 'Chrome or Edge 123, Firefox 120, Safari 17.5 or newer';

/**
 * A start-up failure as `{reader, console, oldBrowser}`: one short sentence for whoever is reading
 * the page, and the cause with the exact fix for the site's maintainer.
 */
export function explain(error) {
  if (typeof error === 'string') {
    return {
      oldBrowser: true,
      reader: `The troubleshooter needs a newer browser (${BROWSERS}).`,
      console: `arc-triage cannot run in this browser: it lacks ${error}. It supports ${BROWSERS}.`,
    };
  }
  const reader = 'The troubleshooter could not start on this page, so nothing pasted here would be checked.';
  const message = String(error?.message ?? error);
  if (error instanceof StartError) {
    return { reader, console: `arc-triage could not start: ${message}. Fix: ${error.fix}` };
  }
  if (/Content.Security.Policy|unsafe-eval/i.test(message)) {
    return {
      reader,
      console:
        "arc-triage could not start: this page's Content-Security-Policy does not allow WebAssembly. " +
        "Fix: add 'wasm-unsafe-eval' to the policy's script-src (for example script-src 'self' 'wasm-unsafe-eval'). " +
        "It allows compiling WebAssembly only, not JavaScript eval. The browser's message: " +
        message,
    };
  }
  return {
    reader,
    console: `arc-triage could not start its engine: ${message}. Check that arc-triage.js and arc_triage_bg.wasm come from the same release.`,
  };
}
