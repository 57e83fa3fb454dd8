// The tabs of a detail page (an asset's or a licence's Details / History / Documents): buttons
// with their ARIA roles, the arrow keys between them, the open tab kept in the URL (`?tab=`),
// and a callback each time one is shown, to load its content when first needed.

import { api } from '../api.js';
import { h } from '../dom.js';
import { formatCount, plural } from '../format.js';
import { documentsPanel, DOCUMENTS_CHANGED } from './documents.js';
import { timeline } from './history.js';

/** A tab's panel, labelled by its button. */
const tabPanel = (name) => h('div', { class: 'tab-panel', role: 'tabpanel', id: `panel-${name}`, 'aria-labelledby': `tab-${name}` });

/**
 * `defs`: [{ name, label, extra }] in order, the first the default (`extra`: e.g. a count
 * badge). `panel(name)` returns a tab's panel (panels may be built after the strip);
 * `onShow(name)` runs whenever a tab is shown. Returns { el, select(name, focus), current() }.
 */
function detailTabs(ctx, defs, { panel, onShow }) {
  const names = defs.map((d) => d.name);
  let current = names.includes(ctx.query.get('tab')) ? ctx.query.get('tab') : names[0];
  const el = h('div', { class: 'tabs', role: 'tablist' }, defs.map(({ name, label, extra = null }) =>
    h('button', { type: 'button', role: 'tab', class: 'tab', dataset: { tab: name }, id: `tab-${name}`, 'aria-controls': `panel-${name}` }, label, extra)));

  function select(name, focus = false) {
    current = name;
    for (const b of el.querySelectorAll('[data-tab]')) {
      const on = b.dataset.tab === name;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    for (const n of names) panel(n).hidden = n !== name;
    ctx.setQuery({ tab: name === names[0] ? '' : name });
    onShow(name);
  }
  el.addEventListener('click', (e) => {
    const b = e.target.closest('[data-tab]');
    if (b) select(b.dataset.tab);
  });
  el.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const step = e.key === 'ArrowRight' ? 1 : names.length - 1;
      select(names[(names.indexOf(current) + step) % names.length], true);
    }
  });
  return { el, select, current: () => current };
}

/**
 * The Details / History / Documents tabs of a record (an asset or a licence: see documents.js
 * for `owner`). `history()` fetches its events; `dropped(detail)` says whether a drop's
 * DOCUMENTS_CHANGED event is for this record; `count` is its number of documents when known
 * (else it is fetched); `onCount(n)` hears of new counts. The caller fills `details`.
 * Returns { el, details, panels, select, current, historyChanged, attach }.
 */
export function recordTabs(ctx, { owner, history, dropped, count, onCount = () => {}, store, signal }) {
  const details = tabPanel('details');
  const historyPanel = tabPanel('history');
  const badge = h('span', { class: 'tab-count', dataset: { docCount: true } });
  let historyStale = true;
  let docsLoaded = false;

  async function loadHistory() {
    historyStale = false;
    const events = await history();
    if (!ctx.isCurrent()) return;
    historyPanel.replaceChildren(events.length ? timeline(events, { currency: store.currency }) : h('p', { class: 'muted', dataset: { history: true } }, 'No history yet.'));
  }
  /** After a change: History reloads now if it is open, else when it is next opened. */
  function historyChanged() {
    if (tabs.current() === 'history') loadHistory().catch(() => {});
    else historyStale = true;
  }

  function renderCount(n) {
    badge.textContent = formatCount(n);
    badge.classList.toggle('zero', n === 0);
    badge.setAttribute('aria-label', plural(n, 'document'));
    onCount(n);
  }
  const docs = documentsPanel({
    owner,
    isCurrent: ctx.isCurrent,
    onChange: (list) => {
      renderCount(list.length);
      historyChanged();
      store.changed();
    },
  });
  async function loadDocuments() {
    docsLoaded = true;
    renderCount((await docs.load()).length);
  }
  // A drop on this page (see drop.js) attached files: show them.
  document.addEventListener(DOCUMENTS_CHANGED, (e) => {
    if (!dropped(e.detail) || !ctx.isCurrent()) return;
    historyStale = true;
    store.changed();
    if (tabs.current() === 'documents') {
      loadDocuments().catch(() => {});
    } else {
      docsLoaded = false; // loaded before the drop: load again when shown
      tabs.select('documents');
    }
  }, { signal });

  const failed = (panel) => (e) => panel.replaceChildren(h('p', { class: 'form-error' }, e.message));
  const tabs = detailTabs(ctx, [
    { name: 'details', label: 'Details' },
    { name: 'history', label: 'History' },
    { name: 'documents', label: 'Documents', extra: badge },
  ], {
    panel: (name) => ({ details, history: historyPanel, documents: docs.panel })[name],
    onShow: (name) => {
      if (name === 'history' && historyStale) loadHistory().catch(failed(historyPanel));
      if (name === 'documents' && !docsLoaded) loadDocuments().catch(failed(docs.panel));
    },
  });
  if (count !== undefined) renderCount(count);
  else api.listDocuments(owner.ref()).then((l) => { if (ctx.isCurrent()) renderCount(l.length); }).catch(() => {});

  return {
    el: tabs.el,
    details,
    panels: [details, historyPanel, docs.panel],
    select: tabs.select,
    current: tabs.current,
    historyChanged,
    attach: () => docs.attach(),
  };
}
