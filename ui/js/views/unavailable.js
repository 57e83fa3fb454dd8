// The screen shown when the register cannot be opened: why, in the core's words, and a way
// back that needs no terminal: restore one of the automatic backups, or a backup file; try again
// (a team register's server may be back); or open another register.

import { api } from '../api.js';
import { h } from '../dom.js';
import { formatDateTime, formatSize, relativeTime } from '../format.js';
import { toast } from '../widgets.js';
import { checkAndRestore } from '../components/restore.js';
import { openRegisterActions } from './settings-open.js';

const INTRO = 'Restoring puts the backup in place of the register that cannot be opened; that file is kept beside it, renamed, not deleted.';

/** Replaces `container`'s content with the error screen for `message`. */
export function mountUnavailable(container, message, store = null) {
  const list = h('ul', { class: 'unavailable-backups', dataset: { backups: true } },
    h('li', { class: 'muted' }, 'Looking for automatic backups…'));
  const choose = h('button', { type: 'button', class: 'btn', dataset: { action: 'choose-backup' } }, 'Choose a backup file…');

  const restore = async (path, button) => {
    const restored = await checkAndRestore(path, { intro: INTRO, busy: button });
    if (!restored) return;
    // Everything starts over on the restored register.
    location.hash = '#/home';
    location.reload();
  };
  choose.addEventListener('click', async () => {
    try {
      const path = await api.pickBackup();
      if (path) await restore(path, choose);
    } catch (err) {
      toast(err.message, 'error');
    }
  });

  const retry = h('button', { type: 'button', class: 'btn', dataset: { action: 'try-again' } }, 'Try again');
  retry.addEventListener('click', () => location.reload());
  const elsewhere = openRegisterActions(store ?? {});
  elsewhere.prepend(retry);

  // Offered once the backups are listed: not when another window has the register.
  const offer = h('div', { class: 'unavailable-restore', dataset: { restoreOffer: true }, hidden: true },
    h('p', null, 'If the register file is damaged or missing, restore a backup. The app checks it completely before it replaces anything.'),
    h('h2', { class: 'unavailable-subtitle' }, 'Automatic backups'),
    list,
    h('div', { class: 'form-actions' }, choose));

  container.replaceChildren(
    h('div', { class: 'unavailable', dataset: { unavailable: true } },
      h('div', { class: 'unavailable-card' },
        h('h1', null, 'The register could not be opened'),
        h('p', { class: 'unavailable-message' }, message),
        h('p', { class: 'muted' }, 'Nothing has been changed.'),
        offer,
        h('div', { class: 'unavailable-other' },
          h('p', null, 'Or try again (a server may be back, a drive plugged in again), or open another register.'),
          elsewhere))),
  );

  api.listBackups().then((backups) => {
    offer.hidden = false;
    if (!backups.length) {
      list.replaceChildren(h('li', { class: 'muted' }, 'There are no automatic backups of this register. Choose a backup file you saved.'));
      return;
    }
    list.replaceChildren(...backups.slice(0, 10).map((b) => {
      const button = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'restore-backup' } }, 'Restore…');
      button.addEventListener('click', () => restore(b.path, button));
      return h('li', { dataset: { backup: b.file_name } },
        h('span', { title: b.file_name }, b.written_at ? `${relativeTime(b.written_at)} · ${formatDateTime(b.written_at)}` : b.file_name),
        h('span', { class: 'muted num' }, formatSize(b.size)),
        button);
    }));
  }, (err) => {
    // Another window has the register, or it is a team register (its backups are the
    // server's): nothing to offer.
    if (err.kind === 'refused' || err.kind === 'fileOnly') return;
    offer.hidden = false;
    list.replaceChildren(h('li', { class: 'muted' }, `The automatic backups cannot be listed: ${err.message}`));
  });
}
