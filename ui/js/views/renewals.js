// `#/renewals`: renewals and replacements — what falls due over the next one to five years, by
// month, quarter or year: warranty ends, licence renewals and assets reaching the end of their
// life, each kind with its subtotal; the replacements already overdue; and the budget table
// saved as CSV or PDF. `?years=N&by=month|quarter|year` keeps the choice while navigating.

import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { DASH, LOCALE, baseName, formatCount, formatDate, formatMoney, plural } from '../format.js';
import { statusLabel } from '../statuses.js';
import { toast } from '../widgets.js';
import { defaultPaper, runExport } from '../components/export.js';

const PER = { monthly: 'monthly', yearly: 'yearly', one_off: 'one-off' };
const BASIS = { replace_with: 'replace-with price', purchase_cost: 'purchase cost', unknown: 'no cost known' };
const GROUPINGS = [['month', 'Month'], ['quarter', 'Quarter'], ['year', 'Year']];

/** A renewal's cost for the whole licence; priced per seat, it says how it adds up. */
function licenceCost(item, currency) {
  const total = formatMoney(item.cost, currency);
  if (!item.per_seat) return total;
  const [price, seats] = item.per_seat;
  return h('span', { dataset: { perSeat: true }, title: `${formatMoney(price, currency)} per seat × ${seats} seats` },
    h('span', { class: 'muted due-seats' }, `${seats} × ${formatMoney(price, currency)} = `), total);
}

/** "March 2027", "Q1 2027", "2027", with the dates when the period is cut short. */
function periodTitle(p) {
  if (/^\d{4}-\d{2}$/.test(p.key)) {
    const [y, m] = p.key.split('-').map(Number);
    return new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric' }).format(new Date(y, m - 1, 1));
  }
  const q = /^(\d{4})-Q(\d)$/.exec(p.key);
  return q ? `Q${q[2]} ${q[1]}` : p.key;
}

/** One warranty end or licence renewal as a table row linking to its asset or licence. */
export function dueRow(item, currency) {
  const warranty = item.kind === 'warranty';
  const href = warranty ? `#/assets/${item.id}` : `#/licences/${item.id}`;
  const what = warranty ? 'Warranty ends' : item.period === 'one_off' ? 'Licence expires' : 'Licence renews';
  const cost = warranty
    ? h('span', { class: 'muted', title: 'A warranty end has no cost of its own; this is what the asset cost' }, item.purchase_cost ? `bought for ${formatMoney(item.purchase_cost, currency)}` : DASH)
    : item.cost ? licenceCost(item, currency) : h('span', { class: 'muted' }, 'no cost recorded');
  return h('tr', { dataset: { due: item.kind, dueId: item.id } },
    h('td', { class: 'col-date' }, formatDate(item.date)),
    h('td', null, h('span', { class: `kind-tag kind-${item.kind}` }, what)),
    h('td', { class: 'strong due-item' },
      h('a', { href, title: warranty ? `${item.asset_tag} ${item.name}` : item.name },
        warranty ? h('span', { class: 'mono due-tag' }, item.asset_tag) : null, item.name)),
    h('td', { class: 'clip muted', title: item.detail ?? '' }, h('span', null, [item.detail, !warranty && item.period ? PER[item.period] : null].filter(Boolean).join(' · ') || DASH)),
    h('td', { class: 'num' }, cost));
}

/** One asset due for replacement: when, what, why (life) and at which figure. */
function replacementRow(r, currency) {
  const life = r.life_months % 12 === 0 ? plural(r.life_months / 12, 'year') : `${r.life_months} months`;
  const from = { asset: 'its own life', category: 'its category’s life', depreciation: 'its depreciation life' }[r.life_source] ?? '';
  const detail = [r.category, r.holder, statusLabel(r.status)].filter(Boolean).join(' · ');
  const basis = `${BASIS[r.basis] ?? r.basis}${r.inflated ? ' + inflation' : ''}`;
  return h('tr', { dataset: { due: 'replacement', dueId: r.asset_id } },
    h('td', { class: 'col-date' }, formatDate(r.due)),
    h('td', null, h('span', { class: 'kind-tag kind-replacement', title: `Bought ${formatDate(r.purchase_date)}; ${life} (${from})` }, 'Replace')),
    h('td', { class: 'strong due-item' },
      h('a', { href: `#/assets/${r.asset_id}`, title: `${r.asset_tag} ${r.name}` },
        h('span', { class: 'mono due-tag' }, r.asset_tag), r.name)),
    h('td', { class: 'clip muted', title: detail }, h('span', null, detail || DASH)),
    h('td', { class: 'num', title: basis },
      r.cost ? formatMoney(r.cost, currency) : h('span', { class: 'muted' }, 'no cost known'),
      h('span', { class: 'due-basis' }, basis)));
}

