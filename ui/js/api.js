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

/**
 * Told (`written`) after every command that may have changed the register, whether it
 * succeeded or was refused: the Store then re-reads the chain's head, so the count and head
 * the window shows are never those of an earlier state (a refusal costs one cheap read).
 */
export const writes = new EventTarget();

/** `call` for a command that changes the register. */
async function write(cmd, args) {
  try {
    return await call(cmd, args);
  } finally {
    writes.dispatchEvent(new Event('written'));
  }
}

/** A trimmed note, or null when blank (the history then shows none). */
const note = (n) => (n && n.trim() ? n.trim() : null);

/**
 * A record a save changes, as `{id, version}`: given the record the window shows, the version it
 * was read at (team registers have them; a save over someone else's newer change is refused
 * with their name), given only an id, none (a register file).
 */
const ref = (r) => (r && typeof r === 'object' ? { id: r.id, version: r.row_version ?? null } : { id: r, version: null });

/** After a save that made a new version of `record` (a team register), the window's copy names it. */
const keepVersion = (record) => (result) => {
  if (record && typeof record === 'object' && result?.row_version != null) record.row_version = result.row_version;
  return result;
};

export const api = {
  registerInfo: () => call('register_info'),
  /** Signs in to the team register with the password the window asked for. */
  teamSignIn: (password, remember) => call('team_sign_in', { password, remember }),
  /** Open another register…'s file dialog: the chosen path, or null when cancelled. */
  pickRegisterFile: () => call('pick_register_file'),
  /** Remembers `register` (a file's path or a team register's URL) and starts the app on it. */
  openRegister: (register) => call('open_register', { register }),
  /** Copies this register file into an empty team register as its owner: `{copied, event_count, head_hash}`. */
  moveToServer: (url, password, n) => write('move_to_server', { url, password, note: note(n) }),
  /** On a team register, who is importing what (a sentence), or null. */
  importInProgress: () => call('import_in_progress'),
  /** Takes the moved-to-a-server mark off this register file, so it can be changed again. */
  useFileAgain: (n) => write('use_file_again', { note: note(n) }),
  /** A team register's one-file backup (save dialog): BackupInfo, or null when cancelled. */
  backupTeamRegister: () => call('backup_team_register'),
  /** A team register saved as a new register file (save dialog): `{copied, path, …}` or null. */
  exportTeamRegister: () => call('export_team_register'),
  /** Every asset status in lifecycle order: `[{value, label}]`, e.g. `{value: 'in_maintenance', label: 'In Maintenance'}`. */
  listStatuses: () => call('list_statuses'),
  /**
   * Settings → About: `{version, register_path, schema_version, events, head, licence, log_path,
   * third_party: [{name, version, licence}]}`; any field may be missing.
   */
  about: () => call('about'),

  backupRegister: () => call('backup_register'),
  listBackups: () => call('list_backups'),
  pickBackup: () => call('pick_backup'),
  checkBackupFile: (path) => call('check_backup_file', { path }),
  restoreRegister: (path) => write('restore_register', { path }),

  listAssets: (query = {}) => call('list_assets', { query }),
  getAsset: (id) => call('get_asset', { id }),
  /** The asset with exactly this tag (any case), or null: what a barcode scan finds. */
  findAssetByTag: (tag) => call('find_asset_by_tag', { tag }),
  nextAssetTag: () => call('next_asset_tag'),
  createAsset: (input, n) => write('create_asset', { input, note: note(n) }),
  updateAsset: (asset, patch, n) => write('update_asset', { ...ref(asset), patch, note: note(n) }),
  assignAsset: (asset, holder, n) => write('assign_asset', { ...ref(asset), holder, note: note(n) }),
  returnAsset: (asset, location, n) => write('return_asset', { ...ref(asset), location: location && location.trim() ? location.trim() : null, note: note(n) }),
  changeStatus: (asset, status, n) => write('change_status', { ...ref(asset), status, note: note(n) }),
  archiveAsset: (asset, n) => write('archive_asset', { ...ref(asset), note: note(n) }),
  /** Brings an archived asset back into the live register, as it was (audited). */
  unarchiveAsset: (asset, n) => write('unarchive_asset', { ...ref(asset), note: note(n) }),
  listAssetHistory: (id) => call('list_asset_history', { id }),
  listAuditEvents: (limit) => call('list_audit_events', { limit }),

  listPeople: () => call('list_people'),
  getPerson: (id) => call('get_person', { id }),
  listPersonHistory: (id) => call('list_person_history', { id }),
  createPerson: (input) => write('create_person', { input }),
  updatePerson: (person, input) => write('update_person', { ...ref(person), input }),
  setPersonLeft: (person, left, n) => write('set_person_left', { ...ref(person), left, note: note(n) }),

  listLocations: () => call('list_locations'),
  createLocation: (name) => write('create_location', { name }),
  renameLocation: (id, name) => write('rename_location', { id, name }),
  listCategories: () => call('list_categories'),

  getSettings: () => call('get_settings'),
  updateSettings: (settings) => write('update_settings', { settings }),

  getSummary: () => call('get_summary'),
  verifyRegister: () => call('verify_register'),
  /** `{event_count, head_hash}` as they stand, without the full check. */
  auditHead: () => call('audit_head'),

  // Documents: `owner` is `{ asset: id }` or `{ licence: id }`.
  listDocuments: (owner) => call('list_documents', { owner }),
  /** Claims the files of an OS drop (`register://drop`) for `owner`. */
  attachDropped: (owner, dropId, kind = null) => write('attach_dropped', { owner, dropId, kind }),
  /** Opens the native "Attach documents" dialog; empty lists when cancelled. */
  pickAndAttach: (owner, kind = null) => write('pick_and_attach', { owner, kind }),
  removeDocument: (owner, documentId, n) => write('remove_document', { owner, documentId, note: note(n) }),
  setDocumentKind: (owner, documentId, kind) => write('set_document_kind', { owner, documentId, kind }),
  /** The saved copy's path, or null when the user cancelled the save dialog. */
  saveDocumentCopy: (owner, documentId) => call('save_document_copy', { owner, documentId }),
  openDocument: (owner, documentId) => call('open_document', { owner, documentId }),

  /** `{path, pages}`, or null when the user cancelled the save dialog. */
  exportRegisterPdf: (options) => call('export_register_pdf', { options }),
  exportDossierPdf: (id, paper = null) => call('export_dossier_pdf', { id, paper }),
  /** `{layouts: [{key, label, per_page}], max_line_chars}`, the default layout first. */
  listLabelLayouts: () => call('list_label_layouts'),
  getOpenStocktake: () => call('get_open_stocktake'),
  listStocktakes: () => call('list_stocktakes'),
  /** `input` {name, on_date, counted_by, locations: [names]} (none: everything). */
  startStocktake: (input) => write('start_stocktake', { input }),
  /** One scanned or ticked tag: `{item, repeat, move_to, counts}`. */
  scanStocktakeTag: (id, tag, room = null) => write('scan_stocktake_tag', { id, tag, room }),
  moveStocktakeItem: (id, itemId) => write('move_stocktake_item', { id, itemId }),
  listStocktakeItems: (id, outcome = null) => call('list_stocktake_items', { id, outcome }),
  /** `input` {lost_all, lost: [item ids], note}. */
  finishStocktake: (id, input) => write('finish_stocktake', { id, input }),
  /** Calls a stocktake off: nothing unseen becomes missing. */
  cancelStocktake: (id, reason) => write('cancel_stocktake', { id, reason: reason && reason.trim() ? reason.trim() : null }),
  /** Home: `{open, last, stale_months, unseen_total, unseen: [{id, asset_tag, name, last_seen}]}`. */
  getStocktakeSummary: () => call('get_stocktake_summary'),
  setStaleMonths: (months) => write('set_stale_months', { months }),
  exportStocktakePdf: (id, paper = null) => call('export_stocktake_pdf', { id, paper }),
  /**
   * Labels PDF of `selection` (`{kind: 'ids', ids}`, `{kind: 'tags', tags}` or `{kind: 'query',
   * query}`) with `options` `{layout, start, line}`; `{path, pages}`, or null when cancelled.
   */
  exportLabelsPdf: (selection, options) => call('export_labels_pdf', { selection, options }),
  openExported: (path) => call('open_exported', { path }),

  getAssetDepreciation: (id) => call('get_asset_depreciation', { id }),
  /** `method` {method, life_months, residual, rate} as typed, or null to follow the category. */
  setAssetDepreciation: (asset, method, n) => write('set_asset_depreciation', { ...ref(asset), method, note: note(n) }).then(keepVersion(asset)),
  listCategoryDepreciation: () => call('list_category_depreciation'),
  setCategoryDepreciation: (name, method) => write('set_category_depreciation', { name, method }),
  /** `methods`: [[category name, method as typed]], set all or none. */
  setCategoryDepreciations: (methods) => write('set_category_depreciations', { methods }),
  /** Totals of cost and book value by category and status as of `asOf` (YYYY-MM-DD; today if null). */
  getValuation: (asOf = null) => call('get_valuation', { asOf }),
  /** Every problem with a purchase form: [{row, field, message}] (row null for the top fields). */
  checkPurchase: (input) => call('check_purchase', { input }),
  /** `receipt` is the id of a dropped or picked file, or null. */
  recordPurchase: (input, receipt = null) => write('record_purchase', { input, receipt }),
  /** Opens the native file dialog; {drop_id, name}, or null when cancelled. */
  pickReceipt: () => call('pick_receipt'),

  listLicences: (includeArchived = false) => call('list_licences', { includeArchived }),
  getLicence: (id) => call('get_licence', { id }),
  createLicence: (input, n) => write('create_licence', { input, note: note(n) }),
  updateLicence: (licence, patch, n) => write('update_licence', { ...ref(licence), patch, note: note(n) }),
  archiveLicence: (licence, n) => write('archive_licence', { ...ref(licence), note: note(n) }),
  /** The licence key in clear (only on explicit request on the licence's page). */
  revealLicenceKey: (id) => call('reveal_licence_key', { id }),
  listLicenceSeats: (id) => call('list_licence_seats', { id }),
  listPersonSeats: (id) => call('list_person_seats', { id }),
  assignSeat: (id, person, n) => write('assign_seat', { id, person, note: note(n) }),
  releaseSeat: (id, personId, n) => write('release_seat', { id, personId, note: note(n) }),
  listLicenceHistory: (id) => call('list_licence_history', { id }),

  /** The 12-month forecast of warranty ends and licence renewals, by month. */
  getRenewals: () => call('get_renewals'),
  getForecast: (years, grouping) => call('get_forecast', { years, grouping }),
  getReplacementPlan: () => call('get_replacement_plan'),
  setCategoryReplacement: (name, lifeMonths, replaceWith) => write('set_category_replacement', { name, lifeMonths, replaceWith }),
  setReplacementInflation: (percent) => write('set_replacement_inflation', { percent }),
  getAssetReplacement: (id) => call('get_asset_replacement', { id }),
  setAssetReplacementLife: (asset, lifeMonths, n = null) => write('set_asset_replacement_life', { ...ref(asset), lifeMonths, note: note(n) }).then(keepVersion(asset)),
  exportBudgetCsv: (years) => call('export_budget_csv', { years }),
  exportBudgetPdf: (years, paper = null) => call('export_budget_pdf', { years, paper }),
  /** What falls due within 30 and 31–90 days, with costs (Home). */
  getDueSoon: () => call('get_due_soon'),

  getDisposal: (assetId) => call('get_disposal', { assetId }),
  /** Records (or corrects) how an asset left, retiring it if need be. */
  /** Records (or corrects) `asset`'s disposal, from the version the window read (a team register checks it). */
  recordDisposal: (asset, input) => write('record_disposal', { assetId: ref(asset).id, version: ref(asset).version, input }),
  listUndisposed: () => call('list_undisposed'),
  /** `{path, members, …}`, or null when the save dialog was cancelled. Progress arrives as `pack://progress`. */
  writeAuditPack: (options) => call('write_audit_pack', { options }),
  cancelAuditPack: () => call('cancel_audit_pack'),

  getOffboarding: (id) => call('get_offboarding', { id }),
  startOffboarding: (id, leavingOn, n) => write('start_offboarding', { id, leavingOn, note: note(n) }),
  /** `resolution`: {outcome: 'returned', location} | {outcome: 'reassigned', to} | {outcome: 'missing'}. */
  resolveOffboardingItem: (id, kind, itemId, resolution, n) => write('resolve_offboarding_item', { id, kind, itemId, resolution, note: note(n) }),
  finishOffboarding: (id, n) => write('finish_offboarding', { id, note: note(n) }),
  cancelOffboarding: (id, n) => write('cancel_offboarding', { id, note: note(n) }),
  exportOffboardingPdf: (id, paper = null) => call('export_offboarding_pdf', { id, paper }),


  /** Native "Import a CSV file or a workbook" dialog: the opened file (mapping, samples, sheets), or null. */
  pickImportFile: () => call('pick_import_file'),
  /** Opens the CSV file or workbook of an OS drop (`register://drop`) for import. */
  openDroppedImport: (dropId) => call('open_dropped_import', { dropId }),
  /** Reads the open file again, `{ sheet }` of a workbook or `{ encoding }` of a CSV: a new file (new id) in its place. */
  reopenImportFile: (fileId, read) => call('reopen_import_file', { fileId, read }),
  previewImport: (fileId, options) => call('preview_import', { fileId, options }),
  /** Progress arrives as `import://progress`; `cancelImport` stops it (kind `cancelled`). */
  commitImport: (fileId, options) => write('commit_import', { fileId, options }),
  cancelImport: (fileId) => call('cancel_import', { fileId }),
  closeImportFile: (fileId) => call('close_import_file', { fileId }),
  undoImport: (importId) => write('undo_import', { importId }),
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
