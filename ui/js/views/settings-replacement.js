// Settings → Replacement planning: how long each category's assets last before they are
// replaced, what a replacement costs today, and the yearly inflation added to those costs. The
// Renewals view forecasts replacements from these; every change is in the history.

import { api } from '../api.js';
import { h } from '../dom.js';
import { formatCount } from '../format.js';
import { toast } from '../widgets.js';
import { clearFieldErrors, field, showFieldError, watchForm } from '../components/field.js';

/** Months as years for the input: 48 → "4", 30 → "2.5". */
const yearsText = (months) => (months ? String(Math.round((months / 12) * 100) / 100) : '');

/** A typed number of years as months, `null` when blank; throws a message when not a life. */
function monthsOf(value) {
  const t = value.trim().replace(',', '.');
  if (!t) return null;
  const years = Number(t);
  const months = Math.round(years * 12);
  if (!Number.isFinite(years) || months < 1 || months > 600) throw new Error('Give the life in years, from 0.1 to 50');
  return months;
}

/** The card, and `load()` to fill it. Leaving the page with changes typed in it asks first. */
export function replacementCard(store, ctx) {
  const inflation = h('input', { name: 'inflation_percent', class: 'input-short num', inputmode: 'decimal', autocomplete: 'off' });
  const rows = h('tbody', { dataset: { replacementRows: true } });
  const form = h('form', { class: 'settings-form replacement-form', novalidate: true, dataset: { replacementPlan: true } },
    field('Inflation (% a year)', inflation, { hint: 'Added to replacement costs for every whole year ahead; 0 for none.' }),
    h('div', { class: 'table-wrap' }, h('table', { class: 'data-table replacement-table' },
      h('thead', null, h('tr', null,
        h('th', { scope: 'col' }, 'Category'),
        h('th', { scope: 'col', class: 'num' }, 'Assets'),
        h('th', { scope: 'col' }, 'Life (years)'),
        h('th', { scope: 'col' }, 'Replace with'))),
      rows)),
    h('p', { class: 'field-error', role: 'alert', hidden: true, dataset: { formError: true } }),
    h('div', { class: 'form-actions' }, h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save-replacement' } }, 'Save plan')));
  const el = h('section', { class: 'card settings-card', id: 'replacement', dataset: { settingsSection: 'replacement' } },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Replacement planning')),
    h('p', { class: 'muted card-intro' }, 'An asset is due for replacement at its purchase date plus its life. Without a life here, a category’s straight-line depreciation life is used. A replacement costs the replace-with price (today’s price), or else what the asset cost.'),
    form);

  let plan = null;
  const render = () => {
    inflation.value = plan.inflation_percent === '0' ? '' : plan.inflation_percent;
    inflation.placeholder = '0';
    if (!plan.categories.length) {
      rows.replaceChildren(h('tr', null, h('td', { colspan: 4, class: 'muted' }, 'No categories yet: they are made when an asset is given one.')));
      return;
    }
    rows.replaceChildren(...plan.categories.map((c) => {
      const life = h('input', { name: `life-${c.id}`, class: 'input-short num', inputmode: 'decimal', autocomplete: 'off', value: yearsText(c.life_months),
        placeholder: c.depreciation_months ? `${yearsText(c.depreciation_months)} (depreciation)` : 'not set', 'aria-label': `${c.name}: life in years` });
      const price = h('input', { name: `price-${c.id}`, class: 'input-short num', inputmode: 'decimal', autocomplete: 'off', value: c.replace_with ?? '',
        placeholder: 'purchase cost', 'aria-label': `${c.name}: replace with` });
      return h('tr', { dataset: { category: c.name } },
        h('td', { class: 'clip strong', title: c.name }, h('span', null, c.name)),
        h('td', { class: 'num' }, formatCount(c.asset_count)),
        h('td', null, life, h('span', { class: 'field-error', dataset: { errorFor: `life-${c.id}` }, hidden: true, role: 'alert' })),
        h('td', null, price, h('span', { class: 'field-error', dataset: { errorFor: `price-${c.id}` }, hidden: true, role: 'alert' })));
    }));
  };

  let guard = null;
  /** Saves what changed; resolves to whether everything was saved. */
  async function save() {
    clearFieldErrors(form);
    const changes = [];
    for (const c of plan.categories) {
      const lifeInput = form.querySelector(`[name="life-${c.id}"]`);
      const priceInput = form.querySelector(`[name="price-${c.id}"]`);
      let months;
      try {
        months = monthsOf(lifeInput.value);
      } catch (err) {
        showFieldError(form, { message: err.message, field: `life-${c.id}` });
        return false;
      }
      const price = priceInput.value.trim();
      if (months !== (c.life_months ?? null) || price !== (c.replace_with ?? '')) changes.push({ c, months, price });
    }
    const percent = inflation.value.trim() || '0';
    let saved = 0;
    try {
      if (percent !== plan.inflation_percent) {
        plan = await api.setReplacementInflation(percent);
        saved++;
      }
      for (const { c, months, price } of changes) {
        try {
          plan = await api.setCategoryReplacement(c.name, months, price || null);
          saved++;
        } catch (err) {
          showFieldError(form, { message: err.message, field: err.field === 'replace_with' ? `price-${c.id}` : `life-${c.id}` });
          return false;
        }
      }
    } catch (err) {
      showFieldError(form, { message: err.message, field: err.field === 'inflation_percent' ? 'inflation_percent' : null });
      return false;
    } finally {
      if (saved) store.changed();
    }
    render();
    guard?.markClean();
    toast(saved ? 'Replacement plan saved' : 'Nothing to save: the plan is as shown');
    return true;
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });

  return {
    el,
    async load() {
      plan = await api.getReplacementPlan();
      render();
      guard = ctx.guardLeave(watchForm(form, { what: 'the replacement plan', save }));
    },
  };
}
