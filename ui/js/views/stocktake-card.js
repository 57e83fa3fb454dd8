// Home's stocktake card: the stocktake in progress or the last one, and the assets no stocktake
// has seen for more than N months (N chosen here, 12 by default), linking to the list filtered
// so and to the Stocktake view.

import { api } from '../api.js';
import { h, trunc } from '../dom.js';
import { formatCount, formatDate, plural } from '../format.js';
import { toast } from '../widgets.js';

/** The card, or null when the summary could not be read. */
export function stocktakeCard(summary, reload) {
  if (!summary) return null;
  const { open, last, stale_months: months, unseen_total: total, unseen } = summary;
  const state = open
    ? h('p', { dataset: { stocktakeState: 'open' } }, h('a', { href: '#/stocktake' }, open.name), ` in progress: ${formatCount(open.counts.found + open.counts.elsewhere)} of ${formatCount(open.counts.expected)} seen so far.`)
    : last
      ? h('p', { dataset: { stocktakeState: 'last' } }, 'Last stocktake: ', h('a', { href: '#/stocktake' }, last.name), `, ${formatDate(last.on_date)} — ${formatCount(last.counts.found + last.counts.elsewhere)} of ${formatCount(last.counts.expected)} found, ${formatCount(last.counts.missing)} missing.`)
      : h('p', { dataset: { stocktakeState: 'none' } }, 'No stocktake yet. ', h('a', { href: '#/stocktake' }, 'Check the register against the rooms'), '.');
  const select = h('select', { 'aria-label': 'Months without a sighting', dataset: { staleMonths: true } },
    [...new Set([3, 6, 12, 18, 24, 36, months])].sort((a, b) => a - b).map((m) => h('option', { value: String(m) }, plural(m, 'month'))));
  select.value = String(months);
  select.addEventListener('change', async () => {
    try {
      await api.setStaleMonths(Number(select.value));
      reload();
    } catch (e) {
      toast(e.message, 'error');
    }
  });
  const list = h('ul', { class: 'mini-list' }, unseen.map((a) => h('li', null,
    h('a', { href: `#/assets/${a.id}`, class: 'mini-row', dataset: { id: a.id } },
      h('span', { class: 'mini-tag mono' }, a.asset_tag),
      trunc('span', { class: 'mini-name' }, a.name),
      h('span', { class: 'mini-side' }, a.last_seen ? formatDate(a.last_seen) : 'never')))));
  return h('section', { class: 'card', dataset: { stocktakeCard: true } },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Stocktake'), h('span', { class: 'card-sub', dataset: { unseenTotal: total } }, String(total))),
    state,
    h('p', { class: 'muted' }, `${plural(total, 'asset')} not seen for more than `, select, total
      ? [' · ', h('a', { href: `#/assets?unseen=${months}&sort=last_seen`, dataset: { action: 'show-unseen' } }, 'Show in the list')]
      : ''),
    total ? list : '');
}
