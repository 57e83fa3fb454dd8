// The asset statuses and their labels, as the core spells them (`list_statuses`), loaded once
// at start (app.js) before the first view renders; and the status pill, the same everywhere.

import { api } from './api.js';
import { h } from './dom.js';
import { text } from './format.js';

/**
 * Used only when `list_statuses` fails, so the window still works; the core's labels
 * (src-tauri/core/src/status.rs) are the ones shown otherwise.
 */
const FALLBACK = [
  { value: 'available', label: 'Available' },
  { value: 'deployed', label: 'Deployed' },
  { value: 'in_maintenance', label: 'In Maintenance' },
  { value: 'retired', label: 'Retired' },
  { value: 'lost_stolen', label: 'Lost/Stolen' },
];

/** Every status in lifecycle order, `[{value, label}]`; filled by `loadStatuses()`. */
export const STATUSES = [];

/** Loads the statuses from the core (once, from app.js); on failure, logs it and falls back. */
export async function loadStatuses() {
  let list;
  try {
    list = await api.listStatuses();
    if (!Array.isArray(list) || !list.length) throw new Error('list_statuses returned no statuses');
  } catch (e) {
    console.error('Status labels: list_statuses failed, using the built-in labels.', e);
    list = FALLBACK;
  }
  STATUSES.splice(0, STATUSES.length, ...list.map(({ value, label }) => ({ value, label })));
}

export function statusLabel(value) {
  return STATUSES.find((s) => s.value === value)?.label ?? text(value);
}

/** The status pill, the same everywhere. */
export function pill(status, attrs = {}) {
  return h('span', { class: `pill pill-${status}`, ...attrs }, statusLabel(status));
}
