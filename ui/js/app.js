// Entry point: loads the status labels, keeps the sidebar up to date, routes `#/…` hashes to
// one view module at a time, owns the app-wide keyboard shortcuts and starts listening for file
// drops (drop.js).

import { ApiError, api, listen } from './api.js';
import { Store } from './store.js';
import { h, isTyping } from './dom.js';
import { formatCount } from './format.js';
import { loadStatuses } from './statuses.js';
import { mountHome } from './views/home.js';
import { mountAssets } from './views/assets.js';
import { mountAssetDetail } from './views/asset-detail.js';
import { mountAssetNew } from './views/asset-form.js';
import { mountPeople } from './views/people.js';
import { mountPersonDetail } from './views/person-detail.js';
import { mountLocations } from './views/locations.js';
import { mountSettings } from './views/settings.js';
import { mountValue } from './views/value.js';
import { mountPurchase } from './views/purchase.js';
import { mountLicences } from './views/licences.js';
import { mountLicenceDetail } from './views/licence-detail.js';
import { mountRenewals } from './views/renewals.js';
import { mountImport } from './views/import.js';
import { mountStocktake } from './views/stocktake.js';
import { mountUnavailable } from './views/unavailable.js';
import { mountSignIn } from './views/sign-in.js';
import { installDrop } from './drop.js';
import { installScanner } from './scan.js';
import { toast } from './widgets.js';
import { confirmLeave } from './components/leave-guard.js';
import { openRegisterDialog, useFileAgainDialog } from './views/settings-open.js';

const store = new Store();
const main = document.querySelector('[data-main]');

let current = null; // {name, controller, root, guards}
let shownHash = ''; // the address of the view on screen
let focusSearchOnMount = false;

/** `#/assets/42?x=1` → {parts: ['assets', '42'], query} */
function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [path, qs = ''] = raw.split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  return { parts, query: new URLSearchParams(qs) };
}

function resolve(parts) {
  const [top, id] = parts;
  const numeric = id !== undefined && /^\d+$/.test(id) ? Number(id) : null;
  switch (top ?? 'home') {
    case 'home': return { name: 'home', nav: 'home', mount: mountHome };
    case 'assets':
      if (id === 'new') return { name: 'asset-new', nav: 'assets', mount: mountAssetNew };
      if (id === 'purchase') return { name: 'purchase', nav: 'assets', mount: mountPurchase };
      if (numeric !== null) return { name: 'asset-detail', nav: 'assets', mount: mountAssetDetail, id: numeric };
      return { name: 'assets', nav: 'assets', mount: mountAssets };
    case 'people':
      if (numeric !== null) return { name: 'person-detail', nav: 'people', mount: mountPersonDetail, id: numeric };
      return { name: 'people', nav: 'people', mount: mountPeople };
    case 'locations': return { name: 'locations', nav: 'locations', mount: mountLocations };
    case 'stocktake': return { name: 'stocktake', nav: 'stocktake', mount: mountStocktake };
    case 'licences':
      if (numeric !== null) return { name: 'licence-detail', nav: 'licences', mount: mountLicenceDetail, id: numeric };
      return { name: 'licences', nav: 'licences', mount: mountLicences };
    case 'renewals': return { name: 'renewals', nav: 'renewals', mount: mountRenewals };
    case 'import': return { name: 'import', nav: 'import', mount: mountImport };
    case 'settings': return { name: 'settings', nav: 'settings', mount: mountSettings };
    case 'value': return { name: 'value', nav: 'home', mount: mountValue };
    default: return { name: 'home', nav: 'home', mount: mountHome };
  }
}

/** Views that work on a register file only so far: on a team register they say so at once. */
// Views a team register cannot show yet (none left: kept for what comes next).
const FILE_ONLY_VIEWS = new Set([]);

export function navigate(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

/** Rewrites the query part of the current hash without a new route (filters, tabs). */
function setQuery(params) {
  const { parts } = parseHash();
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined && v !== '' && v !== false) qs.set(k, String(v));
  const s = qs.toString();
  history.replaceState(null, '', `#/${parts.map(encodeURIComponent).join('/')}${s ? `?${s}` : ''}`);
  shownHash = location.hash;
}

