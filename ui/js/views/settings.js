// `#/settings`: organisation name, currency, where the register lives, its integrity, and
// backups (Back up now…, Restore…, the automatic backups).

import { api, ApiError } from '../api.js';
import { h, formatMoney, suggest, toast, formatCount, formatDateTime, formatSize, relativeTime, plural, LOCALE } from '../dom.js';
import { field, openDialog } from './dialogs.js';

const CURRENCIES = ['GBP', 'EUR', 'USD', 'CHF', 'SEK', 'NOK', 'DKK', 'PLN', 'CZK', 'CAD', 'AUD', 'NZD', 'JPY', 'INR', 'ZAR', 'SGD', 'HKD'];

export async function mountSettings(root, ctx) {
  const { store, signal } = ctx;
  const [settings] = await Promise.all([api.getSettings(), store.info ? null : store.loadInfo().catch(() => {})]);
  if (!ctx.isCurrent()) return;

  const org = h('input', { name: 'organisation', autocomplete: 'off', placeholder: 'e.g. Harbour Street Surgery', value: settings.organisation ?? '' });
  const currency = h('input', { name: 'currency', autocomplete: 'off', spellcheck: 'false', maxlength: '3', class: 'mono input-short', value: settings.currency ?? 'GBP' });
  const preview = h('span', { class: 'field-hint num' });
  const updatePreview = () => {
    const code = currency.value.trim().toUpperCase();
    let ok = /^[A-Z]{3}$/.test(code);
    if (ok) {
      try { new Intl.NumberFormat(LOCALE, { style: 'currency', currency: code }); } catch { ok = false; }
    }
    preview.textContent = ok ? `Money will show as ${formatMoney('1249.99', code)}` : 'A three-letter ISO 4217 code, e.g. GBP, EUR, USD';
  };
  currency.addEventListener('input', () => {
    const pos = currency.selectionStart;
    currency.value = currency.value.toUpperCase();
    currency.setSelectionRange(pos, pos);
    updatePreview();
  });
  updatePreview();
  const currencyField = field('Currency', currency);
  suggest(currency, () => CURRENCIES);
  currencyField.insertBefore(preview, currencyField.querySelector('[data-error-for]'));

  const saveBtn = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'save' } }, 'Save settings');
  const formError = h('p', { class: 'form-error', role: 'alert', hidden: true });
  const form = h('form', { class: 'settings-form', dataset: { settingsForm: true, savable: true }, novalidate: true },
    field('Organisation', org, { hint: 'Shown in the sidebar and on Home.' }),
    currencyField,
    formError,
    h('div', { class: 'form-actions' }, saveBtn));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    formError.hidden = true;
    for (const el of form.querySelectorAll('[data-error-for]')) { el.hidden = true; el.textContent = ''; }
    saveBtn.disabled = true;
    try {
      const saved = await api.updateSettings({ organisation: org.value.trim(), currency: currency.value.trim().toUpperCase() });
      store.setSettings(saved);
      org.value = saved.organisation ?? '';
      currency.value = saved.currency ?? '';
      updatePreview();
      toast('Settings saved');
    } catch (err) {
      const slot = err instanceof ApiError && err.field ? form.querySelector(`[data-error-for="${err.field}"]`) : null;
      (slot ?? formError).textContent = err.message;
      (slot ?? formError).hidden = false;
    } finally {
      saveBtn.disabled = false;
    }
  });

  // --- register and integrity ----------------------------------------------------------------
  const info = store.info ?? {};
  const register = h('dl', { class: 'facts facts-wide' },
    h('dt', null, 'File'), h('dd', null, h('span', { class: 'mono' }, info.file_name || '–')),
    h('dt', null, 'Location'), h('dd', null, h('code', { class: 'path', dataset: { registerPath: true } }, info.path || '–')));

  const integrity = h('dl', { class: 'facts facts-wide', dataset: { integrityDetails: true } });
  const verifyBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'verify' } }, 'Check again');
  const renderIntegrity = () => {
    const v = store.verification;
    verifyBtn.disabled = Boolean(v?.pending);
    if (!v || v.pending) {
      integrity.replaceChildren(h('dt', null, 'State'), h('dd', null, 'Checking…'));
      return;
    }
    const rows = [
      ['State', v.ok ? '✓ Verified: the database is sound and no recorded change has been altered.' : `✗ Check failed${v.error ? `: ${v.error}` : ''}`],
    ];
    if (!v.error) {
      rows.push(['Changes recorded', formatCount(v.event_count)]);
      rows.push(['Database check', v.integrity]);
      if (v.first_bad_event) rows.push(['First bad change', `#${v.first_bad_event.id}: ${v.first_bad_event.reason}`]);
      rows.push(['Head hash', h('code', { class: 'hash' }, v.head_hash)]);
    }
    integrity.replaceChildren(...rows.flatMap(([k, val]) => [h('dt', null, k), h('dd', { class: k === 'State' ? (v.ok ? 'ok-text' : 'bad-text') : null }, val)]));
  };
  verifyBtn.addEventListener('click', () => store.verify());
  store.addEventListener('change', (e) => { if (e.detail.what === 'verification') renderIntegrity(); }, { signal });
  renderIntegrity();

  // --- backups -------------------------------------------------------------------------------
  const readOnly = Boolean(info.read_only);
  const backupBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'backup' } }, 'Back up now…');
  const restoreBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'restore' }, disabled: readOnly,
    title: readOnly ? 'This register is open read-only' : null }, 'Restore…');
  const autoList = h('ul', { class: 'backup-list', dataset: { autoBackups: true } });
  const renderAuto = async () => {
    const list = await api.listBackups().catch(() => []);
    if (!ctx.isCurrent()) return;
    if (!list.length) {
      autoList.replaceChildren(h('li', { class: 'muted' }, 'None yet: the first is written when you close the app after a change.'));
      return;
    }
    autoList.replaceChildren(...list.slice(0, 5).map((b) => h('li', null,
      h('span', { title: b.written_at ? formatDateTime(b.written_at) : null }, b.written_at ? relativeTime(b.written_at) : b.file_name),
      h('span', { class: 'muted num' }, formatSize(b.size)))));
  };
  backupBtn.addEventListener('click', async () => {
    backupBtn.disabled = true;
    const label = backupBtn.textContent;
    backupBtn.textContent = 'Backing up…';
    try {
      const done = await api.backupRegister();
      if (done) toast(`Backup saved: ${done.file_name} (${plural(done.event_count, 'change')}, ${plural(done.documents, 'document')})`);
    } catch (err) {
      toast(err.message, 'error');
    } finally {
      backupBtn.disabled = false;
      backupBtn.textContent = label;
    }
  });
  restoreBtn.addEventListener('click', async () => {
    let path;
    try {
      path = await api.pickBackup();
    } catch (err) {
      toast(err.message, 'error');
      return;
    }
    if (!path) return;
    let checked;
    try {
      restoreBtn.disabled = true;
      checked = await api.checkBackupFile(path);
    } catch (err) {
      toast(err.message, 'error');
      return;
    } finally {
      restoreBtn.disabled = readOnly;
    }
    const facts = h('dl', { class: 'facts' },
      h('dt', null, 'File'), h('dd', null, h('span', { class: 'mono' }, checked.file_name)),
      h('dt', null, 'Taken'), h('dd', null, formatDateTime(checked.created_at)),
      h('dt', null, 'Changes recorded'), h('dd', null, formatCount(checked.event_count)),
      h('dt', null, 'Documents'), h('dd', null, formatCount(checked.documents)));
    const restored = await openDialog({
      name: 'restore',
      title: 'Restore this backup?',
      intro: 'The backup was checked: every file matches its hash, the database is sound and its history verifies. Restoring replaces the register you have open now; that register is kept beside it, not deleted.',
      body: [facts],
      confirmLabel: 'Restore',
      danger: true,
      onConfirm: () => api.restoreRegister(path),
    });
    if (!restored) return;
    toast(`Restored the backup of ${formatDateTime(restored.backup.created_at)}`);
    // Everything on screen came from the register that was replaced: start over.
    await store.loadInfo().catch(() => {});
    store.changed();
    ctx.navigate('#/home');
  });
  renderAuto();

  const section = (title, intro, ...body) => h('section', { class: 'card settings-card' },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, title)),
    intro ? h('p', { class: 'muted card-intro' }, intro) : null,
    ...body);

  root.replaceChildren(
    h('header', { class: 'view-head' }, h('div', { class: 'view-title' }, h('h1', null, 'Settings'))),
    h('div', { class: 'settings-stack' },
      section('Register', null, form),
      section('Register file', 'Everything is kept in this one file on this computer. Back it up with your other documents.', register),
      section('Integrity', 'Each change is chained to the one before it, so an edit made outside the app shows up here.', integrity, h('div', { class: 'form-actions' }, verifyBtn)),
      section('Backups', 'A backup is one file with the whole register and every document, each with its SHA-256, so it can be checked before it is restored. The app also keeps the newest 10 automatic backups, written daily and when you close it after a change.',
        h('dl', { class: 'facts facts-wide' },
          h('dt', null, 'Automatic backups'), h('dd', null, h('code', { class: 'path' }, info.backups_dir || '–')),
          h('dt', null, 'Newest'), h('dd', null, autoList)),
        h('div', { class: 'form-actions' }, backupBtn, restoreBtn))));
}
