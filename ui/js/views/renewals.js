// `#/renewals`: the budget forecast — this month and the next eleven, each month's warranty
// ends and licence renewals with their costs, the month's total and the grand total.

import { api } from '../api.js';
import { h } from '../dom.js';
import { DASH, LOCALE, formatDate, formatMoney, plural } from '../format.js';

const monthName = (ym) => {
  const [y, m] = ym.split('-').map(Number);
  return new Intl.DateTimeFormat(LOCALE, { month: 'long', year: 'numeric' }).format(new Date(y, m - 1, 1));
};

const PER = { monthly: 'monthly', yearly: 'yearly', one_off: 'one-off' };

/** A renewal's cost for the whole licence; priced per seat, it says how it adds up. */
function licenceCost(item, currency) {
  const total = formatMoney(item.cost, currency);
  if (!item.per_seat) return total;
  const [price, seats] = item.per_seat;
  return h('span', { dataset: { perSeat: true }, title: `${formatMoney(price, currency)} per seat × ${seats} seats` },
    h('span', { class: 'muted due-seats' }, `${seats} × ${formatMoney(price, currency)} = `), total);
}

/** One due item as a table row linking to its asset or licence. */
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

export async function mountRenewals(root, ctx) {
  const { store } = ctx;
  const f = await api.getRenewals();
  if (!ctx.isCurrent()) return;
  const currency = f.currency || store.currency;
  const count = f.months.reduce((n, m) => n + m.items.length, 0);

  const header = h('header', { class: 'view-head' },
    h('div', { class: 'view-title' },
      h('h1', null, 'Renewals'),
      h('p', { class: 'view-sub' }, `Warranty ends and licence renewals from ${formatDate(f.from)} to ${formatDate(f.until)}`)),
    h('div', { class: 'view-actions' },
      h('div', { class: 'grand-total', dataset: { grandTotal: f.total } },
        h('span', { class: 'grand-label' }, 'Next 12 months'),
        h('span', { class: 'grand-value num' }, formatMoney(f.total, currency)))));

  if (count === 0) {
    root.replaceChildren(header,
      h('div', { class: 'empty-state', dataset: { empty: true } },
        h('h2', null, 'Nothing falls due in the next 12 months'),
        h('p', { class: 'muted' }, 'Warranty end dates on assets and renewal dates on licences appear here, month by month, with what each renewal costs.'),
        h('div', { class: 'empty-actions' },
          h('a', { href: '#/licences', class: 'btn btn-primary' }, 'Licences'),
          h('a', { href: '#/assets', class: 'btn' }, 'Assets'))));
    return;
  }

  const months = f.months.map((m) => {
    const head = h('header', { class: 'month-head' },
      h('h2', { class: 'month-title' }, monthName(m.month)),
      h('span', { class: 'card-sub' }, m.items.length ? plural(m.items.length, 'item') : 'Nothing due'),
      h('span', { class: 'spacer' }),
      // A month of warranty ends only has nothing to pay: "no cost", not "£0.00".
      h('span', { class: 'month-total num', dataset: { monthTotal: m.total } },
        !m.items.length ? '' : m.items.some((i) => i.kind !== 'warranty') ? formatMoney(m.total, currency) : h('span', { class: 'muted' }, 'no cost')));
    if (!m.items.length) return h('section', { class: 'month month-empty', dataset: { month: m.month } }, head);
    const table = h('table', { class: 'data-table due-table' },
      h('colgroup', null, h('col', { class: 'due-col-date' }), h('col', { class: 'due-col-kind' }), h('col'), h('col', { class: 'due-col-detail' }), h('col', { class: 'due-col-cost' })),
      h('thead', { class: 'sr-only' }, h('tr', null, h('th', null, 'Date'), h('th', null, 'What'), h('th', null, 'Item'), h('th', null, 'Holder or vendor'), h('th', null, 'Cost'))),
      h('tbody', null, m.items.map((i) => dueRow(i, currency))));
    return h('section', { class: 'month card', dataset: { month: m.month } }, head, table);
  });

  root.replaceChildren(header,
    h('div', { class: 'months', dataset: { renewals: true } }, months),
    h('p', { class: 'muted renewals-foot' },
      'Monthly and yearly licences renew on their renewal date and every month or year after it; a one-off licence expires once. Totals add up renewal costs; a warranty end has no cost of its own.'));
}
