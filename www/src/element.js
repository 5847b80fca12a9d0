// <arc-triage>: the whole widget as one custom element, used by the site, the single file and
// docs pages alike. It keeps the state and handles the events; skeleton.js and render.js build
// every node. Shadow DOM keeps host CSS out and ours in; theming goes through --arc-triage-*
// custom properties.
import * as engine from './engine.js';
import {
  reportView,
  linkedRow,
  knownProblems,
  unknownRuleNotice,
  versionNotice,
  invalidRuleNotice,
  retiredNotice,
  formatBytes,
} from './render.js';
import { problemsOf } from './problems.js';
import { skeleton } from './skeleton.js';
import { shareTools } from './share.js';
import { reply } from './reply.js';
import { prefetch, start, whenNeeded, missingFeature, explain, fallbackAddress } from './loader.js';
import { h } from './dom.js';
import css from './element.css';

let sheet = null;
function styles() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
  }
  return sheet;
}

/** What a row id and a rule-set version look like; anything else in a link is not one. */
export const ROW_ID = /^[a-z0-9-]{1,64}$/;
const VERSION = /^[0-9.]{1,32}$/;
const EXCERPT_CHARS = 40;

/**
 * The start of a text that is not what it should be, safe to show in a message: at most
 * `EXCERPT_CHARS` characters, control and format characters (bidirectional overrides, zero-width
 * ones) replaced by U+FFFD, and `…` when it was cut.
 */
export function excerpt(text) {
  const chars = Array.from(String(text));
  const shown = chars.slice(0, EXCERPT_CHARS).join('').replace(/[\p{Cc}\p{Cf}\p{Cs}]/gu, '\uFFFD');
  return chars.length > EXCERPT_CHARS ? `${shown}…` : shown;
}

/**
 * `#rule=<id>&v=<version>` → `{rule, version}` (`version` null when absent, `badVersion` when it
 * was not a version); a `rule` that is no row id → `{rule: null, invalid: <excerpt>}`; no
 * `rule` → null. Nothing of a link is shown unchecked.
 */