/** The current view's form guards; none in a read-only register, where nothing can be saved. */
const leaveGuards = () => (store.info?.read_only ? [] : current?.guards ?? []);

/**
 * A new address (a link, the sidebar, Back, `navigate`): first asks about the current view's
 * unsaved changes; staying puts the view's own address back.
 */
async function onHashChange() {
  const target = location.hash;
  if (current && !(await confirmLeave(leaveGuards()))) {
    if (location.hash === target) history.replaceState(null, '', shownHash);
    return;
  }
  // Another address arrived while asking: its own hashchange routes it.
  if (location.hash === target) route();
}

function route() {
  const { parts, query } = parseHash();
  const target = resolve(parts);
  for (const dialog of document.querySelectorAll('dialog')) dialog.remove();
  if (current) current.controller.abort();
  const controller = new AbortController();
  const root = h('section', { class: `view view-${target.name}`, dataset: { view: target.name } });
  const guards = [];
  const shown = { name: target.name, controller, root, guards };
  current = shown;
  shownHash = location.hash;
  main.replaceChildren(root);
  main.scrollTop = 0;
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === target.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  const ctx = {
    store,
    id: target.id,
    query,
    signal: controller.signal,
    navigate,
    setQuery,
    focusSearch: focusSearchOnMount,
    isCurrent: () => current && current.root === root,
    /** Registers a form guard (leave-guard.js `watchForm`): leaving asks while it is dirty. */
    guardLeave: (guard) => {
      guards.push(guard);
      return guard;
    },
    /**
     * On a team register, `refresh()` runs instead of redrawing the view when someone else
     * changes the register (the stocktake's scan screen keeps its queue of scans and its input).
     */
    onRemoteChange: (refresh) => {
      shown.remoteRefresh = refresh;
    },
  };
  focusSearchOnMount = false;
  if (store.info?.team && FILE_ONLY_VIEWS.has(target.name)) {
    showViewError(root, new ApiError({ kind: 'fileOnly' }));
    return;
  }
  try {
    const p = target.mount(root, ctx);
    // `ready:<view>` marks when a view has its data on screen (read by the app benchmark).
    Promise.resolve(p).then(() => performance.mark(`ready:${target.name}`), (e) => showViewError(root, e));
  } catch (e) {
    showViewError(root, e);
  }
}

function showViewError(root, e) {
  if (e instanceof ApiError && e.kind === 'unavailable') return showUnavailable(e.message);
  if (e instanceof ApiError && e.kind === 'fileOnly') {
    root.replaceChildren(
      h('div', { class: 'page-message', dataset: { fileOnly: true } },
        h('h1', null, 'Not on a team register yet'),
        h('p', null, 'This part of Asset Register works on a register file only so far. This window has a team register on a server open, so it cannot be used here yet; nothing was changed.'),
        h('a', { href: '#/home', class: 'btn' }, 'Go to Home')),
    );
    return;
  }
  console.error(e);
  root.replaceChildren(
    h('div', { class: 'page-message' },
      h('h1', null, e instanceof ApiError && e.kind === 'notFound' ? 'Not found' : 'Something went wrong'),
      h('p', null, e?.message ?? String(e)),
      h('a', { href: '#/home', class: 'btn' }, 'Go to Home')),
  );
}

function showUnavailable(message) {
  mountUnavailable(document.querySelector('[data-app]'), message, store);
}

// ---------------------------------------------------------------------------------------------
// Sidebar

