// Turns what the engine returns (reports, rows, retired ids, labels) into DOM. Log text and rule
// text are only ever set as text nodes: a pasted log full of <script> stays inert.
import { h, inline } from './dom.js';
import { rowTable } from './row.js';
import { problemsOf } from './problems.js';
import { baseName } from './bundle.js';
import { readableJson } from './json-view.js';

const KIND_LABEL = { cause: 'Cause', code: 'Agent error code', stage: 'Failing step' };
const CONFIDENCE_LABEL = {
  exact: 'Exact match',
  partial: 'Step known, cause unclear',
  linked: 'Linked row',
  row: 'Troubleshooting table',
};

/**
 * `text` as nodes, its `span` (in Unicode scalar values) highlighted. `pieces` (from
 * json-view.js) lay the text out: slices of its characters and layout between them.
 */
function markedLine(text, span, pieces = null) {
  const chars = Array.from(text);
  const slice = (a, b) => chars.slice(a, b).join('');
  const out = [];
  for (const piece of pieces ?? [[0, chars.length]]) {
    if (typeof piece === 'string') {
      out.push(piece);
      continue;
    }
    const [a, b] = piece;
    const s = span ? Math.max(a, span[0]) : b;
    const e = span ? Math.min(b, span[1]) : b;
    if (s >= e) {
      out.push(slice(a, b));
      continue;
    }
    out.push(slice(a, s), h('mark', null, slice(s, e)), slice(e, b));
  }
  return out.filter((n) => n !== '');
}

/**
 * The button that selects line `l.line` in the input (the element listens for it); a line of an
 * archive's log shows its file (`himds.log:12`), and the element says where it is instead.
 */
function lineNumber(l, what) {
  if (l.file) {
    const where = `${l.file}, line ${l.line}`;
    return h('button', { type: 'button', class: 'line-no', 'data-goto-line': l.line, 'data-goto-file': l.file, title: where, 'aria-label': `${what} ${l.line} of ${l.file}` }, `${baseName(l.file)}:${l.line}`);
  }
  return h('button', { type: 'button', class: 'line-no', 'data-goto-line': l.line, title: `Select line ${l.line} in the input`, 'aria-label': `${what} ${l.line}, select it in the input` }, String(l.line));
}

function evidenceList(lines) {
  return h(
    'ol',
    { class: 'log-lines' },
    lines.map((l) => {
      // A JSON body in the line is laid out to read; a body cut short by clipping is not.
      const pieces = readableJson(l.text);
      return h(
        'li',
        { 'data-line': l.line },
        lineNumber(l, 'line'),
        h('code', { class: pieces ? 'line-text json' : 'line-text' }, markedLine(l.text, l.span, pieces)),
      );
    }),
  );
}

/** A line of the log beside the evidence, shown dimmed: context, not evidence. */
function contextLine(l, side) {
  if (!l) return null;
  const what = side === 'before' ? 'the line before' : 'the line after';
  return h(
    'div',
    { class: 'context-line', 'data-context': side, 'data-line': l.line, title: `Context: ${what} the evidence` },
    lineNumber(l, `context, ${what}, line`),
    h('code', { class: 'line-text' }, l.text),
  );
}

/** One occurrence: its evidence lines, between the log's line before and line after. */
function occurrence(e) {
  return h('div', { class: 'occurrence' }, contextLine(e.before, 'before'), evidenceList(e.lines), contextLine(e.after, 'after'));
}

function evidenceSection(d) {
  const heading =
    d.occurrences > d.evidence.length
      ? `Evidence (${d.occurrences} occurrences; the first and the last ${d.evidence.length - 1} shown)`
      : d.occurrences > 1
        ? `Evidence (${d.occurrences} occurrences)`
        : 'Evidence';
  return h(
    'section',
    { class: 'evidence' },
    h('h4', null, heading),
    d.evidence.map(occurrence),
  );
}

const FORMAT_LABEL = {
  'logrus-key-value': 'agent log (key=value)',
  'logrus-terminal': 'agent console (ERROR[nnnn])',
  'agent-console': 'agent console',
  'power-shell': 'PowerShell',
  'json-envelope': 'log-collector JSON',
  'ansi-colours': 'colour codes',
  crlf: 'Windows line endings',
  utf16: 'UTF-16',
  wrapped: 'wrapped lines rejoined',
};

/** The fields a diagnosis carries, titled by the rule set's labels (`Labels.fields`). */
function fieldsList(fields, labels) {
  const entries = Object.entries(fields ?? {});
  if (!entries.length) return null;
  return h(
    'dl',
    { class: 'fields' },
    entries.map(([k, v]) => [h('dt', null, labels?.[k] ?? k), h('dd', { 'data-field': k }, h('code', null, v))]),
  );
}