export function parseLink(hash) {
  const params = new URLSearchParams(String(hash ?? '').replace(/^#/, ''));
  const rule = params.get('rule');
  if (!rule) return null;
  if (!ROW_ID.test(rule)) return { rule: null, version: null, invalid: excerpt(rule) };
  const v = params.get('v');
  if (v && !VERSION.test(v)) return { rule, version: null, badVersion: true };
  return { rule, version: v || null };
}

/** The share link for a row: the page's address with only the row id and rule-set version. */
export function shareLink(id, version, href = location.href) {
  const base = href.split('#')[0];
  return `${base}#rule=${encodeURIComponent(id)}&v=${encodeURIComponent(version)}`;
}

/** The public address the build was given (ARC_TRIAGE_PUBLIC_URL), or ''. */
const BUILT_PUBLIC_URL = typeof __ARC_TRIAGE_PUBLIC_URL__ === 'string' ? __ARC_TRIAGE_PUBLIC_URL__ : '';

/**
 * Where links for others should point: the element's `public-url`, else the build's, else this
 * page if it is on the web. Null from a file nobody else can open.
 */
export function publicAddress(attribute, href = location.href) {
  for (const candidate of [attribute, BUILT_PUBLIC_URL, href]) {
    if (candidate && /^https?:\/\//.test(candidate)) return candidate;
  }
  return null;
}

/**
 * What session-replay tools honour as "do not record this element's content", each from the
 * tool's own documentation: LogRocket `data-private`, Datadog `data-dd-privacy="mask"`,
 * Microsoft Clarity `data-clarity-mask`, Sentry `sentry-mask` / `data-sentry-mask`, FullStory
 * `fs-mask`, and rrweb's default mask class `rr-mask` (PostHog and others record with rrweb).
 * Put on the element itself and, inside it, on the widget and the box, unless the host sets
 * `replay-masking="off"`. A closed shadow root (the default) is invisible to those tools anyway;
 * the marks matter when a host opens it.
 */
const REPLAY_CLASSES = ['fs-mask', 'rr-mask', 'sentry-mask'];
const REPLAY_ATTRIBUTES = [
  ['data-private', ''],
  ['data-dd-privacy', 'mask'],
  ['data-clarity-mask', 'true'],
  ['data-sentry-mask', ''],
];

function markForReplay(node, on) {
  for (const name of REPLAY_CLASSES) node.classList.toggle(name, on);
  for (const [name, value] of REPLAY_ATTRIBUTES) {
    if (on) node.setAttribute(name, value);
    else node.removeAttribute(name);
  }
}

const DEBOUNCE_MS = 150;
let fixLogged = false;
const ANALYSIS_MARK = 'arc-triage:analysis';
const EMPTY_STATUS = 'Paste the agent’s output above, or open a log file, to see which row of the troubleshooting table explains it.';

export class ArcTriageElement extends HTMLElement {
  static observedAttributes = ['rule', 'replay-masking', 'mode'];

  #ui = null;
  #root = null;
  #run = 0;
  #controller = null;
  #timer = 0;
  #info = null;
  #file = null;
  #interrupted = false;
  #unwatch = null;
  #wake = null;
  #failed = false;
  #onHash = () => this.#showLinkedIfIdle(true);

  connectedCallback() {
    if (!this.#ui) this.#build();
    this.#markForReplay();
    if (this.#failed) return;
    const missing = missingFeature();
    if (missing) {
      this.#cannotStart(missing);
      return;
    }
    window.addEventListener('hashchange', this.#onHash);
    // Lazy: the .wasm is fetched now, compiled once this element (or another) is needed.
    prefetch();
    let woken = false;
    this.#wake = () => {
      if (woken) return;
      woken = true;
      this.#unwatch?.();
      this.#start();
    };
    this.#unwatch = whenNeeded(this, this.#wake);
  }

  disconnectedCallback() {
    this.#unwatch?.();
    this.#unwatch = null;
    window.removeEventListener('hashchange', this.#onHash);
    clearTimeout(this.#timer);
    if (this.#controller) {
      // A docs site with instant navigation may put us back: analyse again then.
      this.#interrupted = true;
      this.#controller.abort();
    }
  }

  attributeChangedCallback(name) {
    if (name === 'replay-masking') {
      if (this.#ui) this.#markForReplay();
      return;
    }
    if (this.#ui && this.#info) this.#showLinkedIfIdle(false);
  }

  /** Marks (or, with `replay-masking="off"`, unmarks) what session-replay tools must not record. */
  #markForReplay() {
    const on = this.getAttribute('replay-masking') !== 'off';
    for (const node of [this, this.#ui.widget, this.#ui.log]) markForReplay(node, on);
  }

  /** The last report shown, for scripts on the host page. */
  get report() {
    return this.#ui?.report ?? null;
  }

  /** `mode="row"`: one row of the table (the `rule` attribute's), no input, no links. */
  #rowOnly() {
    return this.getAttribute('mode') === 'row';
  }

  /** Analyses text as if the user had pasted it. */
  analyse(text) {
    this.#wake?.();
    this.#ui.log.value = text;
    this.#file = null;
    return this.#analyse();
  }

  #build() {
    // Closed unless the host opts in with shadow="open" (read once, when first connected): the
    // page's other scripts (analytics, session replay) then cannot read the pasted log or the
    // results through `shadowRoot`. Browser extensions still can; nothing in a page stops them.
    const root = this.attachShadow({ mode: this.getAttribute('shadow') === 'open' ? 'open' : 'closed' });
    this.#root = root;
    root.adoptedStyleSheets = [styles()];
    const { widget, ...parts } = skeleton(Math.random().toString(36).slice(2, 8));
    root.append(widget);
    this.#ui = { ...parts, widget, report: null };
    const { log, fileInput, open, clear, stop } = parts;

    log.addEventListener('input', () => {
      this.#file = null;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => this.#analyse(), DEBOUNCE_MS);
    });
    open.addEventListener('click', () => fileInput.click());
    fileInput.addEventListener('change', () => {
      const file = fileInput.files?.[0];
      if (file) this.#openFile(file);
      fileInput.value = '';
    });
    clear.addEventListener('click', () => {
      log.value = '';
      this.#file = null;
      this.#analyse();
      log.focus();
    });
    stop.addEventListener('click', () => this.#controller?.abort());
    // Row links in the list of every problem and in a retired-link notice; the list of problems
    // found leads to their cards.
    root.addEventListener('click', (e) => {
      const goto = e.target.closest?.('button[data-goto-line]');
      if (goto) {
        this.#selectLine(Number(goto.dataset.gotoLine), goto.dataset.gotoFile);
        return;
      }
      const card = e.target.closest?.('button.card-link[data-card]');
      if (card) {
        const target = this.#ui.results.querySelector(`article.diagnosis[data-rule-id="${CSS.escape(card.dataset.card)}"]`);
        target?.scrollIntoView({ block: 'start' });
        target?.focus();
        return;
      }
      const link = e.target.closest?.('button.row-link[data-rule-id]');
      if (link) this.#showRule(link.dataset.ruleId, null, true, 'list');
    });
    this.addEventListener('dragover', (e) => {
      if (!e.dataTransfer?.types?.includes('Files')) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'copy';
      this.toggleAttribute('dragging', true);
    });
    this.addEventListener('dragleave', (e) => {
      if (!this.contains(e.relatedTarget) && e.relatedTarget !== this) this.removeAttribute('dragging');
    });
    this.addEventListener('drop', (e) => {
      const file = e.dataTransfer?.files?.[0];
      this.removeAttribute('dragging');
      if (!file) return;
      e.preventDefault();
      this.#openFile(file);
    });
  }

  async #start() {
    try {
      this.#info = await start();
    } catch (e) {
      this.#cannotStart(e);
      return;
    }
    if (!this.isConnected) return;
    const { version, rowsList } = this.#ui;
    version.textContent = `Rule set ${this.#info.version} · ${this.#info.rules} rules · hash ${this.#info.hash}`;
    if (!rowsList.childElementCount) rowsList.append(...knownProblems(engine.rules(), engine.labels().sources));
    if (this.#interrupted || this.#ui.log.value.trim() || this.#file) {
      this.#interrupted = false;
      if (this.#file) this.#openFile(this.#file);
      else this.#analyse();
    } else {
      this.#showLinkedIfIdle(false);
    }
  }

  #openFile(file) {
    this.#file = file;
    this.#ui.log.value = '';
    return this.#analyse();
  }

  async #analyse() {
    clearTimeout(this.#timer);
    const run = ++this.#run;
    this.#controller?.abort();
    this.#controller = null;
    const { log, status, stop, progress } = this.#ui;
    this.#clearError();
    const input = this.#file ?? log.value;
    if (!this.#info) return; // #start() analyses once the engine is ready.
    if (!this.#file && !input.trim()) {
      this.#ui.report = null;
      this.#ui.results.replaceChildren();
      this.#showLinkedIfIdle(false);
      if (input) status.textContent = `The text is only blank space. ${EMPTY_STATUS}`;
      return;
    }
    const controller = new AbortController();
    this.#controller = controller;
    const size = this.#file ? this.#file.size : input.length;
    // An archive inflates to more than its size says: it always gets Stop and progress.
    const big = size > engine.CHUNK_BYTES || /\.zip$/i.test(this.#file?.name ?? '');
    const label = this.#file ? `${this.#file.name} (${formatBytes(this.#file.size)})` : 'the pasted text';
    status.textContent = `Analysing ${label}…`;
    stop.hidden = !big;
    progress.hidden = !big;
    progress.value = 0;
    // One mark per run of the engine, so a page (and the tests) can count them.
    performance.mark(ANALYSIS_MARK);
    try {
      const report = await engine.analyse(input, {
        signal: controller.signal,
        onProgress: (done, total) => {
          progress.value = done / total;
        },
      });
      if (run !== this.#run) return;
      this.#render(report, label);
      if (this.#file) this.#ui.results.querySelector('[data-rule-id]')?.focus();
    } catch (e) {
      if (run !== this.#run) return;
      if (e?.name === 'AbortError') {
        status.textContent = this.isConnected ? `Stopped. Nothing from ${label} was kept.` : '';
      } else {
        this.#fail(`Could not analyse ${label}: ${messageOf(e)}`);
      }
    } finally {
      if (run === this.#run) {
        this.#controller = null;
        stop.hidden = true;
        progress.hidden = true;
      }
    }
  }

  #render(report, label) {
    const ui = this.#ui;
    this.#resultsFirst(false);
    ui.report = report;
    ui.notice.hidden = true;
    ui.results.replaceChildren(...reportView(report, label, { ...this.#view(), tools: shareTools(this.#shareActions(report)) }));
    // Counted as the list above the cards counts them: a step whose cause is unclear is a problem
    // too, said so after its title.
    const problems = problemsOf(report).map((p) => p.diagnosis);
    const named = problems.map((d) => (d.confidence === 'exact' ? d.title : `${d.title} (cause unclear)`));
    ui.status.textContent = !report.matches.length
      ? 'No row of the table matches this output. See the next steps below.'
      : problems.some((d) => d.confidence === 'exact')
        ? `${problems.length === 1 ? '1 problem found' : `${problems.length} problems found`}: ${named.join('; ')}.`
        : `The failing step is known but not its cause: ${report.matches[0].title}.`;
    this.dispatchEvent(new CustomEvent('arc-triage-report', { detail: report, bubbles: true, composed: true }));
  }

  /** What render.js needs to draw results: the share-link actions, field labels, secret kinds. */
  #view() {
    return { actions: this.#actions(), fieldLabels: engine.labels().fields, secretKinds: engine.secretKinds() };
  }

  #actions() {
    return {
      link: (id) => {
        const base = this.#publicAddress();
        return base ? shareLink(id, this.#info.version, base) : null;
      },
      copyText,
      copy: async (link, field, button, done = 'Link copied') => {
        field.hidden = false;
        field.value = link;
        try {
          await navigator.clipboard.writeText(link);
          button.textContent = done;
        } catch {
          button.textContent = 'Copy the link below';
          field.focus();
          field.select();
        }
      },
    };
  }

  /** The reply, reading the input again for redaction, and copying what the tools build. */
  #shareActions(report) {
    const file = this.#file;
    const text = this.#ui.log.value;
    return {
      reply: (options) => reply(report, { ...options, link: this.#publicAddress() }),
      redact: async () => (file ? engine.redactFile(file) : engine.redact(text)),
      copyText,
    };
  }

  /** Where the links this element copies should point (see publicAddress). */
  #publicAddress() {
    return publicAddress(this.getAttribute('public-url'));
  }

  /** With no log in the box, a `rule` attribute or a `#rule=` link shows that row. */
  #showLinkedIfIdle(fromHash) {
    if (!this.#info) return;
    // A row-only embed shows its own row whatever the page's address says.
    const link = this.#rowOnly() ? null : parseLink(location.hash);
    if (this.#ui.report) {
      if (fromHash && link?.rule) {
        this.#ui.results.querySelector(`[data-rule-id="${CSS.escape(link.rule)}"]`)?.focus();
      }
      return;
    }
    if (link?.invalid !== undefined) {
      this.#showInvalid(link.invalid, 'link');
      return;
    }
    const rule = link?.rule ?? this.getAttribute('rule');
    if (!rule && this.#rowOnly()) {
      this.#resultsFirst(true);
      this.#ui.results.replaceChildren();
      this.#ui.notice.hidden = false;
      this.#ui.notice.replaceChildren(h('p', null, 'mode="row" shows one row of the table: name it with the rule attribute, for example rule="provider-not-registered".'));
      return;
    }
    if (!rule) {
      this.#resultsFirst(false);
      this.#ui.notice.hidden = true;
      this.#ui.results.replaceChildren();
      this.#ui.status.textContent = EMPTY_STATUS;
      return;
    }
    const source = link?.rule ? 'link' : this.#rowOnly() ? 'row' : 'attribute';
    this.#showRule(rule, link?.rule ? link.version : null, false, source, link?.badVersion);
  }

  /** A link or `rule` attribute whose row id is not one: say so, showing only an excerpt. */
  #showInvalid(shown, source) {
    const { notice, results, status } = this.#ui;
    this.#resultsFirst(true);
    results.replaceChildren();
    notice.hidden = false;
    notice.replaceChildren(invalidRuleNotice(shown, source));
    status.textContent = source === 'link' ? 'The link names no row.' : 'The rule attribute names no row.';
  }

  #showRule(id, linkVersion, focus, source, badVersion = false) {
    const { notice, results, status } = this.#ui;
    if (!ROW_ID.test(id)) {
      this.#showInvalid(excerpt(id), source);
      return;
    }
    this.#resultsFirst(true);
    const row = engine.rules().find((r) => r.id === id);
    const retired = row ? null : engine.retired().find((r) => r.id === id);
    if (retired) {
      this.#showRetired(retired);
      return;
    }
    if (!row) {
      results.replaceChildren();
      notice.hidden = false;
      notice.replaceChildren(unknownRuleNotice(id, this.#info.version));
      status.textContent = 'Unknown row in the link.';
      return;
    }
    notice.hidden = !(badVersion || (linkVersion && linkVersion !== this.#info.version));
    notice.replaceChildren(versionNotice(badVersion ? null : linkVersion, this.#info.version));
    const view = this.#view();
    // One row of a docs page has nothing to link to: it is on the page already.
    if (source === 'row') view.actions = { ...view.actions, link: null };
    const [intro, card] = linkedRow(row, view, source);
    results.replaceChildren(...[intro, card].filter(Boolean));
    status.textContent = `Showing the row “${row.title}”.`;
    if (focus) card.focus();
  }

  /** Selects line `n` (1-based) of the pasted text in the box; a file's lines are not there. */
  #selectLine(n, member) {
    const { log, status } = this.#ui;
    if (this.#file) {
      status.textContent = member
        ? `Line ${n} is in ${member}, inside ${this.#file.name}; the archive's text is not shown here.`
        : `Line ${n} is in ${this.#file.name}; the file's text is not shown here.`;
      return;
    }
    const text = log.value;
    let start = 0;
    for (let line = 1; line < n && start !== -1; line++) {
      const next = text.indexOf('\n', start);
      start = next === -1 ? -1 : next + 1;
    }
    if (start === -1) return;
    const end = text.indexOf('\n', start);
    log.focus();
    log.setSelectionRange(start, end === -1 ? text.length : end);
    // Bring the selection into view: the box scrolls to the line's share of its height.
    const lines = text.split('\n').length;
    log.scrollTop = Math.max(0, ((n - 1) / lines) * log.scrollHeight - log.clientHeight / 2);
  }

  /**
   * A row shown without a log (a link, the `rule` attribute, the list of every problem) comes
   * first, above the empty box; a diagnosis goes back below the box it came from.
   */
  #resultsFirst(first) {
    const { status, error, notice, results } = this.#ui;
    const input = this.#root.querySelector('.input');
    if (first === (results.compareDocumentPosition(input) === Node.DOCUMENT_POSITION_FOLLOWING)) return;
    if (first) input.before(status, error, notice, results);
    else input.after(status, error, notice, results);
  }

  /** An old public id: say what replaced it, and offer each replacement row. */
  #showRetired(retired) {
    const { notice, results, status } = this.#ui;
    const titles = new Map(engine.rules().map((r) => [r.id, r.title]));
    notice.hidden = false;
    notice.replaceChildren(...retiredNotice(retired, (id) => titles.get(id)));
    results.replaceChildren();
    status.textContent = `The linked row was replaced by ${retired.replaced_by.length} rows.`;
  }

  /**
   * The engine cannot start here (a CSP without 'wasm-unsafe-eval', a missing .wasm, an old
   * browser): a calm sentence and somewhere else to go for the reader, the input disabled so
   * nothing looks like it works, and the exact fix in the console for the site's maintainer.
   */
  #cannotStart(cause) {
    const { reader, console: fix, oldBrowser } = explain(cause);
    // Once per page, however many elements it holds: the maintainer needs the fix, not a list.
    if (!fixLogged) console.error(fix);
    fixLogged = true;
    this.#failed = true;
    this.toggleAttribute('unavailable', true);
    const ui = this.#ui;
    for (const control of [ui.log, ui.open, ui.clear, ui.fileInput]) control.disabled = true;
    ui.status.textContent = '';
    ui.error.hidden = false;
    // The hosted page if the site names one, else the offline file beside the module: downloaded,
    // it runs from the reader's disk whatever this site's policy says.
    const hosted = publicAddress(this.getAttribute('public-url'), 'about:blank');
    const offline = hosted ? null : fallbackAddress();
    const parts = [reader];
    if (hosted) parts.push(' ', h('a', { href: hosted, class: 'fallback-link' }, 'Open arc-triage on its own page'), ' instead.');
    else if (offline) {
      parts.push(' ', h('a', { href: offline, download: 'arc-triage.html', class: 'fallback-link' }, 'Download the offline version'), oldBrowser ? ' and open it in a current browser instead.' : ' and open it in your browser instead.');
    }
    ui.error.replaceChildren(...parts);
  }

  #fail(message) {
    this.#ui.error.hidden = false;
    this.#ui.error.textContent = message;
    this.#ui.status.textContent = '';
  }

  #clearError() {
    this.#ui.error.hidden = true;
    this.#ui.error.textContent = '';
  }
}

/** Copies `value`; the button says whether it worked, and a field falls back to selection. */
async function copyText(value, button, field) {
  try {
    await navigator.clipboard.writeText(value);
    button.textContent = 'Copied';
  } catch {
    button.textContent = field ? 'Select the text and copy it' : 'Select it and copy it';
    field?.focus();
    field?.select();
  }
}

function messageOf(e) {
  return String(e?.message ?? e).replace(/^Error: /, '');
}

export function define(name = 'arc-triage') {
  if (!customElements.get(name)) customElements.define(name, ArcTriageElement);
}
