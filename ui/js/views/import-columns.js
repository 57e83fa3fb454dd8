// The Columns step of the import wizard (import.js): which field each column of the file fills,
// auto-mapped or remembered by the core, with sample values; two columns for one field, or no
// tag or name, are refused before the review. A workbook with several sheets offers the choice,
// a CSV the encoding to read it in (the detected one first);
// a file with no tag column can have tags generated (a prefix and the next free numbers).

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
/** The reader's encoding keys as WHATWG labels, and the encodings offered. */
const ENCODING_LABELS = { utf8: 'UTF-8', utf8_bom: 'UTF-8', utf16_le: 'UTF-16LE', utf16_be: 'UTF-16BE', windows1252: 'windows-1252' };
const ENCODING_CHOICES = ['UTF-8', 'windows-1252', 'windows-1250', 'windows-1251', 'windows-1253', 'windows-1254', 'windows-1257', 'ISO-8859-2', 'ISO-8859-15', 'KOI8-R', 'Shift_JIS', 'GBK', 'Big5', 'EUC-KR', 'UTF-16LE', 'UTF-16BE'];

const fieldLabel = (f) => FIELDS.find(([k]) => k === f)?.[1] ?? f;

/** How sure a match is, in words, from the core's 0–100. */
const SURENESS = (c) => (c >= 90 ? ['sure', 'Sure'] : c >= 60 ? ['likely', 'Likely'] : c > 0 ? ['guess', 'A guess: check it'] : ['none', 'Not imported']);
const capital = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * The Columns step of the wizard `wiz` (see import.js): `facts` is the file's line; `onNext()`
 * goes on to Review once the mapping is complete, `onBack()` starts over with another file,
 * `onReopen({ sheet })` / `onReopen({ encoding })` reads the file again that way.
 */
export function renderColumnsStep(wiz, { facts, onNext, onBack, onReopen }) {
  const { file } = wiz;
  let sheetChoice = null;
  if (file.sheets?.length > 1) {
    const select = h('select', { dataset: { importSheet: true }, 'aria-label': 'Sheet to import' },
      file.sheets.map((s) => h('option', { value: s }, s)));
    select.value = file.sheet;
    select.addEventListener('change', () => { select.disabled = true; onReopen({ sheet: select.value }); });
    sheetChoice = h('p', { class: 'import-sheet' },
      h('label', null, `This workbook has ${file.sheets.length} sheets. Import the sheet `, select));
  } else if (file.sheet == null) {
    const current = ENCODING_LABELS[file.encoding] ?? file.encoding;
    const labels = ENCODING_CHOICES.includes(current) ? ENCODING_CHOICES : [current, ...ENCODING_CHOICES];
    const select = h('select', { dataset: { importEncoding: true }, 'aria-label': 'Encoding of the file' },
      labels.map((l) => h('option', { value: l }, l)));
    select.value = current;
    select.addEventListener('change', () => { select.disabled = true; onReopen({ encoding: select.value }); });
    sheetChoice = h('p', { class: 'import-sheet' },
      h('label', null, 'Read as ', select),
      h('span', { class: 'muted' }, ' — if names with accents look wrong in the samples below, choose another encoding.'));
  }
  const genCheck = h('input', { type: 'checkbox', checked: wiz.options.generate_tags != null, dataset: { generateTags: true } });
  const genPrefix = h('input', { type: 'text', class: 'input-short', value: wiz.options.generate_tags ?? 'IT-', maxlength: '20', size: '8', 'aria-label': 'Prefix of the new tags', dataset: { tagPrefix: true } });
  const genExample = h('span', { class: 'muted small' });
  const generate = h('div', { class: 'import-generate', dataset: { generate: true } },
    h('label', { class: 'check' }, genCheck, 'No column has tags: give each row a new tag starting with '),
    ' ', genPrefix, ' ', genExample);
  const syncGenerate = () => {
    const prefix = genPrefix.value.trim();
    wiz.options.generate_tags = genCheck.checked && prefix ? prefix : null;
    genExample.textContent = prefix ? `${prefix}0001, ${prefix}0002, … (after the highest ${prefix} tag already in the register)` : '';
    check();
  };
  genCheck.addEventListener('change', syncGenerate);
  genPrefix.addEventListener('input', () => { if (genPrefix.value.trim()) genCheck.checked = true; syncGenerate(); });
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
    // Why this column imports as it does (header, values, remembered, chosen) and how sure.
    const how = h('td', { class: 'small match-why wrap', dataset: { matchedBy: m.matched_by } });
    const why = () => {
      const chosen = wiz.choices[i] !== m.field;
      const [level, words] = chosen ? ['sure', 'Your choice'] : SURENESS(m.confidence);
      how.dataset.confidence = level;
      const parts = [
        h('span', { class: ['match-sure', `match-${level}`] }, words),
        h('span', { class: 'block muted', dataset: { matchReason: true } }, chosen ? 'Chosen here; remembered for the next file with these columns.' : capital(m.reason)),
      ];
      if (!chosen && m.note) parts.push(h('span', { class: 'block muted' }, m.note));
      how.replaceChildren(...parts);
    };
    why();
    select.addEventListener('change', why);
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
    generate.hidden = taken.has('asset_tag');
    if (!taken.has('asset_tag') && wiz.options.generate_tags == null) out.push('Choose the column that holds the asset tag, or have tags generated: every asset needs one.');
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
    sheetChoice,
    h('p', { class: 'muted import-intro' }, 'Check which field each column fills. Columns set to “Don’t import” are left out. Your choices are remembered for the next file with the same columns.'),
    error,
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data-table import-table mapping-table' },
        h('colgroup', null, h('col', { class: 'col-colname' }), h('col'), h('col', { class: 'col-field' }), h('col', { class: 'col-how' })),
        h('thead', null, h('tr', null, h('th', null, 'Column in the file'), h('th', null, 'Sample values'), h('th', null, 'Imports as'), h('th', null, 'Why'))),
        h('tbody', null, rows))),
    generate,
    h('div', { class: 'import-foot' }, back, h('span', { class: 'spacer' }), next));
  syncGenerate();
  return body;
}
