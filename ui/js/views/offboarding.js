// Offboarding on a person's page: start it with a leaving date, resolve each thing they hold
// (asset or licence seat) as returned, reassigned or missing, export the checklist PDF for the
// leaver to sign, then finish (which marks them as left; refused while anything is held).

import { api } from '../api.js';
import { h, cell, tableRoles } from '../dom.js';
import { formatDate, isoDate, plural } from '../format.js';
import { suggest, toast } from '../widgets.js';
import { field, formValue, noteField } from '../components/field.js';
import { openDialog } from '../components/dialog.js';
import { runExport, exportButton, defaultPaper } from '../components/export.js';

const note = (placeholder = 'Optional, kept in the history') => noteField(placeholder);

/** Asks for the leaving date and starts the offboarding; resolves to the checklist. */
export function startOffboardingDialog(person, store) {
  const date = h('input', { type: 'date', name: 'leaving_on', value: isoDate() });
  return openDialog({
    name: 'start-offboarding',
    title: `Start offboarding ${person.name}`,
    intro: 'A checklist of everything they hold follows: mark each item returned, reassigned or missing, then finish to mark them as left on the leaving date.',
    body: [field('Leaving date', date), note()],
    confirmLabel: 'Start offboarding',
    initialFocus: 'input[name="leaving_on"]',
    onConfirm: async (form, showError) => {
      if (!date.value) {
        showError('Choose the leaving date.', 'leaving_on');
        return false;
      }
      const list = await api.startOffboarding(person.id, date.value, formValue(form, 'note'));
      store.changed();
      toast(`Offboarding ${person.name}: leaving on ${formatDate(date.value)}`);
      return list;
    },
  });
}

function resolveDialog(person, item, outcome, store) {
  const seat = item.kind === 'seat';
  const id = person.id;
  const base = { confirmLabel: 'Save', onConfirm: null };
  if (outcome === 'returned') {
    const location = h('input', { name: 'location', autocomplete: 'off', placeholder: 'e.g. Store room' });
    suggest(location, () => store.locations.map((l) => l.name));
    return openDialog({
      ...base,
      name: 'resolve-returned',
      title: seat ? `Release the seat of ${item.label.replace(/ \(licence seat\)$/, '')}` : `${item.label} returned`,
      intro: seat ? `The seat becomes free for someone else.` : 'It becomes Available, at the location you give (or where it was kept).',
      body: seat ? [note()] : [field('Back to location', location, { hint: 'A new location is added to Locations.' }), note()],
      confirmLabel: seat ? 'Release seat' : 'Mark returned',
      initialFocus: seat ? 'textarea' : 'input[name="location"]',
      onConfirm: async (form) => api.resolveOffboardingItem(id, item.kind, item.id, { outcome: 'returned', location: seat ? null : formValue(form, 'location') || null }, formValue(form, 'note')),
    });
  }
  if (outcome === 'reassigned') {
    const to = h('input', { name: 'to', autocomplete: 'off', placeholder: 'Name, e.g. Ana Ruiz' });
    suggest(to, () => store.people.filter((p) => p.active && p.id !== person.id).map((p) => p.name));
    return openDialog({
      ...base,
      name: 'resolve-reassigned',
      title: `Give ${item.label} to someone else`,
      intro: `It moves from ${person.name} to the person you name (a new name is added to People).`,
      body: [field('Person', to), note()],
      confirmLabel: 'Reassign',
      initialFocus: 'input[name="to"]',
      onConfirm: async (form, showError) => {
        if (!formValue(form, 'to')) {
          showError('Enter who gets it.', 'to');
          return false;
        }
        return api.resolveOffboardingItem(id, item.kind, item.id, { outcome: 'reassigned', to: formValue(form, 'to') }, formValue(form, 'note'));
      },
    });
  }
  return openDialog({
    ...base,
    name: 'resolve-missing',
    title: `${item.label} is missing`,
    intro: 'It becomes Lost/Stolen. Say what is known: the note is kept in its history.',
    body: [note('e.g. Not returned; Sam says it was stolen from the car')],
    confirmLabel: 'Mark missing',
    danger: true,
    initialFocus: 'textarea',
    onConfirm: async (form, showError) => {
      if (!formValue(form, 'note')) {
        showError('Say what is known (not returned, reported stolen…).', 'note');
        return false;
      }
      return api.resolveOffboardingItem(id, item.kind, item.id, { outcome: 'missing' }, formValue(form, 'note'));
    },
  });
}

function outcomeText(item) {
  const seat = item.kind === 'seat';
  switch (item.outcome) {
    case 'returned': return seat ? 'Seat released' : `Returned${item.resolution ? ` to ${item.resolution}` : ''}`;
    case 'reassigned': return `Reassigned to ${item.resolution ?? '–'}`;
    case 'missing': return `Missing (Lost/Stolen)${item.resolution ? `: ${item.resolution}` : ''}`;
    default: return 'To collect';
  }
}

