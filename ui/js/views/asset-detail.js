// `#/assets/ID`: title, status, holder, actions (dialogs, Attach…, Export PDF), and the
// Details / History / Documents tabs. The whole page is a drop target for files.

import { api } from '../api.js';
import { h, icon, trunc } from '../dom.js';
import { DASH, daysUntil, formatDate, formatDateTime, formatMoney, plural, relativeTime } from '../format.js';
import { pill } from '../statuses.js';
import { toast } from '../widgets.js';
import { recordTabs } from '../components/tabs.js';
import { assetOwner } from '../components/documents.js';
import { exportButton, runExport, defaultPaper } from '../components/export.js';
import { labelsButton, printLabels } from '../components/labels.js';
import { assetForm } from './asset-form.js';
import { assignDialog, returnDialog, statusDialog, archiveDialog, unarchiveDialog } from './asset-dialogs.js';
import { depreciationCard } from './depreciation.js';
import { replacementCard } from './replacement-card.js';
import { disposalCard, disposalDialog } from './disposal-card.js';

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

/** Whether an asset's warranty still matters: not for one that is Retired or Lost/Stolen. */
export const warrantyMatters = (a) => a.status !== 'retired' && a.status !== 'lost_stolen';

function warrantyText(a) {
  if (!a.warranty_expires) return DASH;
  const d = daysUntil(a.warranty_expires);
  const date = formatDate(a.warranty_expires);
  if (!warrantyMatters(a)) return date;
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
    if (dialog === unarchiveDialog) loadDepreciation(); // its Change… comes back
    renderHeader();
    if (!f.isDirty()) f.setValues(asset); // keep edits the user has not saved yet
    renderFacts();
    tabs.historyChanged();
  };
  const assignBtn = btn('assign', 'Assign…', run(assignDialog));
  const returnBtn = btn('return', 'Return…', run(returnDialog));
  const statusBtn = btn('change-status', 'Change status…', run(statusDialog));
  const disposeBtn = btn('dispose', 'Dispose…', async () => {
    const saved = await disposalDialog(asset, null);
    if (saved && ctx.isCurrent()) await disposed(saved);
  });
  disposeBtn.setAttribute('title', 'Record how this asset left (recycled, sold, returned, destroyed, donated) and how its data was wiped; retires it');
  const archiveBtn = btn('archive', 'Archive…', run(archiveDialog));
  archiveBtn.classList.add('btn-quiet-danger');
  const unarchiveBtn = btn('unarchive', 'Bring back…', run(unarchiveDialog));
  unarchiveBtn.hidden = true;
  const attachBtn = btn('attach', 'Attach…', () => tabs.attach());
  attachBtn.setAttribute('title', 'Attach receipts, warranties or invoices (or drag files onto this page)');
  const exportBtn = exportButton('export-dossier', 'Export this asset’s dossier (details, documents and history) as a PDF');
  exportBtn.addEventListener('click', () => runExport(exportBtn, () => api.exportDossierPdf(asset.id, defaultPaper())));
  const labelsBtn = labelsButton('Print a QR-code label for this asset');
  labelsBtn.addEventListener('click', () => printLabels(labelsBtn, [{ label: asset.asset_tag, selection: { kind: 'ids', ids: [asset.id] } }]));
  const actions = h('div', { class: 'view-actions' }, assignBtn, returnBtn, statusBtn, attachBtn, labelsBtn, exportBtn, disposeBtn, archiveBtn, unarchiveBtn);
  const archivedNote = h('p', { class: 'banner', hidden: true });

  const header = h('header', { class: 'view-head detail-head' },
    h('div', { class: 'view-title' },
      h('a', { href: '#/assets', class: 'back-link' }, icon('back'), 'Assets'),
      h('div', { class: 'title-row' }, title, statusSlot),
      holder),
    actions);

  // --- tabs ----------------------------------------------------------------------------------
  const tabs = recordTabs(ctx, {
    owner: assetOwner(() => asset),
    history: () => api.listAssetHistory(asset.id),
    dropped: (detail) => detail.assetId === asset.id,
    count: asset.document_count ?? 0,
    onCount: (n) => { asset.document_count = n; },
    store,
    signal,
  });
  const detailsPanel = tabs.details;

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
      const updated = await api.updateAsset(asset, values);
      asset = updated;
      store.changed();
      f.setValues(asset);
      renderHeader();
      renderFacts();
      loadDepreciation();
      tabs.historyChanged();
      toast(`${asset.asset_tag} saved`);
    },
  });
  ctx.guardLeave({ what: `${asset.asset_tag}’s details`, isDirty: f.isDirty, save: f.submit });
  const facts = h('dl', { class: 'facts' });
  const factsCard = h('aside', { class: 'card facts-card', 'aria-label': 'At a glance' }, h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'At a glance')), facts);
  const dep = depreciationCard({
    getAsset: () => asset,
    currency: store.currency,
    isCurrent: ctx.isCurrent,
    onChange: () => {
      renderFacts();
      tabs.historyChanged();
      store.changed();
    },
  });
  const rep = replacementCard({
    getAsset: () => asset,
    currency: store.currency,
    isCurrent: ctx.isCurrent,
    onChange: () => {
      tabs.historyChanged();
      store.changed();
    },
  });
  const disp = disposalCard({
    getAsset: () => asset,
    isCurrent: ctx.isCurrent,
    onChange: (saved) => disposed(saved),
  });
  // A disposal may have retired the asset and attached its certificate: read it again.
  async function disposed(saved) {
    asset = await api.getAsset(asset.id);
    if (!ctx.isCurrent()) return;
    disp.set(saved);
    store.changed();
    renderHeader();
    renderFacts();
    tabs.historyChanged();
    loadDepreciation();
  }
  const loadDepreciation = () => {
    disp.load().catch((e) => disp.el.append(h('p', { class: 'form-error' }, e.message)));
    rep.load().catch((e) => rep.el.append(h('p', { class: 'form-error' }, e.message)));
    return dep.load().then(renderFacts).catch((e) => dep.el.append(h('p', { class: 'form-error' }, e.message)));
  };
  detailsPanel.append(h('div', { class: 'detail-grid' }, h('div', { class: 'detail-main' }, disp.el, f.form, dep.el, rep.el), factsCard));

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
      ...row('Last seen', asset.last_seen ? formatDate(asset.last_seen) : 'Never in a stocktake', 'num'),
      ...row('Added', formatDate(asset.created_at?.slice(0, 10)), 'num'),
      ...row('Last changed', relativeTime(asset.updated_at), 'num'),
    );
    facts.lastElementChild.setAttribute('title', formatDateTime(asset.updated_at));
  }



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
    // An archived asset is read-only: its dossier can be exported and it can be brought back;
    // nothing else changes it.
    const archived = Boolean(asset.archived);
    for (const b of [assignBtn, returnBtn, statusBtn, attachBtn, archiveBtn]) b.hidden = archived;
    // Return… only when someone or somewhere holds it.
    if (!asset.assigned_to && asset.status !== 'deployed') returnBtn.hidden = true;
    disposeBtn.hidden = archived || asset.status === 'retired' || asset.status === 'lost_stolen';
    disp.render();
    unarchiveBtn.hidden = !archived;
    unarchiveBtn.classList.toggle('btn-primary', archived);
    archivedNote.hidden = !archived;
    archivedNote.dataset.archivedNote = '';
    archivedNote.textContent = archived
      ? `${asset.asset_tag} is archived: it is left out of lists and counts, and is read-only here. Its history is kept. Bring back… returns it to the register.`
      : '';
    for (const el of f.form.elements) el.disabled = archived;
    for (const el of f.form.querySelectorAll('.form-actions')) el.hidden = archived;
  }

  signal.addEventListener('abort', () => { document.title = 'Asset Register'; });
  root.replaceChildren(header, archivedNote, tabs.el, ...tabs.panels);
  renderHeader();
  renderFacts();
  tabs.select(tabs.current());
  loadDepreciation();
}
