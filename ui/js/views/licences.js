// `#/licences`: licences and subscriptions (seats used of total, masked key, renewal, cost per
// period), and the add/edit dialog shared with a licence's page.

import { api, ApiError } from '../api.js';
import { h, cell, icon, tableRoles } from '../dom.js';
import { DASH, daysUntil, formatCount, formatDate, formatMoney, plural } from '../format.js';
import { rowKeys, toast } from '../widgets.js';
import { clearFieldErrors, field, formValue, showFieldError } from '../components/field.js';
import { openDialog } from '../components/dialog.js';

export const PERIODS = [
  { value: 'monthly', label: 'Monthly', per: 'month' },
  { value: 'yearly', label: 'Yearly', per: 'year' },
  { value: 'one_off', label: 'One-off', per: null },
];

export const COST_BASES = [
  { value: 'total', label: 'for the whole licence' },
  { value: 'per_seat', label: 'per seat' },
];

/**
 * "£12.00 / month", "£359.88 / year", "£90.00 one-off"; priced per seat, the seat price and
 * the whole licence's: "£10.30 per seat / month · £103.00 for 10 seats"; or an en dash.
 */
export function costText(l, currency) {
  if (!l.cost) return DASH;
  const p = PERIODS.find((x) => x.value === l.period);
  const per = p?.per ? ` / ${p.per}` : ' one-off';
  if (l.cost_basis !== 'per_seat') return `${formatMoney(l.cost, currency)}${per}`;
  const all = l.period_cost ? ` · ${formatMoney(l.period_cost, currency)} for ${plural(l.seats, 'seat')}` : '';
  return `${formatMoney(l.cost, currency)} per seat${per}${all}`;
}

/** The renewal date with "in N days" when it is near (or "Expired" for a past one-off). */
export function renewalText(l) {
  if (!l.renewal_date) return DASH;
  const d = daysUntil(l.renewal_date);
  const date = formatDate(l.renewal_date);
  if (d < 0) return l.period === 'one_off' ? `${date} · expired` : date;
  if (d <= 90) return `${date} · ${d === 0 ? 'today' : d === 1 ? 'tomorrow' : `in ${d} days`}`;
  return date;
}

const LICENCE_FIELDS = ['product', 'vendor', 'seats', 'renewal_date', 'cost', 'cost_basis', 'period', 'supplier', 'licence_key', 'notes'];

/**
 * Add (no `licence`) or edit a licence. Field errors show next to their field. Resolves to the
 * saved licence, or undefined when cancelled.
 */
export function licenceDialog(store, licence = null) {
  const editing = Boolean(licence);
  const input = (name, attrs = {}) => h('input', { name, autocomplete: 'off', ...attrs });
  const period = h('select', { name: 'period' }, PERIODS.map((p) => h('option', { value: p.value }, p.label)));
  period.value = 'yearly';
  const basis = h('select', { name: 'cost_basis' }, COST_BASES.map((b) => h('option', { value: b.value }, b.label)));
  basis.value = 'total';
  const key = h('input', { name: 'licence_key', autocomplete: 'off', spellcheck: 'false', class: 'mono', placeholder: editing && licence.key_hint ? `${licence.key_hint} (unchanged)` : 'Optional' });
  const body = [
    field('Product', input('product', { placeholder: 'e.g. Microsoft 365 Business Standard' }), { wide: true }),
    h('div', { class: 'dialog-row' },
      field('Vendor', input('vendor', { placeholder: 'e.g. Microsoft' })),
      field('Seats', input('seats', { inputmode: 'numeric', class: 'input-short' }), { hint: editing ? `${licence.seats_used} in use` : 'How many people can use it' })),
    h('div', { class: 'dialog-row' },
      field('Cost per period', input('cost', { inputmode: 'decimal', placeholder: '0.00' })),
      field('Priced', basis, { hint: 'Per seat: a renewal costs it times the seats.' }),
      field('Period', period),
      field('Renewal or expiry', input('renewal_date', { type: 'date' }))),
    h('div', { class: 'dialog-row' },
      field('Supplier', input('supplier', { placeholder: 'Who sold it' })),
      field('Licence key', key, { hint: editing ? 'Leave empty to keep the stored key.' : 'Stored; lists show only its last 4 characters.' })),
    field('Notes', h('textarea', { name: 'notes', rows: 2 }), { wide: true }),
  ];
  return openDialog({
    name: 'licence',
    title: editing ? `Edit ${licence.product}` : 'New licence',
    intro: editing ? null : 'A licence or subscription: its seats are given to people, and its renewals appear under Renewals.',
    body,
    confirmLabel: editing ? 'Save' : 'Add licence',
    initialFocus: 'input[name="product"]',
    onConfirm: async (form) => {
      clearFieldErrors(form);
      const values = Object.fromEntries(LICENCE_FIELDS.map((k) => [k, formValue(form, k)]));
      // The quick checks here; the core checks everything again.
      if (!values.product) { showFieldError(form, { field: 'product', message: 'A licence needs a product name.' }); return false; }
      if (!/^\d+$/.test(values.seats) || Number(values.seats) < 1) { showFieldError(form, { field: 'seats', message: 'Enter a whole number of seats, at least 1.' }); return false; }
      if (editing && !values.licence_key) delete values.licence_key; // keep the stored key
      try {
        const saved = editing ? await api.updateLicence(licence, values) : await api.createLicence(values);
        store.changed();
        toast(editing ? `${saved.product} saved` : `${saved.product} added`);
        return saved;
      } catch (err) {
        // Beside its field when it names one with a slot, else in the dialog's message.
        showFieldError(form, err instanceof ApiError ? err : { message: err.message });
        return false;
      }
    },
  });
}