function renderSidebar() {
  const name = document.querySelector('[data-register-name]');
  if (store.info) {
    const team = store.info.team;
    name.textContent = team ? `${team.database} on ${team.server}` : (store.info.file_name || 'register');
    name.setAttribute('title', team
      ? `Team register ${team.url}${team.access ? `, signed in as ${team.access.login}` : ''}`
      : (store.info.path || ''));
    document.body.classList.toggle('is-team', !!team);
    // Reports, labels, exports and the budget are made from a copy of the register with its
    // history, which a viewer's login cannot read: its window leaves them out.
    document.body.classList.toggle('no-copies', !!team && !!team.access && !team.access.reads_trail);
    for (const a of document.querySelectorAll('[data-nav]')) {
      const fileOnly = !!team && FILE_ONLY_VIEWS.has(a.dataset.nav);
      a.classList.toggle('is-file-only', fileOnly);
      if (fileOnly) a.setAttribute('title', 'Works on a register file only so far, not yet on a team register');
    }
  }
  renderReadOnly();
  const org = document.querySelector('[data-org]');
  org.textContent = store.settings?.organisation || '';
  org.hidden = !store.settings?.organisation;
  if (store.settings?.organisation) org.closest('.brand-org').setAttribute('title', store.settings.organisation);
  renderBadge();
}

/** A read-only register says so above every view, with the reason. */
function renderReadOnly() {
  const reason = store.info?.read_only;
  let banner = document.querySelector('[data-read-only]');
  if (!reason) {
    banner?.remove();
    document.body.classList.remove('is-read-only');
    return;
  }
  if (!banner) {
    banner = h('div', { class: 'read-only-banner', role: 'status', dataset: { readOnly: true } });
    main.before(banner);
  }
  const text = store.info?.team
    ? `Read-only: ${reason}. You can look and search; changes are refused.`
    : `Read-only: ${reason}. You can look, search and export; changes are refused.`;
  const moved = store.info?.moved;
  if (moved) {
    // A file moved to a team register: the way there, and the way back to using the file.
    const open = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'open-moved-team' } }, 'Open the team register…');
    open.addEventListener('click', () => openRegisterDialog(store, { team: true, url: moved.to }));
    open.disabled = !!store.info.fixed_by_environment;
    const again = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'use-file-again' } }, 'Use this file again…');
    again.addEventListener('click', () => useFileAgainDialog());
    banner.replaceChildren(h('span', null, text), h('span', { class: 'read-only-actions' }, open, again));
  } else {
    banner.textContent = text;
  }
  document.body.classList.add('is-read-only');
}

function renderBadge() {
  const badge = document.querySelector('[data-integrity-badge]');
  const v = store.verification;
  if (v?.unchecked) {
    badge.dataset.state = 'unchecked';
    badge.textContent = 'Not checked';
    badge.setAttribute('title', v.reason);
    return;
  }
  if (!v || v.pending) {
    badge.dataset.state = 'pending';
    badge.textContent = 'Checking…';
    badge.setAttribute('title', 'Checking the register’s integrity');
    return;
  }
  // The count and head are the chain's as it stands (re-read after every write); the state is
  // the last full check's, which covers the events up to its own count.
  const head = store.head ?? v;
  badge.dataset.events = head.event_count ?? '';
  badge.dataset.head = head.head_hash ?? '';
  if (v.ok) {
    badge.dataset.state = 'ok';
    badge.replaceChildren(h('span', { class: 'badge-mark', 'aria-hidden': 'true' }, '✓'), h('span', null, 'Verified'), h('code', null, head.head_hash.slice(0, 8)));
    badge.setAttribute('title', head.event_count > v.event_count
      ? `Register verified up to event ${formatCount(v.event_count)}; now ${formatCount(head.event_count)} events, head hash ${head.head_hash}`
      : `Register verified: ${formatCount(head.event_count)} events, head hash ${head.head_hash}`);
  } else {
    badge.dataset.state = 'bad';
    badge.replaceChildren(h('span', { class: 'badge-mark', 'aria-hidden': 'true' }, '✗'), h('span', null, 'Failed'));
    if (head.head_hash) badge.append(h('code', null, head.head_hash.slice(0, 8)));
    const reason = v.error ?? v.first_bad_event?.reason ?? (v.integrity !== 'ok' ? v.integrity : 'The history chain does not verify');
    badge.setAttribute('title', `Integrity check failed: ${reason}`);
  }
}

