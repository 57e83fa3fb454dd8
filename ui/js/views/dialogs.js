// Modal dialogs (<dialog> + showModal; Esc closes). A refused or invalid action shows its
// message inside the dialog, which stays open until it succeeds or the user cancels.

import { api, ApiError } from '../api.js';
import { h, STATUSES, statusLabel, suggest, toast } from '../dom.js';

let uid = 0;

/** A labelled form field with its error slot. */
export function field(label, control, { hint, wide } = {}) {
  const id = control.id || `f${++uid}`;
  control.id = id;
  const name = control.getAttribute('name');
  return h('div', { class: ['field', wide && 'field-wide'] },
    h('label', { class: 'field-label', for: id }, label),
    control,
    hint ? h('span', { class: 'field-hint' }, hint) : null,
    name ? h('span', { class: 'field-error', dataset: { errorFor: name }, hidden: true, role: 'alert' }) : null);
}

const noteField = (placeholder = 'Why? (optional, kept in the history)') =>
  field('Note', h('textarea', { name: 'note', rows: 2, placeholder }));

/**
 * Opens a dialog. `onConfirm(form)` may throw an ApiError (shown inside) or return normally
 * (the dialog closes). Resolves with the confirm result, or undefined when cancelled.
 */
export function openDialog({ name, title, intro, body = [], confirmLabel = 'Confirm', danger = false, onConfirm, initialFocus }) {
  return new Promise((resolve) => {
    const error = h('p', { class: 'dialog-error', dataset: { dialogError: true }, role: 'alert', hidden: true });
    const confirm = h('button', { type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], dataset: { action: 'confirm' } }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn', dataset: { action: 'cancel' } }, 'Cancel');
    const titleId = `dt${++uid}`;
    const form = h('form', { class: 'dialog-form', method: 'dialog', novalidate: true },
      h('header', { class: 'dialog-head' }, h('h2', { id: titleId }, title)),
      h('div', { class: 'dialog-body' }, intro ? h('p', { class: 'dialog-intro' }, intro) : null, body, error),
      h('footer', { class: 'dialog-foot' }, cancel, confirm));
    const dialog = h('dialog', { class: 'dialog', dataset: { dialog: name }, 'aria-labelledby': titleId }, form);
    let result;

    const showError = (message, fieldName) => {
      error.textContent = message;
      error.hidden = false;
      for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
      const input = fieldName ? form.querySelector(`[name="${fieldName}"]`) : null;
      if (input && !input.closest('[hidden]')) {
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    };
    form.addEventListener('input', () => { error.hidden = true; });
    // Ctrl/Cmd+Enter confirms from anywhere in the dialog, including the note.
    form.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    cancel.addEventListener('click', () => dialog.close());
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (confirm.disabled) return;
      confirm.disabled = true;
      error.hidden = true;
      try {
        result = await onConfirm(form, showError);
        if (result !== false) dialog.close();
      } catch (err) {
        if (err instanceof ApiError) showError(err.message, err.field);
        else showError(err?.message ?? String(err));
        result = undefined;
      } finally {
        confirm.disabled = false;
      }
    });
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result === false ? undefined : result);
    });
    document.body.appendChild(dialog);
    dialog.showModal();
    const focus = initialFocus ? form.querySelector(initialFocus) : form.querySelector('input:not([type=radio]):not([hidden]), select, textarea');
    if (focus) focus.focus();
  });
}

const value = (form, name) => (form.querySelector(`[name="${name}"]`)?.value ?? '').trim();

// ---------------------------------------------------------------------------------------------
// Asset actions

export const assetLabel = (a) => `${a.asset_tag} ${a.name}`;

export async function assignDialog(asset, store) {
  await store.lists().catch(() => {});
  const personInput = h('input', { name: 'person', autocomplete: 'off', placeholder: 'Name, e.g. Sam Patel' });
  const locationInput = h('input', { name: 'location', autocomplete: 'off', placeholder: 'e.g. Reception' });
  const personField = field('Person', personInput, { hint: 'A new name is added to People.' });
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
    locationField.hidden = !toLocation;
    (toLocation ? locationInput : personInput).focus();
  });
  const current = asset.assigned_to ?? (asset.status === 'deployed' ? asset.location : null);
  return openDialog({
    name: 'assign',
    title: `Assign ${asset.asset_tag}`,
    intro: current ? `${assetLabel(asset)} is with ${current} now; assigning moves it.` : `Hand ${assetLabel(asset)} to a person, or deploy it at a location.`,
    body: [kind, personField, locationField, noteField()],
    confirmLabel: 'Assign',
    initialFocus: 'input[name="person"]',
    onConfirm: async (form, showError) => {
      const toLocation = form.querySelector('input[name="holder_kind"]:checked')?.value === 'location';
      const name = value(form, toLocation ? 'location' : 'person');
      if (!name) {
        showError(toLocation ? 'Enter the location to deploy it at.' : 'Enter the name of the person who gets it.', toLocation ? 'location' : 'person');
        return false;
      }
      const holder = toLocation ? { location: name } : { person: name };
      const updated = await api.assignAsset(asset.id, holder, value(form, 'note'));
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
      const updated = await api.returnAsset(asset.id, value(form, 'location'), value(form, 'note'));
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
      const updated = await api.changeStatus(asset.id, status, value(form, 'note'));
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
      await api.archiveAsset(asset.id, value(form, 'note'));
      store.changed();
      toast(`${asset.asset_tag} archived`);
      return true;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// People and locations

export function personDialog(store) {
  return openDialog({
    name: 'person',
    title: 'Add person',
    body: [
      field('Name', h('input', { name: 'name', autocomplete: 'off', required: true })),
      field('Email', h('input', { name: 'email', type: 'email', autocomplete: 'off' })),
      field('Department', h('input', { name: 'department', autocomplete: 'off' })),
    ],
    confirmLabel: 'Add person',
    onConfirm: async (form) => {
      const person = await api.createPerson({ name: value(form, 'name'), email: value(form, 'email'), department: value(form, 'department') });
      store.changed();
      toast(`${person.name} added`);
      return person;
    },
  });
}

export function locationDialog(store, location = null) {
  return openDialog({
    name: 'location',
    title: location ? `Rename ${location.name}` : 'Add location',
    body: [field('Name', h('input', { name: 'name', autocomplete: 'off', value: location?.name ?? '', placeholder: 'e.g. Reception' }))],
    confirmLabel: location ? 'Rename' : 'Add location',
    onConfirm: async (form) => {
      const name = value(form, 'name');
      const saved = location ? await api.renameLocation(location.id, name) : await api.createLocation(name);
      store.changed();
      toast(location ? `Renamed to ${saved.name}` : `${saved.name} added`);
      return saved;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Documents

/** Removes one of `owner`'s documents (see documents.js for owners), with a note. */
export function removeDocumentDialog(owner, doc) {
  return openDialog({
    name: 'remove-document',
    title: `Remove ${doc.name}?`,
    intro: `The file is removed from ${owner.describe()}. History keeps its name, size and SHA-256 fingerprint; save a copy first if you may need it again.`,
    body: [noteField('Why? e.g. replaced by the extended warranty')],
    confirmLabel: 'Remove',
    danger: true,
    initialFocus: 'textarea',
    onConfirm: async (form) => {
      const removed = await api.removeDocument(owner.ref(), doc.id, value(form, 'note'));
      toast(`Removed ${removed.name} from ${owner.label()}`);
      return removed;
    },
  });
}
