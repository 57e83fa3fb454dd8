// The Columns step of the import wizard (import.js): which field each column of the file fills,
// auto-mapped or remembered by the core, with sample values; two columns for one field, or no
// tag or name, are refused before the review.

import { h, icon } from '../dom.js';

const FIELDS = [
  ['asset_tag', 'Asset tag'],
  ['name', 'Name'],
  ['category', 'Category'],
  ['make', 'Make'],
  ['model', 'Model'],
  ['serial_number', 'Serial number'],
  ['purchase_date', 'Purchase date'],
  ['purchase_cost', 'Purchase cost'],
  ['supplier', 'Supplier'],
  ['warranty_expires', 'Warranty expires'],
  ['notes', 'Notes'],
  ['status', 'Status'],
  ['assigned_to', 'Assigned to (person)'],
  ['location', 'Location'],
  ['ignore', 'Don’t import'],
];
const fieldLabel = (f) => FIELDS.find(([k]) => k === f)?.[1] ?? f;

const MATCHED = {
  synonym: 'Recognised',
  remembered: 'Remembered from your last import of these columns',
  override: 'Your choice',
  unknown: 'Not recognised',
  superseded: 'Another column feeds this field',
};

/**
 * The Columns step of the wizard `wiz` (see import.js): `facts` is the file's line; `onNext()`
 * goes on to Review once the mapping is complete, `onBack()` starts over with another file.
 */
export function renderColumnsStep(wiz, { facts, onNext, onBack }) {
  const { file } = wiz;
  const error = h('p', { class: 'banner banner-error', role: 'alert', hidden: true, dataset: { mappingError: true } });
  const selects = [];
  const rows = file.headers.map((header, i) => {
    const m = file.mapping[i];
    const select = h('select', { dataset: { mapColumn: i }, 'aria-label': `Field for column ${header}` },
      FIELDS.map(([value, label]) => h('option', { value }, label)));
    select.value = wiz.choices[i];
    select.classList.toggle('ignored', select.value === 'ignore');
    select.addEventListener('change', () => {
      wiz.choices[i] = select.value;
      select.classList.toggle('ignored', select.value === 'ignore');
      check();
    });
    selects.push(select);
    const why = () => (wiz.choices[i] === m.field ? (MATCHED[m.matched_by] ?? '') : 'Your choice');
    const how = h('td', { class: 'muted small' }, why(), m.note ? h('span', { class: 'block' }, m.note) : null);
    select.addEventListener('change', () => { how.firstChild.textContent = why(); });
    const samples = file.samples[i] ?? [];
    return h('tr', { dataset: { column: header } },
      h('td', { class: 'strong clip', title: header }, h('span', null, header)),
      h('td', { class: 'import-samples' },
        samples.length ? samples.map((s) => h('span', { class: 'sample', title: s }, h('span', null, s))) : h('span', { class: 'muted' }, 'empty')),
      h('td', null, select),
      how);
  });

  function problems() {
    const taken = new Map();
    const out = [];
    for (const el of selects) el.removeAttribute('aria-invalid');
    wiz.choices.forEach((f, i) => {
      if (f === 'ignore') return;
      if (taken.has(f)) {
        out.push(`“${file.headers[taken.get(f)]}” and “${file.headers[i]}” both go to ${fieldLabel(f)}; choose one.`);
        selects[i].setAttribute('aria-invalid', 'true');
        selects[taken.get(f)].setAttribute('aria-invalid', 'true');
      } else taken.set(f, i);
    });
    if (!taken.has('asset_tag')) out.push('Choose the column that holds the asset tag: every asset needs one.');
    if (!taken.has('name') && !taken.has('make') && !taken.has('model')) out.push('Choose the column with the asset’s name (or its make and model).');
    return out;
  }
  function check() {
    const p = problems();
    error.textContent = p.join(' ');
    error.hidden = p.length === 0;
    next.disabled = p.length > 0;
    return p.length === 0;
  }

  const next = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'import-review', autofocus: true } }, 'Review rows', icon('chevron'));
  next.addEventListener('click', () => {
    if (check()) onNext();
  });
  const back = h('button', { type: 'button', class: 'btn', dataset: { action: 'import-back' } }, 'Choose another file');
  back.addEventListener('click', onBack);

  const body = h('div', { class: 'import-body', dataset: { step: 'columns' } },
    facts,
    h('p', { class: 'muted import-intro' }, 'Check which field each column fills. Columns set to “Don’t import” are left out. Your choices are remembered for the next file with the same columns.'),
    error,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data-table import-table mapping-table' },
        h('colgroup', null, h('col', { class: 'col-colname' }), h('col'), h('col', { class: 'col-field' }), h('col', { class: 'col-how' })),
        h('thead', null, h('tr', null, h('th', null, 'Column in the file'), h('th', null, 'Sample values'), h('th', null, 'Imports as'), h('th', null, 'Why'))),
        h('tbody', null, rows))),
    h('div', { class: 'import-foot' }, back, h('span', { class: 'spacer' }), next));
  check();
  return body;
}
