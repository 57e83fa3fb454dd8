// The history timeline shared by the asset, licence and person pages (and Home's recent
// changes): newest first, relative time (exact on hover), what happened in words, the note and
// the source.

import { h } from '../dom.js';
import { DASH, formatDate, formatDateTime, formatMoney, formatSize, relativeTime } from '../format.js';
import { statusLabel } from '../statuses.js';
import { DOC_KINDS, kindWord, shortHash } from './documents.js';

/** An asset's fields as the history names them. */
const FIELD_LABELS = {
  asset_tag: 'Asset tag',
  name: 'Name',
  category: 'Category',
  make: 'Make',
  model: 'Model',
  serial_number: 'Serial number',
  purchase_date: 'Purchase date',
  purchase_cost: 'Purchase cost',
  supplier: 'Supplier',
  warranty_expires: 'Warranty expires',
  notes: 'Notes',
  assigned_to: 'Holder',
  location: 'Location',
  status: 'Status',
  archived: 'Archived',
  depreciation: 'Depreciation',
  disposal_method: 'How it left',
  disposed_on: 'Disposed on',
  disposed_to: 'Disposed to',
  wipe_method: 'Data wiped',
  wiped_by: 'Wiped by',
  wipe_certificate_number: 'Certificate number',
  disposal_certificate: 'Certificate file',
  disposal_note: 'Disposal note',
};

const kindLabel = (k) => DOC_KINDS.find((d) => d.value === k)?.label ?? String(k ?? '');

/** "receipt · 12.3 KB · SHA-256 1a2b3c4d5e6f" for an attached or removed file. */
function docFacts(doc) {
  return [doc.size !== null && doc.size !== undefined ? formatSize(doc.size) : null, doc.sha256 ? `SHA-256 ${shortHash(doc.sha256)}` : null].filter(Boolean).join(' · ');
}

const ENTITY_NAMES = { person: 'Person', location: 'Location', category: 'Category', settings: 'Settings', licence: 'Licence' };
const PERSON_LABELS = {
  name: 'Name', email: 'Email', department: 'Department', left_on: 'Left on', leaving_on: 'Leaving date',
  // Licence fields
  product: 'Product', vendor: 'Vendor', seats: 'Seats', renewal_date: 'Renewal date', cost: 'Cost per period', cost_basis: 'Priced', period: 'Period', licence_key: 'Licence key',
};
const PERIOD_WORDS = { monthly: 'Monthly', yearly: 'Yearly', one_off: 'One-off' };
const BASIS_WORDS = { total: 'for the whole licence', per_seat: 'per seat' };
const OUTCOME_WORDS = { returned: 'returned', reassigned: 'reassigned', missing: 'missing (Lost/Stolen)' };

function show(field, value, currency) {
  if (value === null || value === undefined || value === '') return DASH;
  if (field === 'status') return statusLabel(value);
  if (field === 'purchase_cost' || field === 'cost') return formatMoney(value, currency);
  if (field === 'period') return PERIOD_WORDS[value] ?? String(value);
  if (field === 'cost_basis') return BASIS_WORDS[value] ?? String(value);
  if (/_date$|_expires$|_on$/.test(field)) return formatDate(value);
  return String(value);
}

function changeLine(c, currency) {
  const label = FIELD_LABELS[c.field] ?? PERSON_LABELS[c.field] ?? c.field;
  return `${label}: ${show(c.field, c.old, currency)} → ${show(c.field, c.new, currency)}`;
}