function candidatesList(d) {
  if (!d.candidates?.length) return null;
  return h(
    'section',
    { class: 'candidates' },
    h('h4', null, 'The step failed, but the error detail fits none of its known causes. It is usually one of:'),
    h(
      'ul',
      null,
      d.candidates.map((c) =>
        h('li', { 'data-candidate': c.id }, h('strong', null, c.title), ' — ', h('code', null, c.error)),
      ),
    ),
  );
}

/**
 * One diagnosis (or a linked row) as a card. `actions.link(id)` builds the share link;
 * `actions.copy(link, output)` copies it; `fieldLabels` titles the fields.
 */
export function diagnosisCard(d, { confidence, rank, actions, fieldLabels, headingLevel = 3, values = null, platform = null, codes = [] }) {
  const id = `arc-${d.id}-${Math.random().toString(36).slice(2, 8)}`;
  const conf = confidence ?? d.confidence;
  // From a file nobody else can open (and with no public address built in), the row id travels
  // instead of a link.
  // A row-only embed (`actions.link` null) offers no link or row id to copy.
  const shareable = typeof actions.link === 'function';
  const link = shareable ? actions.link(d.id) : null;
  const output = h('input', {
    type: 'text',
    readonly: true,
    class: 'share-link',
    'aria-label': link ? 'Link to this row' : 'Id of this row',
    value: link ?? d.id,
    hidden: true,
  });
  const copy = h(
    'button',
    { type: 'button', class: 'copy-link', 'data-action': 'copy-link', id: `${id}-copy`, 'aria-describedby': link ? null : `${id}-no-link` },
    link ? 'Copy link' : 'Copy row id',
  );
  copy.addEventListener('click', () => actions.copy(link ?? d.id, output, copy, link ? 'Link copied' : 'Row id copied'));
  const noLink = link
    ? null
    : h(
        'p',
        { class: 'no-link', id: `${id}-no-link` },
        `This page was opened from a file, so a link to it would open on no one else's computer. Send the row id instead: on the arc-triage page, the address ending in #rule=${d.id} opens this row.`,
      );
  return h(
    'article',
    {
      class: `diagnosis confidence-${conf} kind-${d.kind}`,
      'data-rule-id': d.id,
      'data-confidence': conf,
      'data-kind': d.kind,
      'aria-labelledby': `${id}-title`,
      tabindex: '-1',
    },
    h(
      'header',
      null,
      rank ? h('span', { class: 'rank' }, `#${rank}`) : null,
      h(`h${headingLevel}`, { id: `${id}-title` }, d.title),
      h('span', { class: `badge badge-${conf}` }, CONFIDENCE_LABEL[conf] ?? conf),
      h('span', { class: 'badge badge-kind' }, KIND_LABEL[d.kind] ?? d.kind),
    ),
    d.rank_reason ? h('p', { class: 'rank-reason' }, d.rank_reason) : null,
    rowTable(d, { values, platform, copyText: actions.copyText }),
    explainedCodes(codes, { actions, platform }),
    fieldsList(d.fields, fieldLabels),
    d.evidence?.length ? evidenceSection(d) : null,
    candidatesList(d),
    h(
      'footer',
      null,
      d.docs
        ? h('a', { href: d.docs, target: '_blank', rel: 'noopener noreferrer', class: 'docs' }, 'Microsoft documentation')
        : null,
      h('span', { class: 'rule-id' }, 'Row id ', h('code', null, d.id)),
      shareable ? [copy, output, noLink] : null,
    ),
  );
}

/** What the engine says when no row matched: the lines that look like errors, and next steps. */
export function noMatch(report) {
  const shown = report.error_lines.length;
  return h(
    'section',
    { class: 'no-match', 'data-rule-id': '', 'data-confidence': 'none' },
    h('h3', null, 'No row of the table matches this output'),
    h(
      'p',
      null,
      'That is an answer too: the problem is not one arc-triage knows, or the output does not include the error itself.',
    ),
    shown
      ? h(
          'section',
          { class: 'error-lines' },
          h(
            'h4',
            null,
            report.error_line_count > shown
              ? `Lines that look like errors (${report.error_line_count}; the last ${shown} shown)`
              : `Lines that look like errors (${shown})`,
          ),
          evidenceList(report.error_lines),
        )
      : h('p', null, 'Nothing in it looks like an error line (level=error, FATAL, Exit Code…).'),
    h('h4', null, 'Next steps'),
    h(
      'ol',
      { class: 'next-steps' },
      report.next_steps.map((s) => h('li', null, inline(s))),
    ),
  );
}

/**
 * The warning that the input holds secrets: which kinds on which lines, that their values are
 * hidden and stayed on this device, and what to do if the log was sent anywhere else.
 * `kinds` are the engine's `secretKinds()`. Nothing when the report names no secret.
 */
