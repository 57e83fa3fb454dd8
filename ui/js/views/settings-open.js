// Settings → where the register lives: Open another register… (a register file on this
// computer, or a team register on a PostgreSQL server by its address: checked, remembered, and
// the app starts again on it; a team register's password is asked for when the server wants
// one and kept in the system keychain, never in the app's settings); Move this register to a
// server… (a file register copied, with its history, into an empty team register by the
// database's owner, after which the file is marked as moved and opens read-only), Use this file
// again (the mark taken off); and on a team register, Back up now… and Save as a register file….

import { api } from '../api.js';
import { h } from '../dom.js';
import { formatSize, plural } from '../format.js';
import { openDialog } from '../components/dialog.js';
import { field, noteField } from '../components/field.js';
import { toast } from '../widgets.js';

const URL_HINT = 'The address whoever set up the server gave you. Over the network it asks for TLS with the server’s certificate checked (sslmode=verify-full&sslrootcert=…); on the server itself its socket needs none.';

/** The Open another register… button (or why the window cannot open another), for a card. */
export function openRegisterActions(store, { canMove = false } = {}) {
  const button = h('button', { type: 'button', class: 'btn', dataset: { action: 'open-register' } }, 'Open another register…');
  button.addEventListener('click', () => openRegisterDialog(store));
  const actions = h('div', { class: 'form-actions' }, button);
  if (canMove) {
    const move = h('button', { type: 'button', class: 'btn', dataset: { action: 'move-to-server' } }, 'Move to a server…');
    move.setAttribute('title', 'Copy this register, with its whole history and documents, into an empty team register on a PostgreSQL server');
    move.addEventListener('click', () => moveToServerDialog(store));
    actions.append(move);
  }
  if (store.info?.fixed_by_environment) {
    button.disabled = true;
    actions.append(h('span', { class: 'field-hint' }, 'This window was started with ASSET_REGISTER_DB naming its register.'));
  }
  return actions;
}

export function openRegisterDialog(store, { team: preferTeam = null, url: givenUrl = '' } = {}) {
  const isTeam = preferTeam ?? !!store.info?.team;
  const radio = (value, label, checked) => h('label', { class: 'check choice' },
    h('input', { type: 'radio', name: 'kind', value, checked }), h('span', null, label));
  const path = h('input', { name: 'path', readonly: true, placeholder: 'No file chosen', class: 'mono' });
  const choose = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'choose-register-file' } }, 'Choose…');
  const url = h('input', { name: 'register', autocomplete: 'off', spellcheck: 'false', class: 'mono', value: givenUrl, placeholder: 'postgresql://you@db.example.org/register?sslmode=verify-full&sslrootcert=/path/to/ca.crt' });
  const fileRow = h('div', { class: 'open-register-file' }, field('Register file', path), choose);
  const urlRow = field('Server address', url, { hint: URL_HINT });
  const kinds = h('div', { class: 'dialog-fieldset', role: 'radiogroup', 'aria-label': 'Where the register is' },
    radio('file', 'A register file on this computer', !isTeam),
    radio('team', 'A team register on a server', isTeam));
  const show = () => {
    const team = kinds.querySelector('[name="kind"]:checked').value === 'team';
    fileRow.hidden = team;
    urlRow.hidden = !team;
  };
  kinds.addEventListener('change', show);
  show();
  choose.addEventListener('click', async () => {
    const picked = await api.pickRegisterFile().catch(() => null);
    if (picked) path.value = picked;
  });
  return openDialog({
    name: 'open-register',
    title: 'Open another register',
    intro: 'The app starts again on the register you choose, and opens it from then on. Nothing in the register open now changes.',
    body: [kinds, fileRow, urlRow],
    confirmLabel: 'Open',
    onConfirm: async (form, showError) => {
      const team = form.querySelector('[name="kind"]:checked').value === 'team';
      const register = (team ? url.value : path.value).trim();
      if (!register) {
        showError(team ? 'Enter the server address of the team register.' : 'Choose the register file to open.', team ? 'register' : 'path');
        return false;
      }
      await api.openRegister(register);
      return true;
    },
  });
}

/**
 * Move to a server…: the empty team register's address as its owner (set up with
 * `asset-register-cli team setup`), the owner's password (for this move only), a note. The
 * register is checked, copied with its history, and a "moved to server" event continues the
 * chain; the file is then marked as moved, so it opens read-only. Then it offers to open the
 * team register with your login.
 */
