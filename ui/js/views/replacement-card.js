// An asset's replacement, on its page: when it is due and what replacing it will cost, where
// its life comes from (its own, its category's, a depreciation life), and Change… to give it a
// life of its own or make it follow its category again.

import { api } from '../api.js';
import { h } from '../dom.js';
import { formatDate, formatMoney, plural } from '../format.js';
import { toast } from '../widgets.js';
import { field, formValue, noteField } from '../components/field.js';
import { openDialog } from '../components/dialog.js';

const lifeText = (m) => (m % 12 === 0 ? plural(m / 12, 'year') : `${m} months`);
const FROM = { asset: 'This asset’s own life', category: 'Its category’s life', depreciation: 'Its depreciation life' };
const BASIS = { replace_with: 'at its category’s replace-with price', purchase_cost: 'at what it cost', unknown: 'with no cost known' };
const MISSING = {
  no_purchase_date: 'Add a purchase date above to see when it is due for replacement.',
  no_life: 'No replacement life: set one for its category in Settings → Replacement planning, or give this asset its own.',
  not_live: 'Retired, Lost/Stolen and archived assets are not planned for replacement.',
};

/** The card and `load()`; `onChange` runs after a change is saved. */
export function replacementCard({ getAsset, currency, isCurrent, onChange }) {
  const change = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'change-replacement' } }, 'Change…');
  const body = h('div', { class: 'dep-body' });
  const el = h('section', { class: 'card dep-card', dataset: { replacement: true }, 'aria-label': 'Replacement' },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Replacement'), change),
    body);
  let state = null;

  change.addEventListener('click', async () => {
    const asset = getAsset();
    const own = state?.own_life_months;
    const years = h('input', { name: 'life_years', class: 'input-short num', inputmode: 'decimal', autocomplete: 'off',
      value: own ? String(Math.round((own / 12) * 100) / 100) : '', placeholder: 'its category’s' });
    const saved = await openDialog({
      name: 'replacement-life',
      title: `Replacement life of ${asset.asset_tag}`,
      intro: 'How long this asset stays in use before it is replaced, counted from its purchase date. Leave it empty to follow its category’s life.',
      body: [field('Life (years)', years, { hint: 'e.g. 4, or 2.5' }), noteField()],
      confirmLabel: 'Save',
      onConfirm: async (form, showError) => {
        const t = years.value.trim().replace(',', '.');
        let months = null;
        if (t) {
          months = Math.round(Number(t) * 12);
          if (!Number.isFinite(Number(t)) || months < 1 || months > 600) {
            showError('Give the life in years, from 0.1 to 50, or leave it empty', 'life_years');
            return false;
          }
        }
        await api.setAssetReplacementLife(asset, months, formValue(form, 'note'));
        toast(`${asset.asset_tag}: ${months ? `replaced after ${lifeText(months)}` : 'follows its category’s life again'}`);
        return true;
      },
    });
    if (!saved || !isCurrent()) return;
    await load();
    onChange?.();
  });

  function render() {
    change.hidden = Boolean(getAsset().archived);
    const p = state.planned;
    if (!p) {
      body.replaceChildren(h('p', { class: 'muted', dataset: { replacementMissing: state.missing } }, MISSING[state.missing] ?? ''));
      return;
    }
    const overdue = p.due < new Date().toISOString().slice(0, 10);
    body.replaceChildren(
      h('p', { class: 'dep-method' },
        h('strong', { dataset: { replacementDue: p.due } }, overdue ? `Overdue since ${formatDate(p.due)}` : `Due ${formatDate(p.due)}`),
        h('span', { class: ['dep-source', p.life_source === 'asset' && 'dep-own'] }, `${FROM[p.life_source] ?? ''}: ${lifeText(p.life_months)}`)),
      h('p', { class: 'muted' },
        p.cost ? `Replacing it: ${formatMoney(p.cost, currency)} ${BASIS[p.basis] ?? ''}${p.inflated ? ', with inflation' : ''}.` : 'No cost is known for replacing it.'));
  }

  async function load() {
    state = await api.getAssetReplacement(getAsset().id);
    if (isCurrent()) render();
  }

  return { el, load };
}
