// The site's ES module and the one-script-tag embed: loads the engine's .wasm from beside this
// file, defines <arc-triage>, and exports the engine API.
//
//   <script type="module" src="/arc-triage/arc-triage.js"></script>
//   <arc-triage rule="provider-not-registered" compact></arc-triage>
//
//   import { init, classify } from '/arc-triage/arc-triage.js';
//   await init();
//   classify(text).matches[0]?.id;
import { configure } from './loader.js';
import { define } from './element.js';

// The .wasm and the offline file sit beside this module. The release build names the .wasm by
// its content (arc-triage-<hash>.wasm), so a cache never pairs this module with another engine.
configure({
  wasm: new URL(`./${typeof __ARC_TRIAGE_WASM_FILE__ === 'string' ? __ARC_TRIAGE_WASM_FILE__ : 'arc_triage_bg.wasm'}`, import.meta.url),
  fallback: new URL('./arc-triage.html', import.meta.url),
});
define();

export { init, classify, classifyBytes, analyse, rules, ruleset, checkRules, secretKinds, redact } from './engine.js';
export { ArcTriageElement, parseLink, shareLink } from './element.js';
export { reply } from './reply.js';