function dueTable(rows) {
  return h('table', { class: 'data-table due-table' },
    h('colgroup', null, h('col', { class: 'due-col-date' }), h('col', { class: 'due-col-kind' }), h('col'), h('col', { class: 'due-col-detail' }), h('col', { class: 'due-col-cost' })),
    h('thead', { class: 'sr-only' }, h('tr', null, h('th', null, 'Date'), h('th', null, 'What'), h('th', null, 'Item'), h('th', null, 'Holder, vendor or category'), h('th', null, 'Cost'))),
    h('tbody', null, rows));
}

function subtotal(label, amount, currency, key, count) {
  return h('span', { class: 'subtotal', dataset: { subtotal: key } },
    h('span', { class: 'subtotal-label' }, `${label} (${formatCount(count)})`),
    h('span', { class: 'num strong' }, formatMoney(amount, currency)));
}

function periodCard(p, currency) {
  const count = p.renewal_count + p.replacement_count;
  const partial = count ? ` · ${formatDate(p.start)} – ${formatDate(p.end)}` : '';
  const head = h('header', { class: 'month-head' },
    h('h2', { class: 'month-title' }, periodTitle(p)),
    h('span', { class: 'card-sub' }, count ? `${plural(count, 'item')}${partial}` : 'Nothing due'),
    h('span', { class: 'spacer' }),
    // A period of warranty ends only has nothing to pay: "no cost", not "£0.00".
    h('span', { class: 'month-total num', dataset: { periodTotal: p.total } },
      !count ? '' : p.replacement_count || p.renewals.some((i) => i.kind !== 'warranty') ? formatMoney(p.total, currency) : h('span', { class: 'muted' }, 'no cost')));
  if (!count) return h('section', { class: 'month month-empty', dataset: { period: p.key } }, head);
  const warranties = p.renewals.filter((i) => i.kind === 'warranty').length;
  const licences = p.renewal_count - warranties;
  const subtotals = h('div', { class: 'subtotals' },
    licences || p.renewal_cost !== '0.00' ? subtotal('Licence renewals', p.renewal_cost, currency, 'renewals', licences) : null,
    p.replacement_count ? subtotal('Replacements', p.replacement_cost, currency, 'replacements', p.replacement_count) : null,
    warranties ? h('span', { class: 'subtotal muted' }, `${plural(warranties, 'warranty end')}, no cost`) : null);
  const more = count - p.renewals.length - p.replacements.length;
  return h('section', { class: 'month card', dataset: { period: p.key } },
    head, subtotals,
    dueTable([...p.renewals.map((i) => dueRow(i, currency)), ...p.replacements.map((r) => replacementRow(r, currency))]),
    more > 0 ? h('p', { class: 'muted due-more' }, `…and ${formatCount(more)} more in this period. The budget export counts them all.`) : null);
}