/** {title, lines[]} describing one event in words. */
export function describe(ev, currency) {
  const by = Object.fromEntries(ev.changes.map((c) => [c.field, c]));
  const others = (skip) => ev.changes.filter((c) => !skip.includes(c.field)).map((c) => changeLine(c, currency));
  switch (ev.kind) {
    case 'created': {
      if (ev.entity === 'licence') {
        const what = [by.vendor?.new, by.seats?.new && `${by.seats.new} seats`, by.cost?.new && `${formatMoney(by.cost.new, currency)} ${(PERIOD_WORDS[by.period?.new] ?? '').toLowerCase()}`.trim()].filter(Boolean).join(' · ');
        return { title: 'Licence added', lines: what ? [what] : [] };
      }
      if (ev.entity !== 'asset') return { title: `${ENTITY_NAMES[ev.entity] ?? 'Record'} added`, lines: [] };
      const what = [by.name?.new, by.category?.new, by.serial_number?.new && `serial ${by.serial_number.new}`,
        by.purchase_cost?.new && formatMoney(by.purchase_cost.new, currency)].filter(Boolean).join(' · ');
      return { title: 'Created', lines: what ? [what] : [] };
    }
    case 'edited': {
      if (ev.entity !== 'asset' && ev.entity !== 'person' && ev.entity !== 'licence' && by.name) return { title: `Renamed ${by.name.old ?? ''} → ${by.name.new ?? ''}`, lines: [] };
      if (ev.changes.length === 1) return { title: changeLine(ev.changes[0], currency), lines: [] };
      const names = ev.changes.map((c) => (FIELD_LABELS[c.field] ?? PERSON_LABELS[c.field] ?? c.field).toLowerCase());
      const list = names.length > 3 ? `${names.slice(0, 3).join(', ')} and ${names.length - 3} more` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
      return { title: `Edited ${list}`, lines: ev.changes.map((c) => changeLine(c, currency)) };
    }
    case 'assigned': {
      const to = by.assigned_to?.new ?? by.location?.new ?? ev.changes.find((c) => c.new)?.new;
      const lines = [];
      if (by.assigned_to?.old) lines.push(`Previously with ${by.assigned_to.old}`);
      if (by.status && by.status.old !== 'available') lines.push(changeLine(by.status, currency));
      return { title: to ? `Assigned to ${to}` : 'Assigned', lines };
    }
    case 'returned': {
      const from = by.assigned_to?.old;
      const lines = [];
      if (by.location?.new) lines.push(`Now at ${by.location.new}`);
      return { title: from ? `Returned from ${from}` : 'Returned', lines };
    }
    case 'status_changed': {
      const lines = [];
      if (by.assigned_to?.old) lines.push(`No longer with ${by.assigned_to.old}`);
      lines.push(...others(['status', 'assigned_to']));
      return { title: by.status ? changeLine(by.status, currency) : 'Status changed', lines };
    }
    case 'disposed': {
      const to = by.disposed_to?.new ? ` to ${by.disposed_to.new}` : '';
      return { title: `Disposed of: ${(by.disposal_method?.new ?? '').toLowerCase()}${to} on ${formatDate(by.disposed_on?.new)}`, lines: others(['disposal_method', 'disposed_on', 'disposed_to']) };
    }
    case 'archived':
      return { title: 'Archived', lines: [] };
    case 'restored':
      return { title: 'Brought back into the register', lines: others(['archived']) };
    case 'document_attached': {
      const doc = { name: by.document?.new, kind: by.document_kind?.new, size: by.document_size?.new, sha256: by.document_sha256?.new };
      const size = doc.size !== null && doc.size !== undefined ? ` (${formatSize(doc.size)})` : '';
      return { title: `Attached ${kindWord(doc.kind)} ${doc.name ?? ''}${size}`, lines: doc.sha256 ? [`SHA-256 ${shortHash(doc.sha256)}`] : [], hash: doc.sha256 };
    }
    case 'document_removed': {
      const doc = { name: by.document?.old, kind: by.document_kind?.old, size: by.document_size?.old, sha256: by.document_sha256?.old };
      const facts = [kindLabel(doc.kind), docFacts(doc)].filter(Boolean).join(' · ');
      return { title: `Removed ${doc.name ?? 'a document'}`, lines: facts ? [facts] : [], hash: doc.sha256 };
    }
    case 'document_edited': {
      const name = by.document?.new ?? by.document?.old ?? 'a document';
      if (by.document_kind) return { title: `${name}: ${kindLabel(by.document_kind.old)} → ${kindLabel(by.document_kind.new)}`, lines: [] };
      return { title: `Changed ${name}`, lines: others(['document']) };
    }
    case 'left':
      return { title: by.left_on?.new ? `Left on ${formatDate(by.left_on.new)}` : 'Marked as left', lines: [] };
    case 'rejoined':
      return { title: 'Back (no longer marked as left)', lines: [] };
    case 'seat_assigned':
      return { title: `Seat given to ${by.seat?.new ?? 'someone'}`, lines: [] };
    case 'seat_released':
      return { title: by.seat?.old ? `${by.seat.old}’s seat released` : 'Seat released', lines: [] };
    case 'seat_reassigned':
      return { title: `Seat moved from ${by.seat?.old ?? '–'} to ${by.seat?.new ?? '–'}`, lines: [] };
    case 'offboarding_started':
      return { title: `Offboarding started · leaving on ${formatDate(by.leaving_on?.new)}`, lines: [] };
    case 'offboarding_cancelled':
      return { title: 'Offboarding cancelled', lines: [] };
    case 'offboarding_resolved': {
      const seat = /\(licence seat\)$/.test(by.item?.new ?? '');
      const outcome = seat && by.outcome?.new === 'returned' ? 'released' : OUTCOME_WORDS[by.outcome?.new] ?? by.outcome?.new ?? 'resolved';
      const detail = by.detail?.new;
      const where = by.outcome?.new === 'returned' && detail ? ` to ${detail}` : by.outcome?.new === 'reassigned' && detail ? ` to ${detail}` : '';
      return { title: `${by.item?.new ?? 'Item'} ${outcome}${where}`, lines: [] };
    }
    case 'seen':
      return { title: ev.entity === 'stocktake' ? 'Unexpected tag scanned' : 'Seen in a stocktake', lines: [] };
    case 'not_seen':
      return { title: 'Not seen in a stocktake: missing', lines: [] };
    case 'moved':
      return { title: by.location?.new ? `Moved to ${by.location.new}` : 'Moved', lines: others(['location']) };
    case 'moved_to_server':
      // In a moved file, the mark; on the server, the move's own event.
      if (by.moved_to) return { title: `Moved to the team register ${by.moved_to.new}`, lines: [`The team register’s history then: ${by.server_events?.new ?? '?'} events, head ${shortHash(by.server_head?.new ?? '')}`] };
      return { title: 'Moved to a team register on a server', lines: [`Its history until then: ${by.events?.new ?? '?'} events, head ${shortHash(by.head_hash?.new ?? '')}`] };
    case 'used_again':
      return { title: 'Used again as a register of its own', lines: by.moved_to?.old ? [`It had been moved to ${by.moved_to.old}`] : [] };
    case 'stocktake_started':
      return { title: `Stocktake started: ${by.scope?.new ?? ''}`, lines: others(['scope']) };
    case 'stocktake_cancelled':
      return { title: 'Stocktake cancelled', lines: by.result?.new ? [by.result.new] : [] };
    case 'stocktake_finished':
      return { title: 'Stocktake finished', lines: by.result?.new ? [by.result.new] : [] };
    default:
      return { title: ev.kind.replace(/_/g, ' ').replace(/^./, (m) => m.toUpperCase()), lines: others([]) };
  }
}

