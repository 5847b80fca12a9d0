// The rules' prose format, parsed once for every consumer (the page's DOM and the copied reply):
// paragraphs split by blank lines, `N.` paragraphs are numbered steps, and lines starting with
// `$ ` (bash) or `PS> ` (PowerShell) are commands.

const COMMAND = /^(\$|PS>) /;

/**
 * `text` → `[{step, parts}]`: `step` is the paragraph's number or null, and each part is
 * `{words}` (one paragraph of prose, its lines joined) or `{commands: [{shell, command}]}` with
 * `shell` `"bash"` or `"powershell"`.
 */
export function parseProse(text) {
  const out = [];
  for (const para of String(text ?? '').trim().split(/\n\s*\n/)) {
    const step = /^(\d+)\.\s+/.exec(para);
    const body = step ? para.slice(step[0].length) : para;
    const parts = [];
    let words = [];
    let commands = [];
    const flushWords = () => {
      if (words.length) parts.push({ words: words.join(' ') });
      words = [];
    };
    const flushCommands = () => {
      if (commands.length) parts.push({ commands });
      commands = [];
    };
    for (const line of body.split('\n')) {
      const shell = COMMAND.exec(line);
      if (shell) {
        flushWords();
        commands.push({ shell: shell[1] === '$' ? 'bash' : 'powershell', command: line.slice(shell[0].length) });
      } else {
        flushCommands();
        if (line.trim()) words.push(line.trim());
      }
    }
    flushWords();
    flushCommands();
    if (parts.length) out.push({ step: step ? Number(step[1]) : null, parts });
  }
  return out;
}

/** The shell a platform's commands are written for. */
export const SHELL_OF = { linux: 'bash', windows: 'powershell' };

/**
 * The parsed prose for one platform: the other platform's commands are left out, with the line
 * that leads into them ("On Windows (…):"). With no platform, everything stays.
 */
export function forPlatform(parsed, platform) {
  const keep = SHELL_OF[platform];
  if (!keep) return parsed;
  return parsed
    .map(({ step, parts }) => {
      const kept = parts.map((p) => (p.commands ? { commands: p.commands.filter((c) => c.shell === keep) } : p));
      return {
        step,
        parts: kept
          .map((p, i) => (kept[i + 1]?.commands?.length === 0 && /:$/.test(p.words ?? '') ? { words: withoutLeadIn(p.words) } : p))
          .filter((p) => (p.commands ? p.commands.length > 0 : p.words)),
      };
    })
    .filter(({ parts }) => parts.length);
}

/**
 * A paragraph without its closing lead-in to commands that were left out: the last sentence
 * starting "On Windows" or "On Linux", or the whole paragraph if it is only a short lead-in.
 */
function withoutLeadIn(words) {
  const last = [...words.matchAll(/(?:^|[.!?)] )(On (?:Windows|Linux)\b)/g)].at(-1);
  if (!last) return words.length <= 120 ? '' : words;
  return words.slice(0, last.index + last[0].length - last[1].length).trim();
}

/** Which value of the report fills each placeholder the rules' commands use. */
const FILL = {
  'tenant-id': ['onboarding.tenant_id', 'tenant_id'],
  tenant: ['onboarding.tenant_id', 'tenant_id'],
  'subscription-id': ['onboarding.subscription_id', 'subscription_id'],
  subscription: ['onboarding.subscription_id', 'subscription_id'],
  rg: ['onboarding.resource_group'],
  region: ['onboarding.location'],
  'app-id': ['onboarding.service_principal_id', 'client_id', 'app_id'],
  'object-id': ['object_id'],
  name: ['onboarding.resource_name', 'resource_name'],
  machine: ['onboarding.resource_name', 'resource_name'],
  endpoint: ['endpoint'],
};

/** Only values of these characters go into a command: nothing a shell would act on. */
const SAFE_VALUE = /^[A-Za-z0-9_.() -]{1,90}$/;

/**
 * A command with its placeholders (`<rg>`, `<region>`, `<subscription-id>`…) replaced by the
 * values the log gave (`values = {onboarding, fields}`), as segments: `{text}` as written and
 * `{text, filled}` where `filled` names the placeholder. A value with a space or parenthesis is
 * quoted unless the placeholder already is.
 */
export function fillCommand(command, values) {
  const segments = [];
  let last = 0;
  for (const m of command.matchAll(/<([a-z][a-z_-]{0,30})>/g)) {
    const value = lookUp(m[1], values);
    if (value === null) continue;
    if (m.index > last) segments.push({ text: command.slice(last, m.index) });
    const quoted = /["']/.test(command[m.index - 1] ?? '');
    const text = quoted || /^[A-Za-z0-9_.-]+$/.test(value) ? value : `"${value}"`;
    segments.push({ text, filled: m[1] });
    last = m.index + m[0].length;
  }
  if (last < command.length) segments.push({ text: command.slice(last) });
  return segments;
}

function lookUp(placeholder, { onboarding = {}, fields = {} } = {}) {
  const sources = FILL[placeholder] ?? [placeholder.replaceAll('-', '_')];
  for (const source of sources) {
    const value = source.startsWith('onboarding.') ? onboarding?.[source.slice(11)] : fields?.[source];
    if (typeof value === 'string' && SAFE_VALUE.test(value)) return value;
  }
  return null;
}

/** The filled command as one string. */
export function filledText(command, values) {
  return fillCommand(command, values)
    .map((s) => s.text)
    .join('');
}