store.addEventListener('change', (e) => {
  if (e.detail.what === 'verification' || e.detail.what === 'head') renderBadge();
  else if (e.detail.what === 'info' || e.detail.what === 'settings') renderSidebar();
});

// ---------------------------------------------------------------------------------------------
// Shortcuts

document.addEventListener('keydown', (e) => {
  if (document.querySelector('dialog[open]')) return;
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key.toLowerCase();
  if (mod && !e.shiftKey && !e.altKey && key === 'n') {
    e.preventDefault();
    navigate('#/assets/new');
  } else if (mod && !e.altKey && key === 's') {
    e.preventDefault();
    const form = current?.root.querySelector('form[data-savable]');
    if (form) form.requestSubmit();
  } else if ((mod && !e.altKey && key === 'f') || (e.key === '/' && !mod && !isTyping(e))) {
    e.preventDefault();
    const search = current?.root.querySelector('input[data-search]');
    if (search) {
      search.focus();
      search.select();
    } else {
      focusSearchOnMount = true;
      navigate('#/assets');
    }
  }
});

// ---------------------------------------------------------------------------------------------
// Scan to find: a scan no view claims opens the asset with exactly that tag.

async function openScanned(code) {
  try {
    const asset = await api.findAssetByTag(code);
    if (asset) navigate(`#/assets/${asset.id}`);
    else toast(`No asset has the tag “${code}”`, 'warn');
  } catch (e) {
    toast(e.message, 'error');
  }
}

// ---------------------------------------------------------------------------------------------
// Someone else's change (a team register): the view on screen shows it at once, unless it holds
// unsaved typing or an open dialog, which are never thrown away: then a bar offers to refresh.

function onRemoteChange() {
  store.reloadLists();
  store.refreshHead();
  store.loadInfo().catch(() => {}); // the organisation, the currency
  if (current?.remoteRefresh && !document.querySelector('dialog[open]')) {
    current.remoteRefresh();
    return;
  }
  const busy = document.querySelector('dialog[open]') || leaveGuards().some((g) => g.isDirty());
  if (!busy) {
    document.querySelector('[data-remote-change]')?.remove();
    route();
    return;
  }
  if (document.querySelector('[data-remote-change]')) return;
  const refresh = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'refresh-view' } }, 'Show the changes');
  const bar = h('div', { class: 'remote-change-bar', role: 'status', dataset: { remoteChange: true } },
    'Someone else changed the register while you were working here. ', refresh);
  refresh.addEventListener('click', async () => {
    if (!(await confirmLeave(leaveGuards()))) return;
    bar.remove();
    route();
  });
  main.prepend(bar);
}

// ---------------------------------------------------------------------------------------------
// Start

async function start() {
  // The status labels come from the core, once, before any view shows a status.
  const statuses = loadStatuses();
  try {
    await store.loadInfo();
  } catch (e) {
    if (e instanceof ApiError && e.kind === 'unavailable') return showUnavailable(e.message);
    console.error(e);
  }
  // A team register whose server wants a password the app does not have asks for it first.
  if (store.info?.team && !store.info.team.access) {
    return mountSignIn(document.querySelector('[data-app]'), store.info.team, store.info.sign_in);
  }
  await statuses;
  renderSidebar();
  installDrop();
  installScanner(openScanned);
  if (store.info?.team) listen('register://changed', onRemoteChange);
  window.addEventListener('hashchange', onHashChange);
  route();
  // Closing the window with unsaved changes asks first, as leaving the page does.
  const win = window.__TAURI__.window?.getCurrentWindow?.();
  win?.onCloseRequested(async (event) => {
    if (!leaveGuards().some((g) => g.isDirty())) return;
    event.preventDefault();
    if (await confirmLeave(leaveGuards())) await win.destroy();
  });
  // The chain check can take a moment on a big register: run it after first paint.
  requestAnimationFrame(() => setTimeout(() => store.verify(), 50));
}

start();
