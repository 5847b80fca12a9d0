// The widget's fixed parts, built once per element: the input area with its buttons, the status
// and error lines, the places results and notices go, and the "about" footer. The element fills
// them in and listens to them; render.js builds what goes inside.
import { h } from './dom.js';

/**
 * Returns `{widget, ...parts}`: the widget's root node and each part the element updates.
 * `uid` keeps the ids unique when a page holds several elements.
 */
export function skeleton(uid) {
  const log = h('textarea', {
    id: `log-${uid}`,
    class: 'log',
    spellcheck: 'false',
    autocomplete: 'off',
    autocapitalize: 'off',
    wrap: 'off',
    placeholder: 'time="…" level=fatal msg="Failed to AzcmagentConnect ARM resource" Error="…"',
    'aria-describedby': `privacy-${uid}`,
  });
  const parts = {
    log,
    fileInput: h('input', { type: 'file', class: 'file-input', tabindex: '-1', 'aria-hidden': 'true' }),
    open: h('button', { type: 'button', class: 'open' }, 'Open a log or ZIP…'),
    clear: h('button', { type: 'button', class: 'clear' }, 'Clear'),
    stop: h('button', { type: 'button', class: 'stop', hidden: true }, 'Stop'),
    progress: h('progress', { class: 'progress', max: '1', value: '0', hidden: true, 'aria-label': 'Analysis progress' }),
    status: h('p', { class: 'status', role: 'status', 'aria-live': 'polite' }, 'Loading…'),
    error: h('p', { class: 'error', role: 'alert', hidden: true }),
    notice: h('div', { class: 'notice', hidden: true }),
    results: h('section', { class: 'results', 'aria-label': 'Diagnosis' }),
    rowsList: h('ul', { class: 'all-rows-list' }),
    version: h('p', { class: 'version' }),
  };
  const widget = h(
    'div',
    { class: 'widget', part: 'widget' },
    h(
      'div',
      { class: 'input' },
      h('label', { for: log.id, class: 'log-label' }, 'Paste the Connected Machine agent’s output (azcmagent, himds or its log files)'),
      log,
      h(
        'div',
        { class: 'actions' },
        parts.open,
        h('span', { class: 'drop-hint' }, 'or drop a log, or the azcmagent logs ZIP, here'),
        parts.clear,
        parts.stop,
        parts.progress,
        parts.fileInput,
      ),
      h(
        'p',
        { class: 'privacy', id: `privacy-${uid}` },
        'Private by design: your log is analysed in this browser tab and never sent or stored anywhere.',
      ),
    ),
    parts.status,
    parts.error,
    parts.notice,
    parts.results,
    h(
      'div',
      { class: 'about' },
      h('details', { class: 'all-rows' }, h('summary', null, 'Every problem arc-triage knows'), parts.rowsList),
      parts.version,
    ),
    h('div', { class: 'drop-overlay', 'aria-hidden': 'true' }, 'Drop the log or ZIP to analyse it here'),
  );
  return { widget, ...parts };
}
