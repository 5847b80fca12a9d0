// The page's side of the engine's dedicated Web Worker (issue 10). In a fresh page the first call
// that compiles a large pattern runs in V8's cold wasm code and holds its thread 53-241 ms (README
// "Crafted text"), which no slicing can split; in the worker it holds only the worker. One worker
// per page, started when first needed from a blob: URL of the bundled www/src/worker.js (nothing
// fetched), handed the engine the page compiled. Runs share it, each with its own id.
//
// Where the page may not run one (no Worker, a Content-Security-Policy without `worker-src
// blob:`, a worker that fails to start), `analyseInWorker` throws `NoWorker` and engine.js runs
// the analysis on the page in slices instead, as it did before; a worker that failed to start is
// not tried again in this page. Stop answers at once (AbortError) and tells the worker to drop
// the run at its next turn.
import workerSource from 'arc-triage-worker';
import { abortError, nextTask } from './slices.js';

/** Text and bytes go to the worker in parts of this size, with a turn between (each a copy). */
const PART = 1 << 20;
/** A worker that has not started after this long is taken as one the page does not allow. */
const START_MS = 15_000;
/** A performance measure from the worker's creation to its engine being ready. */
const WORKER_MEASURE = 'arc-triage:worker-start';
/** A performance mark left when the page runs analyses itself; its detail says why. */
const NO_WORKER_MARK = 'arc-triage:no-worker';

/** Why the worker cannot be used: engine.js then analyses on the page. */
export class NoWorker extends Error {
  constructor(message) {
    super(message);
    this.name = 'NoWorker';
  }
}

/** Why the page runs analyses itself, once that is known, or null. */
let refused = null;
/** The worker: `{worker, ready, runs}`, started lazily, or null. */
let current = null;
let lastId = 0;

/** Keeps analyses on the page from now on, the first `why` left in a performance mark. */
function refuseWorker(why) {
  current?.worker?.terminate();
  current = null;
  if (refused) return;
  refused = why;
  performance.mark(NO_WORKER_MARK, { detail: why });
}

/** Starts the worker now (the element does once the engine is ready): no first run waits for it. */
export function warmWorker(module) {
  if (!refused && module && typeof Worker === 'function') current ??= spawn(module);
}

/**
 * Analyses `input` (a string, Blob or bytes) in the worker, with `analyse()`'s options and
 * answer. Throws NoWorker when no worker can run here; any other error is the analysis's own.
 */
export async function analyseInWorker(module, input, { signal, onProgress } = {}) {
  if (!refused && typeof Worker !== 'function') refuseWorker('this browser has no Worker');
  if (!refused && !module) refuseWorker('no compiled engine to hand a worker');
  if (refused) throw new NoWorker(refused);
  current ??= spawn(module);
  const w = current;
  await untilReady(w, signal);
  const id = ++lastId;
  return new Promise((resolve, reject) => {
    const done = () => {
      w.runs.delete(id);
      signal?.removeEventListener('abort', stop);
    };
    const stop = () => {
      done();
      w.worker.postMessage({ id, stop: true });
      reject(abortError());
    };
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    signal?.addEventListener('abort', stop, { once: true });
    w.runs.set(id, (data) => {
      if (data.lost) {
        done();
        reject(data.lost);
      } else if (data.progress !== undefined) {
        onProgress?.(data.progress, data.total);
      } else {
        done();
        if (data.error) {
          // A trapped engine may be inconsistent: later runs get a fresh worker.
          if (data.error.trapped) retire(w);
          const error = new Error(data.error.message);
          error.name = data.error.name;
          reject(error);
        } else {
          resolve(data.report);
        }
      }
    });
    send(w.worker, id, input, signal).catch((e) => {
      done();
      reject(e);
    });
  });
}

/** A worker from a blob: URL of the bundled worker script, sent `module` to start. */
function spawn(module) {
  const w = { worker: null, runs: new Map() };
  const since = performance.now();
  let url = null;
  w.ready = new Promise((resolve, reject) => {
    const fail = (why) => {
      clearTimeout(timer);
      reject(new NoWorker(why));
    };
    const timer = setTimeout(() => fail(`the worker did not start in ${START_MS / 1000} s`), START_MS);
    try {
      url = URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' }));
      // A page whose Content-Security-Policy forbids it makes this throw, or fire `error`.
      w.worker = new Worker(url, { name: 'arc-triage engine' });
    } catch (e) {
      fail(`the page does not allow a worker (${e?.message ?? e})`);
      return;
    }
    w.worker.onmessage = ({ data }) => {
      if (data.ready) {
        clearTimeout(timer);
        performance.measure(WORKER_MEASURE, { start: since });
        resolve();
      } else if (data.failed) {
        fail(`the worker's engine did not start (${data.failed})`);
      } else {
        w.runs.get(data.id)?.(data);
      }
    };
    // Before the engine is ready: not allowed, or broken. After: it died; runs in flight are
    // answered on the page. Either way the page works on its own from now on.
    w.worker.onerror = (e) => {
      e.preventDefault?.();
      const why = `the worker failed (${e.message || 'it could not be started here'})`;
      fail(why);
      lose(w, why);
    };
    w.worker.onmessageerror = () => lose(w, 'a message from the worker could not be read');
    w.worker.postMessage({ module });
  });
  w.ready.then(
    () => URL.revokeObjectURL(url),
    (e) => {
      if (url) URL.revokeObjectURL(url);
      if (current === w) refuseWorker(e.message);
    },
  );
  return w;
}

/** Waits for `w` to start; a Stop meanwhile rejects with AbortError. */
function untilReady(w, signal) {
  if (!signal) return w.ready;
  return new Promise((resolve, reject) => {
    const stop = () => reject(abortError());
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    w.ready.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop));
  });
}

/** The worker is gone: its runs in flight are answered on the page, later runs too. */
function lose(w, why) {
  if (current === w) refuseWorker(why);
  w.worker?.terminate();
  for (const answer of [...w.runs.values()]) answer({ lost: new NoWorker(why) });
}

/** No new runs for `w`: the next run starts a fresh worker; `w` ends with its last run. */
function retire(w) {
  if (current === w) current = null;
  const end = () => (w.runs.size ? setTimeout(end, 1000) : w.worker.terminate());
  end();
}

/**
 * Sends run `id`'s input: a Blob as it is (the worker reads it), text and bytes in PART-sized
 * copies with a turn between, so no single copy holds the page. Sends nothing more once stopped.
 */
async function send(worker, id, input, signal) {
  if (input instanceof Blob) {
    worker.postMessage({ id, blob: input });
    return;
  }
  const text = typeof input === 'string';
  const bytes = text ? null : input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  const total = text ? input.length : bytes.length;
  for (let at = 0; at < total; at += PART) {
    if (at > 0) {
      await nextTask();
      if (signal?.aborted) return;
    }
    if (text) {
      worker.postMessage({ id, part: input.slice(at, at + PART) });
    } else {
      // A copy of just this part, moved (a view would clone its whole buffer).
      const part = bytes.slice(at, at + PART);
      worker.postMessage({ id, part }, [part.buffer]);
    }
  }
  worker.postMessage({ id, end: text ? 'text' : 'bytes' });
}
