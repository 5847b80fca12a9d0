// A JSON body inside a log line (an ARM or token error in a logrus field), laid out so it reads:
// one member per line, indented. Pure functions over text, no DOM.

const OPEN = { '{': '}', '[': ']' };
const INDENT = '  ';

/**
 * `text` with its first whole JSON object (or array holding objects or arrays) laid out, as
 * pieces in order: `[start, end]` is a slice of `text`'s characters (Unicode scalar values, as
 * evidence spans count them) and a string is layout put in between. `null` when the text holds no
 * such body, or holds it cut short (evidence is clipped with `…`): the line is then shown as it is.
 */
export function readableJson(text) {
  const chars = Array.from(text);
  for (let at = 0; at < chars.length; at++) {
    if (!OPEN[chars[at]]) continue;
    const end = closing(chars, at);
    if (end < 0) continue;
    if (!isBody(chars.slice(at, end).join(''))) continue;
    const pieces = [];
    if (at > 0) pieces.push([0, at]);
    pieces.push(...layout(chars, at, end));
    if (end < chars.length) pieces.push([end, chars.length]);
    return pieces;
  }
  return null;
}

/** The index after the bracket that closes the one at `at`, or -1 when the text ends first. */
function closing(chars, at) {
  const stack = [];
  for (let i = at; i < chars.length; i++) {
    const c = chars[i];
    if (c === '"') {
      i = stringEnd(chars, i) - 1;
      if (i < 0) return -1;
    } else if (OPEN[c]) {
      stack.push(OPEN[c]);
    } else if (c === '}' || c === ']') {
      if (stack.pop() !== c) return -1;
      if (!stack.length) return i + 1;
    }
  }
  return -1;
}

/** The index after the string starting at `at`, or 0 when it is not closed. */
function stringEnd(chars, at) {
  for (let i = at + 1; i < chars.length; i++) {
    if (chars[i] === '\\') i++;
    else if (chars[i] === '"') return i + 1;
  }
  return 0;
}

/** Valid JSON worth laying out: an object with members, or an array holding containers. */
function isBody(json) {
  let value;
  try {
    value = JSON.parse(json);
  } catch {
    return false;
  }
  if (Array.isArray(value)) return value.some((v) => v !== null && typeof v === 'object');
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0;
}

/** Pieces for the valid JSON in `chars[from, to)`: tokens as slices, layout as strings. */
function layout(chars, from, to) {
  const pieces = [];
  let depth = 0;
  const newline = () => pieces.push(`\n${INDENT.repeat(depth)}`);
  for (let i = from; i < to; ) {
    const c = chars[i];
    if (/\s/.test(c)) {
      i++;
    } else if (OPEN[c]) {
      pieces.push([i, i + 1]);
      const next = nextToken(chars, i + 1, to);
      if (chars[next] === OPEN[c]) {
        pieces.push([next, next + 1]);
        i = next + 1;
      } else {
        depth++;
        newline();
        i++;
      }
    } else if (c === '}' || c === ']') {
      depth--;
      newline();
      pieces.push([i, i + 1]);
      i++;
    } else if (c === ',') {
      pieces.push([i, i + 1]);
      newline();
      i++;
    } else if (c === ':') {
      pieces.push([i, i + 1], ' ');
      i++;
    } else {
      // A string, number or literal: copied whole.
      const end = c === '"' ? stringEnd(chars, i) : scalarEnd(chars, i, to);
      pieces.push([i, end]);
      i = end;
    }
  }
  return pieces;
}

function nextToken(chars, from, to) {
  let i = from;
  while (i < to && /\s/.test(chars[i])) i++;
  return i;
}

function scalarEnd(chars, from, to) {
  let i = from;
  while (i < to && !/[\s,:{}[\]"]/.test(chars[i])) i++;
  return i;
}
