// `#/assets`: search, filters, a sortable table paged by infinite scroll.
//
// The table keeps a sliding window of at most MAX_ROWS rows: scrolling near the bottom loads
// the next page and drops the oldest one (and the reverse near the top), adjusting scrollTop so
// the view does not jump. A 100k-asset register never puts more than a few hundred rows in the DOM.

import { api } from '../api.js';
import { h, debounce, delegate, icon } from '../dom.js';
import { DASH, formatCount, plural } from '../format.js';
import { STATUSES } from '../statuses.js';
import { DOCUMENTS_CHANGED } from '../components/documents.js';
import { exportButton, reportDialog, runExport, exportAssetsDialog, runAssetExport } from '../components/export.js';
import { labelsButton, printLabels, tagsLabel } from '../components/labels.js';
import { COLUMNS, fillRow, queryFromUrl, refill, renderRow, toApiQuery } from './assets-list.js';
import { GAP_MS } from '../scan.js';

// 50 rows fill the window twice over; fewer rows per query is what keeps typing fast
// (building and laying out rows, not the query, dominates: see the README benchmark).
const PAGE = 50;
const MAX_ROWS = 300;
const NEAR = 480; // px from an edge that triggers a load

/** Where the list was, so coming back from an asset restores the place. */
let remembered = null;

/** Marks a step of a refill (`assets:asked`, `answered`, `shown`; read by the app benchmark),
 *  keeping only the latest of each so typing does not grow the page's timeline. */
function mark(name) {
  performance.clearMarks(name);
  performance.mark(name);
}

