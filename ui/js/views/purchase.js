// `#/assets/purchase`: record one receipt — supplier, date, warranty, the receipt file and its
// items (one row per asset, each with its own serial and cost). The core checks every row at
// once and creates all the assets, with the next free tags, in one transaction; the receipt is
// stored once and attached to each. The receipt comes from the native dialog (Choose…) or is
// dropped on the page (drop.js hands it over as a `register:receipt` event).

import { api, ApiError } from '../api.js';
import { h, icon } from '../dom.js';
import { DASH, formatDate, formatMoney, isoDate, plural } from '../format.js';
import { suggest, toast } from '../widgets.js';
import { labelsButton, printLabels } from '../components/labels.js';
import { clearFieldError as clearControlError, clearFieldErrors, field, openAssetButton, showFieldError, showIncompleteDates, watchForm } from '../components/field.js';

/** The DOM event drop.js sends when files are dropped on this page. */
export const RECEIPT_DROPPED = 'register:receipt';

const ITEM_FIELDS = [
  { key: 'name', label: 'Name', placeholder: 'e.g. Dell P2723DE monitor', cls: 'col-pname' },
  { key: 'category', label: 'Category', placeholder: 'e.g. Monitor', cls: 'col-pcat' },
  { key: 'make', label: 'Make', placeholder: 'e.g. Dell', cls: 'col-pmake' },
  { key: 'model', label: 'Model', placeholder: 'e.g. P2723DE', cls: 'col-pmodel' },
  { key: 'serial_number', label: 'Serial number', placeholder: '', cls: 'col-pserial', mono: true },
  { key: 'purchase_cost', label: 'Cost', placeholder: '0.00', cls: 'col-pcost', num: true },
];

const sentence = (s) => (s ? s[0].toUpperCase() + s.slice(1) : s);

/** The purchase date plus whole months, as the core computes it (the end of a shorter month clamps). */
function addMonths(start, months) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start ?? '');
  if (!m || !(months > 0)) return null;
  const total = Number(m[2]) - 1 + months;
  const y = Number(m[1]) + Math.floor(total / 12);
  const mo = total % 12;
  const last = new Date(y, mo + 1, 0).getDate();
  return isoDate(new Date(y, mo, Math.min(Number(m[3]), last)));
}

