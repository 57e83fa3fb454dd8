// Modal dialogs (<dialog> + showModal; Esc closes). A refused or invalid action shows its
// message inside the dialog, which stays open until it succeeds or the user cancels.

import { ApiError } from '../api.js';
import { h } from '../dom.js';
import { clearFieldErrors, showFieldError, showIncompleteDates, watchForm } from './field.js';

let uid = 0;

/**
 * Opens a dialog. `onConfirm(form, showError)` may throw an ApiError (shown inside) or return
 * normally (the dialog closes; returning false keeps it open). `showError(message, field)`
 * shows a message in the dialog and marks the field. Resolves with the confirm result, or
 * undefined when cancelled. `choices` [{action, label, value}] adds buttons between Cancel
 * (`cancelLabel`) and the confirm button that close the dialog resolving with their `value`.
 */
export function openDialog({ name, title, intro, body = [], confirmLabel = 'Confirm', cancelLabel = 'Cancel', choices = [], danger = false, onConfirm, initialFocus }) {
  return new Promise((resolve) => {
    const error = h('p', { class: 'dialog-error', dataset: { dialogError: true }, role: 'alert', hidden: true });
    const confirm = h('button', { type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary'], dataset: { action: 'confirm' } }, confirmLabel);
    const cancel = h('button', { type: 'button', class: 'btn', dataset: { action: 'cancel' } }, cancelLabel);
    const choiceButtons = choices.map((c) => h('button', { type: 'button', class: 'btn', dataset: { action: c.action } }, c.label));
    const titleId = `dt${++uid}`;
    const form = h('form', { class: 'dialog-form', method: 'dialog', novalidate: true },
      h('header', { class: 'dialog-head' }, h('h2', { id: titleId }, title)),
      h('div', { class: 'dialog-body' }, intro ? h('p', { class: 'dialog-intro' }, intro) : null, body, error),
      h('footer', { class: 'dialog-foot' },
        h('span', { class: 'shortcut-hint dialog-hint', title: `${confirmLabel}: Ctrl+Enter or Ctrl+S` }, h('kbd', null, navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl'), h('kbd', null, 'Enter')),
        cancel, choiceButtons, confirm));
    const dialog = h('dialog', { class: 'dialog', dataset: { dialog: name }, 'aria-labelledby': titleId }, form);
    let result;
    choiceButtons.forEach((b, i) => b.addEventListener('click', () => {
      result = choices[i].value;
      dialog.close();
    }));

    // A dialog's own message sits above its buttons, whichever field it concerns.
    const showError = (message, field, kind) => {
      clearFieldErrors(form);
      showFieldError(form, { message, field, kind }, { into: error });
    };
    form.addEventListener('input', () => { error.hidden = true; });
    // Ctrl/Cmd+Enter (or Ctrl/Cmd+S, as in forms) confirms from anywhere in the dialog,
    // including the note; the footer says so.
    form.addEventListener('keydown', (e) => {
      const mod = (e.ctrlKey || e.metaKey) && !e.altKey;
      if (mod && (e.key === 'Enter' || e.key.toLowerCase() === 's')) {
        e.preventDefault();
        form.requestSubmit();
      }
    });
    // Cancel or Esc with something typed asks before throwing it away. What the dialog was
    // opened with (filled in by its caller right after opening) is not "typed".
    let typed = null;
    setTimeout(() => { typed = watchForm(form, {}); }, 0);
    const cancelAttempt = async () => {
      if (!typed?.isDirty()) {
        dialog.close();
        return;
      }
      const discard = await openDialog({
        name: 'discard-typed',
        title: 'Discard what you typed?',
        intro: 'This dialog has text that is not saved yet.',
        confirmLabel: 'Discard',
        cancelLabel: 'Keep editing',
        danger: true,
        onConfirm: () => true,
      });
      if (discard) dialog.close();
    };
    cancel.addEventListener('click', cancelAttempt);
    dialog.addEventListener('cancel', (e) => {
      e.preventDefault();
      cancelAttempt();
    });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (confirm.disabled) return;
      error.hidden = true;
      clearFieldErrors(form);
      if (showIncompleteDates(form)) return;
      confirm.disabled = true;
      try {
        result = await onConfirm(form, showError);
        if (result !== false) dialog.close();
      } catch (err) {
        if (err instanceof ApiError) showError(err.message, err.field, err.kind);
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