export function secretWarning(report, kinds) {
  if (!report.secret_count) return null;
  const present = kinds
    .map((k) => ({ ...k, lines: report.secrets.filter((s) => s.kind === k.kind).map((s) => (s.file ? `${baseName(s.file)} ${s.line}` : s.line)) }))
    .filter((k) => k.lines.length);
  const n = report.secret_count;
  return h(
    'section',
    { class: 'notice secret-warning', 'data-warning': 'secret' },
    h('h3', null, n === 1 ? 'This log holds a secret' : `This log holds ${n} secrets`),
    h(
      'p',
      null,
      'Its value is hidden on this page and in everything it copies. ',
      'It never left this browser: the log is read on this device and sent nowhere.',
    ),
    h(
      'ul',
      null,
      present.map((k) =>
        h(
          'li',
          { 'data-secret-kind': k.kind },
          h('strong', null, k.name),
          ` on ${k.lines.length === 1 ? 'line' : 'lines'} ${k.lines.join(', ')}. `,
          'If this log was sent anywhere else (a ticket, a mail, a chat), treat it as exposed: ',
          inline(k.rotate),
          k.sources.length ? [' ', sourceLinks(k.sources)] : null,
        ),
      ),
    ),
    report.secrets.length < n ? h('p', null, `The first ${report.secrets.length} are listed.`) : null,
  );
}