export async function mountPurchase(root, ctx) {
  const { store, signal, navigate } = ctx;
  await store.lists().catch(() => {});
  if (!ctx.isCurrent()) return;
  const currency = store.currency;

  const header = h('header', { class: 'view-head' },
    h('div', { class: 'view-title' },
      h('a', { href: '#/assets', class: 'back-link' }, icon('back'), 'Assets'),
      h('h1', null, 'Record a purchase'),
      h('p', { class: 'view-sub' }, 'One receipt, several items: each item becomes an asset with the next free tag, the receipt attached to each.')));

  // --- the receipt's own fields --------------------------------------------------------------
  const input = (name, attrs = {}) => h('input', { name, autocomplete: 'off', spellcheck: 'false', ...attrs });
  const supplier = input('supplier', { placeholder: 'e.g. Dell UK' });
  const date = input('purchase_date', { type: 'date', value: isoDate() });
  const months = input('warranty_months', { inputmode: 'numeric', class: 'num', placeholder: 'e.g. 36' });
  const warrantyDate = input('warranty_expires', { type: 'date' });
  const reference = input('reference', { placeholder: 'Order or invoice number' });
  const monthsField = field('Warranty (months)', months, { hint: ' ' });
  const monthsHint = monthsField.querySelector('.field-hint');
  const updateWarrantyHint = () => {
    const n = Number(months.value.trim());
    const end = months.value.trim() ? addMonths(date.value, n) : null;
    monthsHint.textContent = end ? `Ends ${formatDate(end)}` : 'Or give the end date';
  };
  months.addEventListener('input', () => { if (months.value.trim()) warrantyDate.value = ''; updateWarrantyHint(); });
  warrantyDate.addEventListener('input', () => { if (warrantyDate.value) { months.value = ''; updateWarrantyHint(); } });
  date.addEventListener('input', updateWarrantyHint);
  updateWarrantyHint();

  // --- the receipt file ----------------------------------------------------------------------
  let receipt = null; // {drop_id, name}
  const receiptName = h('span', { class: 'receipt-name', dataset: { receiptName: true } });
  const chooseBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'choose-receipt' } }, icon('paperclip'), 'Choose…');
  const clearBtn = h('button', { type: 'button', class: 'link-btn', dataset: { action: 'clear-receipt' }, hidden: true }, 'Remove');
  const receiptZone = h('div', { class: 'receipt-zone', dataset: { receiptDrop: true } },
    icon('file'), receiptName, clearBtn, h('span', { class: 'spacer' }), chooseBtn);
  const renderReceipt = () => {
    receiptZone.classList.toggle('has-receipt', Boolean(receipt));
    // The text sits in an inner span: WebDriver treats text its own element clips as hidden.
    receiptName.replaceChildren(h('span', null, receipt ? receipt.name : 'No receipt yet — drop the PDF or photo here, or choose it. Optional.'));
    receiptName.setAttribute('title', receipt ? receipt.name : '');
    clearBtn.hidden = !receipt;
  };
  chooseBtn.addEventListener('click', async () => {
    try {
      const picked = await api.pickReceipt();
      if (picked) { receipt = picked; renderReceipt(); }
    } catch (e) { toast(e.message, 'error'); }
  });
  clearBtn.addEventListener('click', () => { receipt = null; renderReceipt(); });
  document.addEventListener(RECEIPT_DROPPED, (e) => {
    if (!ctx.isCurrent()) return;
    const { dropId, names } = e.detail;
    receipt = { drop_id: dropId, name: names[0] };
    renderReceipt();
    if (names.length > 1) toast(`One receipt per purchase: using ${names[0]}`, 'warn');
    else toast(`${names[0]} will be attached to each item`);
  }, { signal });
  renderReceipt();

  // --- the items -----------------------------------------------------------------------------
  const tbody = h('tbody', { dataset: { items: true } });
  const itemsError = h('p', { class: 'field-error', dataset: { errorFor: 'items' }, hidden: true, role: 'alert' });
  const table = h('table', { class: 'data-table purchase-table' },
    h('colgroup', null, h('col', { class: 'col-pnum' }), ITEM_FIELDS.map((f) => h('col', { class: f.cls })), h('col', { class: 'col-pact' })),
    h('thead', null, h('tr', null,
      h('th', { scope: 'col', class: 'num' }, '#'),
      ITEM_FIELDS.map((f) => h('th', { scope: 'col', class: f.num ? 'num' : null }, f.key === 'purchase_cost' ? `Cost (${currency})` : f.label)),
      h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, 'Remove')))),
    tbody);
  const total = h('span', { class: 'purchase-total num', dataset: { purchaseTotal: true } });

  function rowEl(values = {}) {
    const tr = h('tr', { class: 'item-row', dataset: { item: true } });
    const num = h('td', { class: 'num row-num' });
    const cells = ITEM_FIELDS.map((f) => {
      const el = input(f.key, { placeholder: f.placeholder, class: [f.mono && 'mono', f.num && 'num'].filter(Boolean).join(' ') || null, value: values[f.key] ?? '', inputmode: f.num ? 'decimal' : null });
      el.setAttribute('aria-label', f.label);
      const td = h('td', { dataset: { col: f.key } }, el);
      if (f.key === 'category') suggest(el, () => store.categories.map((c) => c.name));
      return td;
    });
    const remove = h('button', { type: 'button', class: 'icon-btn', dataset: { action: 'remove-item' }, title: 'Remove this item', 'aria-label': 'Remove this item' }, icon('cross'));
    remove.addEventListener('click', () => {
      const err = tr.nextElementSibling?.matches('.item-error') ? tr.nextElementSibling : null;
      err?.remove();
      tr.remove();
      if (!tbody.querySelector('tr.item-row')) addRow();
      renumber();
    });
    tr.append(num, ...cells, h('td', { class: 'col-act' }, remove));
    return tr;
  }
  const rows = () => [...tbody.querySelectorAll('tr.item-row')];
  const rowValues = (tr) => Object.fromEntries(ITEM_FIELDS.map((f) => [f.key, tr.querySelector(`[name="${f.key}"]`).value.trim()]));
  function addRow(values = {}, focus = false) {
    const tr = rowEl(values);
    tbody.append(tr);
    renumber();
    if (focus) tr.querySelector(values.name ? '[name="serial_number"]' : '[name="name"]').focus();
    return tr;
  }
  function renumber() {
    rows().forEach((tr, i) => { tr.querySelector('.row-num').textContent = String(i + 1); tr.dataset.index = String(i); });
    updateTotals();
  }
  function updateTotals() {
    const list = rows().map(rowValues);
    let cents = 0;
    let ok = true;
    for (const r of list) {
      // As the core reads amounts: a leading £, $ or € and thousands commas are fine.
      const m = /^\s*[£$€]?\s*(\d+)(?:\.(\d{1,2}))?\s*$/.exec(r.purchase_cost.replace(/,/g, ''));
      if (m) cents += Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
      else if (r.purchase_cost) ok = false;
    }
    total.textContent = `${plural(list.length, 'item')} · total ${ok ? formatMoney(String(cents / 100), currency) : DASH}`;
    save.textContent = list.length === 1 ? 'Record 1 asset' : `Record ${list.length} assets`;
  }
  const addBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'add-item' } }, icon('plus'), 'Add item');
  const sameBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'add-same' }, title: 'A new row with the same name, category, make, model and cost as the last one: type only its serial' }, icon('plus'), 'Add same as above');
  addBtn.addEventListener('click', () => addRow({}, true));
  sameBtn.addEventListener('click', () => {
    const last = rows().at(-1);
    const v = last ? rowValues(last) : {};
    addRow({ ...v, serial_number: '' }, true);
  });

  // --- form ----------------------------------------------------------------------------------
  const formError = h('div', { class: 'form-error', dataset: { formError: true }, role: 'alert', hidden: true });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'record' } }, 'Record');
  const cancel = h('button', { type: 'button', class: 'btn', dataset: { action: 'cancel' } }, 'Cancel');
  cancel.addEventListener('click', () => navigate('#/assets'));
  const form = h('form', { class: 'purchase-form', dataset: { purchaseForm: true, savable: true }, novalidate: true },
    h('section', { class: 'form-section' }, h('h3', { class: 'form-section-title' }, 'Receipt'),
      h('div', { class: 'form-grid purchase-grid' },
        field('Supplier', supplier),
        field('Purchase date', date),
        monthsField,
        field('Warranty ends', warrantyDate),
        field('Reference', reference, { hint: 'Kept in each asset’s history' }),
        h('div', { class: 'field field-receipt' }, h('span', { class: 'field-label' }, 'Receipt file'), receiptZone))),
    h('section', { class: 'form-section' },
      h('div', { class: 'items-head' }, h('h3', { class: 'form-section-title' }, 'Items'), h('span', { class: 'spacer' }), total),
      h('div', { class: 'table-wrap purchase-wrap' }, table),
      itemsError,
      h('div', { class: 'items-actions' }, addBtn, sameBtn)),
    formError,
    h('div', { class: 'form-actions' }, save, cancel,
      h('span', { class: 'shortcut-hint' }, h('kbd', null, navigator.platform.startsWith('Mac') ? '⌘' : 'Ctrl'), h('kbd', null, 'S'), ' to record')));

  const body = h('div', { class: 'view-body' }, form);
  root.replaceChildren(header, body);
  root.dataset.receiptTarget = '';
  addRow();
  tbody.addEventListener('input', (e) => {
    if (e.target.name === 'purchase_cost') updateTotals();
    clearFieldError(e.target);
  });
  form.addEventListener('input', (e) => { if (!tbody.contains(e.target)) clearFieldError(e.target); });

  const values = () => ({
    supplier: supplier.value.trim(),
    purchase_date: date.value,
    warranty_expires: warrantyDate.value,
    warranty_months: months.value.trim(),
    reference: reference.value.trim(),
    items: rows().map(rowValues),
  });

  // --- problems, shown where they are --------------------------------------------------------
  function clearFieldError(el) {
    if (!el?.name) return;
    el.removeAttribute('aria-invalid');
    const tr = el.closest('tr.item-row');
    if (tr) {
      const err = tr.nextElementSibling?.matches('.item-error') ? tr.nextElementSibling : null;
      const left = [...tr.querySelectorAll('[aria-invalid]')];
      if (err) {
        err.querySelector(`[data-problem="${el.name}"]`)?.remove();
        if (!left.length || !err.querySelector('[data-problem]')) err.remove();
      }
      return;
    }
    clearControlError(form, el);
  }
  function clearErrors() {
    clearFieldErrors(form);
    for (const el of tbody.querySelectorAll('.item-error')) el.remove();
  }
  /** Shows each problem beside its field or under its row; returns how many. */
  function showProblems(problems, { only = null } = {}) {
    const byRow = new Map();
    let first = null;
    for (const p of problems) {
      if (only && p.field !== only) continue;
      if (p.row === null || p.row === undefined) {
        showFieldError(form, { field: p.field, message: sentence(p.message) }, { focus: false });
        first ??= form.querySelector(`.field [name="${p.field}"][aria-invalid]`);
        continue;
      }
      if (!byRow.has(p.row)) byRow.set(p.row, []);
      byRow.get(p.row).push(p);
    }
    const trs = rows();
    for (const [row, list] of byRow) {
      const tr = trs[row];
      if (!tr) continue;
      const old = tr.nextElementSibling?.matches('.item-error') ? tr.nextElementSibling : null;
      old?.remove();
      const lines = list.map((p) => {
        const el = tr.querySelector(`[name="${p.field}"]`);
        el?.setAttribute('aria-invalid', 'true');
        first ??= el;
        const label = ITEM_FIELDS.find((f) => f.key === p.field)?.label ?? p.field;
        const line = h('span', { class: 'item-problem', dataset: { problem: p.field } }, `${label}: ${sentence(p.message)}`);
        const tag = /already on (\S+)$/.exec(p.message)?.[1];
        if (tag) line.append(' — ', openAssetButton(tag, navigate));
        return line;
      });
      tr.after(h('tr', { class: 'item-error', dataset: { itemError: row } }, h('td'), h('td', { colspan: ITEM_FIELDS.length + 1, role: 'alert' }, lines)));
    }
    return { count: problems.filter((p) => !only || p.field === only).length, first };
  }

  // Serial numbers are checked as soon as one is typed: against the other rows and the register.
  tbody.addEventListener('focusout', async (e) => {
    if (e.target.name !== 'serial_number' || !e.target.value.trim()) return;
    try {
      const problems = await api.checkPurchase(values());
      // Leaving the field by pressing a button: let that click land before rows move.
      if (e.relatedTarget?.closest?.('button')) await new Promise((r) => setTimeout(r, 250));
      if (!ctx.isCurrent()) return;
      for (const tr of rows()) {
        const err = tr.nextElementSibling?.matches('.item-error') ? tr.nextElementSibling : null;
        err?.querySelector('[data-problem="serial_number"]')?.remove();
        if (err && !err.querySelector('[data-problem]')) err.remove();
        tr.querySelector('[name="serial_number"]').removeAttribute('aria-invalid');
      }
      showProblems(problems.filter((p) => p.row !== null && p.field === 'serial_number'));
    } catch { /* the full check on save reports it */ }
  });

  /** Records the purchase; resolves to whether it was recorded. */
  async function submit() {
    if (save.disabled) return false;
    clearErrors();
    if (showIncompleteDates(form)) return false;
    save.disabled = true;
    try {
      const input = values();
      const problems = await api.checkPurchase(input);
      if (problems.length) {
        const { first } = showProblems(problems);
        first?.focus();
        return false;
      }
      const out = await api.recordPurchase(input, receipt?.drop_id ?? null);
      store.changed();
      guard.markClean();
      done(out);
      return true;
    } catch (err) {
      if (err instanceof ApiError && err.field) {
        const m = /^items\.(\d+)\.(\w+)$/.exec(err.field);
        showProblems([m ? { row: Number(m[1]), field: m[2], message: err.message } : { row: null, field: err.field, message: err.message }]);
        if (err.field === 'receipt') { receipt = null; renderReceipt(); }
      } else {
        showFieldError(form, { message: err?.message ?? String(err) });
      }
      return false;
    } finally {
      save.disabled = false;
    }
  }
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  const guard = ctx.guardLeave(watchForm(form, { what: 'the purchase', save: submit }));

  /** The result: what was created, with links. */
  function done(out) {
    const first = out.assets[0]?.asset_tag;
    const last = out.assets.at(-1)?.asset_tag;
    toast(out.assets.length === 1 ? `${first} recorded` : `${first} – ${last} recorded`);
    const list = h('ul', { class: 'purchase-done-list', dataset: { purchased: true } }, out.assets.map((a) =>
      h('li', null, h('a', { href: `#/assets/${a.id}`, class: 'mono' }, a.asset_tag), ' ', a.name,
        a.serial_number ? h('span', { class: 'muted' }, ` · serial ${a.serial_number}`) : null,
        h('span', { class: 'spacer' }), h('span', { class: 'num' }, formatMoney(a.purchase_cost, currency)))));
    const again = h('a', { href: '#/assets/purchase', class: 'btn btn-primary', dataset: { action: 'record-another' } }, icon('plus'), 'Record another purchase');
    again.addEventListener('click', (ev) => { ev.preventDefault(); navigate('#/assets/purchase'); });
    // New assets need their labels before they go out: offered here, for all of them at once.
    const labelsBtn = labelsButton('Print QR-code labels for the assets just recorded');
    const tags = out.assets.map((a) => a.asset_tag);
    labelsBtn.addEventListener('click', () => printLabels(labelsBtn, [{ label: tags.length === 1 ? tags[0] : `the ${tags.length} assets just recorded (${tags[0]} – ${tags.at(-1)})`, selection: { kind: 'ids', ids: out.assets.map((a) => a.id) } }]));
    body.replaceChildren(h('section', { class: 'card purchase-done', dataset: { purchaseDone: true } },
      h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, `${plural(out.assets.length, 'asset')} recorded`),
        out.receipt ? h('span', { class: 'card-sub' }, `Receipt ${out.receipt} attached to each`) : null),
      list,
      h('div', { class: 'form-actions' }, again, labelsBtn, h('a', { href: '#/assets', class: 'btn' }, 'Go to Assets'))));
  }

  supplier.focus();
}
