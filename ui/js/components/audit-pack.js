// Audit pack…, from Home and Settings: choose the as-of day, the period and the dossiers, then
// the pack is written with a progress bar and Cancel (a cancelled pack leaves no file), and
// the result says what it holds and offers to open it.

import { api, ApiError, listen } from '../api.js';
import { h } from '../dom.js';
import { formatCount, plural } from '../format.js';
import { toast } from '../widgets.js';
import { field, formValue } from './field.js';
import { openDialog } from './dialog.js';

const today = () => new Date().toLocaleDateString('sv-SE');
const yearBefore = (iso) => {
  const d = new Date(`${iso}T12:00:00`);
  d.setFullYear(d.getFullYear() - 1);
  return d.toLocaleDateString('sv-SE');
};

/** The Audit pack… button. */
export function auditPackButton() {
  const b = h('button', { type: 'button', class: 'btn', dataset: { action: 'audit-pack' },
    title: 'One .zip for the auditor: the register report, disposals, leavers’ checklists, documents and the verifiable history' }, 'Audit pack…');
  b.addEventListener('click', () => openAuditPack());
  return b;
}

/** Asks for the pack's options, then writes it. */
export async function openAuditPack() {
  const asOf = h('input', { type: 'date', name: 'as_of', value: today(), max: today() });
  const from = h('input', { type: 'date', name: 'from', value: yearBefore(today()), max: today() });
  asOf.addEventListener('change', () => { if (asOf.value) from.value = yearBefore(asOf.value); });
  const dossiers = h('select', { name: 'dossiers' },
    h('option', { value: 'none' }, 'None (the report and documents are included)'),
    h('option', { value: 'all' }, 'One per asset (slower for a large register)'));
  const options = await openDialog({
    name: 'audit-pack',
    title: 'Evidence pack for the auditor',
    intro: 'One .zip file: the register report with an ISO 27001 Annex A page, the register as CSV and JSON, disposal records and certificates, the checklists of leavers in the period, every asset’s documents, and the whole history with a manifest of SHA-256 hashes that anyone can check.',
    body: [
      h('div', { class: 'dialog-row' },
        field('Register as of', asOf, { hint: 'Today shows the live register' }),
        field('Period from', from, { hint: 'Leavers and disposals since' })),
      field('Asset dossiers', dossiers, { wide: true }),
    ],
    confirmLabel: 'Choose where to save…',
    onConfirm: async (form, showError) => {
      const a = formValue(form, 'as_of');
      const f = formValue(form, 'from');
      if (!a || (f && f > a)) {
        if (!a) showError('Give the day the register is shown as of', 'as_of');
        else showError('The period must start on or before the as-of day', 'from');
        return false;
      }
      return {
        as_of: a === today() ? null : a,
        from: f || null,
        dossiers: formValue(form, 'dossiers') === 'all' ? { kind: 'all' } : { kind: 'none' },
      };
    },
  });
  if (!options) return null;
  return writePack(options);
}

/** Writes the pack with a progress dialog; resolves with the summary, or null. */
async function writePack(options) {
  const bar = h('progress', { class: 'progress', max: '100', value: '0', 'aria-label': 'Evidence pack progress', dataset: { packProgress: true } });
  const text = h('p', { class: 'muted num', dataset: { packProgressText: true } }, 'Choose where to save the pack…');
  const cancel = h('button', { type: 'button', class: 'btn', dataset: { action: 'cancel-pack' } }, 'Cancel');
  const dialog = h('dialog', { class: 'dialog', dataset: { dialog: 'pack-progress' }, 'aria-label': 'Writing the evidence pack' },
    h('div', { class: 'dialog-form' },
      h('header', { class: 'dialog-head' }, h('h2', null, 'Writing the evidence pack')),
      h('div', { class: 'dialog-body' }, bar, text),
      h('footer', { class: 'dialog-foot' }, cancel)));
  document.body.append(dialog);
  dialog.addEventListener('cancel', (e) => e.preventDefault());
  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    text.textContent = 'Cancelling…';
    api.cancelAuditPack();
  });
  dialog.showModal();
  const stop = await listen('pack://progress', (p) => {
    if (cancel.disabled) return;
    const pct = p.total ? Math.floor((p.done / p.total) * 100) : 0;
    bar.value = String(pct);
    text.textContent = `${p.step} · ${pct}%`;
  });
  try {
    const s = await api.writeAuditPack(options);
    if (!s) return null;
    toast(`Evidence pack saved: ${plural(s.members, 'file')}, ${formatCount(s.assets)} assets, ${plural(s.documents, 'document')}${s.open_items ? ` · ${plural(s.open_items, 'open item')}` : ''}`, 'ok',
      { action: { label: 'Open', run: () => api.openExported(s.path).catch((e) => toast(e.message, 'error')) } });
    return s;
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'cancelled') toast('The evidence pack was cancelled; no file was written.');
    else toast(e.message, 'error');
    return null;
  } finally {
    stop();
    dialog.close();
    dialog.remove();
  }
}
