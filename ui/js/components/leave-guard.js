// Asking before typed work is lost: a view registers a guard for each form with typed content
// (`ctx.guardLeave`, from field.js `watchForm`), and the router and the window's close ask
// "Save / Discard / Stay" while one of them holds unsaved changes. This file owns the
// question, not the forms.

import { h } from '../dom.js';
import { openDialog } from './dialog.js';

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
