// `#/value`: what the register is worth as of a date (today by default; past or future):
// cost and net book value in total, by category (with each category's depreciation default,
// editable here) and by status. Every figure comes from the core, exact to the penny.

import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { DASH, formatCount, formatDate, formatMoney, isoDate, plural } from '../format.js';
import { STATUSES, pill } from '../statuses.js';
import { categoryDepreciationDialog, methodText } from './depreciation.js';
import { field, formValue } from '../components/field.js';
import { dateEcho } from '../components/date-echo.js';
import { openDialog } from '../components/dialog.js';
import { toast } from '../widgets.js';

/** Minor units of a decimal string, for a difference shown in the window ("1200.00" → 120000). */
const minor = (s) => {
  const [w, f = ''] = String(s ?? '0').replace('-', '').split('.');
  const v = Number(w) * 100 + Number((f + '00').slice(0, 2));
  return String(s ?? '').startsWith('-') ? -v : v;
};
const decimal = (m) => `${m < 0 ? '-' : ''}${Math.floor(Math.abs(m) / 100)}.${String(Math.abs(m) % 100).padStart(2, '0')}`;

export async function mountValue(root, ctx) {
  const { store } = ctx;
  await store.lists().catch(() => {});
  if (!ctx.isCurrent()) return;
  const currency = store.currency;
  const today = isoDate();
  let asOf = /^\d{4}-\d{2}-\d{2}$/.test(ctx.query.get('as_of') ?? '') ? ctx.query.get('as_of') : today;

  // --- header: the date and quick choices ----------------------------------------------------
  const date = h('input', { type: 'date', class: 'value-date', dataset: { valueDate: true }, 'aria-label': 'As of', value: asOf });
  const year = new Date().getFullYear();
  const quick = [
    ['Today', today],
    [`End of ${year - 1}`, `${year - 1}-12-31`],
    [`End of ${year}`, `${year}-12-31`],
  ].map(([label, d]) => {
    const b = h('button', { type: 'button', class: 'btn btn-small', dataset: { asOf: d } }, label);
    b.addEventListener('click', () => { date.value = d; choose(d); });
    return b;
  });
  const header = h('header', { class: 'view-head' },
    h('div', { class: 'view-title' },
      h('a', { href: '#/home', class: 'back-link' }, icon('back'), 'Home'),
      h('h1', null, 'Value'),
      h('p', { class: 'view-sub' }, 'Purchase cost and net book value of the register, as of any date')),
    h('div', { class: 'view-actions' }, h('label', { class: 'value-date-label' }, h('span', null, 'As of'), date, dateEcho(date)), ...quick));

  const stats = h('div', { class: 'value-stats' });
  const catBody = h('tbody');
  const statusBody = h('tbody');
  const catFoot = h('tfoot');
  const money = (v) => h('td', { class: 'num money' }, v === null ? DASH : formatMoney(v, currency));
  const countCell = (n) => h('td', { class: ['num', n ? null : 'zero'] }, formatCount(n));
  const catTable = h('table', { class: 'data-table value-table value-cat-table', dataset: { valueByCategory: true } },
    h('colgroup', null, h('col', { class: 'col-vname' }), h('col'), h('col', { class: 'col-vcount' }), h('col', { class: 'col-vmoney' }), h('col', { class: 'col-vmoney' })),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Category'),
      h('th', { scope: 'col' }, 'Depreciation default'),
      h('th', { scope: 'col', class: 'num' }, 'Assets'),
      h('th', { scope: 'col', class: 'num' }, 'Cost'),
      h('th', { scope: 'col', class: 'num' }, 'Book value'))),
    catBody, catFoot);
  const statusTable = h('table', { class: 'data-table value-table', dataset: { valueByStatus: true } },
    h('colgroup', null, h('col', { class: 'col-vname' }), h('col', { class: 'col-vcount' }), h('col', { class: 'col-vmoney' }), h('col', { class: 'col-vmoney' })),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Status'),
      h('th', { scope: 'col', class: 'num' }, 'Assets'),
      h('th', { scope: 'col', class: 'num' }, 'Cost'),
      h('th', { scope: 'col', class: 'num' }, 'Book value'))),
    statusBody);
  const notes = h('div', { class: 'value-notes muted', dataset: { valueNotes: true } });
  const card = (title, sub, ...content) => h('section', { class: 'card value-card' },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, title), sub ? h('span', { class: 'card-sub' }, sub) : null), ...content);

  // Categories with assets and no depreciation: said plainly, with the one-step setup.
  const unsetNote = h('div', { class: 'banner banner-warn value-unset', dataset: { depreciationUnset: true }, hidden: true });
  root.replaceChildren(header, unsetNote, stats,
    card('By category', 'Set each category’s default here; an asset can have its own on its page.', h('div', { class: 'table-wrap table-wrap-inline' }, catTable)),
    card('By status', 'Retired and Lost/Stolen assets stay on the books until archived.', h('div', { class: 'table-wrap table-wrap-inline' }, statusTable)),
    notes);

  let seq = 0;
  async function load() {
    const mine = ++seq;
    const [v, cats] = await Promise.all([api.getValuation(asOf), api.listCategoryDepreciation()]);
    if (mine !== seq || !ctx.isCurrent()) return;
    render(v, cats);
  }

  function choose(d) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return;
    asOf = d;
    ctx.setQuery({ as_of: d === today ? '' : d });
    load().catch((e) => notes.replaceChildren(h('p', { class: 'form-error' }, e.message)));
  }
  date.addEventListener('change', () => choose(date.value || today));

  function render(v, cats) {
    for (const b of quick) b.setAttribute('aria-pressed', String(b.dataset.asOf === asOf));
    const t = v.total;
    const depreciated = decimal(minor(t.cost) - minor(t.book_value));
    const stat = (label, value, key, sub) => h('div', { class: ['stat', key === 'book_value' ? 'stat-total' : null], dataset: { valueStat: key } },
      h('span', { class: 'stat-label' }, label),
      h('span', { class: 'stat-count num' }, value),
      sub ? h('span', { class: 'stat-value' }, sub) : null);
    const when = asOf === today ? 'today' : `on ${formatDate(asOf)}`;
    stats.replaceChildren(
      stat('Net book value', formatMoney(t.book_value, currency), 'book_value', `what the register is worth ${when}`),
      stat('Purchase cost', formatMoney(t.cost, currency), 'cost', `of ${plural(t.count, 'asset')} owned ${when}`),
      stat('Depreciated', formatMoney(depreciated, currency), 'depreciated', minor(t.cost) ? `${((minor(depreciated) / minor(t.cost)) * 100).toFixed(1)}% of cost` : null));

    // Categories: every category (with its default), then the uncategorised.
    const byName = new Map(Object.entries(v.by_category));
    const rows = cats.map((c) => {
      const tot = byName.get(c.name);
      byName.delete(c.name);
      const edit = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'edit-default' } }, 'Change…');
      edit.addEventListener('click', async () => {
        const list = await categoryDepreciationDialog(c, currency);
        if (list && ctx.isCurrent()) load();
      });
      const overrides = c.overrides ? h('span', { class: 'fact-note' }, `${plural(c.overrides, 'asset')} with ${c.overrides === 1 ? 'its' : 'their'} own`) : null;
      return h('tr', { dataset: { category: c.name } },
        h('td', { class: 'strong clip', title: c.name }, h('span', null, c.name)),
        h('td', { class: 'value-method' }, h('span', { class: 'value-method-row' }, h('span', { class: 'trunc', dataset: { method: c.method.method } }, h('span', null, methodText(c.method, currency))), edit), overrides),
        countCell(tot?.count ?? 0),
        money(tot?.cost ?? null),
        money(tot?.book_value ?? null));
    });
    for (const [name, tot] of byName) {
      rows.push(h('tr', { dataset: { category: name }, class: 'row-muted' },
        h('td', null, name === '(none)' ? 'No category' : name),
        h('td', null, 'Not depreciated'),
        countCell(tot.count), money(tot.cost), money(tot.book_value)));
    }
    catBody.replaceChildren(...rows);
    catFoot.replaceChildren(h('tr', { class: 'value-total', dataset: { valueTotal: true } },
      h('th', { scope: 'row' }, 'Total'), h('td'), countCell(t.count), money(t.cost), money(t.book_value)));
    if (!rows.length) catBody.replaceChildren(h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'No categories yet: give assets a category (Laptop, Phone, Monitor…) to set how each kind depreciates.')));

    statusBody.replaceChildren(...STATUSES.map((s) => {
      const tot = v.by_status[s.value];
      return h('tr', { dataset: { status: s.value }, class: tot ? null : 'row-muted' },
        h('td', null, pill(s.value)), countCell(tot?.count ?? 0), money(tot?.cost ?? null), money(tot?.book_value ?? null));
    }));

    const left = [];
    if (v.without_cost_or_date) left.push(`${plural(v.without_cost_or_date, 'asset')} without a purchase cost or date ${v.without_cost_or_date === 1 ? 'is' : 'are'} not counted.`);
    if (v.bought_later) left.push(`${plural(v.bought_later, 'asset')} bought after ${formatDate(asOf)} ${v.bought_later === 1 ? 'is' : 'are'} not counted.`);
    renderUnset(cats);
    notes.replaceChildren(
      ...left.map((l) => h('p', null, l)),
      h('p', null, 'Figures are exact to the penny: straight-line depreciation counts whole months since purchase and rounds half up; declining balance applies its rate once per whole year owned, rounding half up each year.'));
  }

  /** "No depreciation is set up for …", and Set up depreciation… when a category needs it. */
  function renderUnset(cats) {
    const unset = unsetCategories(cats);
    unsetNote.hidden = !unset.length;
    if (!unset.length) return;
    const n = unset.reduce((sum, c) => sum + c.asset_count - c.overrides, 0);
    const setup = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'setup-depreciation' } }, 'Set up depreciation…');
    setup.addEventListener('click', async () => {
      if (await setupDepreciationDialog(unset, store) && ctx.isCurrent()) load();
    });
    unsetNote.replaceChildren(
      h('span', null, `No depreciation is set up for ${unset.map((c) => c.name).join(', ')}: the book value of ${plural(n, 'asset')} is shown at cost, not at what ${n === 1 ? 'it is' : 'they are'} worth now. `),
      setup);
  }

  await load();
}

