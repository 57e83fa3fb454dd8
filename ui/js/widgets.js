// Widgets used across views: the toast (quiet confirmations), the suggestion list under a text
// field, and arrow-key selection over table rows.

import { h } from './dom.js';

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

// ---------------------------------------------------------------------------------------------
// Row keys

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
