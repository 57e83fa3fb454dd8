// The parts of the Assets list (assets.js): its query (from the URL, for the core), its
// columns, and its rows, built once and then refilled.

import { h, cell, icon } from '../dom.js';
import { DASH, daysUntil, formatCount, formatDate, isoDate, plural, text } from '../format.js';
import { pill, statusLabel } from '../statuses.js';

/** The list's state from the URL's query (`?q=…&status=…&sort=…`). */
export function queryFromUrl(q) {
  return {
    search: q.get('q') ?? '',
    status: q.get('status') ?? '',
    category: q.get('category') ?? '',
    location: q.get('location') ?? '',
    person: q.get('person') ?? '',
    sort: q.get('sort') ?? 'asset_tag',
    desc: q.get('desc') === '1',
    archived: q.get('archived') === '1',
    unseen: q.get('unseen') ?? '', // months without a stocktake sighting
  };
}

/** The list's state as `list_assets` takes it. */
export function toApiQuery(s) {
  const query = { sort: s.sort, descending: s.desc };
  if (s.search.trim()) query.search = s.search.trim();
  if (s.status) query.status = s.status;
  if (s.category) query.category = s.category;
  if (s.location) query.location_id = Number(s.location);
  if (s.person) query.person_id = Number(s.person);
  if (s.archived) query.include_archived = true;
  if (s.unseen) {
    const d = new Date();
    d.setMonth(d.getMonth() - Number(s.unseen));
    query.not_seen_since = isoDate(d);
  }
  return query;
}

export const COLUMNS = [
  { key: 'asset_tag', label: 'Tag', sort: 'asset_tag', cls: 'col-tag' },
  { key: 'name', label: 'Name', sort: 'name', cls: 'col-name' },
  { key: 'category', label: 'Category', sort: 'category', cls: 'col-category' },
  { key: 'make', label: 'Make / Model', sort: 'make', cls: 'col-make' },
  { key: 'serial_number', label: 'Serial', sort: 'serial_number', cls: 'col-serial' },
  { key: 'assigned_to', label: 'Holder', sort: 'assigned_to', cls: 'col-holder' },
  { key: 'location', label: 'Location', sort: 'location', cls: 'col-location' },
  { key: 'status', label: 'Status', sort: 'status', cls: 'col-status' },
  { key: 'warranty_expires', label: 'Warranty', sort: 'warranty_expires', cls: 'col-date' },
  { key: 'last_seen', label: 'Last seen', sort: 'last_seen', cls: 'col-date col-seen' },
];

// Rows are built once and then refilled: a search rewrites the text of the rows already in the
// table instead of replacing them, so the web view restyles nothing and only lays out the cells
// whose text changed (building fresh rows cost more than the query itself; see the README).

/** A text cell: `td.clip > span`, the full text in the tooltip, an en dash when empty. */
function setCell(td, value) {
  const t = text(value);
  const span = td.firstChild;
  if (span.textContent !== t) span.textContent = t;
  if (t === DASH) {
    td.removeAttribute('title');
    td.classList.add('empty');
  } else {
    if (td.getAttribute('title') !== t) td.setAttribute('title', t);
    td.classList.remove('empty');
  }
}

/** An empty row with every cell in place; `fillRow` puts an asset in it. */
function rowSkeleton() {
  const clip = h('span', { class: 'paperclip', hidden: true }, icon('paperclip'), h('span', { 'aria-hidden': 'true' }));
  const nameText = h('span', { class: 'name-text trunc' }, h('span'));
  return h('tr', { 'aria-selected': 'false' },
    cell('asset_tag', null, 'mono'),
    h('td', { dataset: { col: 'name' }, class: 'strong name-cell' }, h('span', { class: 'name-wrap' }, nameText, clip)),
    cell('category', null),
    cell('make', null),
    cell('serial_number', null, 'mono'),
    cell('assigned_to', null),
    cell('location', null),
    h('td', { dataset: { col: 'status' } }, pill('available')),
    cell('warranty_expires', null, 'col-date'),
    cell('last_seen', null, 'col-date'));
}

