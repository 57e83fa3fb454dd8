// `#/import`: the import wizard. Choose a file (native dialog, or drop a .csv or a workbook
// anywhere on the window: drop.js hands it to `importDroppedFile`) → Columns (each column's field, auto-mapped
// or remembered by the core, with sample values) → Review (import-review.js: what every row
// will do, and the questions to answer first) → Import (progress bar and Cancel; a
// cancelled import writes nothing) → Done (counts, the assets, Undo import).
//
// The wizard's state lives in this module, so leaving the view (or a running import) and coming
// back finds it where it was. The file itself stays on the Rust side; we hold its id.

import { api, ApiError, listen } from '../api.js';
import { h, icon } from '../dom.js';
import { formatCount, formatDateTime, formatSize, plural } from '../format.js';
import { toast } from '../widgets.js';
import { openDialog } from '../components/dialog.js';
import { renderColumnsStep } from './import-columns.js';
import { renderReviewStep } from './import-review.js';

const STEPS = [['file', 'File'], ['columns', 'Columns'], ['review', 'Review'], ['import', 'Import']];

const ENCODINGS = {
  utf8: 'UTF-8', utf8_bom: 'UTF-8 with BOM', utf16_le: 'UTF-16', utf16_be: 'UTF-16 (big-endian)', windows1252: 'Windows-1252',
};
const DELIMITERS = { ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/**
 * The wizard: null before a file is chosen. `step` is file | columns | review | importing | done.
 * `choices[i]` is column i's field; `options` what the review decided.
 */
let wiz = null;
/** Re-renders the mounted view (null when another view is showing). */
let rerender = null;

function freshOptions() {
  return { on_duplicate: 'skip', row_decisions: {}, skip_invalid: false, date_order: null, status_overrides: {}, generate_tags: null, keep_in_notes: [] };
}

function startWith(file) {
  if (wiz?.file && wiz.file.file_id !== file.file_id) api.closeImportFile(wiz.file.file_id).catch(() => {});
  wiz = {
    step: 'columns',
    file,
    choices: file.mapping.map((m) => m.field),
    options: freshOptions(),
    plan: null,
    planError: null,
    progress: null,
    summary: null,
    undone: null,
  };
}

/** The options as the core takes them. */
function coreOptions() {
  const o = wiz.options;
  return {
    mapping_overrides: wiz.file.headers.map((header, i) => [header, wiz.choices[i]]),
    status_overrides: Object.entries(o.status_overrides).filter(([, s]) => s),
    on_duplicate: o.on_duplicate,
    row_decisions: Object.entries(o.row_decisions).filter(([, d]) => d).map(([line, d]) => [Number(line), d]),
    skip_invalid: o.skip_invalid,
    date_order: o.date_order,
    // Only for a file with no tag column (the core refuses both at once).
    generate_tags: wiz.choices.includes('asset_tag') ? null : o.generate_tags,
    // Only columns still left out (one mapped to a field since is imported as that field).
    keep_in_notes: o.keep_in_notes.filter((hd) => wiz.choices[wiz.file.headers.indexOf(hd)] === 'ignore'),
  };
}

const importing = () => wiz?.step === 'importing';

/** Called by drop.js for a .csv dropped anywhere but on an asset. */
export async function importDroppedFile(dropId) {
  if (importing()) {
    toast('An import is running; wait for it to finish or cancel it first.', 'warn');
    return;
  }
  try {
    const file = await api.openDroppedImport(dropId);
    startWith(file);
    if (rerender) rerender();
    else location.hash = '#/import';
  } catch (e) {
    toast(e.message, 'error');
  }
}

listen('import://progress', (p) => {
  if (!wiz || wiz.file?.file_id !== p.file_id || wiz.step !== 'importing') return;
  wiz.progress = p;
  const bar = document.querySelector('[data-import-progress]');
  if (bar) updateProgress(bar.closest('[data-step="importing"]'));
});

// ---------------------------------------------------------------------------------------------

export async function mountImport(root, ctx) {
  const { signal } = ctx;
  rerender = () => { if (!signal.aborted) render(root, ctx); };
  signal.addEventListener('abort', () => { rerender = null; });
  render(root, ctx);
}

function render(root, ctx) {
  const step = wiz?.step ?? 'file';
  const header = h('header', { class: 'view-head' },
    h('div', { class: 'view-title' },
      h('h1', null, 'Import'),
      h('p', { class: 'view-sub' }, 'Bring assets in from a CSV file or a workbook: a finance export, an old spreadsheet, a Snipe-IT export.')),
    wiz && !['importing'].includes(step)
      ? h('div', { class: 'view-actions' }, h('button', { type: 'button', class: 'btn', dataset: { action: 'import-start-over' }, onclick: () => startOver(root, ctx) }, 'Start over'))
      : null);
  const body = {
    file: () => fileStep(root, ctx),
    columns: () => columnsStep(root, ctx),
    review: () => reviewStep(root, ctx),
    importing: () => importingStep(),
    done: () => doneStep(root, ctx),
  }[step]();
  root.replaceChildren(header, stepper(step), body);
  const focus = root.querySelector('[data-autofocus]');
  if (focus) focus.focus();
}

function startOver(root, ctx) {
  if (wiz?.file) api.closeImportFile(wiz.file.file_id).catch(() => {});
  wiz = null;
  render(root, ctx);
}

function stepper(step) {
  const at = { file: 0, columns: 1, review: 2, importing: 3, done: 3 }[step];
  return h('ol', { class: 'stepper', 'aria-label': 'Import steps' },
    STEPS.map(([key, label], i) => h('li', {
      class: ['stepper-step', i < at && 'done', i === at && 'current'],
      'aria-current': i === at ? 'step' : null,
      dataset: { stepName: key },
    }, h('span', { class: 'stepper-num', 'aria-hidden': 'true' }, i < at ? '✓' : String(i + 1)), h('span', null, label))));
}

// --- 1. File ---------------------------------------------------------------------------------

function fileStep(root, ctx) {
  const choose = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'choose-import-file', autofocus: true } }, icon('upload'), 'Choose file…');
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true, dataset: { importError: true } });
  choose.addEventListener('click', async () => {
    choose.disabled = true;
    error.hidden = true;
    try {
      const file = await api.pickImportFile();
      if (!file) return;
      startWith(file);
      render(root, ctx);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      choose.disabled = false;
    }
  });
  const past = h('div', { class: 'import-past', dataset: { pastImports: true } });
  loadPastImports(past, ctx);
  // On a team register one import runs at a time: someone else's is shown, and this window
  // waits for it (the view is drawn again when it ends).
  const running = h('p', { class: 'banner banner-warn', role: 'status', hidden: true, dataset: { importRunning: true } });
  if (ctx.store.info?.team) {
    api.importInProgress().then((who) => {
      if (!who || !ctx.isCurrent()) return;
      running.textContent = `${who}. Only one import runs at a time on a team register: this one can start when it is done.`;
      running.hidden = false;
      choose.disabled = true;
    }).catch(() => {});
  }
  return h('div', { class: 'import-body', dataset: { step: 'file' } },
    running,
    h('div', { class: 'import-drop' },
      h('div', { class: 'empty-art', 'aria-hidden': 'true' }, icon('upload')),
      h('h2', null, 'Drop a CSV file or a workbook anywhere on this window, or choose one'),
      h('p', { class: 'muted' },
        'Excel (.xlsx, .xls) or OpenDocument (.ods) workbooks; CSV comma, semicolon, tab or pipe separated, in UTF-8, UTF-16 or a legacy code page such as Windows-1252 (detected). You will see which column becomes which field and what every row will do before anything is written.'),
      h('div', { class: 'empty-actions' }, choose),
      error),
    past);
}

