// The worker side of the engine's dedicated Web Worker (issue 10). The page hands it the engine it
// already compiled (a `WebAssembly.Module`, so nothing is fetched or compiled twice) and then each
// log to analyse; the worker runs the same sliced analysis the page would run itself
// (www/src/slices.js) and sends back the engine's report, secrets already masked: the very
// object the page's own engine returns. The build carries this file in the page's script as text
// and the page starts it from a blob: URL (www/src/off-thread.js): no script is fetched for it.
//
// Messages in:  {module}                      start the engine; answers {ready} or {failed}
//               {id, blob}                    analyse a Blob or File (read here, not on the page)
//               {id, part} … {id, end}        text or bytes sent in parts, then analysed whole
//               {id, stop}                    drop run `id` at its next turn
// Messages out: {id, progress, total} at each turn, then {id, report} or {id, error}.
import { initSync, prepare } from 'arc-triage-wasm';
import { setMemory, analyseHere, WORKER_SLICE_BYTES } from './slices.js';

/** Runs not yet answered: id → `{controller, parts}`. */
const runs = new Map();

self.onmessage = ({ data }) => {
  if (data.module) {
    start(data.module);
    return;
  }
  const run = runs.get(data.id) ?? { controller: new AbortController(), parts: [] };
  runs.set(data.id, run);
  if (data.stop) {
    run.controller.abort();
    runs.delete(data.id);
  } else if (data.part !== undefined) {
    run.parts.push(data.part);
  } else if (data.blob) {
    answer(data.id, run, data.blob);
  } else if (data.end) {
    answer(data.id, run, data.end === 'text' ? run.parts.join('') : concat(run.parts));
  }
};

function start(module) {
  try {
    setMemory(initSync({ module }).memory);
    prepare();
    self.postMessage({ ready: true });
  } catch (e) {
    self.postMessage({ failed: String(e?.message ?? e) });
  }
}

async function answer(id, run, input) {
  run.parts = [];
  const onProgress = (progress, total) => self.postMessage({ id, progress, total });
  try {
    const report = await analyseHere(input, { signal: run.controller.signal, onProgress, slice: WORKER_SLICE_BYTES });
    self.postMessage({ id, report });
  } catch (e) {
    // A stopped run was answered on the page already.
    if (e?.name === 'AbortError') return;
    // A trap (RuntimeError) may leave the engine's memory inconsistent: the page retires us.
    self.postMessage({ id, error: { name: e?.name ?? 'Error', message: String(e?.message ?? e), trapped: e instanceof WebAssembly.RuntimeError } });
  } finally {
    runs.delete(id);
  }
}

function concat(parts) {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
  }
  return bytes;
}
