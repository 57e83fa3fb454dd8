// Settings → Open another register…: a register file on this computer, or a team register on
// a PostgreSQL server by its address. The app checks the choice, remembers it and starts again
// on it; a team register's password is asked for when the server wants one and is kept in the
// system keychain, never in the app's settings (an address holding one is refused).

import { api } from '../api.js';
import { h } from '../dom.js';
import { openDialog } from '../components/dialog.js';
import { field } from '../components/field.js';

const URL_HINT = 'The address whoever set up the server gave you. Over the network it asks for TLS with the server’s certificate checked (sslmode=verify-full&sslrootcert=…); on the server itself its socket needs none.';

/** The Open another register… button (or why the window cannot open another), for a card. */
export function openRegisterActions(store) {
  const button = h('button', { type: 'button', class: 'btn', dataset: { action: 'open-register' } }, 'Open another register…');
  button.addEventListener('click', () => openRegisterDialog(store));
  const actions = h('div', { class: 'form-actions' }, button);
  if (store.info?.fixed_by_environment) {
    button.disabled = true;
    actions.append(h('span', { class: 'field-hint' }, 'This window was started with ASSET_REGISTER_DB naming its register.'));
  }
  return actions;
}

function openRegisterDialog(store) {
  const isTeam = !!store.info?.team;
  const radio = (value, label, checked) => h('label', { class: 'check choice' },
    h('input', { type: 'radio', name: 'kind', value, checked }), h('span', null, label));
  const path = h('input', { name: 'path', readonly: true, placeholder: 'No file chosen', class: 'mono' });
  const choose = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'choose-register-file' } }, 'Choose…');
  const url = h('input', { name: 'register', autocomplete: 'off', spellcheck: 'false', class: 'mono', placeholder: 'postgresql://you@db.example.org/register?sslmode=verify-full&sslrootcert=/path/to/ca.crt' });
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