async function loadPastImports(el, ctx) {
  let list;
  try {
    list = await api.listImports();
  } catch {
    return;
  }
  if (!list.length) return;
  const rows = list.slice(0, 10).map((r) => {
    let state = h('span', { class: 'muted' }, 'Undone');
    if (!r.undone_at) {
      state = h('button', { type: 'button', class: 'btn btn-small btn-quiet-danger', dataset: { action: 'undo-past-import' } }, 'Undo…');
      state.addEventListener('click', async () => {
        const done = await undoDialog(r.id, r.created, r.updated);
        if (!done) return;
        ctx.store.changed();
        loadPastImports(el, ctx);
      });
    }
    return h('tr', { dataset: { importId: r.id } },
      h('td', { class: 'num' }, `#${r.id}`),
      h('td', { class: 'clip', title: r.file_name }, h('span', null, r.file_name)),
      h('td', { class: 'num' }, formatDateTime(r.at)),
      h('td', { class: 'num' }, formatCount(r.created)),
      h('td', { class: 'num' }, formatCount(r.updated)),
      h('td', { class: 'col-act' }, state));
  });
  el.replaceChildren(
    h('h2', { class: 'import-section-title' }, 'Past imports'),
    h('div', { class: 'table-wrap' },
      h('table', { class: 'data-table import-table' },
        h('colgroup', null, h('col', { class: 'col-line' }), h('col'), h('col', { class: 'col-colname' }), h('col', { class: 'col-count' }), h('col', { class: 'col-count' }), h('col', { class: 'col-action' })),
        h('thead', null, h('tr', null, h('th', { class: 'num' }, 'Import'), h('th', null, 'File'), h('th', { class: 'num' }, 'When'), h('th', { class: 'num' }, 'Created'), h('th', { class: 'num' }, 'Updated'), h('th', { class: 'col-act' }, ''))),
        h('tbody', null, rows))));
}