export async function mountRenewals(root, ctx) {
  const { store, query } = ctx;
  const years = Math.min(5, Math.max(1, Number(query.get('years')) || 1));
  const by = GROUPINGS.some(([v]) => v === query.get('by')) ? query.get('by') : (years > 1 ? 'quarter' : 'month');
  const f = await api.getForecast(years, by);
  if (!ctx.isCurrent()) return;
  const currency = f.currency || store.currency;

  const choose = (k, v) => {
    const next = new URLSearchParams({ years: String(years), by });
    next.set(k, v);
    ctx.navigate(`#/renewals?${next}`);
  };
  const yearsSelect = h('select', { name: 'years', 'aria-label': 'Years ahead', dataset: { forecastYears: true } },
    [1, 2, 3, 4, 5].map((n) => h('option', { value: String(n), selected: n === years }, n === 1 ? 'Next 12 months' : `Next ${n} years`)));
  yearsSelect.addEventListener('change', () => choose('years', yearsSelect.value));
  const bySelect = h('select', { name: 'by', 'aria-label': 'Group by', dataset: { forecastBy: true } },
    GROUPINGS.map(([v, label]) => h('option', { value: v, selected: v === by }, `By ${label.toLowerCase()}`)));
  bySelect.addEventListener('change', () => choose('by', bySelect.value));

  const csvBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'budget-csv' }, title: 'Per year and category: replacements and licence renewals, for a spreadsheet' }, icon('download'), h('span', { class: 'btn-label' }, 'Budget CSV'));
  csvBtn.addEventListener('click', async () => {
    csvBtn.disabled = true;
    try {
      const done = await api.exportBudgetCsv(years);
      if (done) toast(`Saved ${baseName(done.path)}`, 'ok', { action: { label: 'Open', run: () => api.openExported(done.path).catch((e) => toast(e.message, 'error')) } });
    } catch (e) {
      toast(`The budget was not exported: ${e.message}`, 'error');
    } finally {
      csvBtn.disabled = false;
    }
  });
  const pdfBtn = h('button', { type: 'button', class: 'btn', dataset: { action: 'budget-pdf' }, title: 'The budget table as a PDF page' }, icon('download'), h('span', { class: 'btn-label' }, 'Budget PDF'));
  pdfBtn.addEventListener('click', () => runExport(pdfBtn, () => api.exportBudgetPdf(years, defaultPaper())));

  const header = h('header', { class: 'view-head' },
    h('div', { class: 'view-title' },
      h('h1', null, 'Renewals and replacements'),
      h('p', { class: 'view-sub' }, `Warranty ends, licence renewals and replacements from ${formatDate(f.from)} to ${formatDate(f.until)}`)),
    h('div', { class: 'view-actions' },
      h('div', { class: 'grand-total', dataset: { grandTotal: f.total } },
        h('span', { class: 'grand-label' }, years === 1 ? 'Next 12 months' : `Next ${years} years`),
        h('span', { class: 'grand-value num' }, formatMoney(f.total, currency)))));

  const toolbar = h('div', { class: 'filters forecast-toolbar' }, yearsSelect, bySelect, h('span', { class: 'spacer' }), csvBtn, pdfBtn);

  const u = f.unplanned;
  const notes = [];
  if (u.no_life) {
    notes.push(h('p', { class: 'forecast-note', dataset: { unplanned: u.no_life } },
      `${plural(u.no_life, 'asset')} ${u.no_life === 1 ? 'has' : 'have'} no replacement life, so ${u.no_life === 1 ? 'it is' : 'they are'} not forecast. `,
      h('a', { href: '#/settings?section=replacement' }, 'Set a life per category'), '.'));
  }
  if (u.no_purchase_date) {
    notes.push(h('p', { class: 'forecast-note muted' }, `${plural(u.no_purchase_date, 'asset')} without a purchase date cannot be forecast.`));
  }
  const summary = h('div', { class: 'forecast-summary', dataset: { forecastSummary: true } },
    h('div', { class: 'forecast-stat' }, h('span', { class: 'forecast-stat-label' }, 'Licence renewals'), h('span', { class: 'forecast-stat-value num', dataset: { sum: 'renewals' } }, formatMoney(f.renewal_cost, currency))),
    h('div', { class: 'forecast-stat' }, h('span', { class: 'forecast-stat-label' }, 'Replacements'), h('span', { class: 'forecast-stat-value num', dataset: { sum: 'replacements' } }, formatMoney(f.replacement_cost, currency))),
    h('div', { class: 'forecast-stat' }, h('span', { class: 'forecast-stat-label' }, f.inflation_percent === '0' ? 'No inflation added' : `Inflation ${f.inflation_percent} % a year`),
      h('a', { class: 'forecast-stat-link', href: '#/settings?section=replacement' }, 'Lives and prices…')));

  const overdue = f.overdue_count
    ? h('section', { class: 'month card overdue-card', dataset: { overdue: f.overdue_count } },
      h('header', { class: 'month-head' },
        h('h2', { class: 'month-title' }, 'Overdue replacements'),
        h('span', { class: 'card-sub' }, `${plural(f.overdue_count, 'asset')} still in use past ${f.overdue_count === 1 ? 'its' : 'their'} life`),
        h('span', { class: 'spacer' }),
        h('span', { class: 'month-total num' }, formatMoney(f.overdue_cost, currency))),
      dueTable(f.overdue.map((r) => replacementRow(r, currency))),
      f.overdue_count > f.overdue.length ? h('p', { class: 'muted due-more' }, `…and ${formatCount(f.overdue_count - f.overdue.length)} more.`) : null)
    : null;

  const count = f.periods.reduce((n, p) => n + p.renewal_count + p.replacement_count, 0);
  const body = count === 0 && !f.overdue_count
    ? h('div', { class: 'empty-state', dataset: { empty: true } },
      h('h2', null, `Nothing falls due ${years === 1 ? 'in the next 12 months' : `in the next ${years} years`}`),
      h('p', { class: 'muted' }, 'Warranty end dates on assets, renewal dates on licences and the end of each asset’s useful life appear here, with what each costs.'),
      h('div', { class: 'empty-actions' },
        h('a', { href: '#/settings?section=replacement', class: 'btn btn-primary' }, 'Set replacement lives'),
        h('a', { href: '#/licences', class: 'btn' }, 'Licences')))
    : h('div', { class: 'months', dataset: { renewals: true } }, overdue, f.periods.map((p) => periodCard(p, currency)));

  root.replaceChildren(header, toolbar, summary, ...notes, body,
    h('p', { class: 'muted renewals-foot' },
      'Monthly and yearly licences renew on their renewal date and every month or year after it; a one-off licence expires once. An asset is due for replacement at its purchase date plus its life, at its category’s replace-with price or else what it cost, plus inflation for each whole year ahead. Retired, Lost/Stolen and archived assets are never forecast; a warranty end has no cost of its own.'));
}
