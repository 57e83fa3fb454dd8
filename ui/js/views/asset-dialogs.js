// The dialogs of an asset's actions: Assign, Return, Change status, Archive and Bring back (used
// by the asset's page; Return also by a person's). Each records the change with an optional note.

import { api } from '../api.js';
import { h } from '../dom.js';
import { assetLabel } from '../format.js';
import { STATUSES, statusLabel } from '../statuses.js';
import { suggest, toast } from '../widgets.js';
import { field, formValue, noteField } from '../components/field.js';
import { openDialog } from '../components/dialog.js';

export async function assignDialog(asset, store) {
  await store.lists().catch(() => {});
  const personInput = h('input', { name: 'person', autocomplete: 'off', placeholder: 'Name, e.g. Sam Patel' });
  const locationInput = h('input', { name: 'location', autocomplete: 'off', placeholder: 'e.g. Reception' });
  const personField = field('Person', personInput, { hint: 'A new name is added to People.' });
  // Where it is kept, or the office it belongs to: a person's asset keeps it unless changed.
  const keptInput = h('input', { name: 'kept_at', autocomplete: 'off', placeholder: 'e.g. Manchester office', value: asset.location ?? '' });
  const keptField = field('Kept at (optional)', keptInput, { hint: 'Where it is kept or the office it belongs to.' });
  suggest(keptInput, () => store.locations.map((l) => l.name));
  const locationField = field('Location', locationInput, { hint: 'A new location is added to Locations.' });
  suggest(personInput, () => store.people.filter((p) => p.active).map((p) => p.name));
  suggest(locationInput, () => store.locations.map((l) => l.name));
  locationField.hidden = true;
  const kind = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': 'Assign to' },
    h('label', null, h('input', { type: 'radio', name: 'holder_kind', value: 'person', checked: true }), h('span', null, 'A person')),
    h('label', null, h('input', { type: 'radio', name: 'holder_kind', value: 'location' }), h('span', null, 'A location')));
  kind.addEventListener('change', (e) => {
    const toLocation = e.target.value === 'location';
    personField.hidden = toLocation;
    keptField.hidden = toLocation;
    locationField.hidden = !toLocation;
    (toLocation ? locationInput : personInput).focus();
  });
  const current = asset.assigned_to ?? (asset.status === 'deployed' ? asset.location : null);
  return openDialog({
    name: 'assign',
    title: `Assign ${asset.asset_tag}`,
    intro: current ? `${assetLabel(asset)} is with ${current} now; assigning moves it.` : `Hand ${assetLabel(asset)} to a person, or deploy it at a location.`,
    body: [kind, personField, keptField, locationField, noteField()],
    confirmLabel: 'Assign',
    initialFocus: 'input[name="person"]',
    onConfirm: async (form, showError) => {
      const toLocation = form.querySelector('input[name="holder_kind"]:checked')?.value === 'location';
      const name = formValue(form, toLocation ? 'location' : 'person');
      if (!name) {
        showError(toLocation ? 'Enter the location to deploy it at.' : 'Enter the name of the person who gets it.', toLocation ? 'location' : 'person');
        return false;
      }
      const kept = formValue(form, 'kept_at');
      const holder = toLocation ? { location: name }
        : kept === (asset.location ?? '') ? { person: name } : { person_at: { person: name, location: kept } };
      const updated = await api.assignAsset(asset, holder, formValue(form, 'note'));
      store.changed();
      toast(`${asset.asset_tag} assigned to ${name}`);
      return updated;
    },
  });
}

export async function returnDialog(asset, store) {
  await store.lists().catch(() => {});
  const from = asset.assigned_to ?? asset.location;
  const locationInput = h('input', { name: 'location', autocomplete: 'off', placeholder: asset.location ? `Keep at ${asset.location}` : 'Location (optional), e.g. IT cupboard' });
  const locationField = field('Put it at', locationInput);
  suggest(locationInput, () => store.locations.map((l) => l.name));
  return openDialog({
    name: 'return',
    title: `Return ${asset.asset_tag}`,
    intro: from ? `Take ${assetLabel(asset)} back from ${from}. It becomes Available.` : `Take ${assetLabel(asset)} back. It becomes Available.`,
    body: [locationField, noteField('Condition, charger returned… (optional)')],
    confirmLabel: 'Return',
    onConfirm: async (form) => {
      const updated = await api.returnAsset(asset, formValue(form, 'location'), formValue(form, 'note'));
      store.changed();
      toast(`${asset.asset_tag} returned`);
      return updated;
    },
  });
}

export async function statusDialog(asset, store) {
  const options = STATUSES.filter((s) => s.value !== 'deployed');
  const select = h('select', { name: 'status' }, options.map((s) => h('option', { value: s.value }, s.label)));
  select.value = (options.find((s) => s.value !== asset.status) ?? options[0]).value;
  return openDialog({
    name: 'status',
    title: `Change status of ${asset.asset_tag}`,
    intro: asset.status === 'deployed'
      ? `${assetLabel(asset)} is Deployed${asset.assigned_to ? ` with ${asset.assigned_to}` : ''}; a new status ends that.`
      : `${assetLabel(asset)} is ${statusLabel(asset.status)}. To deploy it, use Assign.`,
    body: [field('New status', select), noteField()],
    confirmLabel: 'Change status',
    initialFocus: 'select',
    onConfirm: async (form) => {
      const status = form.querySelector(`[name="status"]`).value;
      const updated = await api.changeStatus(asset, status, formValue(form, 'note'));
      store.changed();
      toast(`${asset.asset_tag} is now ${statusLabel(status)}`);
      return updated;
    },
  });
}

export function archiveDialog(asset, store) {
  return openDialog({
    name: 'archive',
    title: `Archive ${asset.asset_tag}?`,
    intro: `${assetLabel(asset)} will disappear from lists and counts. Its history is kept and its tag stays reserved.`,
    body: [noteField('Why? e.g. disposed of via WEEE recycler')],
    confirmLabel: 'Archive',
    danger: true,
    initialFocus: 'textarea',
    onConfirm: async (form) => {
      await api.archiveAsset(asset, formValue(form, 'note'));
      store.changed();
      toast(`${asset.asset_tag} archived`);
      return true;
    },
  });
}

/** Brings an archived asset back into the live register as it was; resolves to the asset. */
export function unarchiveDialog(asset, store) {
  return openDialog({
    name: 'unarchive',
    title: `Bring back ${asset.asset_tag}?`,
    intro: `${assetLabel(asset)} returns to the lists and counts with the details, holder and status it had when archived. The history records it.`,
    body: [noteField('Why? e.g. archived by mistake')],
    confirmLabel: 'Bring back',
    initialFocus: 'textarea',
    onConfirm: async (form) => {
      const restored = await api.unarchiveAsset(asset, formValue(form, 'note'));
      store.changed();
      toast(`${asset.asset_tag} is back in the register`);
      return restored;
    },
  });
}
