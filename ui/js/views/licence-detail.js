// `#/licences/ID`: a licence's facts (the key masked until "Show key"), its seats (give one to a
// person, release one), Edit…, Attach…, Archive…, and the History and Documents tabs. The page
// is a drop target for files, like an asset's.

import { api } from '../api.js';
import { h, cell, icon, tableRoles, trunc } from '../dom.js';
import { DASH, formatCount, formatDate, formatDateTime, plural, relativeTime } from '../format.js';
import { suggest, toast } from '../widgets.js';
import { field, formValue, noteField } from '../components/field.js';
import { openDialog } from '../components/dialog.js';
import { recordTabs } from '../components/tabs.js';
import { licenceOwner } from '../components/documents.js';
import { costText, editLicence, renewalText } from './licences.js';

function seatDialog(licence, store) {
  const person = h('input', { name: 'person', autocomplete: 'off', placeholder: 'Name, e.g. Sam Patel' });
  suggest(person, () => store.people.filter((p) => p.active).map((p) => p.name));
  const free = licence.seats - licence.seats_used;
  return openDialog({
    name: 'assign-seat',
    title: `Give a seat of ${licence.product}`,
    intro: `${formatCount(free)} of ${plural(licence.seats, 'seat')} free. A new name is added to People; someone who has left cannot get a seat.`,
    body: [field('Person', person), noteField()],
    confirmLabel: 'Give seat',
    onConfirm: async (form, showError) => {
      const name = person.value.trim();
      if (!name) {
        showError('Enter the name of the person who gets the seat.', 'person');
        return false;
      }
      const updated = await api.assignSeat(licence.id, name, formValue(form, 'note'));
      store.changed();
      toast(`${name} has a seat of ${licence.product}`);
      return updated;
    },
  });
}

/** Frees `seat` of `licence` ({id, product}); used here and on the person's page. */
export function releaseDialog(licence, seat, store) {
  return openDialog({
    name: 'release-seat',
    title: `Release ${seat.person_name}’s seat`,
    intro: `${seat.person_name} will no longer hold a seat of ${licence.product}.`,
    body: [noteField()],
    confirmLabel: 'Release seat',
    onConfirm: async (form) => {
      const updated = await api.releaseSeat(licence.id, seat.person_id, formValue(form, 'note'));
      store.changed();
      toast(`Released ${seat.person_name}’s seat`);
      return updated;
    },
  });
}

function archiveLicenceDialog(licence, store) {
  return openDialog({
    name: 'archive-licence',
    title: `Archive ${licence.product}`,
    intro: licence.seats_used
      ? `${plural(licence.seats_used, 'seat')} still in use: release them first.`
      : 'It leaves the list and the renewals forecast; its history is kept.',
    body: [noteField('Why? (e.g. not renewed)')],
    confirmLabel: 'Archive',
    danger: true,
    onConfirm: async (form) => {
      const updated = await api.archiveLicence(licence, formValue(form, 'note'));
      store.changed();
      toast(`${licence.product} archived`);
      return updated;
    },
  });
}

