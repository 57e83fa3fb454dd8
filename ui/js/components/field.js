// Form fields and their errors: a labelled field with its error slot, and the one way a core
// error `{kind, message, field}` is shown beside the field it concerns (`showFieldError`).

import { api } from '../api.js';
import { h } from '../dom.js';
import { dateEcho } from './date-echo.js';

let uid = 0;

/**
 * A labelled form field with its error slot (`[data-error-for=<name>]`); a date field also
 * gets its day in words when its order could be misread (components/date-echo.js).
 */
export function field(label, control, { hint, wide } = {}) {
  const id = control.id || `f${++uid}`;
  control.id = id;
  const name = control.getAttribute('name');
  return h('div', { class: ['field', wide && 'field-wide'] },
    h('label', { class: 'field-label', for: id }, label),
    control,
    dateEcho(control),
    hint ? h('span', { class: 'field-hint' }, hint) : null,
    name ? h('span', { class: 'field-error', dataset: { errorFor: name }, hidden: true, role: 'alert' }) : null);
}

/** The note a recorded change may carry (kept in the history). */
export const noteField = (placeholder = 'Why? (optional, kept in the history)') =>
  field('Note', h('textarea', { name: 'note', rows: 2, placeholder }));

/** The trimmed value of `form`'s control named `name` ('' when there is none). */
export const formValue = (form, name) => (form.querySelector(`[name="${name}"]`)?.value ?? '').trim();

const slotFor = (form, name) => (name ? form.querySelector(`[data-error-for="${name}"]`) : null);

/**
 * Shows a core error `{kind, message, field}` beside the field it concerns: the message in
 * the field's `[data-error-for]` slot, its control marked `aria-invalid` and (unless `focus` is
 * false) focused. An error that names no field with a slot shows in the form's own message
 * (`[data-form-error]`, or `[data-dialog-error]` in a dialog); `into` puts it there always.
 * Returns the element that shows the message, or null.
 */
export function showFieldError(form, err, { into = null, focus = true } = {}) {
  const target = into ?? slotFor(form, err.field) ?? form.querySelector('[data-form-error], [data-dialog-error]');
  if (target) {
    target.replaceChildren(err.message ?? String(err));
    // Someone else saved this record first (a team register): nothing was saved, and the
    // window offers their version rather than ever writing over it.
    if (err.kind === 'conflict') {
      const reload = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'reload-record' } }, 'Reload their version');
      reload.addEventListener('click', () => location.reload());
      target.append(' ', reload);
    }
    target.hidden = false;
  }
  const control = err.field ? form.querySelector(`[name="${err.field}"]`) : null;
  if (control && !control.closest('[hidden]')) {
    control.setAttribute('aria-invalid', 'true');
    if (focus) control.focus();
  }
  return target;
}

/** What a half-typed date field says beside it. */
export const INCOMPLETE_DATE = 'This date is incomplete: fill in the day, month and year, or clear it.';

/**
 * Shows an error beside every date field of `form` the web view holds half-typed (only the
 * month, say): its `.value` is then '' exactly as if it were empty, and only
 * `validity.badInput` tells the two apart, so without this the date would be dropped in
 * silence. Focuses the first; returns how many there were.
 */
export function showIncompleteDates(form) {
  const bad = [...form.querySelectorAll('input[type="date"]')]
    .filter((el) => el.validity?.badInput && !el.closest('[hidden]'));
  bad.forEach((el, i) => showFieldError(form, { field: el.name, message: INCOMPLETE_DATE }, { focus: i === 0 }));
  return bad.length;
}

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

/** Hides every error message of `form` and clears its `aria-invalid` marks. */
export function clearFieldErrors(form) {
  for (const el of form.querySelectorAll('[data-error-for], [data-form-error], [data-dialog-error]')) {
    el.hidden = true;
    el.replaceChildren();
  }
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** Clears the error of one control (when the user edits it). */
export function clearFieldError(form, control) {
  const name = control?.getAttribute?.('name');
  if (!name) return;
  control.removeAttribute('aria-invalid');
  const slot = slotFor(form, name);
  if (slot && !slot.hidden) {
    slot.hidden = true;
    slot.replaceChildren();
  }
}

/** "Open IT-0001": opens the asset a duplicate tag or serial number is already on. */
export function openAssetButton(tag, navigate) {
  const open = h('button', { type: 'button', class: 'link-btn' }, `Open ${tag}`);
  open.addEventListener('click', async () => {
    const page = await api.listAssets({ search: tag, limit: 20, include_archived: true });
    const hit = page.assets.find((a) => a.asset_tag.toLowerCase() === tag.toLowerCase());
    if (hit) navigate(`#/assets/${hit.id}`);
  });
  return open;
}
