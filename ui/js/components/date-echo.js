// The day a date field holds, in the window's own words ("Sun, 15 Mar 2026"), shown under the
// field when the field's order could be misread: the web view draws date fields in the
// process's locale, and where that is month-first while the rest of the window writes dates
// day-first (format.js: DATE_FIELDS_MONTH_FIRST), 02/12/2026 alone could be either day. In
// every other locale the field already reads in the user's order and no echo is made.
// This owns only that line; the field's value, its errors and the half-typed check stay where
// they are (the <input type="date"> and components/field.js).

import { h } from '../dom.js';
import { DATE_FIELDS_MONTH_FIRST, formatDateWithWeekday } from '../format.js';

const nativeValue = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value');
let uid = 0;

/**
 * The echo of date input `input`, to place after it, or null when none is needed. It follows
 * what the user types or picks and what code sets (dialogs fill fields by `.value`), is hidden
 * while the field is empty or half-typed, and describes the field to screen readers.
 */
export function dateEcho(input) {
  if (!DATE_FIELDS_MONTH_FIRST || input.type !== 'date') return null;
  const echo = h('span', { class: 'field-hint date-echo', id: `date-echo-${++uid}`, dataset: { dateEcho: true }, 'aria-live': 'polite' });
  const show = () => {
    const words = formatDateWithWeekday(nativeValue.get.call(input));
    echo.textContent = words;
    echo.hidden = !words;
  };
  // Setting `.value` fires no event, so the setter itself updates the echo, on this input only.
  Object.defineProperty(input, 'value', {
    configurable: true,
    get() { return nativeValue.get.call(this); },
    set(v) { nativeValue.set.call(this, v); show(); },
  });
  input.addEventListener('input', show);
  input.addEventListener('change', show);
  input.setAttribute('aria-describedby', [input.getAttribute('aria-describedby'), echo.id].filter(Boolean).join(' '));
  show();
  return echo;
}
