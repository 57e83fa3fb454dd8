// `#/settings`: organisation name, currency, where the register lives (and opening another),
// its integrity, backups (Back up now…, Restore…, the automatic backups), replacement planning
// and About (version, schema, log file, licences). On a team register: where it is, as whom,
// its integrity and About.

import { auditPackButton } from '../components/audit-pack.js';
import { api } from '../api.js';
import { h } from '../dom.js';
import { DASH, LOCALE, formatCount, formatDateTime, formatMoney, formatSize, plural, relativeTime, text } from '../format.js';
import { suggest, toast } from '../widgets.js';
import { clearFieldErrors, field, showFieldError, watchForm } from '../components/field.js';
import { openDialog } from '../components/dialog.js';
import { checkAndRestore } from '../components/restore.js';
import { replacementCard } from './settings-replacement.js';
import { openRegisterActions, teamCopyActions } from './settings-open.js';

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
    const relabel = ok && code !== (settings.currency ?? 'GBP')
      ? ` — amounts keep their numbers: nothing is converted from ${settings.currency ?? 'GBP'}` : '';
    preview.textContent = ok ? `Money will show as ${formatMoney('1249.99', code)}${relabel}` : 'A three-letter ISO 4217 code, e.g. GBP, EUR, USD';
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
  const formError = h('p', { class: 'form-error', dataset: { formError: true }, role: 'alert', hidden: true });
  const form = h('form', { class: 'settings-form', dataset: { settingsForm: true, savable: true }, novalidate: true },
    field('Organisation', org, { hint: 'Shown in the sidebar and on Home.' }),
    currencyField,
    formError,
    h('div', { class: 'form-actions' }, saveBtn));

  /** Saves the settings; resolves to whether they were saved. */
  async function save() {
    clearFieldErrors(form);
    // A new currency relabels every amount and converts none: say so before it happens.
    const from = settings.currency ?? 'GBP';
    const to = currency.value.trim().toUpperCase();
    if (to !== from && /^[A-Z]{3}$/.test(to)) {
      const sure = await openDialog({
        name: 'change-currency',
        title: `Show money in ${to}?`,
        intro: `Every amount in the register keeps its number and is shown in ${to}: ${formatMoney('1249.99', from)} becomes ${formatMoney('1249.99', to)}. Nothing is converted.`,
        confirmLabel: `Change to ${to}`,
        onConfirm: () => true,
      });
      if (!sure) return false;
    }
    saveBtn.disabled = true;
    try {
      const saved = await api.updateSettings({ organisation: org.value.trim(), currency: currency.value.trim().toUpperCase() });
      store.setSettings(saved);
      settings.currency = saved.currency;
      org.value = saved.organisation ?? '';
      currency.value = saved.currency ?? '';
      updatePreview();
      guard.markClean();
      toast('Settings saved');
      return true;
    } catch (err) {
      showFieldError(form, err);
      return false;
    } finally {
      saveBtn.disabled = false;
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    save();
  });
  const guard = ctx.guardLeave(watchForm(form, { what: 'the settings', save }));

  // --- register and integrity ----------------------------------------------------------------
  const info = store.info ?? {};
  const register = h('dl', { class: 'facts facts-wide' },
    h('dt', null, 'File'), h('dd', null, h('span', { class: 'mono' }, info.file_name || DASH)),
    h('dt', null, 'Location'), h('dd', null, h('code', { class: 'path', dataset: { registerPath: true } }, info.path || DASH)));

  const { integrity, verifyBtn } = integrityParts(store, signal);

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
    const restored = await checkAndRestore(path, {
      intro: 'Restoring replaces the register you have open now; that register is kept beside it, not deleted.',
      busy: restoreBtn,
    });
    if (!restored) return;
    toast(`Restored the backup of ${formatDateTime(restored.backup.created_at)}`);
    // Everything on screen came from the register that was replaced: start over.
    await store.loadInfo().catch(() => {});
    store.changed();
    ctx.navigate('#/home');
  });
  const team = store.info?.team;
  if (!team) renderAuto();

  const about = aboutCard(store, signal);
  const replacement = replacementCard(store, ctx);

  const section = (title, intro, ...body) => h('section', { class: 'card settings-card' },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, title)),
    intro ? h('p', { class: 'muted card-intro' }, intro) : null,
    ...body);

  const cards = team ? [
    section('Register', null, form),
    teamRegisterSection(store),
    section('Integrity', 'Each change is chained to the one before it, so an edit made outside the app shows up here.', integrity, h('div', { class: 'form-actions' }, verifyBtn)),
    section('Copies', 'A backup is the same one file as a register file’s, with every document and the whole history, checked before it is restored. A register file saved from here holds the same and verifies to the same head; the team register is left as it is.', teamCopyActions(store)),
    replacement.el,
    about.el,
  ] : null;
  root.replaceChildren(
    h('header', { class: 'view-head' }, h('div', { class: 'view-title' }, h('h1', null, 'Settings'))),
    cards ? h('div', { class: 'settings-stack' }, ...cards) : h('div', { class: 'settings-stack' },
      section('Register', null, form),
      section('Register file', 'Everything is kept in this one file on this computer. Back it up with your other documents.', register, openRegisterActions(store, { canMove: !info.read_only })),
      section('Integrity', 'Each change is chained to the one before it, so an edit made outside the app shows up here.', integrity, h('div', { class: 'form-actions' }, verifyBtn)),
      section('Audit evidence', 'One .zip for an ISO 27001 or Cyber Essentials auditor: the register report, disposal records, leavers’ checklists, every document and the whole history, with SHA-256 hashes the auditor can check without this app.',
        h('div', { class: 'form-actions' }, auditPackButton())),
      section('Backups', 'A backup is one file with the whole register and every document, each with its SHA-256, so it can be checked before it is restored. The app also keeps the newest 10 automatic backups, written daily and when you close it after a change.',
        h('dl', { class: 'facts facts-wide' },
          h('dt', null, 'Automatic backups'), h('dd', null, h('code', { class: 'path' }, info.backups_dir || DASH)),
          h('dt', null, 'Newest'), h('dd', null, autoList)),
        h('div', { class: 'form-actions' }, backupBtn, restoreBtn)),
      replacement.el,
      about.el));
  await Promise.all([about.load(), replacement.load()]);
  if (ctx.query.get('section') === 'replacement' && ctx.isCurrent()) replacement.el.scrollIntoView({ block: 'start' });
}

