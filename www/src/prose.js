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