const SOURCE_TITLES = {
  app: 'Recorded in the app',
  cli: 'Recorded with the command-line tool',
  import: 'Recorded by a CSV import',
  system: 'Recorded by Asset Register itself',
};

/** `ol[data-history]` with one `li[data-event]` per event, newest first. */
export function timeline(events, { currency, showLabel = false } = {}) {
  const items = [...events].reverse().map((ev) => {
    const { title, lines, hash } = describe(ev, currency);
    const time = h('time', { class: 'event-time', datetime: ev.at, title: formatDateTime(ev.at) }, relativeTime(ev.at));
    return h('li', { class: `event event-${ev.kind}`, dataset: { event: ev.id } },
      h('span', { class: 'event-dot', 'aria-hidden': 'true' }),
      h('div', { class: 'event-main' },
        h('div', { class: 'event-line' },
          showLabel && ev.label ? h('span', { class: 'event-label mono' }, ev.label) : null,
          h('span', { class: 'event-title' }, title),
          h('span', { class: 'event-meta' },
            // On a team register: who wrote it (the person and their login).
            ev.by ? h('span', { class: 'event-by', dataset: { eventBy: true } }, ev.by) : null,
            time,
            h('span', { class: 'source', title: SOURCE_TITLES[ev.source] ?? ev.source }, ev.source))),
        lines.length ? h('ul', { class: 'event-changes' }, lines.map((l) => h('li', { title: hash && l.includes('SHA-256') ? `SHA-256 ${hash}` : null }, l))) : null,
        ev.note ? h('p', { class: 'event-note' }, ev.note) : null));
  });
  return h('ol', { class: 'timeline', dataset: { history: true } }, items);
}