export async function mountLicenceDetail(root, ctx) {
  const { store, id, signal } = ctx;
  let licence = await api.getLicence(id);
  await store.lists().catch(() => {});
  if (!ctx.isCurrent()) return;

  const title = h('h1', { dataset: { licenceTitle: true } });
  const badge = h('span', { class: 'state state-left', hidden: true }, 'Archived');
  const sub = h('p', { class: 'holder-line' });
  const btn = (action, label, handler) => {
    const b = h('button', { type: 'button', class: 'btn', dataset: { action } }, label);
    b.addEventListener('click', handler);
    return b;
  };
  const assignBtn = btn('assign-seat', 'Give a seat…', async () => {
    const updated = await seatDialog(licence, store);
    if (updated && ctx.isCurrent()) { licence = updated; refresh(); }
  });
  assignBtn.classList.add('btn-primary');
  const editBtn = btn('edit-licence', 'Edit…', async () => {
    const updated = await editLicence(store, licence);
    if (updated && ctx.isCurrent()) { licence = updated; keyShown = null; refresh(); }
  });
  const archiveBtn = btn('archive-licence', 'Archive…', async () => {
    const updated = await archiveLicenceDialog(licence, store);
    if (updated && ctx.isCurrent()) { licence = updated; refresh(); }
  });
  archiveBtn.classList.add('btn-quiet-danger');
  const attachBtn = btn('attach', 'Attach…', () => tabs.attach());
  attachBtn.setAttribute('title', 'Attach invoices, contracts or licence certificates (or drag files onto this page)');
  const header = h('header', { class: 'view-head detail-head' },
    h('div', { class: 'view-title' },
      h('a', { href: '#/licences', class: 'back-link' }, icon('back'), 'Licences'),
      h('div', { class: 'title-row' }, title, badge),
      sub),
    h('div', { class: 'view-actions' }, assignBtn, editBtn, attachBtn, archiveBtn));

  // --- tabs ----------------------------------------------------------------------------------
  const tabs = recordTabs(ctx, {
    owner: licenceOwner(() => licence),
    history: () => api.listLicenceHistory(licence.id),
    dropped: (detail) => detail.licenceId === licence.id,
    store,
    signal,
  });
  const detailsPanel = tabs.details;

  // --- details: facts and seats -------------------------------------------------------------
  const facts = h('dl', { class: 'facts facts-wide', dataset: { licenceFacts: true } });
  let keyShown = null; // the key in clear once the user asked for it
  const factsCard = h('section', { class: 'card' }, h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Licence')), facts);

  const seatsTitle = h('h2', { class: 'card-title' }, 'Seats');
  const seatsSub = h('span', { class: 'card-sub', dataset: { seatCount: true } });
  const seatsBody = h('tbody');
  const seatsTable = h('table', { class: 'data-table grid-table seats-table' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Person'), h('th', { scope: 'col' }, 'Since'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    seatsBody);
  const seatsWrap = h('div', { class: 'table-wrap table-wrap-inline', dataset: { seats: true } }, seatsTable);
  const seatsEmpty = h('p', { class: 'muted mini-empty', hidden: true });
  const seatsCard = h('section', { class: 'card' }, h('header', { class: 'card-head' }, seatsTitle, seatsSub), seatsWrap, seatsEmpty);
  detailsPanel.append(h('div', { class: 'person-grid licence-grid' }, h('div', { class: 'person-main' }, seatsCard), factsCard));

  function renderFacts() {
    const row = (label, value, cls) => [h('dt', null, label), h('dd', { class: cls }, value)];
    const keyValue = h('span', { class: 'mono key-value', dataset: { licenceKey: true } }, keyShown ?? licence.key_hint ?? DASH);
    const keyCell = [h('div', null, keyValue)];
    const keyActions = h('div', { class: 'key-actions' });
    if (licence.key_hint) {
      const toggle = h('button', { type: 'button', class: 'link-btn key-toggle', dataset: { action: keyShown ? 'hide-key' : 'show-key' } }, keyShown ? 'Hide' : 'Show key');
      toggle.addEventListener('click', async () => {
        if (keyShown) keyShown = null;
        else keyShown = (await api.revealLicenceKey(licence.id)) ?? null;
        if (ctx.isCurrent()) renderFacts();
      });
      keyActions.append(toggle);
      keyCell.push(keyActions);
      if (keyShown) {
        const copy = h('button', { type: 'button', class: 'link-btn', dataset: { action: 'copy-key' } }, 'Copy');
        copy.addEventListener('click', async () => {
          try {
            await navigator.clipboard.writeText(keyShown);
            toast('Key copied');
          } catch {
            toast('The key could not be copied; select it instead', 'error');
          }
        });
        keyActions.append(copy);
      }
    }
    facts.replaceChildren(
      ...row('Vendor', licence.vendor ?? DASH),
      ...row('Seats', `${formatCount(licence.seats_used)} of ${formatCount(licence.seats)} in use`, 'num'),
      ...row(licence.period === 'one_off' ? 'Expires' : 'Renews', renewalText(licence), 'num'),
      ...row('Cost', costText(licence, store.currency), 'num'),
      ...row('Supplier', licence.supplier ?? DASH),
      ...row('Licence key', keyCell),
      ...row('Notes', licence.notes ?? DASH),
      ...row('Added', formatDate(licence.created_at?.slice(0, 10)), 'num'),
      ...row('Last changed', h('span', { title: formatDateTime(licence.updated_at) }, relativeTime(licence.updated_at)), 'num'),
    );
  }

  async function loadSeats() {
    const seats = await api.listLicenceSeats(licence.id);
    if (!ctx.isCurrent()) return;
    seatsSub.textContent = `${formatCount(seats.length)} of ${plural(licence.seats, 'seat')} in use`;
    seatsBody.replaceChildren(...seats.map((s) => {
      const release = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'release-seat' } }, 'Release…');
      release.addEventListener('click', async () => {
        const updated = await releaseDialog(licence, s, store);
        if (updated && ctx.isCurrent()) { licence = updated; refresh(); }
      });
      return h('tr', { dataset: { personId: s.person_id } },
        h('td', { class: 'clip strong', dataset: { col: 'person' } }, h('a', { href: `#/people/${s.person_id}` }, s.person_name), s.person_active ? null : h('span', { class: 'state state-left inline-state' }, 'Left')),
        cell('since', formatDate(s.assigned_at.slice(0, 10)), 'col-date'),
        h('td', { class: 'col-act' }, licence.archived ? null : release));
    }));
    tableRoles(seatsTable);
    seatsWrap.hidden = seats.length === 0;
    seatsEmpty.hidden = seats.length !== 0;
    seatsEmpty.textContent = licence.archived ? 'Archived: no seats in use.' : 'Nobody has a seat yet — use “Give a seat…” to assign one.';
  }


  function renderHeader() {
    title.replaceChildren(trunc('span', { class: 'title-name' }, licence.product));
    badge.hidden = !licence.archived;
    sub.replaceChildren(...[licence.vendor, `${formatCount(licence.seats_used)} of ${plural(licence.seats, 'seat')} in use`, licence.cost ? costText(licence, store.currency) : null].filter(Boolean).join(' · '));
    document.title = `${licence.product} – Asset Register`;
    assignBtn.disabled = licence.seats_used >= licence.seats;
    assignBtn.title = assignBtn.disabled ? 'Every seat is in use: add seats (Edit…) or release one' : '';
    for (const b of [assignBtn, editBtn, attachBtn, archiveBtn]) b.hidden = licence.archived;
    if (licence.archived) {
      delete root.dataset.dropTarget;
    } else {
      root.dataset.dropTarget = String(licence.id);
      root.dataset.dropTag = licence.product;
      root.dataset.dropKind = 'licence';
    }
  }

  function refresh() {
    renderHeader();
    renderFacts();
    loadSeats().catch(() => {});
    tabs.historyChanged();
  }

  signal.addEventListener('abort', () => { document.title = 'Asset Register'; });
  root.replaceChildren(header, tabs.el, ...tabs.panels);
  renderHeader();
  renderFacts();
  await loadSeats();
  tabs.select(tabs.current());
}
