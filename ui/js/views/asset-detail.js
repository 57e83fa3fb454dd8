// `#/assets/ID`: title, status, holder, actions (dialogs, Attach…, Export PDF), and the
// Details / History / Documents tabs. The whole page is a drop target for files.

import { api } from '../api.js';
import { h, icon, pill, formatDate, formatDateTime, formatMoney, formatCount, relativeTime, daysUntil, plural, toast, trunc, DASH } from '../dom.js';
import { assetForm } from './asset-form.js';
import { assignDialog, returnDialog, statusDialog, archiveDialog } from './dialogs.js';
import { timeline } from './history.js';
import { documentsPanel, DOCUMENTS_CHANGED } from './documents.js';
import { exportButton, runExport, defaultPaper } from './export.js';
import { depreciationCard } from './depreciation.js';

function holderLine(a) {
  const parts = [];
  if (a.assigned_to) {
    const who = a.person_id ? h('a', { href: `#/people/${a.person_id}` }, a.assigned_to) : h('strong', null, a.assigned_to);
    parts.push('Assigned to ', who);
    if (a.location) parts.push(' · at ', a.location);
  } else if (a.status === 'deployed' && a.location) {
    parts.push('Deployed at ', h('strong', null, a.location));
  } else {
    parts.push('Not assigned');
    if (a.location) parts.push(' · kept at ', h('strong', null, a.location));
  }
  return parts;
}

function warrantyText(a) {
  if (!a.warranty_expires) return DASH;
  const d = daysUntil(a.warranty_expires);
  const date = formatDate(a.warranty_expires);
  const note = (t, cls) => h('span', { class: ['fact-note', cls] }, t);
  if (d < 0) return [date, note('Expired', 'bad-text')];
  if (d === 0) return [date, note('Ends today', 'warn-text')];
  if (d <= 90) return [date, note(`Ends in ${plural(d, 'day')}`, d <= 30 ? 'warn-text' : null)];
  return date;
}

