// Shared state: the register's info, settings, integrity (the last full check, and the chain's
// head as it stands) and the small lookup lists (people, locations, categories) that fill
// selects and datalists. Dispatches 'change' with `detail.what` naming the part that changed.

import { api, writes } from './api.js';

export class Store extends EventTarget {
  constructor() {
    super();
    this.info = null; // {path, file_name, settings}
    this.settings = { organisation: '', currency: 'GBP' };
    this.verification = null; // result of verify_register, or {error}
    this.people = [];
    this.locations = [];
    this.categories = [];
    this._lists = null;
    // The chain's head `{event_count, head_hash}` as last read, after every write (api.js
    // tells of each) or check. Reads can overtake one another: only the newest one asked for
    // is shown, so an earlier, slower answer never puts back an older head.
    this.head = null;
    this._headAsked = 0;
    this._headShown = 0;
    this._verifyAsked = 0;
    writes.addEventListener('written', () => this.refreshHead());
  }

  /** Shows `head` if it was asked for (`asked`) after the one shown; returns whether it did. */
  _showHead(asked, head) {
    if (asked <= this._headShown || !head?.head_hash) return false;
    this._headShown = asked;
    this.head = { event_count: head.event_count, head_hash: head.head_hash };
    return true;
  }

  /** Re-reads the chain's head (cheap) and emits 'head' when it is newer than the one shown. */
  async refreshHead() {
    const asked = ++this._headAsked;
    try {
      if (this._showHead(asked, await api.auditHead())) this.emit('head');
    } catch {
      // The badge keeps the last head; the next write or check reads it again.
    }
  }

  get currency() {
    return this.settings?.currency || 'GBP';
  }

  emit(what) {
    this.dispatchEvent(new CustomEvent('change', { detail: { what } }));
  }

  async loadInfo() {
    this.info = await api.registerInfo();
    this.settings = this.info.settings ?? this.settings;
    this.emit('info');
  }

  setSettings(settings) {
    this.settings = settings;
    if (this.info) this.info.settings = settings;
    this.emit('settings');
  }

  /** Runs verify_register in the background; the sidebar and Home listen for 'verification'. */
  async verify() {
    // A team register's viewer does not read the history, so cannot check it: the badge says
    // so rather than reporting a failure.
    const access = this.info?.team?.access;
    if (access && !access.reads_trail) {
      this.verification = { unchecked: true, reason: `${access.person ?? access.login} may not read this register’s history, so the window cannot check it; an editor or auditor can` };
      this.emit('verification');
      return this.verification;
    }
    const mine = ++this._verifyAsked;
    const asked = ++this._headAsked;
    this.verification = { pending: true };
    this.emit('verification');
    let result;
    try {
      result = await api.verifyRegister();
    } catch (e) {
      result = { ok: false, error: e.message };
    }
    // A check that a newer one has replaced says nothing about the register now.
    if (mine !== this._verifyAsked) return result;
    this._showHead(asked, result);
    this.verification = result;
    this.emit('verification');
    return result;
  }

  /** Loads people, locations and categories (once; `refresh()` forces a reload). */
  lists() {
    if (!this._lists) this._lists = this.refresh();
    return this._lists;
  }

  async refresh() {
    const [people, locations, categories] = await Promise.all([
      api.listPeople(),
      api.listLocations(),
      api.listCategories(),
    ]);
    this.people = people;
    this.locations = locations;
    this.categories = categories;
    this._lists = Promise.resolve();
    this.emit('lists');
  }

  /** After a write: reload the lists and re-check the chain, without blocking the caller. */
  changed() {
    this.reloadLists();
    this.verify();
  }

  /** Reloads people, locations and categories in the background (someone else's change). */
  reloadLists() {
    this._lists = this.refresh().catch(() => {});
  }
}
