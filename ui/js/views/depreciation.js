// Depreciation in the window: the method editor (straight-line, declining balance, none), the
// dialogs that set an asset's own method or a category's default, and the Depreciation card
// of an asset's Details tab (method, net book value today, yearly schedule). Figures come
// from the core, already rounded; this module only shows them.

import { api } from '../api.js';
import { h } from '../dom.js';
import { DASH, formatDate, formatMoney } from '../format.js';
import { toast } from '../widgets.js';
import { field, formValue, noteField } from '../components/field.js';
import { openDialog } from '../components/dialog.js';

const METHODS = [
  { value: 'straight_line', label: 'Straight-line' },
  { value: 'declining', label: 'Declining' },
  { value: 'none', label: 'None' },
];

/** "Straight-line over 36 months to £0.00" from a MethodView, with the register's currency. */
export function methodText(m, currency) {
  if (!m) return DASH;
  if (m.method === 'straight_line') {
    const years = m.life_months % 12 === 0 ? ` (${m.life_months / 12} ${m.life_months === 12 ? 'year' : 'years'})` : '';
    return `Straight-line over ${m.life_months} months${years} to ${formatMoney(m.residual ?? '0', currency)}`;
  }
  if (m.method === 'declining') return `Declining balance at ${m.rate_percent}% a year`;
  return 'Not depreciated';
}

/**
 * The method choice and its parameters. `choices` may start with an extra option (the
 * category default). Returns {el, choice(), input()} where input() is what the core parses.
 */
function methodEditor(initial, { extra = null } = {}) {
  const options = extra ? [extra, ...METHODS] : METHODS;
  const current = initial?.choice ?? initial?.method ?? 'straight_line';
  const seg = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Method' },
    options.map((o) => h('label', { dataset: { choice: o.value } },
      h('input', { type: 'radio', name: 'method', value: o.value, checked: o.value === current }),
      h('span', null, o.label))));
  const life = h('input', { name: 'life_months', inputmode: 'numeric', class: 'num input-short', autocomplete: 'off', value: initial?.life_months ? String(initial.life_months) : '36' });
  const residual = h('input', { name: 'residual', inputmode: 'decimal', class: 'num input-short', autocomplete: 'off', placeholder: '0.00', value: initial?.residual && initial.residual !== '0.00' ? initial.residual : '' });
  const rate = h('input', { name: 'rate', inputmode: 'decimal', class: 'num input-short', autocomplete: 'off', value: initial?.rate_percent ?? '25' });
  const straight = h('div', { class: 'dep-params' },
    field('Life in months', life, { hint: '36 = three years' }),
    field('Residual value', residual, { hint: 'What it is worth at the end (blank = 0)' }));
  const declining = h('div', { class: 'dep-params' },
    field('Yearly rate (%)', rate, { hint: 'Applied to the remaining value once a year' }));
  const extraNote = extra?.note ? h('p', { class: 'dialog-note' }, extra.note) : null;
  const noneNote = h('p', { class: 'dialog-note' }, 'Book value stays at the purchase cost.');
  const choice = () => seg.querySelector('input[name="method"]:checked')?.value ?? 'none';
  const sync = () => {
    const c = choice();
    straight.hidden = c !== 'straight_line';
    declining.hidden = c !== 'declining';
    noneNote.hidden = c !== 'none';
    if (extraNote) extraNote.hidden = c !== extra.value;
  };
  seg.addEventListener('change', sync);
  sync();
  const input = () => ({ method: choice(), life_months: life.value.trim(), residual: residual.value.trim(), rate: rate.value.trim().replace(/%$/, '') });
  return { el: [seg, extraNote, straight, declining, noneNote], choice, input };
}

/** Sets an asset's own method or returns it to its category's default. Resolves with the new state. */
export function assetDepreciationDialog(asset, dep, currency) {
  const cat = dep.category ? `${dep.category} default` : 'No category';
  const editor = methodEditor(
    dep.own_method ? { ...dep.own_method, choice: dep.own_method.method } : { ...dep.category_method, choice: 'inherit' },
    { extra: { value: 'inherit', label: dep.category ? 'Category' : 'Default', note: `${cat}: ${methodText(dep.category_method, currency)}.` } },
  );
  return openDialog({
    name: 'depreciation',
    title: `Depreciation of ${asset.asset_tag}`,
    intro: 'Use the category’s default, or give this asset its own method (for example a shorter life for a laptop that is worked hard).',
    body: [...editor.el, noteField()],
    confirmLabel: 'Save',
    initialFocus: 'input[name="method"]:checked',
    onConfirm: async (form) => {
      const method = editor.choice() === 'inherit' ? null : editor.input();
      const note = formValue(form, 'note');
      const updated = await api.setAssetDepreciation(asset, method, note);
      toast(`${asset.asset_tag}: ${updated.own_method ? 'own depreciation saved' : `follows the ${dep.category ?? 'default'} again`}`);
      return updated;
    },
  });
}

