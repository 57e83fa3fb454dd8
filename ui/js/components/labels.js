// Print labels…: the dialog that chooses which assets, the label stock, where on a partly used
// sheet to start and an optional line ("Property of … — if found call …"), then the PDF saved
// where the user chooses. Used by the Assets list, an asset's page and Record purchase.

import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { plural } from '../format.js';
import { field } from './field.js';
import { openDialog } from './dialog.js';
import { runExport } from './export.js';

// The stock and the line are the same from one print to the next: remembered on this machine.
const REMEMBER = 'asset-register.labels';

function remembered() {
  try {
    return JSON.parse(localStorage.getItem(REMEMBER)) ?? {};
  } catch {
    return {};
  }
}

/** The header button that opens the dialog. */
export function labelsButton(title) {
  return h('button', { type: 'button', class: 'btn', dataset: { action: 'print-labels' }, title },
    icon('qr'), h('span', { class: 'btn-label' }, 'Print labels…'));
}

/**
 * Asks for the labels and saves them. `scopes` is `[{label, selection}]`, the first one chosen
 * (a radio list when there are several). `button` shows that the PDF is being made.
 */
export async function printLabels(button, scopes) {
  const { layouts, max_line_chars: maxLine } = await api.listLabelLayouts();
  const last = remembered();
  const layout = h('select', { name: 'layout' }, layouts.map((l) => h('option', { value: l.key }, l.label)));
  if (layouts.some((l) => l.key === last.layout)) layout.value = last.layout;
  const start = h('input', { type: 'number', name: 'start', min: '1', step: '1', value: '1', inputmode: 'numeric' });
  const startHint = h('span', { class: 'field-hint', dataset: { startHint: true } });
  const line = h('input', { name: 'line', maxlength: String(maxLine), autocomplete: 'off', placeholder: 'e.g. Property of Acme — if found call 01234 567890', value: last.line ?? '' });
  const startField = field('Start at label', start);
  startField.append(startHint);
  const perPage = () => layouts.find((l) => l.key === layout.value)?.per_page ?? 1;
  const syncStart = () => {
    const n = perPage();
    start.max = String(n);
    start.disabled = n === 1;
    if (n === 1) start.value = '1';
    startHint.textContent = n === 1
      ? 'A roll prints one label per page.'
      : `1 is the top-left label, counting across then down (1 to ${n}): to finish a partly used sheet.`;
  };
  layout.addEventListener('change', syncStart);
  syncStart();
  const radio = (i, s) => h('label', { class: 'check choice' },
    h('input', { type: 'radio', name: 'scope', value: String(i), checked: i === 0 }), h('span', null, s.label));
  const body = [
    scopes.length > 1
      ? h('div', { class: 'dialog-fieldset', role: 'radiogroup', 'aria-label': 'Labels for' },
        h('span', { class: 'field-label' }, 'Labels for'), scopes.map((s, i) => radio(i, s)))
      : h('p', { class: 'dialog-note', dataset: { labelsScope: true } }, `Labels for ${scopes[0].label}.`),
    field('Label stock', layout),
    startField,
    field('Extra line (optional)', line, { hint: `Printed under the name and organisation where the label has room; at most ${maxLine} characters.` }),
  ];
  const choice = await openDialog({
    name: 'print-labels',
    title: 'Print labels',
    intro: 'Each label has the QR code of the asset tag, the tag, the name and your organisation.',
    body,
    confirmLabel: 'Save PDF…',
    initialFocus: 'select[name="layout"]',
    onConfirm: async (form, showError) => {
      const n = perPage();
      const first = Number(start.value || '1');
      if (!Number.isInteger(first) || first < 1 || first > n) {
        showError(`Start at a label from 1 to ${n}.`, 'start');
        return false;
      }
      const i = Number(form.querySelector('[name="scope"]:checked')?.value ?? '0');
      const text = line.value.trim();
      localStorage.setItem(REMEMBER, JSON.stringify({ layout: layout.value, line: text }));
      return { selection: scopes[i].selection, options: { layout: layout.value, start: first, line: text || null } };
    },
  });
  if (choice) runExport(button, () => api.exportLabelsPdf(choice.selection, choice.options));
}

/** "IT-0001", "IT-0001 and IT-0002", "3 assets". */
export function tagsLabel(tags) {
  if (tags.length === 1) return tags[0];
  if (tags.length === 2) return `${tags[0]} and ${tags[1]}`;
  return plural(tags.length, 'selected asset');
}
