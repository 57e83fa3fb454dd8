// The asset form (used by New asset and by the Details tab) and the New asset view.

import { api, ApiError } from '../api.js';
import { h, icon } from '../dom.js';
import { currencySymbol } from '../format.js';
import { suggest, toast } from '../widgets.js';
import { clearFieldError, clearFieldErrors, field, openAssetButton, showFieldError, showIncompleteDates } from '../components/field.js';

export const ASSET_FIELDS = [
  'asset_tag', 'name', 'category', 'make', 'model', 'serial_number',
  'purchase_date', 'purchase_cost', 'supplier', 'warranty_expires', 'notes',
];

/**
 * Builds `form[data-asset-form]`. `onSubmit(values)` returns a promise; ApiErrors are shown next
 * to their field. Returns {form, values(), setValues(asset), isDirty(), markClean(), submit()}:
 * `submit()` saves as the Save button does and resolves to whether it saved.
 */
export function assetForm({ asset = null, tag = '', categories = [], currency = 'GBP', saveLabel = 'Save', onSubmit, onCancel, navigate }) {
  const input = (name, attrs = {}) => h('input', { name, autocomplete: 'off', spellcheck: 'false', ...attrs });
  const costInput = input('purchase_cost', { inputmode: 'decimal', placeholder: '0.00', class: 'num' });
  const costField = field('Purchase cost', costInput);
  const cost = h('div', { class: 'input-affix' }, h('span', { class: 'affix', 'aria-hidden': 'true' }, currencySymbol(currency)));
  costField.replaceChild(cost, costInput);
  cost.appendChild(costInput);

  const formError = h('div', { class: 'form-error', dataset: { formError: true }, role: 'alert', hidden: true });
  const dirtyNote = h('span', { class: 'dirty-note', hidden: true }, 'Unsaved changes');
  const save = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save' } }, saveLabel);
  const cancel = onCancel ? h('button', { type: 'button', class: 'btn', dataset: { action: 'cancel' }, onclick: onCancel }, asset ? 'Revert' : 'Cancel') : null;

  const section = (title, ...children) => h('section', { class: 'form-section' }, h('h3', { class: 'form-section-title' }, title), ...children);
  const form = h('form', { class: 'asset-form', dataset: { assetForm: true, savable: true }, novalidate: true },
    section('Item',
      h('div', { class: 'form-grid' },
        field('Asset tag', input('asset_tag', { class: 'mono', required: true, dataset: { scanHere: true } })),
        field('Name', input('name', { required: true, placeholder: 'e.g. Dell Latitude 5440' }), { wide: true }),
        field('Category', input('category', { placeholder: 'e.g. Laptop' })),
        field('Make', input('make', { placeholder: 'e.g. Dell' })),
        field('Model', input('model', { placeholder: 'e.g. Latitude 5440' })),
        field('Serial number', input('serial_number', { class: 'mono' })),
      )),
    section('Purchase & warranty',
      h('div', { class: 'form-grid' },
        field('Purchase date', input('purchase_date', { type: 'date' })),
        costField,
        field('Warranty expires', input('warranty_expires', { type: 'date' })),
        field('Supplier', input('supplier', { placeholder: 'e.g. Insight UK' })),
      )),
    section('Notes',
      field('Notes', h('textarea', { name: 'notes', rows: 3, placeholder: 'Anything worth knowing: accessories, licence keys kept elsewhere, quirks…' }), { wide: true })),
    formError,
    h('div', { class: 'form-actions' }, save, cancel, dirtyNote,
      h('span', { class: 'shortcut-hint' }, h('kbd', null, navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl'), h('kbd', null, 'S'), ' to save')),
  );
  // Notes has its own section heading; its field label is for screen readers only.
  form.querySelector('[name="notes"]').closest('.field').querySelector('.field-label').classList.add('sr-only');

  suggest(form.querySelector('[name="category"]'), () => categories.map((c) => c.name));

  let original = {};
  const values = () => Object.fromEntries(ASSET_FIELDS.map((f) => [f, form.querySelector(`[name="${f}"]`).value.trim()]));
  const setValues = (a) => {
    for (const f of ASSET_FIELDS) form.querySelector(`[name="${f}"]`).value = a?.[f] ?? '';
    original = values();
    updateDirty();
  };
  // A half-typed date reads as '' (unchanged) but is typed content all the same.
  const isDirty = () => ASSET_FIELDS.some((f) => values()[f] !== original[f])
    || [...form.querySelectorAll('input[type="date"]')].some((el) => el.validity?.badInput);
  const markClean = () => {
    original = values();
    updateDirty();
  };
  const updateDirty = () => {
    if (asset) dirtyNote.hidden = !isDirty();
  };

  const clearErrors = () => clearFieldErrors(form);

  const showError = (err) => {
    const target = showFieldError(form, err);
    // "This serial number is already on IT-0001": offer to open the other asset.
    const other = err.kind === 'duplicate'
      ? (/\bon (\S+?)\.?$/.exec(err.message) ?? /tag (\S+) is already in use/i.exec(err.message))?.[1]
      : null;
    if (other && navigate && target) target.append(' — ', openAssetButton(other, navigate));
  };

  form.addEventListener('input', (e) => {
    clearFieldError(form, e.target);
    updateDirty();
  });

  async function submit() {
    if (save.disabled) return false;
    clearErrors();
    if (showIncompleteDates(form)) return false;
    save.disabled = true;
    try {
      await onSubmit(values());
      return true;
    } catch (err) {
      if (err instanceof ApiError) showError(err);
      else showError({ message: err?.message ?? String(err) });
      return false;
    } finally {
      save.disabled = false;
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });

  setValues(asset ?? { asset_tag: tag });
  return { form, values, setValues, isDirty, markClean, clearErrors, submit };
}

/** `#/assets/new` */
export async function mountAssetNew(root, ctx) {
  const { store, navigate } = ctx;
  const header = h('header', { class: 'view-head' },
    h('div', { class: 'view-title' },
      h('a', { href: '#/assets', class: 'back-link' }, icon('back'), 'Assets'),
      h('h1', null, 'New asset')));
  const body = h('div', { class: 'view-body view-body-form' });
  root.replaceChildren(header, body);

  // `?tag=` comes from a stocktake's "Add to register" for a label the register does not know.
  const [next] = await Promise.all([api.nextAssetTag().catch(() => ''), store.lists().catch(() => {})]);
  const tag = ctx.query.get('tag') || next;
  if (!ctx.isCurrent()) return;
  const f = assetForm({
    tag,
    categories: store.categories,
    currency: store.currency,
    saveLabel: 'Save asset',
    navigate,
    onCancel: () => history.length > 1 ? history.back() : navigate('#/assets'),
    onSubmit: async (values) => {
      const asset = await api.createAsset(values);
      store.changed();
      toast(`${asset.asset_tag} ${asset.name} added`);
      f.markClean(); // saved: going to its page asks nothing
      navigate(`#/assets/${asset.id}`);
    },
  });
  ctx.guardLeave({ what: 'the new asset', isDirty: f.isDirty, save: f.submit });
  body.replaceChildren(h('p', { class: 'form-intro muted' }, 'Only the tag and a name are needed now; the rest can be filled in later.'), f.form);
  f.form.querySelector(`[name="name"]`).focus();
}
