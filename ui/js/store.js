// Shared state: the register's info, settings, integrity and the small lookup lists (people,
// locations, categories) that fill selects and datalists. Dispatches 'change' with
// `detail.what` naming the part that changed.

import { api } from './api.js';

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
    this.verification = { pending: true };
    this.emit('verification');
    try {
      this.verification = await api.verifyRegister();
    } catch (e) {
      this.verification = { ok: false, error: e.message };
    }
    this.emit('verification');
    return this.verification;
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
    this._lists = this.refresh().catch(() => {});
    this.verify();
  }
}