// --- integrity -------------------------------------------------------------------------------

/** The Integrity card's facts and its Check again button, kept current as the chain moves. */
function integrityParts(store, signal) {
  const integrity = h('dl', { class: 'facts facts-wide', dataset: { integrityDetails: true } });
  const verifyBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'verify' } }, 'Check again');
  const renderIntegrity = () => {
    const v = store.verification;
    verifyBtn.disabled = Boolean(v?.pending);
    if (v?.unchecked) {
      integrity.replaceChildren(h('dt', null, 'State'), h('dd', null, `Not checked: ${v.reason}.`));
      return;
    }
    if (!v || v.pending) {
      integrity.replaceChildren(h('dt', null, 'State'), h('dd', null, 'Checking…'));
      return;
    }
    const rows = [
      ['State', v.ok ? '✓ Verified: the database is sound and no recorded change has been altered.' : `✗ Check failed${v.error ? `: ${v.error}` : ''}`],
    ];
    if (!v.error) {
      // The count and head as they stand now (re-read after every write), not as last checked.
      const head = store.head ?? v;
      rows.push(['Changes recorded', formatCount(head.event_count)]);
      rows.push(['Database check', v.integrity]);
      if (v.first_bad_event) rows.push(['First bad change', `#${v.first_bad_event.id}: ${v.first_bad_event.reason}`]);
      rows.push(['Head hash', h('code', { class: 'hash', dataset: { headHash: true } }, head.head_hash)]);
    }
    integrity.replaceChildren(...rows.flatMap(([k, val]) => [h('dt', null, k), h('dd', { class: k === 'State' ? (v.ok ? 'ok-text' : 'bad-text') : null }, val)]));
  };
  verifyBtn.addEventListener('click', () => store.verify());
  store.addEventListener('change', (e) => {
    if (e.detail.what === 'verification' || e.detail.what === 'head') renderIntegrity();
  }, { signal });
  renderIntegrity();
  return { integrity, verifyBtn };
}

