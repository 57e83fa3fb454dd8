// Files dropped on the window. The Rust side keeps the dropped paths and tells us only an id,
// the names and where the drop landed (`register://drop`); we decide which asset is under that
// point — a row of the Assets list, or an asset's page — and claim the drop for it.
// While files are dragged over the window, the target under the pointer is highlighted and a
// hint bar says what a drop will do. A .csv or a workbook dropped anywhere else opens the import wizard.

import { api, listen } from './api.js';
import { baseName, plural } from './format.js';
import { toast } from './widgets.js';
import { reportAttach, DOCUMENTS_CHANGED } from './components/documents.js';
import { RECEIPT_DROPPED } from './views/purchase.js';
import { importDroppedFile } from './views/import.js';

const ACTIVE = 'drop-target-active';
const NOWHERE = 'Drop files on an asset in the list or on an asset’s page to attach them.';

/** The asset under a point (CSS pixels): {el, id, tag}, the purchase form ({el, receipt}), or null. */
function targetAt(x, y) {
  const el = document.elementFromPoint(x, y);
  if (!el || el.closest('dialog')) return null;
  // Anywhere on Record purchase: the file is the receipt.
  const purchase = document.querySelector('[data-main] > [data-receipt-target]');
  if (purchase && el.closest('[data-main]')) return { el: purchase.querySelector('[data-receipt-drop]') ?? purchase, receipt: true };
  const row = el.closest('[data-view="assets"] tr[data-id]');
  if (row) return { el: row, id: Number(row.dataset.id), tag: row.dataset.tag || `asset ${row.dataset.id}` };
  // Anywhere on an asset's page, including the empty space below its content.
  const page = el.closest('[data-drop-target]') ?? (el.closest('[data-main]') ? document.querySelector('[data-main] > [data-drop-target]') : null);
  if (page) return { el: page, id: Number(page.dataset.dropTarget), tag: page.dataset.dropTag, licence: page.dataset.dropKind === 'licence' };
  return null;
}

/** A CSV or workbook among the dragged files: dropped anywhere but on an asset, it opens the import wizard. */
const isImportable = (name) => /\.(csv|tsv|xlsx|xlsm|xls|ods)$/i.test(name);

let names = [];
let lit = null;

function highlight(target) {
  const hint = document.querySelector('[data-drop-hint]');
  if (lit !== target?.el) {
    lit?.classList.remove(ACTIVE);
    lit = target?.el ?? null;
    lit?.classList.add(ACTIVE);
  }
  if (!hint) return;
  const files = names.length === 1 ? names[0] : plural(names.length || 1, 'file');
  const csv = !target && names.find(isImportable);
  hint.textContent = target?.receipt ? `Use ${names[0] ?? 'this file'} as the receipt`
    : target ? `Attach ${files} to ${target.tag}`
      : csv ? `Drop to import ${csv}` : `Drop on an asset in the list, or on an asset’s page, to attach ${files}`;
  hint.dataset.state = target || csv ? 'target' : 'none';
  hint.hidden = false;
}

function clear() {
  lit?.classList.remove(ACTIVE);
  lit = null;
  const hint = document.querySelector('[data-drop-hint]');
  if (hint) hint.hidden = true;
}

/** Tauri's drag positions are physical pixels. */
const css = (p) => ({ x: p.x / window.devicePixelRatio, y: p.y / window.devicePixelRatio });

async function onDrop({ drop_id: dropId, names: dropped, x, y }) {
  clear();
  const target = targetAt(x, y);
  if (!target && dropped.some(isImportable)) {
    importDroppedFile(dropId);
    return;
  }
  if (!target) {
    toast(NOWHERE, 'warn');
    return;
  }
  if (target.receipt) {
    document.dispatchEvent(new CustomEvent(RECEIPT_DROPPED, { detail: { dropId, names: dropped } }));
    return;
  }
  try {
    const out = await api.attachDropped(target.licence ? { licence: target.id } : { asset: target.id }, dropId);
    reportAttach(target.tag, out);
    if (out.attached.length) {
      const owner = target.licence ? { licenceId: target.id } : { assetId: target.id };
      document.dispatchEvent(new CustomEvent(DOCUMENTS_CHANGED, { detail: { ...owner, names: dropped } }));
    }
  } catch (e) {
    toast(e.message, 'error');
  }
}

/** Starts listening (once, from app.js). */
export function installDrop() {
  listen('register://drop', onDrop);
  listen('tauri://drag-enter', (p) => {
    names = (p?.paths ?? []).map(baseName);
    if (p?.position) {
      const { x, y } = css(p.position);
      highlight(targetAt(x, y));
    }
  });
  listen('tauri://drag-over', (p) => {
    if (!p?.position) return;
    const { x, y } = css(p.position);
    highlight(targetAt(x, y));
  });
  listen('tauri://drag-leave', clear);
  listen('tauri://drag-drop', clear);
}
