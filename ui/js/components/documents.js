// The Documents tab of an asset or a licence: the list of attached files (kind, size, date,
// short SHA-256) with Open, Save a copy… and Remove…, the Attach… action, and the words for an
// attach's outcome (shared with drag and drop). File names are data: they only ever go in as text.

import { api } from '../api.js';
import { h, icon, tableRoles, trunc } from '../dom.js';
import { assetLabel, baseName, formatDateTime, formatDay, formatSize, plural } from '../format.js';
import { toast } from '../widgets.js';
import { formValue, noteField } from './field.js';
import { openDialog } from './dialog.js';

export const DOC_KINDS = [
  { value: 'receipt', label: 'Receipt' },
  { value: 'warranty', label: 'Warranty' },
  { value: 'invoice', label: 'Invoice' },
  { value: 'other', label: 'Other' },
];

/** "receipt", "warranty", "invoice"; "document" for other (as used in a sentence). */
export function kindWord(kind) {
  return kind === 'other' || !DOC_KINDS.some((k) => k.value === kind) ? 'document' : kind;
}

/** The first 12 hex digits of a SHA-256, as shown in lists and the history. */
export const shortHash = (sha) => String(sha ?? '').slice(0, 12);

const fileWord = (names) => (names.length === 1 ? names[0] : plural(names.length, 'file'));

/**
 * What a refused file says. The message usually starts with the file's name, sometimes
 * capitalised on the way ("Empty.pdf is empty"): show the name as the user spelled it.
 */
function refusalText({ name = '', message = '' }) {
  if (!name) return message;
  if (message.toLowerCase().startsWith(name.toLowerCase())) return name + message.slice(name.length);
  return message.toLowerCase().includes(name.toLowerCase()) ? message : `${name}: ${message}`;
}

/**
 * Tells the user what an attach did: "Attached 2 files to IT-0042", and every refused file with
 * its reason. Nothing at all when nothing was chosen (a cancelled dialog).
 */
export function reportAttach(tag, { attached = [], refused = [] }) {
  if (!attached.length && !refused.length) return;
  const parts = [];
  if (attached.length) parts.push(`Attached ${fileWord(attached.map((d) => d.name))} to ${tag}`);
  if (refused.length) parts.push(`Not attached: ${refused.map(refusalText).join('; ')}`);
  toast(parts.join('. '), refused.length ? (attached.length ? 'warn' : 'error') : 'ok');
}

/** The event views listen to after documents were attached outside them (a drop). */
export const DOCUMENTS_CHANGED = 'register:documents-changed';

/**
 * Who documents belong to, for the Documents tab and its dialogs: `ref()` is what the commands
 * take (`{ asset: id }` or `{ licence: id }`), `label()` names it in short (a tag, a product),
 * `describe()` in full.
 */
export const assetOwner = (getAsset) => ({
  ref: () => ({ asset: getAsset().id }),
  label: () => getAsset().asset_tag,
  describe: () => assetLabel(getAsset()),
});

export const licenceOwner = (getLicence) => ({
  ref: () => ({ licence: getLicence().id }),
  label: () => getLicence().product,
  describe: () => getLicence().product,
});

/** Removes one of `owner`'s documents (see above for owners), with a note. */
function removeDocumentDialog(owner, doc) {
  return openDialog({
    name: 'remove-document',
    title: `Remove ${doc.name}?`,
    intro: `The file is removed from ${owner.describe()}. History keeps its name, size and SHA-256 fingerprint; save a copy first if you may need it again.`,
    body: [noteField('Why? e.g. replaced by the extended warranty')],
    confirmLabel: 'Remove',
    danger: true,
    initialFocus: 'textarea',
    onConfirm: async (form) => {
      const removed = await api.removeDocument(owner.ref(), doc.id, formValue(form, 'note'));
      toast(`Removed ${removed.name} from ${owner.label()}`);
      return removed;
    },
  });
}

/**
 * Builds the Documents tab of `owner` (see above). `onChange(docs)` runs after any change
 * (count badge, history). Returns {panel, load, attach}.
 */
