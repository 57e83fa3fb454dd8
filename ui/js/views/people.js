// `#/people`: everyone who can hold assets, how many they hold, and who has left.

import { api } from '../api.js';
import { h, cell, icon, tableRoles } from '../dom.js';
import { formatCount, formatDate, plural } from '../format.js';
import { rowKeys, toast } from '../widgets.js';
import { field, formValue } from '../components/field.js';
import { openDialog } from '../components/dialog.js';

/** Add person: resolves to the new person, or undefined when cancelled. */
function personDialog(store) {
  return openDialog({
    name: 'person',
    title: 'Add person',
    body: [
      field('Name', h('input', { name: 'name', autocomplete: 'off', required: true })),
      field('Email', h('input', { name: 'email', type: 'email', autocomplete: 'off' })),
      field('Department', h('input', { name: 'department', autocomplete: 'off' })),
    ],
    confirmLabel: 'Add person',
    onConfirm: async (form) => {
      const person = await api.createPerson({ name: formValue(form, 'name'), email: formValue(form, 'email'), department: formValue(form, 'department') });
      store.changed();
      toast(`${person.name} added`);
      return person;
    },
  });
}

export async function mountPeople(root, ctx) {
  const { store, signal, navigate } = ctx;

  const filter = h('input', { type: 'search', placeholder: 'Filter people…', 'aria-label': 'Filter people', autocomplete: 'off', dataset: { peopleFilter: true } });
  const addBtn = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'new-person' } }, icon('plus'), 'Add person');
  const showLeft = h('input', { type: 'checkbox', checked: true });
  const count = h('span', { class: 'count' });
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table grid-table people-table', dataset: { peopleTable: true } },
    h('colgroup', null, h('col', { class: 'col-person' }), h('col', { class: 'col-email' }), h('col', { class: 'col-dept' }), h('col', { class: 'col-held' }), h('col', { class: 'col-state' })),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Email'), h('th', { scope: 'col' }, 'Department'),
      h('th', { scope: 'col', class: 'num' }, 'Assets held'), h('th', { scope: 'col' }, 'State'))),
    tbody);
  const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'People' }, table);
  const empty = h('div', { class: 'empty-state', dataset: { empty: true }, hidden: true });

  root.replaceChildren(
    h('header', { class: 'view-head' },
      h('div', { class: 'view-title' }, h('h1', null, 'People')),
      h('div', { class: 'view-actions' }, h('label', { class: 'search' }, icon('search'), filter), addBtn)),
    h('div', { class: 'filters' },
      h('label', { class: 'check' }, showLeft, h('span', null, 'Show people who have left')),
      h('span', { class: 'spacer' }), count),
    wrap, empty);

  function render() {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const all = store.people;
    const people = all
      .filter((p) => showLeft.checked || p.active)
      .filter((p) => words.every((w) => [p.name, p.email, p.department].some((v) => v && v.toLowerCase().includes(w))))
      .sort((a, b) => (b.active - a.active) || a.name.localeCompare(b.name));
    tbody.replaceChildren(...people.map((p) => h('tr', { dataset: { id: p.id }, class: p.active ? null : 'row-muted', 'aria-selected': 'false' },
      cell('name', p.name, 'strong'),
      cell('email', p.email),
      cell('department', p.department),
      h('td', { dataset: { col: 'asset_count' }, class: ['num', p.asset_count || p.seat_count ? null : 'zero'], title: p.seat_count ? `and ${plural(p.seat_count, 'licence seat')}` : null },
        formatCount(p.asset_count), p.seat_count ? h('span', { class: 'muted seat-note' }, ` + ${plural(p.seat_count, 'seat')}`) : null),
      h('td', { dataset: { col: 'state' } },
        p.active ? h('span', { class: 'state state-active' }, 'Active') : h('span', { class: 'state state-left' }, `Left on ${formatDate(p.left_on)}`)))));
    tableRoles(table);
    const left = all.filter((p) => !p.active).length;
    count.textContent = `${plural(all.length - left, 'person', 'people')} · ${formatCount(left)} left`;
    const none = people.length === 0;
    wrap.hidden = none;
    empty.hidden = !none;
    if (none) {
      empty.replaceChildren(...(all.length === 0
        ? [h('h2', null, 'No people yet'),
          h('p', { class: 'muted' }, 'Add the people who look after equipment. Assigning an asset to a new name also adds them here.')]
        : [h('h2', null, 'Nobody matches'), h('p', { class: 'muted' }, 'Try another name, or show people who have left.')]));
    }
  }

  filter.addEventListener('input', render);
  showLeft.addEventListener('change', render);
  rowKeys(wrap, (tr) => navigate(`#/people/${tr.dataset.id}`), { signal });
  addBtn.addEventListener('click', async () => {
    const person = await personDialog(store);
    if (!person || !ctx.isCurrent()) return;
    await store.refresh();
    render();
    const tr = tbody.querySelector(`tr[data-id="${person.id}"]`);
    if (tr) {
      tr.setAttribute('aria-selected', 'true');
      tr.scrollIntoView({ block: 'nearest' });
      wrap.focus({ preventScroll: true });
    }
  });
  store.addEventListener('change', (e) => { if (e.detail.what === 'lists') render(); }, { signal });

  await store.refresh();
  if (!ctx.isCurrent()) return;
  render();
}