// --- a team register ---------------------------------------------------------------------------

/**
 * Settings → Team register: where it is, as whom the window is signed in and what that login
 * may do, and Open another register….
 */
function teamRegisterSection(store) {
  const team = store.info.team;
  const access = team.access ?? {};
  const who = access.person ? `${access.person} (${access.login})` : access.login;
  const may = access.can_edit ? 'Change the register (editor)'
    : access.reads_trail ? 'Read everything, the history included; change nothing (auditor)'
      : 'Look and search; change nothing (viewer)';
  return h('section', { class: 'card settings-card' },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Team register')),
    h('p', { class: 'muted card-intro' }, 'Kept on a PostgreSQL server, where several people keep it at once. Its own backups are the server’s; Copies below makes one in the app’s format.'),
    h('dl', { class: 'facts facts-wide', dataset: { teamFacts: true } },
      h('dt', null, 'Register'), h('dd', null, h('span', { class: 'mono' }, team.database || DASH)),
      h('dt', null, 'Server'), h('dd', null, team.server),
      h('dt', null, 'Address'), h('dd', null, h('code', { class: 'path' }, team.url)),
      h('dt', null, 'Signed in as'), h('dd', null, who || DASH),
      h('dt', null, 'May'), h('dd', null, may)),
    openRegisterActions(store));
}

// --- about -----------------------------------------------------------------------------------

/**
 * Settings → About, from `api.about()`: the version, the register's path and schema, its
 * history (events and head hash), the licence, where the log file is, and the third-party
 * licences (folded away). A missing fact shows as an en dash.
 */
function aboutCard(store, signal) {
  const facts = h('dl', { class: 'facts facts-wide', dataset: { about: true } });
  const thirdParty = h('div', { dataset: { thirdParty: true } });
  const el = h('section', { class: 'card settings-card' },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'About')),
    facts, thirdParty);

  const code = (value, cls = 'path') => (value ? h('code', { class: cls }, String(value)) : DASH);
  function render(a) {
    const history = a.events === undefined || a.events === null ? DASH
      : [plural(a.events, 'event'), a.head ? ' · head ' : null, a.head ? h('code', { class: 'hash' }, String(a.head)) : null];
    const rows = [
      ['version', 'Version', text(a.version)],
      ['register_path', 'Register', code(a.register_path)],
      ['schema_version', 'Schema version', text(a.schema_version)],
      ['events', 'History', history],
      ['licence', 'Licence', text(a.licence)],
      ['log_path', 'Log file', code(a.log_path)],
    ];
    facts.replaceChildren(...rows.flatMap(([key, label, value]) => [h('dt', null, label), h('dd', { dataset: { aboutField: key } }, value)]));
    const libs = Array.isArray(a.third_party) ? a.third_party : [];
    thirdParty.replaceChildren(h('details', { class: 'third-party' },
      h('summary', null, libs.length ? `Third-party licences (${formatCount(libs.length)})` : 'Third-party licences'),
      libs.length
        ? h('div', { class: 'table-wrap third-party-wrap' }, h('table', { class: 'data-table' },
          h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Component'), h('th', { scope: 'col' }, 'Version'), h('th', { scope: 'col' }, 'Licence'))),
          h('tbody', null, libs.map((l) => h('tr', null,
            h('td', { class: 'clip', title: text(l.name) }, h('span', null, text(l.name))),
            h('td', { class: 'mono' }, text(l.version)),
            h('td', { class: 'clip', title: text(l.licence) }, h('span', null, text(l.licence))))))))
        : h('p', { class: 'muted' }, DASH)));
  }

  let shown = {};
  // The history line follows the chain's head as writes move it, as the Integrity card does.
  const withHead = (a) => (store.head && a.events !== undefined && a.events !== null
    ? { ...a, events: store.head.event_count, head: store.head.head_hash } : a);
  store.addEventListener('change', (e) => {
    if (e.detail.what === 'head' || e.detail.what === 'verification') render(withHead(shown));
  }, { signal });

  async function load() {
    render({});
    try {
      shown = (await api.about()) ?? {};
      render(withHead(shown));
    } catch (e) {
      console.error('Settings → About: the about command failed.', e);
    }
  }
  return { el, load };
}