function sourceLinks(urls) {
  const links = [];
  urls.forEach((url, i) => {
    if (i) links.push(', ');
    links.push(h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url.replace(/^https:\/\//, '')));
  });
  return h('span', { class: 'sources' }, urls.length === 1 ? '(Source: ' : '(Sources: ', links, ')');
}

/** With several problems, a list at the top whose entries lead to their cards. */
function problemList(problems) {
  return h(
    'nav',
    { class: 'problems', 'aria-label': 'Problems found' },
    h('p', null, `${problems.length} problems found:`),
    h(
      'ol',
      null,
      problems.map(({ diagnosis: d }) =>
        h('li', null, h('button', { type: 'button', class: 'card-link', 'data-card': d.id }, d.title)),
      ),
    ),
  );
}

/** The exit codes a cause explains, inside its card: the code, and its row on request. */
function explainedCodes(codes, { actions, platform }) {
  if (!codes?.length) return null;
  return h(
    'section',
    { class: 'explained-codes' },
    h('h4', null, codes.length === 1 ? 'Exit code' : 'Exit codes'),
    codes.map(({ code: c, values }) =>
      h(
        'div',
        { class: 'explained-code', 'data-rule-id': c.id },
        h(
          'p',
          null,
          h('strong', null, c.title),
          `. The agent's exit code for this failure (log ${c.lines.length === 1 ? 'line' : 'lines'} ${c.lines.join(', ')}); the cause above explains it, and the code's own row is more general.`,
        ),
        h('details', null, h('summary', null, 'The exit code’s row'), rowTable(c, { values, platform, copyText: actions.copyText })),
      ),
    ),
  );
}

/**
 * A report as the results show it: any secret warning first, the tools for passing it on
 * (`tools`, from share.js), where the input came from (`label`), how it was read, a card per diagnosis (or the no-match answer) and the rule set
 * that made it.
 */
export function reportView(report, label, { actions, fieldLabels, secretKinds, tools }) {
  const platform = report.input?.platform ?? null;
  const valuesOf = (d) => ({ onboarding: report.onboarding, fields: d.fields });
  const problems = problemsOf(report);
  const cards = problems.map(({ diagnosis: d, codes }, i) =>
    diagnosisCard(d, {
      rank: problems.length > 1 ? i + 1 : 0,
      actions,
      fieldLabels,
      values: valuesOf(d),
      platform,
      codes: codes.map((c) => ({ code: c, values: valuesOf(c) })),
    }),
  );
  return [
    secretWarning(report, secretKinds),
    tools,
    problems.length > 1 ? problemList(problems) : null,
    h('p', { class: 'source' }, `Analysed ${label}.`),
    inputSummary(report),
    ...(cards.length ? cards : [noMatch(report)]),
    h('p', { class: 'stamp' }, `Diagnosed with rule set ${report.ruleset.version} (hash ${report.ruleset.hash}).`),
  ].filter(Boolean);
}

/** A row opened from a link or the list, without a log: `[intro, card]`. */
export function linkedRow(row, { actions, fieldLabels }, source = 'link') {
  // A row-only embed is the row and nothing else: no intro, no box to paste into.
  if (source === 'row') return [null, diagnosisCard(row, { confidence: 'row', actions, fieldLabels })];
  const intro = {
    link: 'This is the row the link points to.',
    attribute: 'One row of the Azure Arc troubleshooting table.',
    list: 'One row of the list of every known problem.',
  }[source];
  return [
    h('p', { class: 'source' }, `${intro} To check it against your own output, paste the log in the box below.`),
    diagnosisCard(row, { confidence: 'linked', actions, fieldLabels }),
  ];
}

/** A button that opens a row; the element listens for clicks on `.row-link`. */
function rowLink(id, title) {
  return h('button', { type: 'button', class: 'row-link', 'data-rule-id': id }, title);
}

/**
 * "Every problem arc-triage knows": the rules (stages left out) grouped by `source`, the
 * groups in the order of the rule set's `Labels.sources`, any unlabelled source after them.
 */
export function knownProblems(rules, sourceLabels) {
  const label = new Map(sourceLabels.map((s) => [s.id, s.label]));
  const groups = new Map(sourceLabels.map((s) => [s.id, []]));
  for (const r of rules) {
    if (r.kind === 'stage') continue;
    if (!groups.has(r.source)) groups.set(r.source, []);
    groups.get(r.source).push(h('li', null, rowLink(r.id, r.title), ' ', h('code', null, r.error)));
  }
  return [...groups]
    .filter(([, items]) => items.length)
    .map(([source, items]) =>
      h('li', { class: 'row-group' }, h('strong', null, `${label.get(source) ?? source} (${items.length})`), h('ul', null, items)),
    );
}

/** A link to an id this rule set does not have. */
export function unknownRuleNotice(id, version) {
  return h(
    'p',
    { class: 'unknown-rule' },
    `The link asks for a row with the id “${id}”, which rule set ${version} does not have. `,
    'It may come from a newer version of arc-triage, or the link was cut short. Paste your log to diagnose it.',
  );
}

/** A link made with another rule-set version (`null`: one that names no valid version). */
export function versionNotice(linkVersion, version) {
  return h(
    'p',
    null,
    linkVersion === null
      ? `This link's rule-set version is not one arc-triage writes; this page has ${version}. The advice below is the current one.`
      : `This link was made with rule set ${linkVersion}; this page has ${version}. The advice below is the current one.`,
  );
}

/**
 * A row id that is not one (too long, or not lowercase letters, digits and dashes), from a link
 * or the `rule` attribute; `excerpt` is its start, made safe to show (see element.js's `excerpt`).
 */
export function invalidRuleNotice(excerpt, source) {
  return h(
    'p',
    { class: 'invalid-rule' },
    `The ${source === 'link' ? 'link' : '`rule` attribute'} names no row: “${excerpt}” is not a row id (ids are up to 64 lowercase letters, digits and dashes). `,
    source === 'link' ? 'The link may have been cut or changed. Paste your log to diagnose it.' : 'Paste your log to diagnose it.',
  );
}

/** A link to a retired id: why, and a button per replacement row (`titleOf(id)` names it). */
export function retiredNotice(retired, titleOf) {
  return [
    h('p', { class: 'retired-rule' }, `The row “${retired.id}” this link points to was replaced. `, retired.why),
    h(
      'ul',
      { class: 'replacements' },
      retired.replaced_by.map((id) => h('li', null, rowLink(id, titleOf(id) ?? id))),
    ),
  ];
}

/** How the input was read, and anything the user should know about it. */
export function inputSummary(report) {
  const i = report.input;
  const logs = i.files?.filter((f) => !f.skipped).length;
  const parts = [
    `${i.lines.toLocaleString('en')} line${i.lines === 1 ? '' : 's'}${i.files ? ` in ${logs} log${logs === 1 ? '' : 's'}` : ''}`,
    formatBytes(i.bytes),
    i.encoding,
  ];
  if (i.formats.length) parts.push(`read as: ${i.formats.map((f) => FORMAT_LABEL[f] ?? f).join(', ')}`);
  return h(
    'div',
    { class: 'input-summary' },
    h('p', null, parts.join(' · ')),
    i.files ? filesList(i.files) : null,
    report.notes.length ? h('ul', { class: 'notes' }, report.notes.map((n) => h('li', null, n))) : null,
  );
}

/** An archive's files: each log with its size and lines, each other file with why it was not read. */
function filesList(files) {
  return h(
    'details',
    { class: 'bundle-files' },
    h('summary', null, `Files in the archive (${files.length})`),
    h(
      'ul',
      null,
      files.map((f) =>
        h(
          'li',
          { 'data-file': f.name, 'data-read': f.skipped ? 'no' : 'yes' },
          h('code', null, f.name),
          f.skipped
            ? ` — not read: ${f.skipped}`
            : ` — ${f.lines.toLocaleString('en')} line${f.lines === 1 ? '' : 's'}, ${formatBytes(f.bytes)}${f.damaged ? `; damaged: ${f.damaged}` : ''}`,
        ),
      ),
    ),
  );
}

export function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1 << 20) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1 << 30) return `${(n / (1 << 20)).toFixed(1)} MB`;
  return `${(n / (1 << 30)).toFixed(2)} GB`;
}
