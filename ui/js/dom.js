// DOM helpers shared by every view: building elements, delegated listeners, table cells and
// roles, icons, and the small event utilities. Formatting lives in format.js, widgets (toast,
// suggestions, row keys) in widgets.js.
//
// User data only ever reaches the page through `textContent`, `.value` or `setAttribute`:
// `h()` appends strings as text nodes, never as markup.

import { DASH, text } from './format.js';

/**
 * Creates an element. `attrs` keys: `class`, `dataset` (object), `on<event>` (function),
 * `hidden`/`disabled`/... (booleans), `value`, `checked`, anything else → setAttribute.
 * Children: nodes, strings/numbers (text nodes), arrays, null/false (skipped).
 */
export function h(tag, attrs = null, ...children) {
  const el = tag.includes(':')
    ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1])
    : document.createElement(tag);
  if (attrs) {
    for (const [key, val] of Object.entries(attrs)) {
      if (val === null || val === undefined || val === false) continue;
      if (key === 'class') el.setAttribute('class', Array.isArray(val) ? val.filter(Boolean).join(' ') : val);
      else if (key === 'dataset') for (const [k, v] of Object.entries(val)) { if (v !== null && v !== undefined && v !== false) el.dataset[k] = v === true ? '' : String(v); }
      else if (key.startsWith('on') && typeof val === 'function') el.addEventListener(key.slice(2), val);
      else if (key === 'value') el.value = val;
      else if (key === 'checked' || key === 'selected') el[key] = Boolean(val);
      else if (val === true) el.setAttribute(key, '');
      else el.setAttribute(key, String(val));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** One listener on `root` for events on descendants matching `selector`. */
export function delegate(root, type, selector, handler, options) {
  root.addEventListener(type, (event) => {
    const target = event.target instanceof Element ? event.target.closest(selector) : null;
    if (target && root.contains(target)) handler(event, target);
  }, options);
}

/**
 * A table cell with ellipsis and a tooltip carrying the full text. The clipping lives on the
 * cell and the text in a plain inner span: WebDriver (and some screen readers) treat text whose
 * own element clips it as hidden.
 */
export function cell(col, value, extraClass) {
  const t = text(value);
  const td = h('td', { dataset: { col }, class: ['clip', extraClass] }, h('span', null, t));
  if (t !== DASH) td.setAttribute('title', t);
  else td.classList.add('empty');
  return td;
}

/** An element that clips its text with an ellipsis (text in an inner span; see `cell`). */
export function trunc(tag, attrs, value) {
  const t = text(value);
  const el = h(tag, { ...attrs, class: [attrs?.class, 'trunc'] }, h('span', null, t));
  if (t !== DASH && !el.hasAttribute('title')) el.setAttribute('title', t);
  return el;
}

/** Debounces `fn` by `ms`. */
export function debounce(fn, ms) {
  let t = 0;
  const d = (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
  d.cancel = () => clearTimeout(t);
  return d;
}

/** Whether a key event comes from a text field (so single-key shortcuts stay out of the way). */
export function isTyping(event) {
  const t = event.target;
  if (!(t instanceof Element)) return false;
  return t.closest('input, textarea, select, [contenteditable="true"]') !== null;
}

/** Static SVG icon by name (no user data). */
export function icon(name) {
  const paths = {
    back: 'M10 3 5 8l5 5',
    search: 'M7 12.5a5.5 5.5 0 1 1 0-11 5.5 5.5 0 0 1 0 11ZM11 11l3.5 3.5',
    plus: 'M8 3v10M3 8h10',
    check: 'M3.5 8.5 6.5 11.5 12.5 4.5',
    cross: 'M4 4l8 8M12 4l-8 8',
    chevron: 'M6 4l4 4-4 4',
    paperclip: 'M13 7.5 8.2 12.3a3 3 0 0 1-4.3-4.2l5.2-5.2a2 2 0 0 1 2.8 2.9L6.8 10.9a1 1 0 0 1-1.4-1.4L10 4.9',
    file: 'M4 1.5h5l3 3v10H4zM9 1.5v3h3',
    download: 'M8 2.5v8M4.5 7 8 10.5 11.5 7M3 13.5h10',
    upload: 'M8 10.5v-8M4.5 6 8 2.5 11.5 6M3 13.5h10',
    qr: 'M2.5 2.5h4v4h-4zM9.5 2.5h4v4h-4zM2.5 9.5h4v4h-4zM9.5 9.5h1.5M12.5 9.5v1.5M9.5 12.5h4M11 11v2.5',
  };
  const svg = h('svg:svg', { viewBox: '0 0 16 16', width: 16, height: 16, class: 'icon', 'aria-hidden': 'true' });
  svg.appendChild(h('svg:path', { d: paths[name] ?? '', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.6', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
  return svg;
}

/**
 * Table semantics for a `.grid-table` (laid out with CSS grid so each row is a real box that
 * can be hit and clicked); call after (re)rendering its rows.
 */
export function tableRoles(table) {
  table.setAttribute('role', 'table');
  for (const el of table.querySelectorAll('thead, tbody')) el.setAttribute('role', 'rowgroup');
  for (const el of table.querySelectorAll('tr')) el.setAttribute('role', 'row');
  for (const el of table.querySelectorAll('th')) el.setAttribute('role', 'columnheader');
  for (const el of table.querySelectorAll('td')) el.setAttribute('role', 'cell');
}
