// `#/locations`: places assets are kept or deployed, with counts. A row opens the Assets view
// filtered to that location.

import { api } from '../api.js';
import { h, cell, icon, tableRoles } from '../dom.js';
import { formatCount, plural } from '../format.js';
import { rowKeys, toast } from '../widgets.js';
import { field, formValue } from '../components/field.js';
import { openDialog } from '../components/dialog.js';

/** Add a location, or rename `location`; resolves to the saved location. */
function locationDialog(store, location = null) {
  return openDialog({
    name: 'location',
    title: location ? `Rename ${location.name}` : 'Add location',
    body: [field('Name', h('input', { name: 'name', autocomplete: 'off', value: location?.name ?? '', placeholder: 'e.g. Reception' }))],
    confirmLabel: location ? 'Rename' : 'Add location',
    onConfirm: async (form) => {
      const name = formValue(form, 'name');
      const saved = location ? await api.renameLocation(location.id, name) : await api.createLocation(name);
      store.changed();
      toast(location ? `Renamed to ${saved.name}` : `${saved.name} added`);
      return saved;
    },
  });
}

export async function mountLocations(root, ctx) {
  const { store, signal, navigate } = ctx;

  const addBtn = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'new-location' } }, icon('plus'), 'Add location');
  const count = h('span', { class: 'count' });
  const tbody = h('tbody');
  const table = h('table', { class: 'data-table grid-table locations-table', dataset: { locationsTable: true } },
    h('colgroup', null, h('col'), h('col', { class: 'col-held' }), h('col', { class: 'col-act' })),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Location'), h('th', { scope: 'col', class: 'num' }, 'Assets'),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    tbody);
  const wrap = h('div', { class: 'table-wrap narrow-table', tabindex: '0', role: 'region', 'aria-label': 'Locations' }, table);
  const empty = h('div', { class: 'empty-state', dataset: { empty: true }, hidden: true },
    h('h2', null, 'No locations yet'),
    h('p', { class: 'muted' }, 'Add the places where equipment is kept or deployed — Reception, Meeting room 2, the IT cupboard. Assigning or returning an asset to a new place adds it too.'));

  const filters = h('div', { class: 'filters' }, h('span', { class: 'muted' }, 'Open a location to see what is there.'), h('span', { class: 'spacer' }), count);
  root.replaceChildren(
    h('header', { class: 'view-head' },
      h('div', { class: 'view-title' }, h('h1', null, 'Locations')),
      h('div', { class: 'view-actions' }, addBtn)),
    filters,
    wrap, empty);

  function render() {
    const list = [...store.locations].sort((a, b) => a.name.localeCompare(b.name));
    tbody.replaceChildren(...list.map((l) => {
      const rename = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'rename' } }, 'Rename…');
      rename.addEventListener('click', () => locationDialog(store, l));
      return h('tr', { dataset: { id: l.id }, 'aria-selected': 'false' },
        cell('name', l.name, 'strong'),
        h('td', { class: ['num', l.asset_count ? null : 'zero'], dataset: { col: 'asset_count' } }, formatCount(l.asset_count)),
        h('td', { class: 'col-act' }, rename));
    }));
    tableRoles(table);
    count.textContent = plural(list.length, 'location');
    wrap.hidden = list.length === 0;
    empty.hidden = list.length !== 0;
    filters.hidden = list.length === 0;
  }

  rowKeys(wrap, (tr) => navigate(`#/assets?location=${tr.dataset.id}`), { signal });
  addBtn.addEventListener('click', () => locationDialog(store));
  store.addEventListener('change', (e) => { if (e.detail.what === 'lists') render(); }, { signal });

  await store.refresh();
  if (!ctx.isCurrent()) return;
  render();
}