export async function mountAssets(root, ctx) {
  const { store, signal, navigate } = ctx;
  const state = queryFromUrl(ctx.query);
  const stateKey = () => JSON.stringify(state);

  // --- header --------------------------------------------------------------------------------
  const search = h('input', {
    type: 'search', dataset: { search: true }, placeholder: 'Search tag, name, serial, holder…',
    'aria-label': 'Search assets', autocomplete: 'off', spellcheck: 'false', value: state.search,
  });
  const newBtn = h('a', { href: '#/assets/new', class: 'btn btn-primary', dataset: { action: 'new-asset' } }, icon('plus'), 'New asset');
  const exportBtn = exportButton('export-report', 'Export the list as a PDF report. The report uses the status filter and the search; category, location and holder filters are not applied.');
  exportBtn.addEventListener('click', async () => {
    const options = await reportDialog(state);
    if (options) runExport(exportBtn, () => api.exportRegisterPdf(options));
  });
  const dataBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'export-assets' }, title: 'Export the assets as CSV or JSON' }, h('span', { class: 'btn-label' }, 'Export…'));
  dataBtn.addEventListener('click', async () => {
    const choice = await exportAssetsDialog({ query: toApiQuery(state), filtered: filtered(), total, registerTotal });
    if (choice) runAssetExport(dataBtn, choice);
  });
  const labelsBtn = labelsButton('Print QR-code labels for the selected assets, what the list shows, or the whole register (Ctrl+click rows to select several)');
  labelsBtn.addEventListener('click', () => printLabels(labelsBtn, labelScopes()));
  const header = h('header', { class: 'view-head' },
    h('div', { class: 'view-title' }, h('h1', null, 'Assets')),
    h('div', { class: 'view-actions' },
      h('label', { class: 'search' }, icon('search'), search, h('kbd', { class: 'search-kbd', 'aria-hidden': 'true' }, '/')),
      dataBtn,
      labelsBtn,
      exportBtn,
      h('a', { href: '#/assets/purchase', class: 'btn', dataset: { action: 'record-purchase' }, title: 'Several items from one receipt, each with its serial and cost' }, 'Record purchase…'),
      newBtn));

  // --- filters -------------------------------------------------------------------------------
  const mkSelect = (name, label, allLabel) =>
    h('select', { dataset: { filter: name }, 'aria-label': label, class: 'filter' }, h('option', { value: '' }, allLabel));
  const fStatus = mkSelect('status', 'Status', 'All statuses');
  fStatus.append(...STATUSES.map((s) => h('option', { value: s.value }, s.label)));
  const fCategory = mkSelect('category', 'Category', 'All categories');
  const fLocation = mkSelect('location', 'Location', 'All locations');
  const fPerson = mkSelect('person', 'Holder', 'All holders');
  // Not seen by a stocktake for N months (Home's card links here with ?unseen=N).
  const fUnseen = mkSelect('unseen', 'Last seen', 'Any last seen');
  const months = [...new Set([3, 6, 12, 24, Number(state.unseen) || 12])].sort((a, b) => a - b);
  fUnseen.append(...months.map((m) => h('option', { value: String(m) }, `Not seen for ${m} months`)));
  const showArchived = h('input', { type: 'checkbox', dataset: { showArchived: true }, checked: state.archived });
  const clear = h('button', { type: 'button', class: 'link-btn', hidden: true }, 'Clear filters');
  const count = h('span', { class: 'count', dataset: { count: true }, 'aria-live': 'polite' });
  // Rows picked with Ctrl/Cmd+click (or Space) for Print labels…, kept while the list changes.
  const pickedCount = h('span', { class: 'picked-count', dataset: { pickedCount: true } });
  const unpick = h('button', { type: 'button', class: 'link-btn', dataset: { action: 'clear-picked' } }, 'Clear selection');
  const pickedBar = h('span', { class: 'picked-bar', hidden: true }, pickedCount, unpick);
  const filters = h('div', { class: 'filters' }, fStatus, fCategory, fLocation, fPerson, fUnseen,
    h('label', { class: 'check' }, showArchived, h('span', null, 'Show archived')),
    clear, h('span', { class: 'spacer' }), pickedBar, count);
  // A search of the live list that also matches archived assets says so, with a way to them.
  const archivedHint = h('p', { class: 'archived-hint muted', dataset: { archivedHint: true }, hidden: true });

  // --- table ---------------------------------------------------------------------------------
  const headRow = h('tr', null, COLUMNS.map((c) =>
    h('th', { dataset: { sort: c.sort }, class: c.cls, scope: 'col' },
      h('button', { type: 'button', class: 'th-btn' }, h('span', null, c.label), h('span', { class: 'sort-arrow', 'aria-hidden': 'true' })))));
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table assets-table' },
    h('colgroup', null, COLUMNS.map((c) => h('col', { class: c.cls }))),
    h('thead', null, headRow), tbody);
  const loadingMore = h('div', { class: 'loading-more', hidden: true }, 'Loading…');
  const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Assets list' }, table, loadingMore);
  const empty = h('div', { class: 'empty-state', dataset: { empty: true }, hidden: true });

  root.replaceChildren(header, filters, archivedHint, wrap, empty);

  // --- state ---------------------------------------------------------------------------------
  let rows = []; // asset objects rendered, contiguous from windowStart
  let windowStart = 0;
  let total = 0;
  let registerTotal = 0;
  let selected = -1; // global index
  /** Picked assets for labels, id → tag, in the order they were picked. */
  const picked = new Map();
  let seq = 0;
  let busy = false;
  // A search fills the rows in view at once and the rest of its page just after the next frame
  // (refill): `inView` is kept by a ResizeObserver, `finishFill` is what is left to fill.
  let inView = PAGE;
  let finishFill = null;
  const flushFill = () => {
    const fill = finishFill;
    finishFill = null;
    fill?.();
  };
  const sized = new ResizeObserver(([entry]) => {
    const rowH = tbody.firstElementChild?.offsetHeight || 33;
    inView = Math.ceil(entry.contentRect.height / rowH) + 1;
  });
  signal.addEventListener('abort', () => sized.disconnect());
  // Where the list is scrolled to, as its scroll events said: a search sets scrollTop only when
  // it is not already at the top, since setting it makes the web view lay out the page there
  // and then instead of once before the next frame.
  let scrolledTo = 0;

  const syncUrl = () => ctx.setQuery({
    q: state.search.trim(), status: state.status, category: state.category, location: state.location,
    person: state.person, sort: state.sort === 'asset_tag' ? '' : state.sort, desc: state.desc ? '1' : '',
    archived: state.archived ? '1' : '',
    unseen: state.unseen,
  });

  const filtered = () => Boolean(state.search.trim() || state.status || state.category || state.location || state.person || state.archived || state.unseen);

  function renderHead() {
    for (const th of headRow.children) {
      const on = th.dataset.sort === state.sort;
      th.classList.toggle('sorted', on);
      th.setAttribute('aria-sort', on ? (state.desc ? 'descending' : 'ascending') : 'none');
      th.querySelector('.sort-arrow').textContent = on ? (state.desc ? '↓' : '↑') : '';
    }
  }

  function renderCount() {
    // Archived assets are not in the register's count: with them shown, "N of M" would not add up.
    count.textContent = state.archived
      ? `${plural(total, 'asset')}, archived included`
      : `${formatCount(total)} of ${plural(registerTotal, 'asset')}`;
    clear.hidden = !filtered();
  }

  /** Archived assets the live list's search also matches: named, each opening its page. */
  async function renderArchivedHint(my) {
    const words = state.search.trim();
    if (!words || state.archived) {
      archivedHint.hidden = true;
      return;
    }
    const page = await api.listAssets({ search: words, only_archived: true, limit: 5 }).catch(() => null);
    if (my !== seq || signal.aborted) return;
    if (!page || !page.total) {
      archivedHint.hidden = true;
      return;
    }
    const links = page.assets.flatMap((a, i) => [i ? ', ' : null,
      h('a', { href: `#/assets/${a.id}`, dataset: { archivedMatch: a.asset_tag } }, `${a.asset_tag} ${a.name}`, ' (archived)')]);
    const more = page.total > page.assets.length ? ` and ${formatCount(page.total - page.assets.length)} more` : '';
    const showBtn = h('button', { type: 'button', class: 'link-btn', dataset: { action: 'show-archived' } }, 'Show archived');
    showBtn.addEventListener('click', () => {
      showArchived.checked = true;
      showArchived.dispatchEvent(new Event('change'));
    });
    archivedHint.replaceChildren(
      page.total === 1 ? 'Also matches an archived asset: ' : `Also matches ${plural(page.total, 'archived asset')}: `,
      ...links, more, ' · ', showBtn);
    archivedHint.hidden = false;
  }

  function renderEmpty() {
    const none = total === 0;
    wrap.hidden = none;
    empty.hidden = !none;
    if (!none) return;
    if (registerTotal === 0 && !filtered()) {
      empty.replaceChildren(
        h('div', { class: 'empty-art', 'aria-hidden': 'true' }, icon('plus')),
        h('h2', null, 'No assets yet — add your first asset or import a CSV'),
        h('p', { class: 'muted' }, 'Each laptop, phone, monitor or licence you record here gets a tag, a holder and a full history.'),
        h('div', { class: 'empty-actions' },
          h('a', { href: '#/assets/new', class: 'btn btn-primary', dataset: { action: 'new-asset' } }, icon('plus'), 'New asset'),
          h('a', { href: '#/import', class: 'btn', dataset: { action: 'import-csv' } }, icon('upload'), 'Import a CSV'),
          h('a', { href: '#/assets/purchase', class: 'btn' }, 'Record a purchase…')));
    } else {
      const clearBtn = h('button', { type: 'button', class: 'btn' }, 'Clear search and filters');
      clearBtn.addEventListener('click', clearAll);
      empty.replaceChildren(
        h('div', { class: 'empty-art', 'aria-hidden': 'true' }, icon('search')),
        h('h2', null, state.search.trim() ? `No assets match “${state.search.trim()}”` : 'No assets match these filters'),
        h('p', { class: 'muted' }, 'Search looks in tags, names, serial numbers, makes, models, holders, locations and notes. Try fewer words, or clear the filters.'),
        h('div', { class: 'empty-actions' }, clearBtn));
    }
  }

  function markPicked() {
    for (const tr of tbody.children) tr.classList.toggle('picked', picked.has(Number(tr.dataset.id)));
    pickedBar.hidden = picked.size === 0;
    pickedCount.textContent = `${plural(picked.size, 'asset')} selected`;
  }

  function togglePicked(tr) {
    const id = Number(tr.dataset.id);
    if (picked.has(id)) picked.delete(id);
    else picked.set(id, tr.dataset.tag);
    markPicked();
  }
  unpick.addEventListener('click', () => {
    picked.clear();
    markPicked();
  });

  /** What Print labels… offers: the picked rows, the cursor's row, what the list shows, all. */
  function labelScopes() {
    const scopes = [];
    if (picked.size) {
      scopes.push({ label: tagsLabel([...picked.values()]), selection: { kind: 'ids', ids: [...picked.keys()] } });
    } else if (selected >= 0 && rows[selected - windowStart]) {
      const a = rows[selected - windowStart];
      scopes.push({ label: a.asset_tag, selection: { kind: 'ids', ids: [a.id] } });
    }
    const query = { ...toApiQuery(state), offset: 0, limit: null };
    if (filtered()) scopes.push({ label: `What the list shows (${plural(total, 'asset')})`, selection: { kind: 'query', query } });
    scopes.push({ label: `The whole register (${plural(registerTotal, 'asset')})`, selection: { kind: 'query', query: {} } });
    return scopes;
  }

  function markSelected(scroll = true) {
    flushFill();
    for (const tr of tbody.querySelectorAll('tr[aria-selected="true"]')) tr.setAttribute('aria-selected', 'false');
    const tr = tbody.querySelector(`tr[data-index="${selected}"]`);
    if (tr) {
      tr.setAttribute('aria-selected', 'true');
      if (scroll) tr.scrollIntoView({ block: 'nearest' });
    }
  }

  async function reload({ keepPlace = false } = {}) {
    const my = ++seq;
    const place = keepPlace && remembered && remembered.key === stateKey() ? remembered : null;
    const offset = place ? place.windowStart : 0;
    const limit = place ? Math.min(Math.max(place.rows, PAGE), MAX_ROWS) : PAGE;
    mark('assets:asked');
    const page = await api.listAssets({ ...toApiQuery(state), offset, limit });
    if (my !== seq || signal.aborted) return;
    mark('assets:answered');
    total = page.total;
    registerTotal = page.register_total;
    windowStart = offset;
    rows = page.assets;
    finishFill = refill(tbody, rows, windowStart, place ? rows.length : inView);
    if (finishFill) {
      // After the next frame; or in 100 ms where no frame comes (a hidden or covered window
      // gets no animation frames).
      const later = () => { if (my === seq) flushFill(); };
      requestAnimationFrame(() => setTimeout(later, 0));
      setTimeout(later, 100);
    }
    markPicked();
    selected = place ? place.selected : -1;
    renderCount();
    renderEmpty();
    renderArchivedHint(my);
    if (place) {
      wrap.scrollTop = place.scrollTop;
      markSelected(false);
      if (selected >= 0 && !ctx.focusSearch) wrap.focus({ preventScroll: true });
    } else if (scrolledTo !== 0) {
      wrap.scrollTop = 0;
    }
    renderHead();
    mark('assets:shown');
  }

  async function loadNext() {
    flushFill();
    if (busy || windowStart + rows.length >= total) return false;
    busy = true;
    loadingMore.hidden = false;
    const my = seq;
    try {
      const page = await api.listAssets({ ...toApiQuery(state), offset: windowStart + rows.length, limit: PAGE });
      if (my !== seq || signal.aborted) return false;
      const start = windowStart + rows.length;
      rows = rows.concat(page.assets);
      tbody.append(...page.assets.map((a, i) => renderRow(a, start + i)));
      markPicked();
      total = page.total;
      if (rows.length > MAX_ROWS) {
        const drop = rows.length - MAX_ROWS;
        const before = wrap.scrollHeight;
        for (let i = 0; i < drop; i++) tbody.firstElementChild.remove();
        wrap.scrollTop -= before - wrap.scrollHeight;
        rows = rows.slice(drop);
        windowStart += drop;
      }
      renderCount();
      return page.assets.length > 0;
    } finally {
      busy = false;
      loadingMore.hidden = true;
    }
  }

  async function loadPrev() {
    flushFill();
    if (busy || windowStart === 0) return false;
    busy = true;
    const my = seq;
    try {
      const offset = Math.max(0, windowStart - PAGE);
      const page = await api.listAssets({ ...toApiQuery(state), offset, limit: windowStart - offset });
      if (my !== seq || signal.aborted) return false;
      const before = wrap.scrollHeight;
      tbody.prepend(...page.assets.map((a, i) => renderRow(a, offset + i)));
      markPicked();
      wrap.scrollTop += wrap.scrollHeight - before;
      rows = page.assets.concat(rows);
      windowStart = offset;
      if (rows.length > MAX_ROWS) {
        const drop = rows.length - MAX_ROWS;
        for (let i = 0; i < drop; i++) tbody.lastElementChild.remove();
        rows = rows.slice(0, MAX_ROWS);
      }
      return true;
    } finally {
      busy = false;
    }
  }

  const onScroll = () => {
    scrolledTo = wrap.scrollTop;
    // While a search's rows are still being filled the list is short: that is not the end.
    if (finishFill) return;
    if (wrap.scrollTop + wrap.clientHeight > wrap.scrollHeight - NEAR) loadNext().then((more) => { if (more) onScroll(); });
    else if (wrap.scrollTop < NEAR && windowStart > 0) loadPrev();
  };
  wrap.addEventListener('scroll', onScroll, { passive: true, signal });

  // --- selection and keyboard ----------------------------------------------------------------
  const open = (index) => {
    const a = rows[index - windowStart];
    if (!a) return;
    remember();
    navigate(`#/assets/${a.id}`);
  };

  async function move(delta) {
    if (total === 0) return;
    let next = selected < 0 ? windowStart : selected + delta;
    next = Math.max(0, Math.min(total - 1, next));
    if (next >= windowStart + rows.length) await loadNext();
    else if (next < windowStart) await loadPrev();
    if (next < windowStart || next >= windowStart + rows.length) return;
    selected = next;
    markSelected();
  }

  wrap.addEventListener('keydown', (e) => {
    if (e.target.closest('th')) return;
    const pageRows = Math.max(1, Math.floor(wrap.clientHeight / 33) - 2);
    const keys = { ArrowDown: 1, ArrowUp: -1, PageDown: pageRows, PageUp: -pageRows };
    if (e.key in keys) {
      e.preventDefault();
      move(keys[e.key]);
    } else if (e.key === 'Home' && windowStart === 0) {
      e.preventDefault();
      selected = 0;
      markSelected();
    } else if (e.key === 'Enter' && selected >= 0) {
      e.preventDefault();
      open(selected);
    } else if (e.key === ' ' && selected >= 0) {
      e.preventDefault();
      const tr = tbody.querySelector(`tr[data-index="${selected}"]`);
      if (tr) togglePicked(tr);
    }
  }, { signal });

  delegate(tbody, 'click', 'tr[data-id]', (e, tr) => {
    selected = Number(tr.dataset.index);
    markSelected(false);
    // Ctrl/Cmd+click picks the row (for labels) instead of opening it, as in a file manager.
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      togglePicked(tr);
      return;
    }
    open(selected);
  });

  search.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowDown' && total > 0) {
      e.preventDefault();
      wrap.focus();
      selected = -1;
      move(1);
    } else if (e.key === 'Enter' && total > 0) {
      e.preventDefault();
      open(selected >= 0 ? selected : windowStart);
    } else if (e.key === 'Escape' && search.value) {
      e.preventDefault();
      search.value = '';
      onSearch();
    }
  });

  // --- sort, search and filters --------------------------------------------------------------
  delegate(headRow, 'click', 'th[data-sort]', (e, th) => {
    if (state.sort === th.dataset.sort) state.desc = !state.desc;
    else {
      state.sort = th.dataset.sort;
      state.desc = th.dataset.sort === 'updated_at' || th.dataset.sort === 'purchase_cost';
    }
    syncUrl();
    renderHead();
    reload();
  });

  // No delay: a search takes a few milliseconds even at 100k assets, and answers that arrive
  // after a newer keystroke are dropped (seq), so results follow typing at once. Keys quicker
  // than a person types (a barcode scanner's, GAP_MS apart or less) wait for the burst to end:
  // a scan into the field is not searched letter by letter (it opens its asset and the field
  // goes back as it was), and the page stays free to take the scan's keys as they come.
  const runSearch = () => {
    state.search = search.value;
    syncUrl();
    reload();
  };
  const onSearch = debounce(runSearch, 0);
  const afterBurst = debounce(runSearch, GAP_MS);
  let lastInput = -Infinity;
  search.addEventListener('input', (e) => {
    const quick = e.timeStamp - lastInput <= GAP_MS;
    lastInput = e.timeStamp;
    onSearch.cancel();
    afterBurst.cancel();
    (quick ? afterBurst : onSearch)();
  });
  signal.addEventListener('abort', () => afterBurst.cancel());
  // A programmatic clear (WebDriver, the search field's own × button) may only fire these.
  search.addEventListener('change', () => { if (search.value !== state.search) onSearch(); });
  search.addEventListener('search', () => { if (search.value !== state.search) onSearch(); });
  signal.addEventListener('abort', () => onSearch.cancel());

  const selects = { status: fStatus, category: fCategory, location: fLocation, person: fPerson, unseen: fUnseen };
  for (const [key, sel] of Object.entries(selects)) {
    sel.addEventListener('change', () => {
      state[key] = sel.value;
      sel.classList.toggle('active', Boolean(sel.value));
      syncUrl();
      reload();
    });
  }

  showArchived.addEventListener('change', () => {
    state.archived = showArchived.checked;
    syncUrl();
    reload();
  });

  function clearAll() {
    state.search = '';
    search.value = '';
    state.archived = false;
    showArchived.checked = false;
    for (const [key, sel] of Object.entries(selects)) {
      state[key] = '';
      sel.value = '';
      sel.classList.remove('active');
    }
    syncUrl();
    reload();
    search.focus();
  }
  clear.addEventListener('click', clearAll);

  function fillSelects() {
    const setOptions = (sel, items, current) => {
      sel.replaceChildren(sel.firstElementChild, ...items.map(([v, label]) => h('option', { value: v }, label)));
      sel.value = current;
      if (sel.value !== current && current) {
        // A filter from the URL that is not in the list (yet): keep it selectable.
        sel.append(h('option', { value: current }, current));
        sel.value = current;
      }
      sel.classList.toggle('active', Boolean(current));
    };
    setOptions(fCategory, store.categories.map((c) => [c.name, c.name]), state.category);
    setOptions(fLocation, store.locations.map((l) => [String(l.id), l.name]), state.location);
    setOptions(fPerson, store.people.map((p) => [String(p.id), p.active ? p.name : `${p.name} (left)`]), state.person);
    fStatus.value = state.status;
    fStatus.classList.toggle('active', Boolean(state.status));
  }
  store.addEventListener('change', (e) => { if (e.detail.what === 'lists') fillSelects(); }, { signal });

  function remember() {
    remembered = { key: stateKey(), windowStart, rows: rows.length, scrollTop: wrap.scrollTop, selected };
  }
  signal.addEventListener('abort', remember);

  // --- documents dropped on a row (drop.js): refresh that row's paperclip -----------------------
  document.addEventListener(DOCUMENTS_CHANGED, async (e) => {
    const id = e.detail.assetId;
    const a = await api.getAsset(id).catch(() => null);
    const tr = tbody.querySelector(`tr[data-id="${id}"]`);
    if (!a || !tr || signal.aborted) return;
    const index = Number(tr.dataset.index);
    if (rows[index - windowStart]?.id === id) rows[index - windowStart] = a;
    fillRow(tr, a, index);
    tr.classList.remove('just-attached');
    void tr.offsetWidth; // restart the highlight when a second drop lands on the same row
    tr.classList.add('just-attached');
  }, { signal });

  // --- go ------------------------------------------------------------------------------------
  sized.observe(wrap);
  renderHead();
  fUnseen.value = state.unseen;
  fUnseen.classList.toggle('active', Boolean(state.unseen));
  fStatus.value = state.status;
  if (ctx.focusSearch) search.focus();
  count.textContent = DASH;
  await Promise.all([
    store.lists().then(fillSelects).catch(() => {}),
    reload({ keepPlace: true }),
  ]);
  const active = document.activeElement;
  if (ctx.isCurrent() && (!active || active === document.body || active.closest('.sidebar'))) search.focus();
}