/** Asks to undo import `id`; resolves to the undo's summary, or undefined when cancelled. */
function undoDialog(id, created, updated) {
  return openDialog({
    name: 'undo-import',
    title: `Undo import #${id}?`,
    intro: `The ${plural(created, 'asset')} it created will be archived and the ${plural(updated, 'asset')} it updated put back as they were. The undo is recorded in the history.`,
    body: [h('p', { class: 'dialog-note' }, 'People, locations and categories the import added stay in the register (they may hold history); mark people as left on their page if they should not be.')],
    confirmLabel: 'Undo import',
    danger: true,
    onConfirm: async () => {
      const done = await api.undoImport(id);
      // Said where it happened, whichever list the undo came from.
      toast(`Import #${id} undone: ${plural(done.archived, 'asset')} archived, ${plural(done.reverted, 'asset')} put back. People it added stay.`);
      return done;
    },
  });
}

// --- 2. Columns (import-columns.js) ------------------------------------------------------------

function fileFacts(file) {
  return h('p', { class: 'import-file', dataset: { importFile: true } },
    icon('file'),
    h('strong', null, file.name),
    h('span', { class: 'muted' }, ` · ${plural(file.rows, 'row')} · ${formatSize(file.size)} · ${file.sheet != null ? `sheet “${file.sheet}”` : `${ENCODINGS[file.encoding] ?? `${file.encoding} (detected)`}, ${DELIMITERS[file.delimiter] ?? file.delimiter} separated`}`));
}

function columnsStep(root, ctx) {
  return renderColumnsStep(wiz, {
    facts: fileFacts(wiz.file),
    onNext: () => { wiz.step = 'review'; wiz.plan = null; render(root, ctx); },
    onBack: () => startOver(root, ctx),
    onReopen: async (read) => {
      try {
        startWith(await api.reopenImportFile(wiz.file.file_id, read));
      } catch (e) {
        toast(e.message, 'error');
      }
      render(root, ctx);
    },
  });
}

// --- 3. Review (import-review.js) -----------------------------------------------------------

function reviewStep(root, ctx) {
  return renderReviewStep(wiz, {
    facts: fileFacts(wiz.file),
    options: coreOptions,
    signal: ctx.signal,
    onBack: () => { wiz.step = 'columns'; render(root, ctx); },
    onCommit: () => commit(root, ctx),
  });
}

// --- 4. Import -------------------------------------------------------------------------------

async function commit(root, ctx) {
  wiz.step = 'importing';
  wiz.progress = { done: 0, total: wiz.file.rows };
  render(root, ctx);
  const fileId = wiz.file.file_id;
  try {
    wiz.summary = await api.commitImport(fileId, coreOptions());
    wiz.step = 'done';
    wiz.undone = null;
    ctx.store.changed();
  } catch (e) {
    wiz.step = 'review';
    if (e instanceof ApiError && e.kind === 'cancelled') toast('Import cancelled: nothing was imported.', 'warn');
    else toast(e.message, 'error');
  }
  rerender?.();
}

