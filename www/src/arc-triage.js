// The site's ES module and the one-script-tag embed: loads the engine's .wasm from beside this
// file, defines <arc-triage>, and exports the engine API.
//
//   <script type="module" src="/arc-triage/arc-triage.js"></script>
//   <arc-triage rule="provider-not-registered" compact></arc-triage>
//
//   import { init, classify } from '/arc-triage/arc-triage.js';
//   await init();
//   classify(text).matches[0]?.id;
import { setSource } from './engine.js';
import { define } from './element.js';

setSource(new URL('./arc_triage_bg.wasm', import.meta.url));
define();

export { init, classify, classifyBytes, analyse, rules, ruleset, checkRules, secretKinds, redact } from './engine.js';
export { ArcTriageElement, parseLink, shareLink } from './element.js';
export { reply } from './reply.js';
