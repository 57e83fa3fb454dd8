// `#/home`: counts by status, value, warranties ending soon, lost or stolen, integrity, and the
// latest changes.

import { api } from '../api.js';
import { h, icon, trunc } from '../dom.js';
import { daysUntil, formatCount, formatDate, formatDateTime, formatMoney, plural, relativeTime } from '../format.js';
import { STATUSES, pill } from '../statuses.js';
import { describe } from '../components/history.js';
import { unsetCategories } from './value.js';
import { auditPackButton } from '../components/audit-pack.js';
import { stocktakeCard } from './stocktake-card.js';

const SHOW = 6;

function assetList(assets, { attrs, empty, date }) {
  const list = h('ul', { class: 'mini-list' });
  const render = (all) => {
    const shown = all ? assets : assets.slice(0, SHOW);
    list.replaceChildren(...shown.map((a) => h('li', null,
      h('a', { href: `#/assets/${a.id}`, class: 'mini-row', dataset: { id: a.id } },
        h('span', { class: 'mini-tag mono' }, a.asset_tag),
        trunc('span', { class: 'mini-name' }, a.name),
        h('span', { class: 'mini-side' }, date(a))))));
    if (!all && assets.length > SHOW) {
      const more = h('button', { type: 'button', class: 'link-btn mini-more' }, `Show all ${assets.length}`);
      more.addEventListener('click', () => render(true));
      list.append(h('li', null, more));
    }
  };
  render(false);
  return h('div', attrs, assets.length ? list : h('p', { class: 'muted mini-empty' }, empty));
}

const inDays = (iso) => {
  const d = daysUntil(iso);
  const when = d === 0 ? 'today' : d === 1 ? 'tomorrow' : `in ${d} days`;
  return h('span', { title: formatDate(iso) }, when);
};

/** Warranty ends and licence renewals, soonest first, each linking to its asset or licence. */
function dueList(items, { attrs, empty, currency }) {
  const list = h('ul', { class: 'mini-list' });
  const render = (all) => {
    const shown = all ? items : items.slice(0, SHOW);
    list.replaceChildren(...shown.map((i) => {
      const warranty = i.kind === 'warranty';
      const side = warranty ? inDays(i.date) : h('span', null, i.cost ? `${formatMoney(i.cost, currency)} · ` : '', inDays(i.date));
      return h('li', null,
        h('a', { href: warranty ? `#/assets/${i.id}` : `#/licences/${i.id}`, class: 'mini-row', dataset: { due: i.kind, id: i.id } },
          h('span', { class: ['mini-tag', warranty && 'mono'] }, warranty ? i.asset_tag : 'Licence'),
          trunc('span', { class: 'mini-name', title: warranty ? `Warranty ends: ${i.name}` : `Renews: ${i.name}` }, i.name),
          h('span', { class: 'mini-side' }, side)));
    }));
    if (!all && items.length > SHOW) {
      const more = h('button', { type: 'button', class: 'link-btn mini-more' }, `Show all ${items.length}`);
      more.addEventListener('click', () => render(true));
      list.append(h('li', null, more));
    }
  };
  render(false);
  return h('div', attrs, items.length ? list : h('p', { class: 'muted mini-empty' }, empty));
}

