// Export PDF, from the Assets list (the register report), an asset's page (its dossier) and an
// offboarding (its checklist); and Export… of the list's assets as CSV or JSON. Rendering a big
// register takes seconds: the button shows it is busy, and a toast names the saved file with an
// Open action (to print it).

import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { baseName, plural } from '../format.js';
import { statusLabel } from '../statuses.js';
import { toast } from '../widgets.js';
import { field } from './field.js';
import { openDialog } from './dialog.js';

/** US Letter where it is the norm, A4 everywhere else. */
export function defaultPaper() {
  try {
    const region = new Intl.Locale(navigator.language || 'en-GB').maximize().region;
    return ['US', 'CA', 'MX', 'PH', 'CL', 'CO', 'VE', 'GT', 'CR', 'PR'].includes(region) ? 'letter' : 'a4';
  } catch {
    return 'a4';
  }
}

/** The header button both views use. */
export function exportButton(action, title) {
  return h('button', { type: 'button', class: 'btn', dataset: { action }, title }, icon('download'), h('span', { class: 'btn-label' }, 'Export PDF'));
}

/**
 * Runs `job` (resolving to `{path, pages}`, or null when the save dialog was cancelled) with
 * `button` showing "Exporting…" and disabled, then says where the PDF went.
 */
export async function runExport(button, job) {
  if (button.disabled) return;
  const before = [...button.childNodes];
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.replaceChildren(h('span', { class: 'spinner', 'aria-hidden': 'true' }), h('span', { class: 'btn-label' }, 'Exporting…'));
  try {
    const done = await job();
    if (!done) return; // the user cancelled the save dialog
    toast(`Saved ${baseName(done.path)} (${plural(done.pages, 'page')})`, 'ok', {
      action: {
        label: 'Open',
        run: () => api.openExported(done.path).catch((e) => toast(e.message, 'error')),
      },
    });
  } catch (e) {
    toast(`The PDF was not exported: ${e.message}`, 'error');
  } finally {
    button.replaceChildren(...before);
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}

const paperSelect = () => {
  const select = h('select', { name: 'paper' },
    h('option', { value: 'a4' }, 'A4'),
    h('option', { value: 'letter' }, 'US Letter'));
  select.value = defaultPaper();
  return select;
};

/**
 * Asks what goes in the register report. `filters` is the list's state ({status, search,
 * category, location, person}); only the status and the search reach the report. Resolves to
 * the report options, or undefined when cancelled.
 */
export function reportDialog(filters) {
  const search = filters.search.trim();
  const scope = [
    filters.status ? `${statusLabel(filters.status)} assets` : 'All assets in the register',
    search ? `matching “${search}”` : null,
  ].filter(Boolean).join(' ');
  const ignored = [filters.category && 'category', filters.location && 'location', filters.person && 'holder', filters.unseen && 'last seen'].filter(Boolean);
  const note = h('p', { class: ['dialog-note', ignored.length && 'dialog-note-warn'], dataset: { reportScope: true } },
    ignored.length
      ? `The ${ignored.length > 1 ? `${ignored.slice(0, -1).join(', ')} and ${ignored.at(-1)}` : ignored[0]} filter${ignored.length > 1 ? 's are' : ' is'} not applied: the report uses the status filter and the search only.`
      : 'The report uses the list’s status filter and search; category, location and holder filters are not applied.');
  const asOf = h('input', { type: 'date', name: 'as_of', max: new Date().toISOString().slice(0, 10) });
  return openDialog({
    name: 'export-report',
    title: 'Export the register as PDF',
    intro: `${scope}, as a PDF to print or file.`,
    body: [
      note,
      h('div', { class: 'dialog-row' },
        field('Paper', paperSelect()),
        field('As of', asOf, { hint: 'Empty: today. A past date shows the register as it stood then.' })),
    ],
    confirmLabel: 'Export PDF…',
    initialFocus: 'select',
    onConfirm: async (form) => {
      const options = { paper: form.querySelector('[name="paper"]').value };
      if (filters.status) options.status = filters.status;
      if (search) options.search = search;
      if (asOf.value) options.as_of = asOf.value;
      return options;
    },
  });
}

/**
 * Asks how to export the assets as data: CSV (optionally with a BOM for spreadsheets) or JSON,
 * of the whole register or of what the list shows (`query`, the list's filters and search,
 * when `filtered`). Resolves to `{format, bom, query}`, or undefined when cancelled.
 */
export function exportAssetsDialog({ query, filtered, total, registerTotal }) {
  const radio = (name, value, label, checked, hint) => h('label', { class: 'check choice' },
    h('input', { type: 'radio', name, value, checked }), h('span', null, label, hint ? h('span', { class: 'field-hint block' }, hint) : null));
  const bom = h('input', { type: 'checkbox', name: 'bom', checked: true });
  const bomRow = h('label', { class: 'check' }, bom, 'For Excel and other spreadsheets (UTF-8 with a byte-order mark, so accents show correctly)');
  const group = (label, ...children) => h('div', { class: 'dialog-fieldset', role: 'radiogroup', 'aria-label': label },
    h('span', { class: 'field-label' }, label), children);
  const formats = group('Format',
    radio('format', 'csv', 'CSV', true, 'Opens in a spreadsheet; Import reads it back.'),
    bomRow,
    radio('format', 'json', 'JSON', false, 'For other programs.'));
  formats.addEventListener('change', () => { bom.disabled = formats.querySelector('[name="format"]:checked').value !== 'csv'; });
  const body = [
    formats,
    group('Assets',
      radio('scope', 'all', `The whole register (${plural(registerTotal, 'asset')})`, !filtered),
      filtered ? radio('scope', 'filter', `What the list shows now (${plural(total, 'asset')})`, true) : null),
  ];
  return openDialog({
    name: 'export-assets',
    title: 'Export assets',
    body,
    confirmLabel: 'Export…',
    initialFocus: 'input[name="format"]:checked',
    onConfirm: async (form) => {
      const format = form.querySelector('[name="format"]:checked').value;
      const scope = form.querySelector('[name="scope"]:checked')?.value ?? 'all';
      return { format, bom: format === 'csv' && bom.checked, query: scope === 'filter' ? query : null };
    },
  });
}

/** Runs the data export chosen in `exportAssetsDialog` and says where the file went. */
export async function runAssetExport(button, { format, bom, query }) {
  if (button.disabled) return;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    const done = await api.exportAssets(format, bom, query);
    if (!done) return;
    toast(`Saved ${baseName(done.path)} (${plural(done.assets, 'asset')})`, 'ok', {
      action: { label: 'Open', run: () => api.openExported(done.path).catch((e) => toast(e.message, 'error')) },
    });
  } catch (e) {
    toast(`The assets were not exported: ${e.message}`, 'error');
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
  }
}
