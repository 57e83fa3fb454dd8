// Restoring a backup, shared by Settings and the "could not be opened" screen: checks the
// chosen file completely, shows what it holds, and restores it once the user confirms.

import { api } from '../api.js';
import { h } from '../dom.js';
import { formatCount, formatDateTime } from '../format.js';
import { toast } from '../widgets.js';
import { openDialog } from './dialog.js';

/**
 * Checks the backup at `path` (hashes, database, history), shows what it holds and, once the
 * user confirms, restores it. `intro` says what the restore replaces; `busy` (a button) is
 * disabled while the check runs. Resolves to the restore's answer, or null (refused, cancelled).
 */
export async function checkAndRestore(path, { intro, busy = null }) {
  let checked;
  const wasDisabled = busy?.disabled;
  try {
    if (busy) busy.disabled = true;
    checked = await api.checkBackupFile(path);
  } catch (err) {
    toast(err.message, 'error');
    return null;
  } finally {
    if (busy) busy.disabled = wasDisabled;
  }
  const facts = h('dl', { class: 'facts' },
    h('dt', null, 'File'), h('dd', null, h('span', { class: 'mono' }, checked.file_name)),
    h('dt', null, 'Taken'), h('dd', null, formatDateTime(checked.created_at)),
    h('dt', null, 'Changes recorded'), h('dd', null, formatCount(checked.event_count)),
    h('dt', null, 'Documents'), h('dd', null, formatCount(checked.documents)));
  return openDialog({
    name: 'restore',
    title: 'Restore this backup?',
    intro: `The backup was checked: every file matches its hash, the database is sound and its history verifies. ${intro}`,
    body: [facts],
    confirmLabel: 'Restore',
    danger: true,
    onConfirm: () => api.restoreRegister(path),
  });
}