/** Fills the dialog's fields from `licence` once it is open. */
export async function editLicence(store, licence) {
  const p = licenceDialog(store, licence);
  const form = document.querySelector('dialog[data-dialog="licence"] form');
  if (form) {
    for (const k of LICENCE_FIELDS) {
      const el = form.querySelector(`[name="${k}"]`);
      if (!el || k === 'licence_key') continue;
      el.value = k === 'seats' ? String(licence.seats) : licence[k] ?? '';
    }
    if (!licence.period) form.querySelector('[name="period"]').value = 'yearly';
    if (!licence.cost_basis) form.querySelector('[name="cost_basis"]').value = 'total';
  }
  return p;
}

export async function mountLicences(root, ctx) {
  const { store, signal, navigate } = ctx;
  const filter = h('input', { type: 'search', placeholder: 'Filter licences…', 'aria-label': 'Filter licences', autocomplete: 'off', dataset: { search: true, licenceFilter: true } });
  const addBtn = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'new-licence' } }, icon('plus'), 'New licence');
  const showArchived = h('input', { type: 'checkbox', dataset: { showArchived: true } });
  const count = h('span', { class: 'count' });
  const tbody = h('tbody');
  // Sortable columns: a click sorts by it, a second click reverses.
  const COLS = [
    { key: 'product', label: 'Product' },
    { key: 'vendor', label: 'Vendor' },
    { key: 'seats', label: 'Seats used', num: true },
    { key: null, label: 'Key' },
    { key: 'renewal', label: 'Renewal' },
    { key: 'cost', label: 'Cost', num: true },
  ];
  const sort = { key: ctx.query.get('sort') || 'product', desc: ctx.query.get('desc') === '1' };
  const headRow = h('tr', null, COLS.map((c) => (c.key
    ? h('th', { scope: 'col', dataset: { sort: c.key }, class: c.num ? 'num' : null },
      h('button', { type: 'button', class: ['th-btn', c.num && 'th-num'] }, h('span', null, c.label), h('span', { class: 'sort-arrow', 'aria-hidden': 'true' })))
    : h('th', { scope: 'col' }, c.label))));
  const table = h('table', { class: 'data-table grid-table licences-table', dataset: { licencesTable: true } },
    h('thead', null, headRow), tbody);
  const sortValue = {
    product: (l) => l.product.toLowerCase(),
    vendor: (l) => (l.vendor ?? '').toLowerCase(),
    seats: (l) => l.seats_used / l.seats,
    renewal: (l) => l.renewal_date ?? '9999',
    cost: (l) => Number(l.cost ?? -1),
  };
  if (!sortValue[sort.key]) sort.key = 'product';
  const compare = (a, b) => {
    const va = sortValue[sort.key](a);
    const vb = sortValue[sort.key](b);
    const c = va < vb ? -1 : va > vb ? 1 : a.product.localeCompare(b.product);
    return sort.desc ? -c : c;
  };
  headRow.addEventListener('click', (e) => {
    const th = e.target.closest('th[data-sort]');
    if (!th) return;
    if (sort.key === th.dataset.sort) sort.desc = !sort.desc;
    else Object.assign(sort, { key: th.dataset.sort, desc: false });
    ctx.setQuery({ sort: sort.key === 'product' ? '' : sort.key, desc: sort.desc ? '1' : '' });
    render();
  });
  const wrap = h('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': 'Licences' }, table);
  const empty = h('div', { class: 'empty-state', dataset: { empty: true }, hidden: true });

  root.replaceChildren(
    h('header', { class: 'view-head' },
      h('div', { class: 'view-title' }, h('h1', null, 'Licences'), h('p', { class: 'view-sub' }, 'Software licences and subscriptions, and who has a seat')),
      h('div', { class: 'view-actions' }, h('label', { class: 'search' }, icon('search'), filter), addBtn)),
    h('div', { class: 'filters' },
      h('label', { class: 'check' }, showArchived, h('span', null, 'Show archived licences')),
      h('span', { class: 'spacer' }), count),
    wrap, empty);

  let all = [];
  async function load() {
    all = await api.listLicences(showArchived.checked);
    if (!ctx.isCurrent()) return;
    render();
  }

  function render() {
    const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const list = all.filter((l) => words.every((w) => [l.product, l.vendor, l.supplier, l.notes].some((v) => v && v.toLowerCase().includes(w))))
      .sort(compare);
    for (const th of headRow.querySelectorAll('th[data-sort]')) {
      const on = th.dataset.sort === sort.key;
      th.classList.toggle('sorted', on);
      th.setAttribute('aria-sort', on ? (sort.desc ? 'descending' : 'ascending') : 'none');
      th.querySelector('.sort-arrow').textContent = on ? (sort.desc ? '↓' : '↑') : '';
    }
    tbody.replaceChildren(...list.map((l) => {
      const full = l.seats_used >= l.seats;
      const seats = h('td', { dataset: { col: 'seats' }, class: ['num', full && 'seats-full'], title: full ? 'Every seat is in use' : `${plural(l.seats - l.seats_used, 'seat')} free` },
        h('span', null, `${formatCount(l.seats_used)} / ${formatCount(l.seats)}`),
        h('span', { class: 'seat-bar', 'aria-hidden': 'true' }, h('span', { class: `seat-fill seat-fill-${Math.min(10, Math.round((l.seats_used / l.seats) * 10))}` })));
      const renewal = cell('renewal_date', l.renewal_date ? renewalText(l) : null, 'col-date');
      const d = daysUntil(l.renewal_date);
      if (d !== null && d >= 0 && d <= 30) renewal.classList.add('soon');
      if (d !== null && d < 0 && l.period === 'one_off') renewal.classList.add('expired');
      return h('tr', { dataset: { id: l.id }, class: l.archived ? 'row-muted' : null, 'aria-selected': 'false' },
        h('td', { dataset: { col: 'product' }, class: 'clip strong', title: l.product }, h('span', null, l.product),
          l.document_count ? h('span', { class: 'paperclip', title: `${plural(l.document_count, 'document')} attached` }, icon('paperclip'), h('span', { 'aria-hidden': 'true' }, formatCount(l.document_count))) : null,
          l.archived ? h('span', { class: 'state state-left inline-state' }, 'Archived') : null),
        cell('vendor', l.vendor),
        seats,
        cell('key_hint', l.key_hint, 'mono'),
        renewal,
        cell('cost', l.cost ? costText(l, store.currency) : null, 'num'));
    }));
    tableRoles(table);
    const live = all.filter((l) => !l.archived);
    const used = live.reduce((n, l) => n + l.seats_used, 0);
    const seats = live.reduce((n, l) => n + l.seats, 0);
    count.textContent = `${plural(live.length, 'licence')} · ${formatCount(used)} of ${plural(seats, 'seat')} in use`;
    const none = list.length === 0;
    wrap.hidden = none;
    empty.hidden = !none;
    if (none) {
      if (all.length === 0) {
        const add = h('button', { type: 'button', class: 'btn btn-primary' }, icon('plus'), 'New licence');
        add.addEventListener('click', () => addBtn.click());
        empty.replaceChildren(
          h('h2', null, 'No licences yet — record your first licence or subscription'),
          h('p', { class: 'muted' }, 'Note each product once with its seats, renewal date and cost; give seats to people, and see every renewal under Renewals.'),
          h('div', { class: 'empty-actions' }, add));
      } else {
        empty.replaceChildren(h('h2', null, 'Nothing matches'), h('p', { class: 'muted' }, 'Try another word, or show archived licences.'));
      }
    }
  }

  filter.addEventListener('input', render);
  showArchived.addEventListener('change', () => load());
  rowKeys(wrap, (tr) => navigate(`#/licences/${tr.dataset.id}`), { signal });
  addBtn.addEventListener('click', async () => {
    const saved = await licenceDialog(store);
    if (saved && ctx.isCurrent()) navigate(`#/licences/${saved.id}`);
  });

  await load();
  if (ctx.focusSearch) filter.focus();
}
