// `#/people/ID`: who they are, what they hold ("What to collect from Sam"), leaving, history.

import { api } from '../api.js';
import { h, cell, icon, tableRoles } from '../dom.js';
import { formatDate, plural } from '../format.js';
import { pill } from '../statuses.js';
import { rowKeys, toast } from '../widgets.js';
import { clearFieldErrors, field, showFieldError, watchForm } from '../components/field.js';
import { timeline } from '../components/history.js';
import { returnDialog } from './asset-dialogs.js';
import { releaseDialog } from './licence-detail.js';
import { offboardingCard, startOffboardingDialog } from './offboarding.js';

const firstName = (name) => name.split(/\s+/)[0] || name;

export async function mountPersonDetail(root, ctx) {
  const { store, id, signal, navigate } = ctx;
  let person = await api.getPerson(id);
  if (!ctx.isCurrent()) return;

  // --- header --------------------------------------------------------------------------------
  const title = h('h1', { dataset: { personTitle: true } });
  const leftBadge = h('span', { class: 'state state-left', hidden: true });
  const sub = h('p', { class: 'view-sub' });
  const leaveBtn = h('button', { type: 'button', class: 'btn' });
  const offboardBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'start-offboarding' }, hidden: true }, 'Start offboarding…');
  const error = h('div', { class: 'banner banner-error', dataset: { personError: true }, role: 'alert', hidden: true });
  const header = h('header', { class: 'view-head detail-head' },
    h('div', { class: 'view-title' },
      h('a', { href: '#/people', class: 'back-link' }, icon('back'), 'People'),
      h('div', { class: 'title-row' }, title, leftBadge),
      sub),
    h('div', { class: 'view-actions' }, offboardBtn, leaveBtn));

  // --- held assets ---------------------------------------------------------------------------
  const heldTitle = h('h2', { class: 'card-title' });
  const heldCount = h('span', { class: 'card-sub' });
  const heldBody = h('tbody');
  const heldTable = h('table', { class: 'data-table grid-table held-table' },
    h('colgroup', null, h('col', { class: 'col-tag' }), h('col'), h('col', { class: 'col-category' }), h('col', { class: 'col-serial' }), h('col', { class: 'col-status' }), h('col', { class: 'col-act' })),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Tag'), h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Category'),
      h('th', { scope: 'col' }, 'Serial'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    heldBody);
  const heldWrap = h('div', { class: 'table-wrap table-wrap-inline', tabindex: '0', dataset: { personAssets: true } }, heldTable);
  const heldEmpty = h('p', { class: 'muted mini-empty', hidden: true });
  const seatsList = h('ul', { class: 'mini-list held-seats', dataset: { personSeats: true }, hidden: true });
  const heldCard = h('section', { class: 'card' },
    h('header', { class: 'card-head' }, heldTitle, heldCount), heldWrap, seatsList, heldEmpty);
  const offboardSlot = h('div', { class: 'offboard-slot', dataset: { offboardSlot: true } });

  // --- edit form -----------------------------------------------------------------------------
  const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save' } }, 'Save');
  const formError = h('p', { class: 'form-error', dataset: { formError: true }, role: 'alert', hidden: true });
  const form = h('form', { class: 'person-form', dataset: { personForm: true, savable: true }, novalidate: true },
    field('Name', h('input', { name: 'name', autocomplete: 'off' })),
    field('Email', h('input', { name: 'email', type: 'email', autocomplete: 'off' })),
    field('Department', h('input', { name: 'department', autocomplete: 'off' })),
    formError,
    h('div', { class: 'form-actions' }, saveBtn));
  const formCard = h('section', { class: 'card' }, h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Details')), form);

  const historySlot = h('div');
  const historyCard = h('section', { class: 'card' }, h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'History')), historySlot);

  root.replaceChildren(header, error,
    h('div', { class: 'person-grid' }, h('div', { class: 'person-main' }, offboardSlot, heldCard, historyCard), h('div', { class: 'person-side' }, formCard)));

  function renderHeader() {
    title.textContent = person.name;
    sub.replaceChildren([person.email, person.department].filter(Boolean).join(' · ') || 'No email or department recorded');
    leftBadge.hidden = person.active;
    leftBadge.textContent = person.active ? '' : `Left on ${formatDate(person.left_on)}`;
    if (person.active) {
      leaveBtn.textContent = 'Mark as left';
      leaveBtn.dataset.action = 'mark-left';
    } else {
      leaveBtn.textContent = 'Undo leaving';
      leaveBtn.dataset.action = 'unmark-left';
    }
    document.title = `${person.name} – Asset Register`;
  }

  function fillForm() {
    for (const k of ['name', 'email', 'department']) form.querySelector(`[name="${k}"]`).value = person[k] ?? '';
  }

  async function loadHeld() {
    const [page, seats] = await Promise.all([api.listAssets({ person_id: person.id, limit: 1000 }), api.listPersonSeats(person.id)]);
    if (!ctx.isCurrent()) return;
    const who = firstName(person.name);
    const holds = page.total + seats.length;
    heldTitle.textContent = holds ? `What to collect from ${who}` : `${who} holds nothing`;
    heldCount.textContent = [page.total ? plural(page.total, 'asset') : null, seats.length ? plural(seats.length, 'licence seat') : null].filter(Boolean).join(' · ');
    seatsList.hidden = seats.length === 0;
    offboardBtn.classList.toggle('btn-primary', holds > 0);
    seatsList.replaceChildren(...seats.map((st) => {
      // A seat is given back here as an asset is: Release… beside it.
      const release = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'release-seat' } }, 'Release…');
      release.addEventListener('click', async () => {
        const done = await releaseDialog({ id: st.licence_id, product: st.product }, st, store);
        if (done && ctx.isCurrent()) refresh();
      });
      return h('li', { class: 'seat-item', dataset: { seat: st.licence_id } },
        h('a', { href: `#/licences/${st.licence_id}`, class: 'mini-row', dataset: { licenceId: st.licence_id } },
          h('span', { class: 'mini-tag' }, 'Seat'),
          h('span', { class: 'mini-name' }, st.product),
          h('span', { class: 'mini-side' }, `since ${formatDate(st.assigned_at.slice(0, 10))}`)),
        release);
    }));
    heldBody.replaceChildren(...page.assets.map((a) => {
      const ret = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'return-row' } }, 'Return…');
      ret.addEventListener('click', async () => {
        const done = await returnDialog(a, store);
        if (done && ctx.isCurrent()) refresh();
      });
      return h('tr', { dataset: { id: a.id }, 'aria-selected': 'false' },
        cell('asset_tag', a.asset_tag, 'mono'),
        cell('name', a.name, 'strong'),
        cell('category', a.category),
        cell('serial_number', a.serial_number, 'mono'),
        h('td', { dataset: { col: 'status' } }, pill(a.status)),
        h('td', { class: 'col-act' }, ret));
    }));
    tableRoles(heldTable);
    heldWrap.hidden = page.total === 0;
    heldEmpty.hidden = holds !== 0;
    heldEmpty.textContent = person.active
      ? `Nothing is assigned to ${person.name} at the moment.`
      : `${person.name} returned everything before leaving.`;
  }

  async function loadHistory() {
    const events = await api.listPersonHistory(person.id);
    if (!ctx.isCurrent()) return;
    // What they were given and gave back is part of it: each such event names its asset or licence.
    historySlot.replaceChildren(events.length ? timeline(events, { currency: store.currency, showLabel: true }) : h('p', { class: 'muted', dataset: { history: true } }, 'No history yet.'));
  }

  let offboardingOpen = false;
  async function loadOffboarding(list = null) {
    const checklist = list ?? await api.getOffboarding(person.id);
    if (!ctx.isCurrent()) return;
    const o = checklist.offboarding;
    offboardingOpen = Boolean(o && !o.finished_at);
    // A finished offboarding stays visible (to print the checklist again) while they are gone.
    const show = offboardingOpen || (o && !person.active);
    offboardSlot.replaceChildren(show ? offboardingCard(checklist, {
      store,
      isCurrent: ctx.isCurrent,
      onChange: (next) => { person = next.person; refresh(next); },
    }) : '');
    heldCard.hidden = Boolean(show);
    offboardBtn.hidden = !person.active || offboardingOpen;
    leaveBtn.hidden = offboardingOpen;
  }

  async function refresh(checklist = null) {
    person = await api.getPerson(person.id);
    if (!ctx.isCurrent()) return;
    renderHeader();
    await Promise.all([loadHeld(), loadHistory(), loadOffboarding(checklist)]);
  }

  offboardBtn.addEventListener('click', async () => {
    showError('');
    const list = await startOffboardingDialog(person, store);
    if (list && ctx.isCurrent()) refresh(list);
  });

  const showError = (msg) => {
    error.textContent = msg;
    error.hidden = !msg;
  };

  leaveBtn.addEventListener('click', async () => {
    showError('');
    const leaving = person.active;
    leaveBtn.disabled = true;
    try {
      person = await api.setPersonLeft(person, leaving);
      store.changed();
      toast(leaving ? `${person.name} marked as left` : `${person.name} is no longer marked as left`);
      await refresh();
    } catch (e) {
      showError(e.message);
    } finally {
      leaveBtn.disabled = false;
    }
  });

  /** Saves the details; resolves to whether they were saved. */
  async function save() {
    clearFieldErrors(form);
    const input = Object.fromEntries(['name', 'email', 'department'].map((k) => [k, form.querySelector(`[name="${k}"]`).value.trim()]));
    saveBtn.disabled = true;
    try {
      person = await api.updatePerson(person, input);
      store.changed();
      renderHeader();
      fillForm();
      guard.markClean();
      loadHistory();
      toast(`${person.name} saved`);
      return true;
    } catch (err) {
      showFieldError(form, err);
      return false;
    } finally {
      saveBtn.disabled = false;
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });

  rowKeys(heldWrap, (tr) => navigate(`#/assets/${tr.dataset.id}`), { signal });
  signal.addEventListener('abort', () => { document.title = 'Asset Register'; });

  renderHeader();
  fillForm();
  const guard = ctx.guardLeave(watchForm(form, { what: `${person.name}’s details`, save }));
  await Promise.all([loadHeld(), loadHistory(), loadOffboarding()]);
}
