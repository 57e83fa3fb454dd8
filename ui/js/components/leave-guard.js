// Asking before typed work is lost: a view registers a guard for each form with typed content
// (`ctx.guardLeave`), and the router and the window's close ask "Save / Discard / Stay" while
// one of them holds unsaved changes. This file owns the question, not the forms.

import { h } from '../dom.js';
import { openDialog } from './dialog.js';

/**
 * The filled-in values of a form's named controls, to compare against. Empty ones are left
 * out, so an added blank row is not a change, while clearing a filled field is.
 */
function snapshot(form) {
  return JSON.stringify([...form.elements]
    .filter((el) => el.name && !['submit', 'button', 'file'].includes(el.type))
    .map((el) => [el.name, el.type === 'checkbox' || el.type === 'radio' ? el.checked : el.value])
    .filter(([, v]) => v !== '' && v !== false));
}

/** A date the web view holds half-typed reads as '' but is typed content all the same. */
const halfTypedDate = (form) => [...form.querySelectorAll('input[type="date"]')].some((el) => el.validity?.badInput);

/**
 * A guard over `form`: dirty when any named control differs from its value when watched or
 * last `markClean()`ed, or a date is half-typed. `save()` (the form's own save, resolving to
 * whether it saved) is what "Save" runs. `what` names the form in the question.
 */
export function watchForm(form, { what, save }) {
  let clean = snapshot(form);
  return {
    what,
    save,
    isDirty: () => snapshot(form) !== clean || halfTypedDate(form),
    markClean: () => { clean = snapshot(form); },
  };
}

/**
 * Asks what to do with the unsaved changes of `guards` (those dirty): resolves true to go on
 * (nothing unsaved, "Discard", or "Save" and every save succeeded), false to stay.
 */
export async function confirmLeave(guards) {
  const dirty = guards.filter((g) => g.isDirty());
  if (!dirty.length) return true;
  // A question already open (a second click, or the window's close) is not asked twice.
  if (document.querySelector('dialog[data-dialog="unsaved"]')) return false;
  const names = dirty.map((g) => g.what).join(' and ');
  const answer = await openDialog({
    name: 'unsaved',
    title: 'Save your changes?',
    intro: `${names.charAt(0).toUpperCase()}${names.slice(1)} ${dirty.length > 1 ? 'have' : 'has'} changes that are not saved yet.`,
    body: [h('p', { class: 'muted' }, 'Save them and go on, discard them, or stay here to keep editing.')],
    confirmLabel: 'Save',
    cancelLabel: 'Stay',
    choices: [{ action: 'discard', label: 'Discard changes', value: 'discard' }],
    initialFocus: '[data-action="confirm"]',
    onConfirm: () => 'save',
  });
  if (answer === 'discard') return true;
  if (answer !== 'save') return false;
  for (const g of dirty) {
    if (!(await g.save())) return false; // its errors are beside its fields: stay to fix them
  }
  return true;
}
