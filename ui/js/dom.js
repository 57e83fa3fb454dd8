// DOM and formatting helpers shared by every view.
//
// User data only ever reaches the page through `textContent`, `.value` or `setAttribute`:
// `h()` appends strings as text nodes, never as markup.

/** En dash shown for an empty value. */
export const DASH = '\u2013';

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

/** Text or an en dash. */
export function text(value) {
  return value === null || value === undefined || value === '' ? DASH : String(value);
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

// ---------------------------------------------------------------------------------------------
// Statuses

export const STATUSES = [
  { value: 'available', label: 'Available' },
  { value: 'deployed', label: 'Deployed' },
  { value: 'in_maintenance', label: 'In Maintenance' },
  { value: 'retired', label: 'Retired' },
  { value: 'lost_stolen', label: 'Lost/Stolen' },
];

export function statusLabel(value) {
  return STATUSES.find((s) => s.value === value)?.label ?? text(value);
}

/** The status pill, the same everywhere. */
export function pill(status, attrs = {}) {
  return h('span', { class: `pill pill-${status}`, ...attrs }, statusLabel(status));
}

// ---------------------------------------------------------------------------------------------
// Dates and money

/**
 * The user's locale. A bare POSIX/C environment gives WebKit a locale that formats money as
 * "£ 1234.00"; fall back to en-GB there so figures stay grouped and readable.
 */
export const LOCALE = (() => {
  const resolved = new Intl.NumberFormat().resolvedOptions().locale || '';
  const langs = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''])
    .filter((l) => l && !/^(c|posix)$/i.test(l) && !/posix/i.test(l));
  if (/posix/i.test(resolved) || !langs.length) return 'en-GB';
  return undefined;
})();

function parseIsoDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

const dateFmt = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });

/** "2024-01-15" → the user's locale ("15 Jan 2024"); empty → en dash. */
export function formatDate(iso) {
  if (!iso) return DASH;
  const d = parseIsoDate(iso);
  return d ? dateFmt.format(d) : String(iso);
}

/** An RFC 3339 timestamp in the user's locale and time zone. */
export function formatDateTime(ts) {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? text(ts) : dateTimeFmt.format(d);
}

/** The day of an RFC 3339 timestamp, in the user's locale and time zone ("3 Mar 2026"). */
export function formatDay(ts) {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? text(ts) : dateFmt.format(d);
}

const rtf = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });

/** "3 minutes ago", "yesterday", "2 months ago". */
export function relativeTime(ts, now = Date.now()) {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return text(ts);
  const secs = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(secs);
  if (abs < 45) return 'just now';
  const units = [
    ['minute', 60, 3600],
    ['hour', 3600, 86400],
    ['day', 86400, 86400 * 30],
    ['month', 86400 * 30, 86400 * 365],
    ['year', 86400 * 365, Infinity],
  ];
  for (const [unit, size, limit] of units) {
    if (abs < limit) return rtf.format(Math.round(secs / size), unit);
  }
  return dateTimeFmt.format(d);
}

/** Days from today to an ISO date (negative when past). */
export function daysUntil(iso) {
  const d = parseIsoDate(iso);
  if (!d) return null;
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return Math.round((d.getTime() - today.getTime()) / 86400000);
}

const moneyFormats = new Map();

/** A decimal string ("1249.99") with the register's currency symbol; empty → en dash. */
export function formatMoney(value, currency = 'GBP') {
  if (value === null || value === undefined || value === '') return DASH;
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  let fmt = moneyFormats.get(currency);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: currency || 'GBP' });
    } catch {
      fmt = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, fmt);
  }
  return fmt.format(n);
}

const countFmt = new Intl.NumberFormat(LOCALE);

/** 12345 → "12,345" in the user's locale. */
export function formatCount(n) {
  return countFmt.format(n);
}

/** "1 asset", "3 assets". */
export function plural(n, one, many = `${one}s`) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Toast

let toastTimer = 0;

/**
 * A quiet confirmation at the bottom of the window. The latest text stays in `[data-toast]`.
 * `action` ({label, run}) adds one button (e.g. "Open" after an export); the toast then stays
 * a little longer.
 */
export function toast(message, kind = 'ok', { action = null } = {}) {
  const el = document.querySelector('[data-toast]');
  if (!el) return;
  const parts = [h('span', { class: 'toast-text', dataset: { toastText: true } }, message)];
  if (action) {
    const b = h('button', { type: 'button', class: 'toast-action', dataset: { toastAction: true } }, action.label);
    b.addEventListener('click', () => {
      hide();
      action.run();
    });
    parts.push(b);
  }
  el.replaceChildren(...parts);
  el.dataset.kind = kind;
  el.hidden = false;
  el.classList.remove('toast-out');
  clearTimeout(toastTimer);
  const hide = () => {
    clearTimeout(toastTimer);
    el.classList.add('toast-out');
    toastTimer = setTimeout(() => { el.hidden = true; }, 200);
  };
  toastTimer = setTimeout(hide, action ? 9000 : kind === 'error' || kind === 'warn' ? 6000 : 3200);
}

