// The single offline file: the engine's bytes are inlined, so nothing is fetched (Chromium will
// not fetch a .wasm from file:// at all). Exposes the API as window.arcTriage.
import wasmBytes from 'arc-triage-wasm-bytes';
import { setSource, init, classify, classifyBytes, analyse, rules, ruleset, secretKinds, redact } from './engine.js';
import { define, parseLink, shareLink } from './element.js';
import { reply } from './reply.js';

setSource(wasmBytes);
window.arcTriage = Object.freeze({ init, classify, classifyBytes, analyse, rules, ruleset, secretKinds, redact, reply, parseLink, shareLink });
define();