export function documentsPanel({ owner, isCurrent, onChange }) {
  const panel = h('div', { class: 'tab-panel', role: 'tabpanel', id: 'panel-documents', 'aria-labelledby': 'tab-documents' });
  let docs = [];

  const attachBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'attach' } }, icon('paperclip'), 'Attach…');
  attachBtn.addEventListener('click', () => attach());
  const summary = h('span', { class: 'count', dataset: { documentsSummary: true } });
  const toolbar = h('div', { class: 'docs-toolbar' }, attachBtn,
    h('span', { class: 'muted docs-tip' }, 'or drag files from your file manager onto this page'),
    h('span', { class: 'spacer' }), summary);

  const tbody = h('tbody');
  const table = h('table', { class: 'data-table grid-table docs-table', dataset: { documents: true } },
    h('thead', null, h('tr', null,
      h('th', { scope: 'col' }, 'Name'),
      h('th', { scope: 'col' }, 'Kind'),
      h('th', { scope: 'col', class: 'num' }, 'Size'),
      h('th', { scope: 'col', dataset: { col: 'added' } }, 'Added'),
      h('th', { scope: 'col' }, 'SHA-256'),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Actions')))),
    tbody);
  const wrap = h('div', { class: 'table-wrap' }, table);

  const emptyAttach = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'attach' } }, icon('paperclip'), 'Attach…');
  emptyAttach.addEventListener('click', () => attach());
  const empty = h('div', { class: 'empty-state docs-empty', dataset: { documentsEmpty: true }, hidden: true },
    h('div', { class: 'empty-art', 'aria-hidden': 'true' }, icon('paperclip')),
    h('h2', null, 'No documents yet — drag receipts or warranty PDFs here, or choose Attach…'),
    h('p', { class: 'muted' }, 'Files are copied into the register’s folder and fingerprinted (SHA-256), so the original can be moved or deleted. Each attach and removal is kept in History.'),
    h('div', { class: 'empty-actions' }, emptyAttach));

  panel.append(toolbar, wrap, empty);

  function renderRow(d) {
    const kind = h('select', { name: 'kind', class: 'kind-select', 'aria-label': `Kind of ${d.name}` },
      DOC_KINDS.map((k) => h('option', { value: k.value }, k.label)));
    kind.value = d.kind;
    const btn = (action, label, title) => h('button', { type: 'button', class: 'btn btn-small', dataset: { action }, title }, label);
    const remove = btn('remove-document', 'Remove…', `Remove ${d.name} from ${owner.label()}`);
    remove.classList.add('btn-quiet-danger');
    return h('tr', { dataset: { document: d.id } },
      h('td', { class: 'doc-name', dataset: { col: 'name' } }, icon('file'), trunc('span', { class: 'doc-file' }, d.name)),
      h('td', { dataset: { col: 'kind' } }, kind),
      h('td', { class: 'num', dataset: { col: 'size' }, title: `${d.size} bytes` }, formatSize(d.size)),
      h('td', { class: 'num', dataset: { col: 'added' }, title: formatDateTime(d.added_at) }, formatDay(d.added_at)),
      h('td', { class: 'mono', dataset: { col: 'sha256' }, title: `SHA-256 ${d.sha256}` }, shortHash(d.sha256)),
      h('td', { class: 'col-act doc-actions' },
        btn('open-document', 'Open', `Open ${d.name} with the system viewer`),
        btn('save-document', 'Save a copy…', `Save a copy of ${d.name}`),
        remove));
  }

  function render() {
    tbody.replaceChildren(...docs.map(renderRow));
    tableRoles(table);
    wrap.hidden = docs.length === 0;
    toolbar.hidden = docs.length === 0;
    empty.hidden = docs.length !== 0;
    const bytes = docs.reduce((n, d) => n + d.size, 0);
    summary.textContent = docs.length ? `${plural(docs.length, 'document')} · ${formatSize(bytes)}` : '';
  }

  async function load() {
    const list = await api.listDocuments(owner.ref());
    if (!isCurrent()) return docs;
    docs = list;
    render();
    return docs;
  }

  const changed = async () => {
    await load();
    onChange(docs);
  };

  async function attach() {
    attachBtn.disabled = emptyAttach.disabled = true;
    try {
      const out = await api.pickAndAttach(owner.ref());
      reportAttach(owner.label(), out);
      if (out.attached.length) await changed();
    } catch (e) {
      toast(e.message, 'error');
    } finally {
      attachBtn.disabled = emptyAttach.disabled = false;
    }
  }

  const docOf = (el) => docs.find((d) => String(d.id) === el.closest('[data-document]')?.dataset.document);

  tbody.addEventListener('click', async (e) => {
    const b = e.target.closest('button[data-action]');
    const doc = b && docOf(b);
    if (!doc) return;
    const ref = owner.ref();
    if (b.dataset.action === 'open-document') {
      try {
        await api.openDocument(ref, doc.id);
        toast(`Opening ${doc.name}…`);
      } catch (err) {
        toast(err.message, 'error');
      }
    } else if (b.dataset.action === 'save-document') {
      try {
        const path = await api.saveDocumentCopy(ref, doc.id);
        if (path) toast(`Saved a copy as ${baseName(path)}`);
      } catch (err) {
        toast(err.message, 'error');
      }
    } else if (b.dataset.action === 'remove-document') {
      const removed = await removeDocumentDialog(owner, doc);
      if (removed && isCurrent()) await changed();
    }
  });

  tbody.addEventListener('change', async (e) => {
    const select = e.target.closest('select[name="kind"]');
    const doc = select && docOf(select);
    if (!doc) return;
    const before = doc.kind;
    select.disabled = true;
    try {
      const updated = await api.setDocumentKind(owner.ref(), doc.id, select.value);
      Object.assign(doc, updated);
      const as = { receipt: 'a receipt', warranty: 'a warranty', invoice: 'an invoice', other: 'other' }[updated.kind] ?? updated.kind;
      toast(`${doc.name} is now marked as ${as}`);
      onChange(docs);
    } catch (err) {
      select.value = before;
      toast(err.message, 'error');
    } finally {
      select.disabled = false;
    }
  });

  return { panel, load, attach };
}