/** Sets a category's default. Resolves with the categories' new list. */
export function categoryDepreciationDialog(cat, currency) {
  const editor = methodEditor(cat.method);
  const others = cat.overrides ? ` ${cat.overrides} of them ${cat.overrides === 1 ? 'has' : 'have'} a method of ${cat.overrides === 1 ? 'its' : 'their'} own and ${cat.overrides === 1 ? 'keeps it' : 'keep it'}.` : '';
  return openDialog({
    name: 'category-depreciation',
    title: `Depreciation of ${cat.name}`,
    intro: `The default for the ${cat.asset_count} asset${cat.asset_count === 1 ? '' : 's'} in this category.${others} Now: ${methodText(cat.method, currency)}.`,
    body: editor.el,
    confirmLabel: 'Save default',
    initialFocus: 'input[name="method"]:checked',
    onConfirm: async () => {
      const list = await api.setCategoryDepreciation(cat.name, editor.input());
      toast(`${cat.name}: default depreciation saved`);
      return list;
    },
  });
}

/**
 * The Depreciation card of an asset's Details tab. `getAsset()` gives the current asset;
 * `onChange()` runs after the method changed (History is stale then). Returns {el, load()}.
 */
export function depreciationCard({ getAsset, currency, isCurrent, onChange }) {
  const change = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'change-depreciation' } }, 'Change…');
  const body = h('div', { class: 'dep-body' });
  const el = h('section', { class: 'card dep-card', dataset: { depreciation: true }, 'aria-label': 'Depreciation' },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Depreciation'), change),
    body);
  let dep = null;

  change.addEventListener('click', async () => {
    if (!dep) return;
    const updated = await assetDepreciationDialog(getAsset(), dep, currency);
    if (!updated || !isCurrent()) return;
    dep = updated;
    render();
    onChange?.(dep);
  });

  function render() {
    const a = getAsset();
    change.hidden = Boolean(a.archived);
    const whose = dep.own_method
      ? h('span', { class: 'dep-source dep-own', dataset: { depSource: 'own' } }, 'This asset’s own')
      : h('span', { class: 'dep-source', dataset: { depSource: 'category' } }, dep.category ? `${dep.category} default` : 'No category');
    const method = h('p', { class: 'dep-method', dataset: { depMethod: true } }, h('strong', null, methodText(dep.effective, currency)), whose);
    const figures = h('dl', { class: 'dep-figures' });
    const fig = (label, value, attrs = {}) => figures.append(h('div', { class: 'dep-figure', ...attrs }, h('dt', null, label), h('dd', { class: 'num' }, value)));
    let table = null;
    if (dep.missing.length) {
      const what = dep.missing.map((m) => (m === 'cost' ? 'a purchase cost' : 'a purchase date')).join(' and ');
      body.replaceChildren(method, h('p', { class: 'muted dep-missing', dataset: { depMissing: true } }, `Add ${what} above to see what it is worth.`));
      return;
    }
    fig('Cost', formatMoney(dep.cost, currency));
    if (dep.book_value !== null) {
      fig('Book value today', formatMoney(dep.book_value, currency), { dataset: { bookValue: dep.book_value } });
      fig('Depreciated so far', formatMoney(dep.depreciated, currency));
    } else {
      fig('Book value today', `Bought ${formatDate(dep.purchase_date)}`);
    }
    if (dep.schedule.length) {
      const today = dep.as_of;
      let marked = false;
      const rows = dep.schedule.map((r) => {
        const current = !marked && r.year_end > today;
        if (current) marked = true;
        return h('tr', { class: current ? 'dep-current' : null, dataset: { year: r.year }, 'aria-current': current ? 'true' : null },
          h('td', { class: 'num' }, String(r.year)),
          h('td', { class: 'num' }, formatDate(r.year_end)),
          h('td', { class: 'num', dataset: { col: 'depreciation' } }, formatMoney(r.depreciation, currency)),
          h('td', { class: 'num', dataset: { col: 'book_value' } }, formatMoney(r.book_value, currency)));
      });
      table = h('div', { class: 'table-wrap dep-table-wrap' },
        h('table', { class: 'data-table dep-table', dataset: { schedule: true } },
          h('colgroup', null, h('col', { class: 'col-year' }), h('col'), h('col'), h('col')),
          h('thead', null, h('tr', null,
            h('th', { scope: 'col', class: 'num' }, 'Year'),
            h('th', { scope: 'col', class: 'num' }, 'Year ends'),
            h('th', { scope: 'col', class: 'num' }, 'Depreciation'),
            h('th', { scope: 'col', class: 'num' }, 'Book value at year end'))),
          h('tbody', null, rows)));
    }
    const foot = dep.schedule_continues
      ? h('p', { class: 'dep-note muted' }, `…and so on: declining balance never quite reaches zero.`)
      : dep.schedule.length ? null : h('p', { class: 'dep-note muted' }, 'Not depreciated: its book value stays at its cost.');
    // Only the parts there are: replaceChildren would print a null as the text "null".
    body.replaceChildren(...[method, figures, table, foot].filter(Boolean));
  }

  async function load() {
    dep = await api.getAssetDepreciation(getAsset().id);
    if (!isCurrent()) return;
    render();
  }
  return { el, load, get state() { return dep; } };
}