function moveToServerDialog(store) {
  const url = h('input', { name: 'url', autocomplete: 'off', spellcheck: 'false', class: 'mono', placeholder: 'postgresql://owner@db.example.org/register?sslmode=verify-full&sslrootcert=/path/to/ca.crt' });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'off' });
  return openDialog({
    name: 'move-to-server',
    title: 'Move this register to a server',
    intro: 'Copies everything — assets, people, licences, documents and the whole history — into an empty team register, then records the move in the history. Whoever runs the server sets the register up first (asset-register-cli team setup) and gives you its owner’s address and password; the password is used for this move only and never kept. This file then keeps the register as it was, read-only, so no change goes into it by mistake.',
    body: [
      field('Owner’s address of the empty team register', url),
      field('Owner’s password', password, { hint: 'Leave empty when the server asks for none (its Unix socket, say).' }),
      noteField('Why? (optional, kept in the history)'),
    ],
    confirmLabel: 'Move',
    onConfirm: async (form, showError) => {
      if (!url.value.trim()) {
        showError('Enter the owner’s address of the empty team register.', 'url');
        return false;
      }
      const note = form.querySelector('[name="note"]').value;
      const moved = await api.moveToServer(url.value.trim(), password.value, note);
      moved.url = url.value.trim();
      return moved;
    },
  }).then(async (moved) => {
    if (!moved) return;
    // The file is read-only now: the banner says where the register went.
    await store.loadInfo();
    // People work on it with their own logins, not the owner's.
    const login = moved.url.replace(/^(postgres(?:ql)?:\/\/)[^@/]*@/, '$1');
    openDialog({
      name: 'moved',
      title: 'Moved to the server',
      intro: `Copied ${moved.copied}. The team register’s history continues this one’s and has ${plural(moved.event_count, 'event')}, head ${moved.head_hash.slice(0, 12)}. To work on it, open it with your own login (the server’s owner gives each person theirs with asset-register-cli team grant); this file is no longer where changes go.`,
      confirmLabel: 'Open the team register…',
      cancelLabel: 'Later',
      onConfirm: () => true,
    }).then((open) => {
      if (open) openRegisterDialog(store, { team: true, url: login.replace('://', '://YOUR-LOGIN@') });
    });
  });
}

/**
 * Use this file again…: takes the moved mark off this register file, so it can be changed again;
 * the team register is not touched, and the two go their own ways from here. Reloads the window.
 */
export function useFileAgainDialog() {
  return openDialog({
    name: 'use-file-again',
    title: 'Use this file again',
    intro: 'This register was moved to a team register, so this file was kept as it was then. Using it again makes it a register of its own: changes made here will not reach the team register, and changes made there will not reach this file.',
    body: [noteField('Why? (kept in the history)')],
    confirmLabel: 'Use this file again',
    onConfirm: async (form) => {
      await api.useFileAgain(form.querySelector('[name="note"]').value);
      return true;
    },
  }).then((done) => {
    if (done) window.location.reload();
  });
}

/** Back up now… and Save as a register file… on a team register (not for viewers). */
export function teamCopyActions(store) {
  const access = store.info?.team?.access ?? {};
  if (!access.reads_trail) {
    return h('p', { class: 'muted' }, 'A copy holds the whole history, which your login does not read; an editor or an auditor can make one.');
  }
  const backup = h('button', { type: 'button', class: 'btn', dataset: { action: 'backup-team' } }, 'Back up now…');
  const save = h('button', { type: 'button', class: 'btn', dataset: { action: 'save-as-file' } }, 'Save as a register file…');
  const busy = async (button, label, work) => {
    button.disabled = true;
    const was = button.textContent;
    button.textContent = label;
    try {
      await work();
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      button.disabled = false;
      button.textContent = was;
    }
  };
  backup.addEventListener('click', () => busy(backup, 'Backing up…', async () => {
    const done = await api.backupTeamRegister();
    if (done) toast(`Backup saved: ${done.file_name} (${plural(done.event_count, 'change')}, ${plural(done.documents, 'document')}, ${formatSize(done.size)})`);
  }));
  save.addEventListener('click', () => busy(save, 'Saving…', async () => {
    const done = await api.exportTeamRegister();
    if (done) toast(`Saved as a register file: ${done.path} (${done.copied})`);
  }));
  return h('div', { class: 'form-actions' }, backup, save);
}
