// The one way the widget makes DOM: elements from tags, attributes and children, text always as
// text nodes, and the rules' inline `code` and *emphasis*.

/** Creates an element; `props` sets attributes (`class`, `data-*`...) and children are nodes or text. */
export function h(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** Inline `code` and *emphasis*, as the rules write them. */
export function inline(text) {
  const out = [];
  const re = /`([^`\n]+)`|\*([^*\n]+)\*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    out.push(m[1] !== undefined ? h('code', null, m[1]) : h('em', null, m[2]));
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}
