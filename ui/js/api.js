// The only module that talks to the Rust side. Every command is one camelCase method; a
// rejection `{kind, message, field}` becomes an `ApiError` so views can branch on `e.kind`.

const { invoke } = window.__TAURI__.core;

/** A command's refusal, in plain words, with what the UI can act on. */
export class ApiError extends Error {
  constructor({ kind = 'internal', message = 'Something went wrong.', field = null } = {}) {
    super(message);
    this.name = 'ApiError';
    this.kind = kind;
    this.field = field ?? null;
  }
}

async function call(cmd, args) {
  try {
    return await invoke(cmd, args);
  } catch (err) {
    if (err && typeof err === 'object' && 'message' in err && 'kind' in err) throw new ApiError(err);
    const message = typeof err === 'string' ? err : (err && err.message) || 'Something went wrong.';
    throw new ApiError({ kind: 'internal', message });
  }
}

/** A trimmed note, or null when blank (the history then shows none). */
const note = (n) => (n && n.trim() ? n.trim() : null);

export const api = {
  registerInfo: () => call('register_info'),

  listAssets: (query = {}) => call('list_assets', { query }),
  getAsset: (id) => call('get_asset', { id }),
  nextAssetTag: () => call('next_asset_tag'),
  createAsset: (input, n) => call('create_asset', { input, note: note(n) }),
  updateAsset: (id, patch, n) => call('update_asset', { id, patch, note: note(n) }),
  assignAsset: (id, holder, n) => call('assign_asset', { id, holder, note: note(n) }),
  returnAsset: (id, location, n) => call('return_asset', { id, location: location && location.trim() ? location.trim() : null, note: note(n) }),
  changeStatus: (id, status, n) => call('change_status', { id, status, note: note(n) }),
  archiveAsset: (id, n) => call('archive_asset', { id, note: note(n) }),
  listAssetHistory: (id) => call('list_asset_history', { id }),
  listAuditEvents: (limit) => call('list_audit_events', { limit }),

  listPeople: () => call('list_people'),
  getPerson: (id) => call('get_person', { id }),
  listPersonHistory: (id) => call('list_person_history', { id }),
  createPerson: (input) => call('create_person', { input }),
  updatePerson: (id, input) => call('update_person', { id, input }),
  setPersonLeft: (id, left, n) => call('set_person_left', { id, left, note: note(n) }),

  listLocations: () => call('list_locations'),
  createLocation: (name) => call('create_location', { name }),
  renameLocation: (id, name) => call('rename_location', { id, name }),
  listCategories: () => call('list_categories'),

  getSettings: () => call('get_settings'),
  updateSettings: (settings) => call('update_settings', { settings }),

  getSummary: () => call('get_summary'),
  verifyRegister: () => call('verify_register'),

  listDocuments: (id) => call('list_documents', { id }),
  /** Claims the files of an OS drop (`register://drop`) for asset `id`. */
  attachDropped: (id, dropId, kind = null) => call('attach_dropped', { id, dropId, kind }),
  /** Opens the native "Attach documents" dialog; empty lists when cancelled. */
  pickAndAttach: (id, kind = null) => call('pick_and_attach', { id, kind }),
  removeDocument: (id, documentId, n) => call('remove_document', { id, documentId, note: note(n) }),
  setDocumentKind: (id, documentId, kind) => call('set_document_kind', { id, documentId, kind }),
  /** The saved copy's path, or null when the user cancelled the save dialog. */
  saveDocumentCopy: (id, documentId) => call('save_document_copy', { id, documentId }),
  openDocument: (id, documentId) => call('open_document', { id, documentId }),

  /** `{path, pages}`, or null when the user cancelled the save dialog. */
  exportRegisterPdf: (options) => call('export_register_pdf', { options }),
  exportDossierPdf: (id, paper = null) => call('export_dossier_pdf', { id, paper }),
  openExported: (path) => call('open_exported', { path }),

  /** Native "Import a CSV file" dialog: the opened file (mapping, samples), or null. */
  pickImportFile: () => call('pick_import_file'),
  /** Opens the CSV file of an OS drop (`register://drop`) for import. */
  openDroppedImport: (dropId) => call('open_dropped_import', { dropId }),
  previewImport: (fileId, options) => call('preview_import', { fileId, options }),
  /** Progress arrives as `import://progress`; `cancelImport` stops it (kind `cancelled`). */
  commitImport: (fileId, options) => call('commit_import', { fileId, options }),
  cancelImport: (fileId) => call('cancel_import', { fileId }),
  closeImportFile: (fileId) => call('close_import_file', { fileId }),
  undoImport: (importId) => call('undo_import', { importId }),
  listImports: () => call('list_imports'),
  /** `{path, assets}`, or null when the save dialog was cancelled. `query`: null = all. */
  exportAssets: (format, bom, query = null) => call('export_assets', { format, bom, query }),
};

/**
 * Listens to an event from the Rust side (file drops, drag-over positions); `handler` gets the
 * payload. Resolves to the function that stops listening.
 */
export function listen(event, handler) {
  return window.__TAURI__.event.listen(event, (e) => handler(e.payload));
}