/** Puts asset `a` (at list position `index`) into row `tr`, touching only what differs. */
export function fillRow(tr, a, index) {
  tr.dataset.id = a.id;
  tr.dataset.index = index;
  tr.dataset.tag = a.asset_tag;
  tr.classList.toggle('row-muted', Boolean(a.archived));
  if (a.archived) tr.dataset.archived = '';
  else delete tr.dataset.archived;
  const [tag, name, category, make, serial, holder, location, status, warranty, seen] = tr.children;
  setCell(tag, a.asset_tag);
  const nameText = name.firstChild.firstChild;
  const shown = text(a.name);
  if (nameText.firstChild.textContent !== shown) nameText.firstChild.textContent = shown;
  nameText.setAttribute('title', shown);
  const n = a.document_count ?? 0;
  const clip = name.firstChild.lastChild;
  clip.hidden = !n;
  if (n) {
    const label = `${plural(n, 'document')} attached`;
    clip.dataset.paperclip = n;
    clip.setAttribute('title', label);
    clip.setAttribute('aria-label', label);
    clip.lastChild.textContent = formatCount(n);
  } else {
    delete clip.dataset.paperclip;
  }
  setCell(category, a.category);
  setCell(make, [a.make, a.model].filter(Boolean).join(' '));
  setCell(serial, a.serial_number);
  setCell(holder, a.assigned_to);
  setCell(location, a.location);
  // An archived asset is out of the register whatever its last status: it says so instead.
  const p = status.firstChild;
  const cls = a.archived ? 'pill pill-retired pill-archived' : `pill pill-${a.status}`;
  const label = a.archived ? 'Archived' : statusLabel(a.status);
  if (p.className !== cls || p.textContent !== label) {
    p.className = cls;
    p.textContent = label;
  }
  setCell(warranty, a.warranty_expires ? formatDate(a.warranty_expires) : null);
  // A Retired or Lost/Stolen asset's warranty no longer matters: no red, no "ends soon".
  const days = a.status === 'retired' || a.status === 'lost_stolen' ? null : daysUntil(a.warranty_expires);
  warranty.classList.toggle('expired', days !== null && days < 0);
  warranty.classList.toggle('soon', days !== null && days >= 0 && days <= 30);
  const hint = days === null ? null
    : days < 0 ? `Warranty expired ${formatDate(a.warranty_expires)}`
      : days <= 30 ? `Warranty ends in ${plural(days, 'day')}` : null;
  if (hint) warranty.firstChild.setAttribute('title', hint);
  else warranty.firstChild.removeAttribute('title');
  setCell(seen, a.last_seen ? formatDate(a.last_seen) : null);
  return tr;
}

export function renderRow(a, index) {
  return fillRow(rowSkeleton(), a, index);
}

/**
 * Makes `tbody` show `assets` from list position `start`, reusing the rows it already has.
 * Only the first `now` rows are filled at once (those in view: each changed row costs the web
 * view its layout, about 1 ms); the rest are hidden, with no asset in them, until the returned
 * function fills them, or it is null when nothing is left to fill.
 */
export function refill(tbody, assets, start, now = assets.length) {
  const existing = tbody.children;
  while (existing.length > assets.length) tbody.lastElementChild.remove();
  const fill = (from, to) => {
    for (let i = from; i < Math.min(to, existing.length); i++) {
      const tr = existing[i];
      fillRow(tr, assets[i], start + i);
      tr.setAttribute('aria-selected', 'false');
      tr.classList.remove('just-attached');
      tr.hidden = false;
    }
    if (to > existing.length) {
      tbody.append(...assets.slice(existing.length, to).map((a, i) => renderRow(a, start + existing.length + i)));
    }
  };
  const first = Math.min(now, assets.length);
  fill(0, first);
  if (first === assets.length) return null;
  for (let i = first; i < existing.length; i++) {
    const tr = existing[i];
    tr.hidden = true;
    delete tr.dataset.id;
    delete tr.dataset.index;
    delete tr.dataset.tag;
  }
  return () => fill(first, assets.length);
}