export async function mountHome(root, ctx) {
  const { store, signal } = ctx;
  const [summary, recent, due, cats, undisposed, stocktakes] = await Promise.all([
    api.getSummary(),
    api.listAuditEvents(8).catch(() => []),
    api.getDueSoon(),
    api.listCategoryDepreciation().catch(() => []),
    api.listUndisposed().catch(() => []),
    api.getStocktakeSummary().catch(() => null),
  ]);
  if (!ctx.isCurrent()) return;
  const currency = summary.currency || store.currency;

  const org = store.settings?.organisation;
  const header = h('header', { class: 'view-head' },
    h('div', { class: 'view-title' },
      h('h1', null, org ? org : 'Home'),
      h('p', { class: 'view-sub' }, org ? 'IT asset register' : 'Your IT asset register at a glance')),
    h('div', { class: 'view-actions' },
      auditPackButton(),
      h('a', { href: '#/assets/new', class: 'btn btn-primary', dataset: { action: 'new-asset' } }, icon('plus'), 'New asset')));

  // --- integrity -----------------------------------------------------------------------------
  const integrity = h('div', { class: 'integrity', dataset: { integrity: true } });
  const renderIntegrity = () => {
    const v = store.verification;
    if (v?.unchecked) {
      integrity.dataset.state = 'unchecked';
      integrity.replaceChildren(h('span', { class: 'integrity-mark', 'aria-hidden': 'true' }, '–'), h('span', null, `Not checked · ${v.reason}`));
      integrity.removeAttribute('title');
      return;
    }
    if (!v || v.pending) {
      integrity.dataset.state = 'pending';
      integrity.replaceChildren(h('span', { class: 'integrity-mark' }, '…'), h('span', null, 'Checking the history chain…'));
      integrity.removeAttribute('title');
      return;
    }
    if (v.ok) {
      const head = store.head ?? v;
      integrity.dataset.state = 'ok';
      integrity.replaceChildren(
        h('span', { class: 'integrity-mark', 'aria-hidden': 'true' }, '✓'),
        h('span', null, h('strong', null, 'Verified'), ` · ${plural(head.event_count, 'change')} recorded, none altered · head `, h('code', null, head.head_hash.slice(0, 12))));
      integrity.setAttribute('title', `Head hash ${head.head_hash}`);
    } else {
      integrity.dataset.state = 'bad';
      const reason = v.error ?? v.first_bad_event?.reason ?? (v.integrity !== 'ok' ? `Database check: ${v.integrity}` : 'The history chain does not verify');
      integrity.replaceChildren(
        h('span', { class: 'integrity-mark', 'aria-hidden': 'true' }, '✗'),
        h('span', null, h('strong', null, 'Integrity check failed'), ` · ${reason}`,
          v.first_bad_event ? ` (event ${v.first_bad_event.id})` : ''));
      if (v.head_hash) integrity.setAttribute('title', `Head hash ${v.head_hash}`);
    }
  };
  store.addEventListener('change', (e) => {
    if (e.detail.what === 'verification' || e.detail.what === 'head') renderIntegrity();
  }, { signal });
  renderIntegrity();

  // An empty register teaches; one with only licences still shows what falls due.
  if (summary.asset_count === 0 && due.within_30.length + due.within_90.length === 0) {
    root.replaceChildren(header,
      h('div', { class: 'empty-state', dataset: { empty: true } },
        h('div', { class: 'empty-art', 'aria-hidden': 'true' }, icon('plus')),
        h('h2', null, 'No assets yet — add your first asset or import a CSV'),
        h('p', { class: 'muted' }, 'Record each laptop, phone and monitor once; then assign, return and retire it here, with every change kept in its history.'),
        h('div', { class: 'empty-actions' },
          h('a', { href: '#/assets/new', class: 'btn btn-primary', dataset: { action: 'new-asset' } }, icon('plus'), 'New asset'),
          h('a', { href: '#/import', class: 'btn', dataset: { action: 'import-csv' } }, icon('upload'), 'Import…'),
          h('a', { href: '#/assets/purchase', class: 'btn', dataset: { action: 'record-purchase' } }, 'Record purchase…'))),
      h('div', { class: 'home-foot' }, integrity),
      // Keep the status hooks present (all zero) so the page reads the same with no assets.
      h('div', { class: 'sr-only' }, STATUSES.map((s) => h('span', { dataset: { stat: s.value } }, `${s.label}: 0`)),
        h('span', { dataset: { stat: 'total' } }, '0 assets')));
    return;
  }

  // --- figures -------------------------------------------------------------------------------
  const byStatus = Object.fromEntries(summary.by_status.map((s) => [s.status, s]));
  const tiles = STATUSES.map((s) => {
    const st = byStatus[s.value] ?? { count: 0, value: '0' };
    return h('a', { href: `#/assets?status=${s.value}`, class: 'stat', dataset: { stat: s.value } },
      pill(s.value),
      h('span', { class: 'stat-count num' }, formatCount(st.count)),
      h('span', { class: 'stat-value num' }, h('span', null, formatMoney(st.value, currency))));
  });
  const total = h('a', { href: '#/value', class: 'stat stat-total', dataset: { stat: 'total' }, title: 'What the register is worth: cost and net book value by category and status' },
    h('span', { class: 'stat-label' }, 'All assets'),
    h('span', { class: 'stat-count num' }, formatCount(summary.asset_count)),
    h('span', { class: 'stat-value num' }, h('span', null, `${formatMoney(summary.total_value, currency)} purchase value`)),
    // Without a depreciation default the register's value is only its cost: say so here too.
    unsetCategories(cats).length
      ? h('span', { class: 'stat-note', dataset: { depreciationUnset: true } }, 'Depreciation not set up')
      : null);
  total.setAttribute('aria-label', `${plural(summary.asset_count, 'asset')}, ${formatMoney(summary.total_value, currency)} purchase value; open the register's value`);

  const card = (titleText, sub, content) => h('section', { class: 'card' },
    h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, titleText), sub ? h('span', { class: 'card-sub' }, sub) : null),
    content);

  const exp30 = dueList(due.within_30, { attrs: { dataset: { expiring: '30' } }, empty: 'Nothing in the next 30 days.', currency });
  const exp90 = dueList(due.within_90, { attrs: { dataset: { expiring: '90' } }, empty: 'Nothing between 31 and 90 days.', currency });
  const dueSub = (items, cost) => [String(items.length), Number(cost) > 0 ? ` · ${formatMoney(cost, currency)}` : ''].join('');
  const lost = assetList(summary.lost, {
    attrs: { dataset: { lost: true } },
    empty: 'Nothing reported lost or stolen.',
    date: (a) => a.assigned_to ?? a.location ?? '',
  });

  // Retired assets nobody has said how they left: the auditor's open items.
  const open = assetList(undisposed.map((u) => ({ ...u, id: u.asset_id })), {
    attrs: { dataset: { undisposed: true } },
    empty: 'Every retired asset has a disposal record.',
    date: (a) => (a.retired_at ? `retired ${relativeTime(a.retired_at)}` : 'retired'),
  });

  const activity = h('ol', { class: 'activity' }, recent.map((ev) => {
    const { title } = describe(ev, currency);
    const pages = { asset: 'assets', person: 'people', licence: 'licences' };
    const target = pages[ev.entity] && ev.entity_id ? `#/${pages[ev.entity]}/${ev.entity_id}` : null;
    return h('li', null,
      target ? trunc('a', { href: target, class: ['activity-label', ev.entity === 'asset' && 'mono'].filter(Boolean).join(' ') }, ev.label) : trunc('span', { class: 'activity-label' }, ev.label),
      trunc('span', { class: 'activity-title' }, title),
      h('time', { class: 'activity-time', datetime: ev.at, title: formatDateTime(ev.at) }, relativeTime(ev.at)));
  }));

  root.replaceChildren(header,
    h('div', { class: 'stats' }, total, ...tiles),
    h('div', { class: 'home-grid' },
      card('Due within 30 days', dueSub(due.within_30, due.cost_30), exp30),
      card('Due in 31–90 days', dueSub(due.within_90, due.cost_90), exp90),
      card('Lost or stolen', String(summary.lost.length), lost),
      undisposed.length ? card('Retired without a disposal record', String(undisposed.length), open) : null,
      stocktakeCard(stocktakes, () => ctx.navigate('#/home'))),
    card('Recent changes', null, recent.length ? activity : h('p', { class: 'muted mini-empty' }, 'No changes yet.')),
    h('div', { class: 'home-foot' }, integrity));
}
