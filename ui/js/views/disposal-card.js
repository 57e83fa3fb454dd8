// An asset's disposal record, on its page: how it left (method, date, to whom), how its data
// was wiped and by whom, the certificate's number and file. Shown once the asset is Retired (a
// retired asset with no record is an open item for the auditor) or has a record; Dispose… in
// the header records one for an asset still in use, retiring it.

import { api } from '../api.js';
import { h } from '../dom.js';
import { DASH, formatDate } from '../format.js';
import { toast } from '../widgets.js';
import { field, formValue } from '../components/field.js';
import { openDialog } from '../components/dialog.js';

export const METHODS = [
  ['recycled', 'Recycled'],
  ['sold', 'Sold'],
  ['returned_to_lessor', 'Returned to lessor'],
  ['destroyed', 'Destroyed'],
  ['donated', 'Donated'],
];
const WIPES = ['NIST 800-88 clear (overwrite)', 'NIST 800-88 purge (secure erase)', 'Disk shredded', 'Disk degaussed',
  'Factory reset with encryption key erased', 'No storage to wipe'];
const today = () => new Date().toLocaleDateString('sv-SE');

/**
 * The disposal dialog for `asset`, filled with `current` when correcting. Resolves with the
 * saved record, or undefined when cancelled.
 */
export async function disposalDialog(asset, current) {
  const documents = await api.listDocuments({ asset: asset.id }).catch(() => []);
  const input = (name, attrs = {}) => h('input', { name, autocomplete: 'off', ...attrs });
  const method = h('select', { name: 'method' }, METHODS.map(([v, label]) => h('option', { value: v }, label)));
  method.value = current?.method ?? 'recycled';
  const date = input('disposed_on', { type: 'date', value: current?.disposed_on ?? today(), max: today() });
  const to = input('recipient', { value: current?.recipient ?? '', placeholder: 'Recycler, buyer, lessor or charity' });
  const wipes = h('datalist', { id: 'wipe-methods' }, WIPES.map((w) => h('option', { value: w })));
  const wipe = input('wipe_method', { value: current?.wipe_method ?? '', list: 'wipe-methods', placeholder: 'How its data was wiped' });
  const by = input('wiped_by', { value: current?.wiped_by ?? '', placeholder: 'Person or company' });
  const number = input('certificate_number', { value: current?.certificate_number ?? '' });
  const cert = h('select', { name: 'certificate_id' },
    h('option', { value: '' }, documents.length ? 'None' : 'None — drop the certificate on the asset’s page first'),
    documents.map((d) => h('option', { value: String(d.id) }, d.name)));
  cert.value = current?.certificate ? String(current.certificate.id) : '';
  const note = h('textarea', { name: 'note', rows: 2, placeholder: 'Anything else (optional)' });
  note.value = current?.note ?? '';
  const retiring = asset.status !== 'retired';
  return openDialog({
    name: 'disposal',
    title: current ? `Correct ${asset.asset_tag}’s disposal record` : `Dispose of ${asset.asset_tag}`,
    intro: retiring
      ? `How ${asset.asset_tag} left the organisation. Saving retires it; the record goes into its history and the evidence pack.`
      : `How ${asset.asset_tag} left the organisation. The record goes into its history and the evidence pack.`,
    body: [
      h('div', { class: 'dialog-row' }, field('How it left', method), field('On', date)),
      field('To whom', to, { wide: true }),
      wipes,
      field('How its data was wiped', wipe, { wide: true, hint: 'The method, or why none was needed' }),
      h('div', { class: 'dialog-row' }, field('Wiped by', by), field('Certificate number', number)),
      field('Certificate file', cert, { wide: true, hint: 'One of the asset’s documents (drag the file onto the asset’s page to attach it)' }),
      field('Note', note, { wide: true }),
    ],
    confirmLabel: current ? 'Save correction' : retiring ? 'Retire and record' : 'Record disposal',
    onConfirm: async (form) => {
      const id = formValue(form, 'certificate_id');
      const saved = await api.recordDisposal(asset, {
        method: formValue(form, 'method'),
        disposed_on: formValue(form, 'disposed_on'),
        recipient: formValue(form, 'recipient') || null,
        wipe_method: formValue(form, 'wipe_method') || null,
        wiped_by: formValue(form, 'wiped_by') || null,
        certificate_number: formValue(form, 'certificate_number') || null,
        note: formValue(form, 'note') || null,
        certificate_id: id ? Number(id) : null,
      });
      toast(`${asset.asset_tag}: disposal recorded (${saved.method_label.toLowerCase()} on ${formatDate(saved.disposed_on)})`);
      return saved;
    },
  });
}

/** The card and `load()`; `onChange(record)` runs after a record is saved. */
export function disposalCard({ getAsset, isCurrent, onChange }) {
  const action = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'record-disposal' } });
  const body = h('div', { class: 'dep-body' });
  const el = h('section', { class: 'card dep-card', dataset: { disposal: true }, 'aria-label': 'Disposal', hidden: true },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Disposal'), action),
    body);
  let record = null;

  action.addEventListener('click', async () => {
    const saved = await disposalDialog(getAsset(), record);
    if (!saved || !isCurrent()) return;
    record = saved;
    render();
    onChange?.(saved);
  });

  function render() {
    const asset = getAsset();
    el.hidden = !record && asset.status !== 'retired';
    action.hidden = Boolean(asset.archived);
    action.textContent = record ? 'Correct…' : 'Record disposal…';
    action.classList.toggle('btn-primary', !record);
    if (!record) {
      body.replaceChildren(h('p', { class: 'warn-text', dataset: { disposalMissing: true } },
        'Retired without a disposal record: an auditor will ask how it left and whether its data was wiped.'));
      return;
    }
    const row = (label, value, data) => [h('dt', null, label), h('dd', { dataset: data }, value || DASH)];
    body.replaceChildren(h('dl', { class: 'facts', dataset: { disposalRecord: record.method } },
      ...row('How it left', record.method_label, { disposalMethod: true }),
      ...row('On', formatDate(record.disposed_on)),
      ...row('To', record.recipient),
      ...row('Data wiped', record.wipe_method, { disposalWipe: true }),
      ...row('Wiped by', record.wiped_by),
      ...row('Certificate no.', record.certificate_number),
      ...row('Certificate file', record.certificate?.name, { disposalCertificate: true }),
      ...(record.note ? row('Note', record.note) : [])));
  }

  async function load() {
    record = await api.getDisposal(getAsset().id);
    if (isCurrent()) render();
  }

  return { el, load, render, set: (r) => { record = r; render(); } };
}
