// What the results offer for passing the diagnosis on: the log with its identifiers and secrets
// replaced, previewed before anything reaches the clipboard. Built from text nodes only, like
// render.js; the element supplies the actions (reading the input, the clipboard).
import { h } from './render.js';

/** The preview shows at most this much of the redacted text; the copy holds all of it. */
const PREVIEW_CHARS = 1 << 20;

/**
 * The tools row under the secret warning. `actions.redact()` resolves to the engine's
 * `{text, replaced}` for the current input; `actions.copyText(text, button, field)` copies.
 */
export function shareTools(actions) {
  const uid = Math.random().toString(36).slice(2, 8);
  const panel = h('section', { class: 'redaction', id: `redaction-${uid}`, hidden: true, 'aria-label': 'Redacted log' });
  const open = h(
    'button',
    { type: 'button', 'data-action': 'copy-redacted', 'aria-expanded': 'false', 'aria-controls': panel.id },
    'Copy redacted log…',
  );
  open.addEventListener('click', async () => {
    if (!panel.hidden) {
      panel.hidden = true;
      open.setAttribute('aria-expanded', 'false');
      return;
    }
    let redacted;
    try {
      redacted = await actions.redact();
    } catch (e) {
      panel.replaceChildren(h('p', { class: 'error', role: 'alert' }, `Could not redact the log: ${String(e?.message ?? e)}`));
      panel.hidden = false;
      return;
    }
    panel.replaceChildren(...redactionPreview(redacted, actions, () => {
      panel.hidden = true;
      open.setAttribute('aria-expanded', 'false');
      open.focus();
    }));
    panel.hidden = false;
    open.setAttribute('aria-expanded', 'true');
    panel.querySelector('textarea')?.focus();
  });
  return h('div', { class: 'share-tools' }, open, panel);
}

/** What was replaced, in one sentence: "1 secret, 2 subscription ids and 1 machine name". */
export function replacedSummary(replaced) {
  const parts = replaced.map((r) => `${r.count} ${r.name}`);
  if (parts.length < 2) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;
}

/** The preview: what was replaced, the text itself (read-only), Copy and Close. */
export function redactionPreview({ text, replaced }, actions, close) {
  const field = h('textarea', { class: 'redacted', readonly: true, rows: '10', wrap: 'off', spellcheck: 'false', 'aria-label': 'The redacted log, as it will be copied' });
  field.value = text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS) : text;
  const copy = h('button', { type: 'button', 'data-action': 'copy-redacted-confirm' }, 'Copy');
  copy.addEventListener('click', () => actions.copyText(text, copy, field));
  const closeButton = h('button', { type: 'button', class: 'close' }, 'Close');
  closeButton.addEventListener('click', close);
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
    h('div', { class: 'actions' }, copy, closeButton),
  ];
}