/** Categories with assets that follow a default of "none" (nothing depreciates them). */
export function unsetCategories(cats) {
  return cats.filter((c) => c.method.method === 'none' && c.asset_count > c.overrides);
}

/** The usual straight-line life of a kind of equipment, in months, from its category's name. */
function usualLife(name) {
  const n = name.toLowerCase();
  const rules = [[/phone|mobile/, 24], [/laptop|notebook|tablet|ipad|macbook/, 36], [/desktop|pc|workstation|computer/, 48],
    [/monitor|display|screen|tv|projector|printer|server|network|switch|router|firewall|furniture/, 60]];
  return rules.find(([re]) => re.test(n))?.[1] ?? 48;
}

/**
 * Sets straight-line defaults for `unset` categories in one step: one field per category with
 * its usual life, editable. Resolves to the categories' new list, or undefined.
 */
function setupDepreciationDialog(unset, store) {
  const rows = unset.map((c) => h('div', { class: 'setup-dep-row', dataset: { setupCategory: c.name } },
    field(`${c.name} (${plural(c.asset_count - c.overrides, 'asset')})`,
      h('input', { name: `life:${c.name}`, inputmode: 'numeric', class: 'num input-short', autocomplete: 'off', value: String(usualLife(c.name)) }),
      { hint: 'months, straight-line to nothing' })));
  return openDialog({
    name: 'setup-depreciation',
    title: 'Set up depreciation',
    intro: 'Each category loses value evenly over its life. These are the usual lives; change any, then save them all at once. Every change is recorded.',
    body: rows,
    confirmLabel: 'Save all',
    onConfirm: async (form, showError) => {
      const methods = [];
      for (const c of unset) {
        const life = formValue(form, `life:${c.name}`);
        if (!/^\d+$/.test(life) || Number(life) < 1) {
          showError(`Enter a life in whole months for ${c.name}.`, `life:${c.name}`);
          return false;
        }
        methods.push([c.name, { method: 'straight_line', life_months: life, residual: '', rate: '' }]);
      }
      const list = await api.setCategoryDepreciations(methods);
      store.changed();
      toast(`Depreciation set up for ${plural(methods.length, 'category', 'categories')}`);
      return list;
    },
  });
}
