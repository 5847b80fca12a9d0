// A row of the troubleshooting table as DOM: Message, Error, Probable cause and Solution, the
// solution's commands filled in with the log's values for its platform, each block with its Copy.
import { h, inline } from './dom.js';
import { parseProse, forPlatform, fillCommand, filledText } from './prose.js';

/**
 * A cause or solution (see prose.js): paragraphs, numbered steps, and command blocks. With
 * `values` (`{onboarding, fields}`) the commands' placeholders are filled in; with `platform`
 * only that platform's commands are shown; `copyText(text, button)` gives each block its Copy.
 */
export function prose(text, { values = null, platform = null, copyText = null } = {}) {
  const root = h('div', { class: 'prose' });
  let list = null;
  for (const { step, parts } of forPlatform(parseProse(text), platform)) {
    const nodes = parts.map((p) => (p.commands ? commandBlock(p.commands, values, copyText) : h('p', null, inline(p.words))));
    if (step !== null) {
      if (!list) root.append((list = h('ol', { class: 'steps' })));
      list.append(h('li', { value: step }, nodes));
    } else {
      list = null;
      root.append(...nodes);
    }
  }
  return root;
}

/** Commands with their prompts, the log's values marked; Copy copies them without prompts. */
function commandBlock(commands, values, copyText) {
  // Focusable: a long command scrolls, and keyboard users must be able to scroll it.
  const pre = h('pre', { class: 'commands', tabindex: '0' });
  commands.forEach(({ shell, command }, i) => {
    const label = shell === 'bash' ? 'bash' : 'PowerShell';
    if (i) pre.append('\n');
    const segments = values ? fillCommand(command, values) : [{ text: command }];
    pre.append(
      h('span', { class: 'shell', title: label, 'aria-label': `${label}:` }, shell === 'bash' ? '$' : 'PS>'),
      ' ',
      h(
        'code',
        null,
        segments.map((s) => (s.filled ? h('span', { class: 'filled', title: `<${s.filled}>, from your log` }, s.text) : s.text)),
      ),
    );
  });
  if (!copyText) return pre;
  const text = commands.map(({ command }) => (values ? filledText(command, values) : command)).join('\n');
  const copy = h('button', { type: 'button', class: 'copy-commands', 'data-action': 'copy-commands' }, 'Copy');
  copy.addEventListener('click', () => copyText(text, copy));
  return h('div', { class: 'command-block' }, pre, copy);
}

/** "Source: a, b; checked 2026-11" under the solution, and what has no public source. */
export function sourcesNote(row) {
  if (!row.sources?.length) return null;
  const links = [];
  row.sources.forEach((s, i) => {
    if (i) links.push(', ');
    links.push(h('a', { href: s.url, target: '_blank', rel: 'noopener noreferrer' }, s.label));
  });
  return h(
    'div',
    { class: 'sources' },
    h('p', null, row.sources.length === 1 ? 'Source: ' : 'Sources: ', links, `; checked ${row.checked}.`),
    row.unsourced ? h('p', { class: 'unsourced' }, 'Not publicly documented: ', row.unsourced) : null,
  );
}

/** The table row: Message | Error | Probable cause | Solution. */
export function rowTable(row, { values = null, platform = null, copyText = null } = {}) {
  const solution = h('td', { 'data-label': 'Solution' });
  const show = (only) =>
    solution.replaceChildren(
      only ? platformNote(only, () => show(null)) : '',
      prose(row.solution, { values, platform: only, copyText }),
      sourcesNote(row) ?? '',
    );
  show(platform && hasBothShells(row.solution) ? platform : null);
  return h(
    'table',
    { class: 'row' },
    h(
      'thead',
      null,
      h('tr', null, ['Message', 'Error', 'Probable cause', 'Solution'].map((t) => h('th', { scope: 'col' }, t))),
    ),
    h(
      'tbody',
      null,
      h(
        'tr',
        null,
        h('td', { 'data-label': 'Message' }, row.message),
        h('td', { 'data-label': 'Error' }, h('code', { class: 'error-text' }, row.error)),
        h('td', { 'data-label': 'Probable cause' }, prose(row.cause)),
        solution,
      ),
    ),
  );
}

const PLATFORM_NAME = { linux: 'Linux', windows: 'Windows' };
const OTHER_PLATFORM = { linux: 'windows', windows: 'linux' };

function hasBothShells(text) {
  const shells = new Set(parseProse(text).flatMap(({ parts }) => parts.flatMap((p) => (p.commands ?? []).map((c) => c.shell))));
  return shells.size > 1;
}

/** "Commands for Linux, as your log shows" and the way to the other platform's. */
function platformNote(platform, showAll) {
  const other = PLATFORM_NAME[OTHER_PLATFORM[platform]];
  const button = h('button', { type: 'button', class: 'show-all-platforms' }, `Show the ${other} commands too`);
  button.addEventListener('click', showAll);
  return h('p', { class: 'platform-note', 'data-platform': platform }, `Commands for ${PLATFORM_NAME[platform]}, where your log comes from. `, button);
}
