// A reply for a ticket or a mail, built from a report: per diagnosis the problem, its cause, the
// fix for the log's platform, the evidence and the values (identifiers replaced unless asked for),
// the row's link and the rule set. Markdown for ticket systems, plain text for mail.
import { redact, labels } from './engine.js';
import { parseProse, forPlatform, filledText } from './prose.js';
import { problemsOf } from './problems.js';
import { baseName } from './bundle.js';

const PLATFORM_NAME = { linux: 'Linux', windows: 'Windows' };

/**
 * `report` → the reply as a string. Options: `format` (`"markdown"` or `"text"`),
 * `identifiers` (false: ids, names, addresses and secrets in the evidence and values are
 * replaced by placeholders), `link` (the public address of the page rows link to; by default the
 * current page's, unless it is a file).
 */
export function reply(report, { format = 'markdown', identifiers = false, link } = {}) {
  if (!report || !Array.isArray(report.matches) || !report.ruleset) {
    throw new TypeError('reply() takes a report returned by classify() or analyse()');
  }
  if (format !== 'markdown' && format !== 'text') {
    throw new TypeError(`reply() writes "markdown" or "text", not ${JSON.stringify(format)}`);
  }
  const md = format === 'markdown';
  const base = link === undefined ? pageAddress() : link;
  const shown = shownValues(report, identifiers);
  const fieldLabels = labels().fields;
  const platform = report.input?.platform ?? null;
  const { version } = report.ruleset;
  const out = [];
  const problems = problemsOf(report);
  const n = problems.length;
  const headline = n
    ? `arc-triage found ${n === 1 ? 'one problem' : `${n} problems`} in this log, using the Azure Arc troubleshooting table`
    : 'arc-triage found no row of the Azure Arc troubleshooting table that explains this log';
  out.push(md ? `**${headline}** (rule set ${version}).` : `${headline} (rule set ${version}).`, '');
  problems.forEach(({ diagnosis: d, codes }, i) => {
    const title = n > 1 ? `${i + 1}. ${d.title}` : d.title;
    out.push(md ? `### ${title}` : `${title}\n${'='.repeat(Math.min(title.length, 72))}`, '');
    const where = `${d.confidence === 'exact' ? 'Exact match' : 'The failing step is known but not its cause'}, ${logOf(d)} ${d.lines.length === 1 ? 'line' : 'lines'} ${d.lines.join(', ')}.`;
    const rowLink = base ? `${base.split('#')[0]}#rule=${encodeURIComponent(d.id)}&v=${encodeURIComponent(version)}` : null;
    out.push(rowLink ? `${where} Row: ${rowLink}` : where, '');
    out.push(md ? `**Cause.** ${paragraphs(d.cause, md)}` : `Cause: ${paragraphs(d.cause, md)}`, '');
    for (const c of codes) {
      out.push(`${md ? '**Exit code:**' : 'Exit code:'} ${c.title} (${logOf(c)} ${c.lines.length === 1 ? 'line' : 'lines'} ${c.lines.join(', ')}); the cause above explains it.`, '');
    }
    const fixFor = PLATFORM_NAME[platform];
    out.push(md ? `**Fix${fixFor ? ` (${fixFor})` : ''}.**` : `Fix${fixFor ? ` (${fixFor})` : ''}:`, '');
    // With identifiers, the commands carry the log's values; without, their placeholders.
    const fill = identifiers ? { onboarding: report.onboarding, fields: d.fields } : null;
    out.push(...fixLines(forPlatform(parseProse(d.solution), platform), md, fill), '');
    if (d.candidates?.length) {
      out.push(md ? '**Possible rows:**' : 'Possible rows:');
      for (const c of d.candidates) out.push(`- ${c.title} (${md ? `\`${c.error}\`` : c.error})`);
      out.push('');
    }
    const evidence = d.evidence.flatMap((e) => e.lines).map((l) => `${lineLabel(l)}: ${shown(l.text)}`);
    if (evidence.length) {
      out.push(md ? `**Evidence**${identifiers ? '' : ' (identifiers replaced by placeholders)'}:` : `Evidence${identifiers ? '' : ' (identifiers replaced by placeholders)'}:`);
      out.push(...codeBlock(evidence, 'text', md), '');
    }
    const fields = Object.entries(d.fields ?? {});
    if (fields.length) {
      const list = fields.map(([k, v]) => `${fieldLabels[k] ?? k}: ${md ? `\`${shown(v)}\`` : shown(v)}`);
      out.push(`${md ? '**Values:** ' : 'Values: '}${list.join('; ')}`, '');
    }
    if (d.docs) out.push(`Microsoft documentation: ${d.docs}`, '');
  });
  if (!n) {
    for (const step of report.next_steps ?? []) out.push(`- ${step}`);
    const lines = (report.error_lines ?? []).map((l) => `${lineLabel(l)}: ${shown(l.text)}`);
    if (lines.length) {
      out.push('', md ? '**Lines that look like errors:**' : 'Lines that look like errors:', ...codeBlock(lines, 'text', md));
    }
    out.push('');
  }
  if (report.secret_count) {
    out.push(
      `Note: the log held ${report.secret_count === 1 ? 'a secret' : `${report.secret_count} secrets`}; it is hidden here. If the log was sent anywhere, rotate ${report.secret_count === 1 ? 'it' : 'them'}.`,
      '',
    );
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}

/** The page's own address for row links, or null where it would mean nothing to a recipient. */
function pageAddress() {
  const href = globalThis.location?.href ?? '';
  return /^https?:/.test(href) ? href : null;
}

/**
 * Every text the reply quotes, redacted together so one value keeps one placeholder; returns
 * the function that gives a text as the reply shows it.
 */
function shownValues(report, identifiers) {
  const texts = [
    ...report.matches.flatMap((d) => [
      ...d.evidence.flatMap((e) => e.lines.map((l) => l.text)),
      ...Object.values(d.fields ?? {}),
    ]),
    ...(report.error_lines ?? []).map((l) => l.text),
  ].map((t) => String(t).replace(/[\r\n]+/g, ' '));
  const shown = new Map();
  if (identifiers) {
    for (const t of texts) shown.set(t, t);
  } else {
    const redacted = redact(texts.join('\n')).text.split('\n');
    texts.forEach((t, i) => shown.set(t, redacted[i]));
  }
  const get = (t) => shown.get(String(t).replace(/[\r\n]+/g, ' ')) ?? '';
  return get;
}

function paragraphs(text, md) {
  return parseProse(text)
    .flatMap(({ parts }) => parts.map((p) => (p.words ? plain(p.words, md) : p.commands.map((c) => c.command).join('; '))))
    .join(md ? '\n\n' : '\n');
}

/** Emphasis markers are Markdown; plain text keeps the words. */
function plain(words, md) {
  return md ? words : words.replace(/\*([^*\n]+)\*/g, '$1');
}

function fixLines(parsed, md, fill) {
  const out = [];
  for (const { step, parts } of parsed) {
    const indent = step === null ? '' : ' '.repeat(String(step).length + 2);
    parts.forEach((p, i) => {
      const lead = i === 0 && step !== null ? `${step}. ` : indent;
      if (p.words) {
        out.push(`${lead}${plain(p.words, md)}`);
      } else {
        const lines = p.commands.map((c) => {
          const command = fill ? filledText(c.command, fill) : c.command;
          return md ? command : `${c.shell === 'bash' ? '$' : 'PS>'} ${command}`;
        });
        const shell = p.commands[0].shell === 'bash' ? 'bash' : 'powershell';
        out.push(...codeBlock(lines, shell, md).map((l) => `${indent}${l}`));
      }
    });
    if (!md) out.push('');
  }
  return out;
}

/** A line's number, after its file's name for a line of an archive's log (`himds.log:12`). */
function lineLabel(l) {
  return l.file ? `${baseName(l.file)}:${l.line}` : String(l.line);
}

/** Which log a diagnosis's line numbers count in: `log`, or an archive member's file name. */
function logOf(d) {
  const file = d.evidence?.[0]?.lines?.[0]?.file;
  return file ? baseName(file) : 'log';
}

function codeBlock(lines, language, md) {
  if (!md) return lines.map((l) => `    ${l}`);
  const fence = '`'.repeat(Math.max(3, ...lines.map((l) => (l.match(/`+/g) ?? ['']).reduce((a, b) => Math.max(a, b.length + 1), 0))));
  return [`${fence}${language}`, ...lines, fence];
}