/** Bytes in words, as the PDF and the CLI write them: "512 bytes", "12.3 KB", "4.0 MB". */
export function formatSize(n) {
  const b = Number(n);
  if (!Number.isFinite(b)) return DASH;
  if (b < 1024) return `${b} ${b === 1 ? 'byte' : 'bytes'}`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`;
  return `${(b / (1024 * 1024)).toFixed(1)} MB`;
}

/** The last part of a path, whichever separator the OS uses. */
export function baseName(path) {
  return String(path ?? '').split(/[\\/]/).pop();
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
  };
  const svg = h('svg:svg', { viewBox: '0 0 16 16', width: 16, height: 16, class: 'icon', 'aria-hidden': 'true' });
  svg.appendChild(h('svg:path', { d: paths[name] ?? '', fill: 'none', stroke: 'currentColor', 'stroke-width': '1.6', 'stroke-linecap': 'round', 'stroke-linejoin': 'round' }));
  return svg;
}

/**
 * Arrow keys move a selection over `tr[data-id]` rows inside `container` (which must be
 * focusable); Enter opens the selected row; a click opens the clicked row.
 */
export function rowKeys(container, onOpen, { signal } = {}) {
  const rows = () => [...container.querySelectorAll('tbody tr[data-id]')];
  const select = (tr) => {
    for (const r of container.querySelectorAll('tr[aria-selected="true"]')) r.setAttribute('aria-selected', 'false');
    if (tr) {
      tr.setAttribute('aria-selected', 'true');
      tr.scrollIntoView({ block: 'nearest' });
    }
  };
  container.addEventListener('keydown', (e) => {
    if (e.target !== container) return;
    const all = rows();
    if (!all.length) return;
    const cur = all.findIndex((r) => r.getAttribute('aria-selected') === 'true');
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = cur < 0 ? 0 : Math.max(0, Math.min(all.length - 1, cur + (e.key === 'ArrowDown' ? 1 : -1)));
      select(all[next]);
    } else if (e.key === 'Enter' && cur >= 0) {
      e.preventDefault();
      onOpen(all[cur]);
    }
  }, { signal });
  container.addEventListener('click', (e) => {
    if (e.target.closest('button, a, input, select, textarea')) return;
    const tr = e.target.closest('tbody tr[data-id]');
    if (tr && container.contains(tr)) onOpen(tr);
  }, { signal });
}

// ---------------------------------------------------------------------------------------------
// Suggestions (a light combobox; used instead of <datalist>, whose native popup steals keys)

let suggestUid = 0;

/**
 * Adds a suggestion list to a text input. `items()` returns the names to offer; typing filters
 * them (prefix matches first), arrows move, Enter picks, Esc closes the list only.
 */
export function suggest(input, items) {
  const id = `sg${++suggestUid}`;
  const list = h('ul', { class: 'suggest', role: 'listbox', id, hidden: true });
  const wrap = h('div', { class: 'suggest-wrap' });
  input.replaceWith(wrap);
  wrap.append(input, list);
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', id);
  let active = -1;
  let shown = [];

  const close = () => {
    list.hidden = true;
    active = -1;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
  };
  const open = (all = false) => {
    const q = input.value.trim().toLowerCase();
    const names = [...new Set(items().filter(Boolean))];
    const starts = names.filter((n) => n.toLowerCase().startsWith(q));
    const contains = names.filter((n) => !n.toLowerCase().startsWith(q) && n.toLowerCase().includes(q));
    shown = (q || all ? starts.concat(contains) : []).slice(0, 8);
    if (!shown.length || (shown.length === 1 && shown[0].toLowerCase() === q)) return close();
    active = -1;
    list.replaceChildren(...shown.map((n, i) => h('li', { role: 'option', id: `${id}-${i}`, 'aria-selected': 'false', dataset: { index: i } }, n)));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
  };
  const mark = () => {
    for (const li of list.children) li.setAttribute('aria-selected', String(Number(li.dataset.index) === active));
    if (active >= 0) {
      input.setAttribute('aria-activedescendant', `${id}-${active}`);
      list.children[active]?.scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };
  const pick = (i) => {
    input.value = shown[i];
    close();
    input.dispatchEvent(new Event('input', { bubbles: true }));
    close();
  };

  input.addEventListener('input', () => open());
  input.addEventListener('blur', () => setTimeout(close, 120));
  input.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      if (list.hidden) {
        if (e.key === 'ArrowDown') { open(true); e.preventDefault(); }
        return;
      }
      e.preventDefault();
      const n = shown.length;
      active = e.key === 'ArrowDown' ? (active + 1) % n : (active - 1 + n) % n;
      mark();
    } else if (e.key === 'Enter' && !list.hidden && active >= 0) {
      e.preventDefault();
      pick(active);
    } else if (e.key === 'Escape' && !list.hidden) {
      e.preventDefault();
      e.stopPropagation();
      close();
    } else if (e.key === 'Tab') {
      close();
    }
  });
  list.addEventListener('mousedown', (e) => {
    e.preventDefault();
    const li = e.target.closest('li[data-index]');
    if (li) pick(Number(li.dataset.index));
  });
  return wrap;
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