export async function mountAssetDetail(root, ctx) {
  const { store, id, signal, navigate } = ctx;
  let asset = await api.getAsset(id);
  await store.lists().catch(() => {});
  if (!ctx.isCurrent()) return;

  // --- header --------------------------------------------------------------------------------
  const title = h('h1', { dataset: { assetTitle: true } });
  const statusSlot = h('span', { class: 'title-pill' });
  const holder = h('p', { class: 'holder-line', dataset: { holder: true } });
  const btn = (action, label, handler) => {
    const b = h('button', { type: 'button', class: 'btn', dataset: { action } }, label);
    b.addEventListener('click', handler);
    return b;
  };
  const run = (dialog) => async () => {
    const result = await dialog(asset, store);
    if (!result || !ctx.isCurrent()) return;
    if (dialog === archiveDialog) {
      navigate('#/assets');
      return;
    }
    asset = result;
    renderHeader();
    if (!f.isDirty()) f.setValues(asset); // keep edits the user has not saved yet
    renderFacts();
    if (tab === 'history') loadHistory();
    else historyStale = true;
  };
  const assignBtn = btn('assign', 'Assign…', run(assignDialog));
  const returnBtn = btn('return', 'Return…', run(returnDialog));
  const statusBtn = btn('change-status', 'Change status…', run(statusDialog));
  const archiveBtn = btn('archive', 'Archive…', run(archiveDialog));
  archiveBtn.classList.add('btn-quiet-danger');
  const attachBtn = btn('attach', 'Attach…', () => docs.attach());
  attachBtn.setAttribute('title', 'Attach receipts, warranties or invoices (or drag files onto this page)');
  const exportBtn = exportButton('export-dossier', 'Export this asset’s dossier (details, documents and history) as a PDF');
  exportBtn.addEventListener('click', () => runExport(exportBtn, () => api.exportDossierPdf(asset.id, defaultPaper())));
  const actions = h('div', { class: 'view-actions' }, assignBtn, returnBtn, statusBtn, attachBtn, exportBtn, archiveBtn);
  const archivedNote = h('p', { class: 'banner', hidden: true });

  const header = h('header', { class: 'view-head detail-head' },
    h('div', { class: 'view-title' },
      h('a', { href: '#/assets', class: 'back-link' }, icon('back'), 'Assets'),
      h('div', { class: 'title-row' }, title, statusSlot),
      holder),
    actions);

  // --- tabs ----------------------------------------------------------------------------------
  const TABS = ['details', 'history', 'documents'];
  let tab = TABS.includes(ctx.query.get('tab')) ? ctx.query.get('tab') : 'details';
  const tabBtn = (name, label, ...extra) => h('button', { type: 'button', role: 'tab', class: 'tab', dataset: { tab: name }, id: `tab-${name}`, 'aria-controls': `panel-${name}` }, label, ...extra);
  const docBadge = h('span', { class: 'tab-count', dataset: { docCount: true } });
  const tabs = h('div', { class: 'tabs', role: 'tablist' }, tabBtn('details', 'Details'), tabBtn('history', 'History'), tabBtn('documents', 'Documents', docBadge));
  const detailsPanel = h('div', { class: 'tab-panel', role: 'tabpanel', id: 'panel-details', 'aria-labelledby': 'tab-details' });
  const historyPanel = h('div', { class: 'tab-panel', role: 'tabpanel', id: 'panel-history', 'aria-labelledby': 'tab-history' });

  // --- details -------------------------------------------------------------------------------
  const f = assetForm({
    asset,
    categories: store.categories,
    currency: store.currency,
    saveLabel: 'Save changes',
    navigate,
    onCancel: () => { f.setValues(asset); f.clearErrors(); },
    onSubmit: async (values) => {
      if (!f.isDirty()) {
        toast('Nothing to save — no field has changed');
        return;
      }
      const updated = await api.updateAsset(asset.id, values);
      asset = updated;
      store.changed();
      f.setValues(asset);
      renderHeader();
      renderFacts();
      loadDepreciation();
      historyStale = true;
      toast(`${asset.asset_tag} saved`);
    },
  });
  const facts = h('dl', { class: 'facts' });
  const factsCard = h('aside', { class: 'card facts-card', 'aria-label': 'At a glance' }, h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'At a glance')), facts);
  const dep = depreciationCard({
    getAsset: () => asset,
    currency: store.currency,
    isCurrent: ctx.isCurrent,
    onChange: () => {
      renderFacts();
      if (tab === 'history') loadHistory();
      else historyStale = true;
      store.changed();
    },
  });
  const loadDepreciation = () => dep.load().then(renderFacts).catch((e) => dep.el.append(h('p', { class: 'form-error' }, e.message)));
  detailsPanel.append(h('div', { class: 'detail-grid' }, h('div', { class: 'detail-main' }, f.form, dep.el), factsCard));

  function renderFacts() {
    const row = (label, value, cls) => [h('dt', null, label), h('dd', { class: cls }, value)];
    const cost = formatMoney(asset.purchase_cost, store.currency);
    facts.replaceChildren(
      ...row('Status', pill(asset.status)),
      ...row('Holder', asset.assigned_to ?? DASH),
      ...row('Location', asset.location ?? DASH),
      ...row('Purchase cost', cost, 'num'),
      ...(dep.state?.book_value != null ? row('Book value', formatMoney(dep.state.book_value, store.currency), 'num') : []),
      ...row('Warranty', warrantyText(asset), 'num'),
      ...row('Added', formatDate(asset.created_at?.slice(0, 10)), 'num'),
      ...row('Last changed', relativeTime(asset.updated_at), 'num'),
    );
    facts.lastElementChild.setAttribute('title', formatDateTime(asset.updated_at));
  }

  // --- documents -----------------------------------------------------------------------------
  let docsLoaded = false;
  const docs = documentsPanel({
    getAsset: () => asset,
    isCurrent: ctx.isCurrent,
    onChange: (list) => {
      asset.document_count = list.length;
      renderDocCount();
      if (tab === 'history') loadHistory();
      else historyStale = true;
      store.changed();
    },
  });
  const documentsPanelEl = docs.panel;

  function renderDocCount() {
    const n = asset.document_count ?? 0;
    docBadge.textContent = formatCount(n);
    docBadge.classList.toggle('zero', n === 0);
    docBadge.setAttribute('aria-label', plural(n, 'document'));
  }

  async function loadDocuments() {
    docsLoaded = true;
    const list = await docs.load();
    asset.document_count = list.length;
    renderDocCount();
  }

  // A drop on this page (see drop.js) attached files: show them.
  document.addEventListener(DOCUMENTS_CHANGED, (e) => {
    if (e.detail.assetId !== asset.id || !ctx.isCurrent()) return;
    historyStale = true;
    store.changed();
    if (tab === 'documents') loadDocuments().catch(() => {});
    else selectTab('documents');
  }, { signal });

  // --- history -------------------------------------------------------------------------------
  let historyStale = true;
  async function loadHistory() {
    historyStale = false;
    const events = await api.listAssetHistory(asset.id);
    if (!ctx.isCurrent()) return;
    historyPanel.replaceChildren(
      events.length ? timeline(events, { currency: store.currency }) : h('p', { class: 'muted', dataset: { history: true } }, 'No history yet.'),
    );
  }

  function selectTab(name, focus = false) {
    tab = name;
    for (const b of tabs.querySelectorAll('[data-tab]')) {
      const on = b.dataset.tab === name;
      b.setAttribute('aria-selected', String(on));
      b.tabIndex = on ? 0 : -1;
      if (on && focus) b.focus();
    }
    detailsPanel.hidden = name !== 'details';
    historyPanel.hidden = name !== 'history';
    documentsPanelEl.hidden = name !== 'documents';
    ctx.setQuery({ tab: name === 'details' ? '' : name });
    if (name === 'history' && historyStale) loadHistory().catch((e) => historyPanel.replaceChildren(h('p', { class: 'form-error' }, e.message)));
    if (name === 'documents' && !docsLoaded) loadDocuments().catch((e) => documentsPanelEl.replaceChildren(h('p', { class: 'form-error' }, e.message)));
  }
  tabs.addEventListener('click', (e) => {
    const b = e.target.closest('[data-tab]');
    if (b) selectTab(b.dataset.tab);
  });
  tabs.addEventListener('keydown', (e) => {
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const step = e.key === 'ArrowRight' ? 1 : TABS.length - 1;
      selectTab(TABS[(TABS.indexOf(tab) + step) % TABS.length], true);
    }
  });

  function renderHeader() {
    title.replaceChildren(trunc('span', { class: 'title-name' }, asset.name), h('span', { class: 'title-tag mono' }, asset.asset_tag));
    title.setAttribute('title', `${asset.name} (${asset.asset_tag})`);
    statusSlot.replaceChildren(pill(asset.status, { dataset: { statusPill: true } }));
    holder.replaceChildren(...holderLine(asset));
    document.title = `${asset.asset_tag} ${asset.name} – Asset Register`;
    // The likely next step is the primary button.
    assignBtn.classList.toggle('btn-primary', asset.status === 'available');
    returnBtn.classList.toggle('btn-primary', asset.status === 'deployed');
    root.dataset.dropTarget = String(asset.id);
    root.dataset.dropTag = asset.asset_tag;
    if (asset.archived) {
      // Only the dossier can still be exported; nothing else changes an archived asset.
      for (const b of [assignBtn, returnBtn, statusBtn, attachBtn, archiveBtn]) b.hidden = true;
      archivedNote.hidden = false;
      archivedNote.textContent = `${asset.asset_tag} is archived: it no longer appears in lists. Its history is kept below.`;
    }
  }

  signal.addEventListener('abort', () => { document.title = 'Asset Register'; });
  root.replaceChildren(header, archivedNote, tabs, detailsPanel, historyPanel, documentsPanelEl);
  renderHeader();
  renderFacts();
  renderDocCount();
  selectTab(tab);
  loadDepreciation();
}