/**
 * The offboarding card for `checklist` (open, or the last finished one). `onChange(checklist)`
 * runs after every step so the page can refresh.
 */
export function offboardingCard(checklist, { store, isCurrent, onChange }) {
  const { person, offboarding, items, unresolved } = checklist;
  const open = offboarding && !offboarding.finished_at;
  const error = h('div', { class: 'banner banner-error', role: 'alert', dataset: { offboardingError: true }, hidden: true });
  const showError = (m) => { error.textContent = m; error.hidden = !m; };

  const rows = items.map((item) => {
    const held = !item.outcome;
    const actions = h('td', { class: 'col-act offboard-actions' });
    if (open && held) {
      const seat = item.kind === 'seat';
      const choices = [['returned', seat ? 'Release…' : 'Returned…'], ['reassigned', 'Reassign…']];
      if (!seat) choices.push(['missing', 'Missing…']);
      for (const [outcome, label] of choices) {
        const b = h('button', { type: 'button', class: ['btn', 'btn-small', outcome === 'missing' && 'btn-quiet-danger'], dataset: { action: `resolve-${outcome}` } }, label);
        b.addEventListener('click', async () => {
          showError('');
          await store.lists().catch(() => {});
          const next = await resolveDialog(person, item, outcome, store);
          if (next && isCurrent()) {
            store.changed();
            toast(`${item.label}: ${outcomeText(next.items.find((i) => i.kind === item.kind && i.id === item.id) ?? item).toLowerCase()}`);
            onChange(next);
          }
        });
        actions.append(b);
      }
    }
    const label = item.kind === 'asset'
      ? h('a', { href: `#/assets/${item.id}` }, item.label)
      : h('a', { href: `#/licences/${item.id}` }, item.label);
    return h('tr', { dataset: { itemKind: item.kind, itemId: item.id, resolved: String(!held) } },
      // The item's name wraps: a long licence name is read whole, not cut.
      h('td', { class: 'strong offboard-item', title: item.label }, label),
      cell('detail', item.detail, item.kind === 'asset' ? 'mono' : null),
      h('td', { class: ['clip', held ? 'outcome-held' : `outcome-${item.outcome}`], dataset: { col: 'outcome' }, title: outcomeText(item) }, h('span', null, outcomeText(item))),
      actions);
  });
  const table = h('table', { class: 'data-table grid-table offboard-table' },
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Item'), h('th', { scope: 'col' }, 'Serial / vendor'), h('th', { scope: 'col' }, 'Outcome'), h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    h('tbody', null, rows));
  tableRoles(table);

  const exportBtn = exportButton('export-checklist', 'The checklist as a PDF for the leaver to sign');
  exportBtn.querySelector('.btn-label').textContent = 'Checklist PDF';
  exportBtn.addEventListener('click', () => runExport(exportBtn, () => api.exportOffboardingPdf(person.id, defaultPaper())));
  const foot = h('footer', { class: 'offboard-foot' }, exportBtn, h('span', { class: 'spacer' }));
  if (open) {
    const cancel = h('button', { type: 'button', class: 'btn', dataset: { action: 'cancel-offboarding' } }, 'Cancel offboarding');
    cancel.addEventListener('click', async () => {
      showError('');
      try {
        const next = await api.cancelOffboarding(person.id);
        store.changed();
        toast('Offboarding cancelled');
        onChange(next);
      } catch (e) { showError(e.message); }
    });
    const finish = h('button', { type: 'button', class: ['btn', unresolved === 0 && 'btn-primary'], dataset: { action: 'finish-offboarding' } }, 'Finish');
    finish.title = unresolved ? `${plural(unresolved, 'item')} still to resolve` : `Mark ${person.name} as left on ${formatDate(offboarding.leaving_on)}`;
    finish.addEventListener('click', async () => {
      showError('');
      finish.disabled = true;
      try {
        const next = await api.finishOffboarding(person.id);
        store.changed();
        toast(`${person.name} marked as left on ${formatDate(offboarding.leaving_on)}`);
        onChange(next);
      } catch (e) {
        showError(e.message);
      } finally {
        finish.disabled = false;
      }
    });
    foot.append(cancel, finish);
  }

  const sub = open
    ? (unresolved ? `${plural(unresolved, 'item')} still to resolve` : 'Everything is resolved — finish to mark them as left')
    : `Finished ${formatDate(offboarding.finished_at?.slice(0, 10))}`;
  return h('section', { class: ['card', 'offboard-card', open && 'offboard-open'], dataset: { offboarding: open ? 'open' : 'finished' } },
    h('header', { class: 'card-head' },
      h('h2', { class: 'card-title' }, `Offboarding · leaving on ${formatDate(offboarding.leaving_on)}`),
      h('span', { class: 'card-sub', dataset: { unresolved } }, sub)),
    error,
    items.length ? h('div', { class: 'table-wrap table-wrap-inline' }, table) : h('p', { class: 'muted mini-empty' }, `${person.name} holds nothing.`),
    foot);
}
