// The screen shown when the window is for a team register on a server that asks for a password
// the app does not have: where the register is, a password field, and whether the system's
// keychain should keep it. The password goes to the server and, if asked, to the keychain;
// never to a file.

import { api, ApiError } from '../api.js';
import { h } from '../dom.js';

/** Replaces `container`'s content with the sign-in card for `team` (`{url, database, server}`). */
export function mountSignIn(container, team, message) {
  const password = h('input', { type: 'password', name: 'password', id: 'sign-in-password', autocomplete: 'current-password', required: true });
  const remember = h('input', { type: 'checkbox', name: 'remember', id: 'sign-in-remember', checked: true });
  const error = h('p', { class: 'form-error', role: 'alert', dataset: { formError: true }, hidden: true });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'sign-in' } }, 'Sign in');
  const form = h('form', { class: 'sign-in-form', dataset: { signIn: true } },
    h('div', { class: 'field' },
      h('label', { for: 'sign-in-password' }, 'Password'),
      password),
    h('label', { class: 'check' }, remember, ' Remember it in this computer’s keychain'),
    error,
    h('div', { class: 'form-actions' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!password.value) {
      error.textContent = 'Enter your password.';
      error.hidden = false;
      password.focus();
      return;
    }
    submit.disabled = true;
    error.hidden = true;
    try {
      await api.teamSignIn(password.value, remember.checked);
      // Everything starts over, signed in.
      location.reload();
    } catch (err) {
      error.textContent = err instanceof ApiError ? err.message : String(err);
      error.hidden = false;
      password.select();
      submit.disabled = false;
    }
  });
  form.addEventListener('input', () => { error.hidden = true; });

  const where = h('dl', { class: 'facts sign-in-where' },
    h('dt', null, 'Register'), h('dd', { dataset: { teamDatabase: true } }, team.database || '—'),
    h('dt', null, 'Server'), h('dd', null, team.server),
    h('dt', null, 'Address'), h('dd', null, h('code', null, team.url)));

  container.replaceChildren(
    h('div', { class: 'unavailable', dataset: { teamSignIn: true } },
      h('div', { class: 'unavailable-card' },
        h('h1', null, 'Sign in to the team register'),
        h('p', { class: 'muted' }, message),
        where,
        form)),
  );
  password.focus();
}