function importingStep() {
  const cancel = h('button', { type: 'button', class: 'btn', dataset: { action: 'import-cancel' } }, 'Cancel');
  cancel.addEventListener('click', () => {
    cancel.disabled = true;
    cancel.textContent = 'Cancelling…';
    api.cancelImport(wiz.file.file_id).catch((e) => toast(e.message, 'error'));
  });
  const step = h('div', { class: 'import-body import-running', dataset: { step: 'importing' } },
    fileFacts(wiz.file),
    h('div', { class: 'card' },
      h('h2', { class: 'card-title' }, 'Importing…'),
      h('progress', { class: 'progress', max: '100', value: '0', 'aria-label': 'Import progress', dataset: { importProgress: true } }),
      h('div', { class: 'import-foot' }, h('span', { class: 'muted num', dataset: { progressText: true } }), h('span', { class: 'spacer' }), cancel),
      h('p', { class: 'muted small' }, 'Cancel stops the import and leaves the register as it was.')));
  updateProgress(step);
  return step;
}

function updateProgress(step) {
  if (!step || !wiz?.progress) return;
  const { done, total } = wiz.progress;
  const pct = total ? Math.floor((done / total) * 100) : 100;
  const bar = step.querySelector('[data-import-progress]');
  bar.value = pct;
  step.querySelector('[data-progress-text]').textContent = `${formatCount(done)} of ${plural(total, 'row')} · ${pct}%`;
}

// --- 5. Done ---------------------------------------------------------------------------------

function doneStep(root, ctx) {
  const s = wiz.summary;
  const invalidRows = new Set(s.invalid.map((i) => i.line)).size;
  const leftOut = s.duplicates + s.skipped + invalidRows;
  const undo = h('button', { type: 'button', class: 'btn btn-quiet-danger', dataset: { action: 'undo-import' } }, 'Undo import…');
  undo.addEventListener('click', async () => {
    const done = await undoDialog(s.import_id, s.created, s.updated);
    if (!done) return;
    wiz.undone = done;
    ctx.store.changed();
    render(root, ctx);
  });
  const another = h('button', { type: 'button', class: 'btn', dataset: { action: 'import-another' } }, 'Import another file');
  another.addEventListener('click', () => startOver(root, ctx));
  const headline = wiz.undone
    ? h('h2', { dataset: { importUndone: true } }, `Import #${s.import_id} undone: ${plural(wiz.undone.archived, 'asset')} archived, ${plural(wiz.undone.reverted, 'asset')} put back`)
    : h('h2', { dataset: { importDone: true } }, `Imported ${plural(s.created, 'new asset')}${s.updated ? ` and updated ${plural(s.updated, 'asset')}` : ''}`);
  return h('div', { class: 'import-body', dataset: { step: 'done' } },
    fileFacts(wiz.file),
    h('div', { class: 'card import-done' },
      h('div', { class: ['empty-art', wiz.undone ? '' : 'import-ok'], 'aria-hidden': 'true' }, icon(wiz.undone ? 'back' : 'check')),
      headline,
      h('dl', { class: 'facts import-facts' },
        h('dt', null, 'Rows read'), h('dd', { class: 'num' }, formatCount(s.rows)),
        h('dt', null, 'Created'), h('dd', { class: 'num', dataset: { doneCreated: true } }, formatCount(s.created)),
        h('dt', null, 'Updated'), h('dd', { class: 'num' }, formatCount(s.updated)),
        h('dt', null, 'Left out'), h('dd', { class: 'num' }, leftOut
          ? `${formatCount(leftOut)} (${[s.duplicates && `${formatCount(s.duplicates)} identical`, s.skipped && plural(s.skipped, 'skipped duplicate'), invalidRows && `${formatCount(invalidRows)} with errors`].filter(Boolean).join(', ')})`
          : '0'),
        h('dt', null, 'Recorded as'), h('dd', null, `import #${s.import_id}, with the file’s SHA-256 `, h('code', { class: 'hash' }, s.sha256.slice(0, 16) + '…'))),
      h('div', { class: 'empty-actions' },
        h('a', { href: '#/assets', class: 'btn btn-primary', dataset: { action: 'show-imported', autofocus: true } }, 'Show the assets'),
        wiz.undone ? null : undo,
        another)));
}
