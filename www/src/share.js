// What the results offer for passing the diagnosis on: a reply for a ticket or mail, and the log
// with its identifiers and secrets replaced. Each is previewed before anything reaches the
// clipboard. Built from text nodes only, like render.js; the element supplies the actions
// (building the reply, reading the input again, the clipboard).
import { h } from './dom.js';

/** The preview shows at most this much of the redacted text; the copy holds all of it. */
const PREVIEW_CHARS = 1 << 20;

/**
 * The tools row under the secret warning. `actions.reply({format, identifiers})` returns the
 * reply; `actions.redact()` resolves to the engine's `{text, replaced}` for the analysed input;
 * `actions.copyText(text, button, field)` copies.
 */
export function shareTools(actions) {
  const uid = Math.random().toString(36).slice(2, 8);
  const panel = h('section', { class: 'share-panel', id: `share-${uid}`, hidden: true });
  const tools = [
    ['copy-reply', 'Copy reply…', 'Reply for a ticket', () => replyPreview(actions, close)],
    ['copy-redacted', 'Copy redacted log…', 'Redacted log', async () => redactionPreview(await actions.redact(), actions, close)],
  ];
  const buttons = tools.map(([action, label]) =>
    h('button', { type: 'button', 'data-action': action, 'aria-expanded': 'false', 'aria-controls': panel.id }, label),
  );
  let shown = null;
  function close() {
    const button = buttons[shown];
    panel.hidden = true;
    shown = null;
    for (const b of buttons) b.setAttribute('aria-expanded', 'false');
    button?.focus();
  }
  tools.forEach(([, , name, build], i) => {
    buttons[i].addEventListener('click', async () => {
      if (shown === i) return close();
      let content;
      try {
        content = await build();
      } catch (e) {
        content = [h('p', { class: 'error', role: 'alert' }, `Could not prepare it: ${String(e?.message ?? e)}`)];
      }
      panel.setAttribute('aria-label', name);
      panel.replaceChildren(...content);
      panel.hidden = false;
      shown = i;
      buttons.forEach((b, j) => b.setAttribute('aria-expanded', String(j === i)));
      const field = panel.querySelector('textarea');
      field?.focus();
      // Focus puts the caret at the end: the reader starts at the top.
      field?.setSelectionRange(0, 0);
      if (field) field.scrollTop = 0;
    });
  });
  return h('div', { class: 'share-tools' }, h('div', { class: 'actions' }, buttons), panel);
}

/** What was replaced, in one phrase: "1 secret, 2 subscription ids and 1 machine name". */
export function replacedSummary(replaced) {
  const parts = replaced.map((r) => `${r.count} ${r.name}`);
  if (parts.length < 2) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

function previewField(label) {
  return h('textarea', { class: 'preview', readonly: true, rows: '12', wrap: 'off', spellcheck: 'false', 'aria-label': label });
}

function buttonsRow(copy, close) {
  const closeButton = h('button', { type: 'button', class: 'close' }, 'Close');
  closeButton.addEventListener('click', close);
  return h('div', { class: 'actions' }, copy, closeButton);
}

/** The reply: its format and whether identifiers stay, the text as it will be copied, Copy. */
function replyPreview(actions, close) {
  const field = previewField('The reply, as it will be copied');
  const markdown = h('input', { type: 'radio', name: 'format', value: 'markdown', checked: true });
  const text = h('input', { type: 'radio', name: 'format', value: 'text' });
  const identifiers = h('input', { type: 'checkbox', name: 'identifiers', 'data-option': 'identifiers' });
  const update = () => {
    field.value = actions.reply({ format: text.checked ? 'text' : 'markdown', identifiers: identifiers.checked });
  };
  for (const input of [markdown, text, identifiers]) input.addEventListener('change', update);
  update();
  const copy = h('button', { type: 'button', 'data-action': 'copy-reply-confirm' }, 'Copy');
  copy.addEventListener('click', () => actions.copyText(field.value, copy, field));
  return [
    h(
      'fieldset',
      { class: 'reply-options' },
      h('legend', null, 'Reply'),
      h('label', null, markdown, ' Markdown (tickets)'),
      h('label', null, text, ' Plain text (mail)'),
      h('label', null, identifiers, ' Include identifiers'),
    ),
    h(
      'p',
      null,
      'The problem, its cause, the fix for the log’s platform, the evidence and the row’s link. Without identifiers, ids, names, addresses and secrets in the evidence are replaced by placeholders.',
    ),
    field,
    buttonsRow(copy, close),
  ];
}

/** The redacted log: what was replaced, the text itself (read-only), Copy. */
export function redactionPreview({ text, replaced }, actions, close) {
  const field = previewField('The redacted log, as it will be copied');
  field.value = text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text;
  const copy = h('button', { type: 'button', 'data-action': 'copy-redacted-confirm' }, 'Copy');
  copy.addEventListener('click', () => actions.copyText(text, copy, field));
  return [
    h(
      'p',
      { class: 'redaction-summary' },
      replaced.length
        ? `Replaced ${replacedSummary(replaced)}: each value by the same placeholder wherever it appears (<subscription-1>, <machine-1>, 192.0.2.1), so the log still reads, and diagnoses, as before.`
        : 'Nothing identifying was found: below is the log as it is.',
    ),
    h(
      'p',
      null,
      'Read it before you send it: names are replaced where the log names them (after --resource-group, in a prompt or a URL) and wherever they appear again, not in free text that never names them.',
    ),
    text.length > PREVIEW_CHARS
      ? h('p', null, `The preview shows the first ${PREVIEW_CHARS.toLocaleString('en')} characters; Copy copies all ${text.length.toLocaleString('en')}.`)
      : null,
    field,
    buttonsRow(copy, close),
  ];
}
