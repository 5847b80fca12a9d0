// The single offline file: the engine's bytes are inlined, so nothing is fetched (Chromium will
// not fetch a .wasm from file:// at all), compressed with raw DEFLATE (base64 of a third of the
// bytes) and inflated by the browser when the engine starts. Exposes the API as window.arcTriage.
import deflated from 'arc-triage-wasm-deflated';
import { setSource, init, classify, classifyBytes, analyse, rules, ruleset, secretKinds, redact } from './engine.js';
import { define, parseLink, shareLink } from './element.js';
import { reply } from './reply.js';

setSource({ deflated });
window.arcTriage = Object.freeze({ init, classify, classifyBytes, analyse, rules, ruleset, secretKinds, redact, reply, parseLink, shareLink });
define();
