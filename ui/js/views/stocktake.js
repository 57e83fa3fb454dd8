// `#/stocktake`: check the register against the rooms. With no stocktake open: start one (name,
// date, who, everything or some locations) and the past ones with their reports. With one open:
// scan labels (a USB scanner works from anywhere in the window; the field takes typed tags too),
// each scan answered at once — found, found elsewhere (Move here), unexpected (Add to register),
// already scanned — with the counts; tick what has no label; then Finish, choosing what becomes
// Lost/Stolen. Scans are queued, so a fast scanner never loses one.

import { api } from '../api.js';
import { h } from '../dom.js';
import { formatCount, formatDate, isoDate, plural } from '../format.js';
import { toast } from '../widgets.js';
import { scans } from '../scan.js';
import { field, formValue } from '../components/field.js';
import { openDialog } from '../components/dialog.js';
import { runExport, defaultPaper } from '../components/export.js';

const OUTCOME = {
  found: 'Found',
  elsewhere: 'Found elsewhere',
  unexpected: 'Unexpected',
  not_seen: 'Not yet seen',
  missing: 'Missing',
};
const SHOWN = 200; // rows of a list drawn at once

function countsBar(c, finished) {
  const item = (key, label, value, hint) => h('div', { class: 'st-count', dataset: { count: key }, title: hint ?? '' },
    h('span', { class: 'st-count-n' }, formatCount(value)), h('span', { class: 'st-count-label' }, label));
  return h('div', { class: 'st-counts', dataset: { stocktakeCounts: true } },
    item('expected', 'Expected', c.expected),
    item('found', 'Found', c.found),
    item('elsewhere', 'Elsewhere', c.elsewhere, `${c.moved} moved here`),
    item('unexpected', 'Unexpected', c.unexpected, `${c.unknown} unknown to the register`),
    finished ? item('missing', 'Missing', c.missing, `${c.marked_lost} marked Lost/Stolen`) : item('not_seen', 'Not yet seen', c.not_seen));
}

function reportButton(st) {
  const b = h('button', { type: 'button', class: 'btn', dataset: { action: 'stocktake-report' } }, 'Report PDF');
  b.addEventListener('click', () => runExport(b, () => api.exportStocktakePdf(st.id, defaultPaper())));
  return b;
}

export async function mountStocktake(root, ctx) {
  const { store, signal } = ctx;
  const body = h('div', { class: 'view-body' });
  const actions = h('div', { class: 'view-actions' });
  root.replaceChildren(
    h('header', { class: 'view-head' }, h('div', { class: 'view-title' }, h('h1', null, 'Stocktake')), actions),
    body);

  async function load() {
    const open = await api.getOpenStocktake();
    if (!ctx.isCurrent()) return;
    if (open) showOpen(open);
    else await showStart();
  }

  // --- no stocktake open: start one, and the past ones ------------------------------------------
  async function showStart() {
    const [past] = await Promise.all([api.listStocktakes(), store.lists().catch(() => {})]);
    if (!ctx.isCurrent()) return;
    actions.replaceChildren();
    const today = isoDate();
    const name = h('input', { name: 'name', autocomplete: 'off', value: `Stocktake ${formatDate(today)}` });
    const date = h('input', { type: 'date', name: 'on_date', value: today });
    const who = h('input', { name: 'counted_by', autocomplete: 'name', placeholder: 'Who is counting', value: localStorage.getItem('asset-register.counted-by') ?? '' });
    const radio = (value, label, checked) => h('label', { class: 'check choice' }, h('input', { type: 'radio', name: 'scope', value, checked }), h('span', null, label));
    const boxes = store.locations.map((l) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', name: 'location', value: l.name }), h('span', null, `${l.name} (${plural(l.asset_count, 'asset')})`)));
    const where = h('div', { class: 'st-locations', dataset: { stocktakeLocations: true }, hidden: true }, boxes.length ? boxes : h('p', { class: 'muted' }, 'No locations yet.'));
    const scope = h('div', { class: 'dialog-fieldset', role: 'radiogroup', 'aria-label': 'What to check' },
      h('span', { class: 'field-label' }, 'What to check'),
      radio('all', 'Everything in the register', true),
      radio('some', 'These locations:', false), where);
    scope.addEventListener('change', () => { where.hidden = scope.querySelector('[name="scope"]:checked').value !== 'some'; });
    const error = h('p', { class: 'dialog-error', role: 'alert', hidden: true, dataset: { formError: true } });
    const start = h('button', { type: 'submit', class: 'btn btn-primary', dataset: { action: 'start-stocktake' } }, 'Start stocktake');
    const form = h('form', { class: 'card st-start', dataset: { stocktakeStart: true }, novalidate: true },
      h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Start a stocktake')),
      h('p', { class: 'muted' }, 'The register lists what it expects to find; then scan each label (or tick what has none). You can stop and carry on later: the stocktake stays open until you finish it.'),
      h('div', { class: 'dialog-row' }, field('Name', name), field('Date', date)),
      field('Counted by', who),
      scope, error,
      h('div', { class: 'form-actions' }, start));
    form.addEventListener('change', () => { error.hidden = true; });
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      error.hidden = true;
      const some = scope.querySelector('[name="scope"]:checked').value === 'some';
      const locations = some ? [...where.querySelectorAll('[name="location"]:checked')].map((b) => b.value) : [];
      if (some && !locations.length) {
        error.textContent = 'Choose at least one location, or check everything.';
        error.hidden = false;
        return;
      }
      start.disabled = true;
      try {
        const input = { name: formValue(form, 'name'), counted_by: formValue(form, 'counted_by'), on_date: date.value || null, locations };
        const st = await api.startStocktake(input);
        localStorage.setItem('asset-register.counted-by', input.counted_by);
        toast(`${st.name} started: ${plural(st.counts.expected, 'asset')} expected`);
        showOpen(st);
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      } finally {
        start.disabled = false;
      }
    });
    const history = past.length
      ? h('section', { class: 'card', dataset: { pastStocktakes: true } },
        h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Past stocktakes')),
        h('ul', { class: 'mini-list' }, past.map((st) => h('li', { class: 'mini-row', dataset: { stocktakeId: st.id } },
          h('span', { class: 'mini-tag' }, formatDate(st.on_date)),
          h('span', { class: 'mini-name' }, st.cancelled
            ? `${st.name} — cancelled, ${st.counts.found + st.counts.elsewhere} of ${st.counts.expected} seen`
            : `${st.name} — ${st.counts.found + st.counts.elsewhere} of ${st.counts.expected} found, ${st.counts.missing} missing`),
          h('span', { class: 'mini-side' }, reportButton(st))))))
      : null;
    body.replaceChildren(form, history ?? '');
    who.value ? name.focus() : who.focus();
    // On a team register, a stocktake someone else starts shows here at once (it cannot be
    // started twice); the form's typing is not kept, as there is nothing left to start.
    ctx.onRemoteChange(() => {
      api.getOpenStocktake().then((open) => {
        if (open && ctx.isCurrent()) {
          toast(`${open.name} was started by someone else; scan into it here`);
          showOpen(open);
        }
      }).catch(() => {});
    });
  }

  // --- a stocktake open: scan ------------------------------------------------------------------
  function showOpen(st) {
    let counts = st.counts;
    const finishBtn = h('button', { type: 'button', class: 'btn btn-primary', dataset: { action: 'finish-stocktake' } }, 'Finish…');
    const cancelBtn = h('button', { type: 'button', class: 'btn btn-quiet-danger', dataset: { action: 'cancel-stocktake' } }, 'Cancel stocktake…');
    cancelBtn.addEventListener('click', async () => {
      await chain;
      const off = await openDialog({
        name: 'cancel-stocktake',
        title: `Cancel ${st.name}?`,
        intro: 'Nothing not yet seen is marked missing. What was seen stays seen: those sightings are in each asset’s history.',
        body: [field('Why (kept in the audit trail)', h('input', { name: 'reason', autocomplete: 'off', placeholder: 'e.g. Started by mistake' }))],
        confirmLabel: 'Cancel stocktake',
        cancelLabel: 'Keep counting',
        danger: true,
        onConfirm: (form) => api.cancelStocktake(st.id, formValue(form, 'reason')),
      });
      if (off) {
        toast(`${off.name} cancelled`);
        store.changed();
        showStart();
      }
    });
    actions.replaceChildren(cancelBtn, reportButton(st), finishBtn);
    const scope = st.all_locations ? 'Everything' : st.locations.join(', ');
    const bar = h('div', null, countsBar(counts, false));
    const input = h('input', { type: 'search', dataset: { scanInput: true }, placeholder: 'Scan a label, or type a tag and press Enter', autocomplete: 'off', spellcheck: 'false', 'aria-label': 'Tag' });
    const rooms = st.all_locations ? store.locations.map((l) => l.name) : st.locations;
    const room = rooms.length > 1
      ? h('select', { name: 'room', 'aria-label': 'Room you are in' }, h('option', { value: '' }, 'Room: not said'), rooms.map((r) => h('option', { value: r }, r)))
      : null;
    // A select takes typed letters as a choice: after choosing the room, keys go back to the field.
    room?.addEventListener('change', () => input.focus());
    const feed = h('ul', { class: 'st-feed', dataset: { scanFeed: true }, 'aria-live': 'polite' });
    const unseenList = h('ul', { class: 'mini-list st-unseen', dataset: { unseenList: true } });
    const unseenHead = h('h2', { class: 'card-title' }, 'Not yet seen');
    body.replaceChildren(
      h('p', { class: 'muted st-meta', dataset: { stocktakeMeta: true } }, `${st.name} · ${scope} · ${formatDate(st.on_date)} · counted by ${st.counted_by}`),
      bar,
      h('div', { class: 'st-scan' }, input, room ?? ''),
      h('div', { class: 'st-columns' },
        h('section', { class: 'card' }, h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, 'Scanned')), feed),
        h('section', { class: 'card' }, h('header', { class: 'card-head' }, unseenHead), unseenList)));

    async function renderUnseen() {
      const items = await api.listStocktakeItems(st.id, 'not_seen');
      if (signal.aborted) return;
      unseenHead.textContent = `Not yet seen (${formatCount(items.length)})`;
      unseenList.replaceChildren(...items.slice(0, SHOWN).map((i) => {
        const tick = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'tick' }, title: 'Found, but the label cannot be scanned' }, 'Found');
        tick.addEventListener('click', () => enqueue(i.tag));
        return h('li', { class: 'mini-row', dataset: { tag: i.tag } },
          h('span', { class: 'mini-tag mono' }, i.tag), h('span', { class: 'mini-name' }, i.name ?? ''),
          h('span', { class: 'mini-side' }, i.expected_location ?? '', ' ', tick));
      }), items.length > SHOWN ? h('li', { class: 'muted' }, `and ${formatCount(items.length - SHOWN)} more`) : '');
    }

    function feedRow(s) {
      const i = s.item;
      const what = s.repeat ? 'Already scanned' : OUTCOME[i.outcome];
      const detail = i.outcome === 'elsewhere'
        ? `The register has it ${i.expected_location?.startsWith('with ') ? i.expected_location : `at ${i.expected_location ?? 'no location'}`}${i.moved ? `; moved to ${i.seen_location}` : ''}`
        : i.outcome === 'unexpected' ? (i.note ?? '') : (i.seen_location ? `In ${i.seen_location}` : '');
      const li = h('li', { class: ['st-row', `st-${i.outcome}`, s.repeat && 'st-repeat'], dataset: { outcome: s.repeat ? 'repeat' : i.outcome, tag: i.tag } },
        h('span', { class: 'st-pill' }, what),
        h('span', { class: 'mono st-tag' }, i.tag),
        h('span', { class: 'st-name' }, i.name ?? ''),
        h('span', { class: 'st-detail muted' }, detail));
      if (s.move_to && !i.moved) {
        const move = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'move-here' } }, `Move to ${s.move_to}`);
        move.addEventListener('click', async () => {
          move.disabled = true;
          try {
            const moved = await api.moveStocktakeItem(st.id, i.id);
            store.changed();
            li.replaceWith(feedRow({ ...s, item: moved, move_to: null }));
            toast(`${i.tag} moved to ${moved.seen_location}`);
          } catch (e) {
            move.disabled = false;
            toast(e.message, 'error');
          }
        });
        li.append(move);
      }
      if (i.outcome === 'unexpected' && i.asset_id === null) {
        li.append(h('a', { href: `#/assets/new?tag=${encodeURIComponent(i.tag)}`, class: 'btn btn-small', dataset: { action: 'add-asset' } }, 'Add to register…'));
      }
      return li;
    }

    // One scan at a time, in order: a fast scanner's tags wait their turn, none is dropped.
    let chain = Promise.resolve();
    const enqueue = (tag) => {
      chain = chain.then(() => scanOne(tag));
      return chain;
    };
    async function scanOne(tag) {
      if (signal.aborted) return;
      try {
        const s = await api.scanStocktakeTag(st.id, tag, room?.value || null);
        if (signal.aborted) return;
        counts = s.counts;
        bar.replaceChildren(countsBar(counts, false));
        feed.prepend(feedRow(s));
        while (feed.children.length > SHOWN) feed.lastElementChild.remove();
        if (!s.repeat && s.item.expected) unseenList.querySelector(`li[data-tag="${CSS.escape(s.item.tag)}"]`)?.remove();
        unseenHead.textContent = `Not yet seen (${formatCount(counts.not_seen)})`;
        performance.mark('stocktake:scanned');
      } catch (e) {
        toast(`${tag}: ${e.message}`, 'error');
      }
    }

    scans.addEventListener('scan', (e) => {
      e.preventDefault(); // this view takes every scan
      enqueue(e.detail.code);
    }, { signal });
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !input.value.trim()) return;
      e.preventDefault();
      const tag = input.value.trim();
      input.value = '';
      enqueue(tag);
    });
    finishBtn.addEventListener('click', async () => {
      await chain;
      const done = await finishDialog(st);
      if (done) {
        store.changed();
        showFinished(done);
      }
    });
    // On a team register others scan too: after this window's own queued scans, the counts
    // and the unseen list are read again in place (nothing typed or queued is lost); a
    // stocktake someone else finished or cancelled shows as such.
    let refreshing = null;
    ctx.onRemoteChange(() => {
      if (refreshing) return;
      refreshing = chain.then(async () => {
        try {
          const now = await api.getOpenStocktake();
          if (signal.aborted) return;
          if (!now || now.id !== st.id) {
            const past = (await api.listStocktakes()).find((p) => p.id === st.id);
            if (signal.aborted) return;
            toast(`${st.name} was ${past?.cancelled ? 'cancelled' : 'finished'} by someone else`);
            if (past && !past.cancelled) showFinished(past);
            else await load();
            return;
          }
          counts = now.counts;
          bar.replaceChildren(countsBar(counts, false));
          await renderUnseen();
        } catch (e) {
          toast(e.message, 'error');
        } finally {
          refreshing = null;
        }
      });
    });
    renderUnseen();
    input.focus();
  }

  function showFinished(st) {
    ctx.onRemoteChange(() => {});
    actions.replaceChildren(reportButton(st));
    const again = h('button', { type: 'button', class: 'btn', dataset: { action: 'new-stocktake' } }, 'Start another');
    again.addEventListener('click', () => showStart());
    body.replaceChildren(
      h('section', { class: 'card', dataset: { stocktakeFinished: true } },
        h('header', { class: 'card-head' }, h('h2', { class: 'card-title' }, `${st.name} finished`)),
        countsBar(st.counts, true),
        h('p', { class: 'muted' }, 'Every outcome is in each asset’s History. The report is for the auditor: it states the audit trail’s head at the start and at the finish.'),
        h('div', { class: 'form-actions' }, reportButton(st), again)));
  }

  await load();
}

/** Finish: what was not seen becomes missing; the user picks what to mark Lost/Stolen. */
async function finishDialog(st) {
  const unseen = await api.listStocktakeItems(st.id, 'not_seen');
  const all = h('input', { type: 'checkbox', name: 'lost_all' });
  const boxes = unseen.slice(0, SHOWN).map((i) => h('label', { class: 'check' },
    h('input', { type: 'checkbox', name: 'lost', value: String(i.id) }),
    h('span', null, h('span', { class: 'mono' }, i.tag), ` ${i.name ?? ''}`, h('span', { class: 'muted' }, i.expected_location ? ` · ${i.expected_location}` : ''))));
  all.addEventListener('change', () => { for (const b of boxes) b.querySelector('input').checked = all.checked; });
  const body = unseen.length
    ? [
      h('p', { class: 'dialog-note' }, `${plural(unseen.length, 'asset')} not seen will be recorded as missing. Tick those to mark Lost/Stolen too.`),
      h('label', { class: 'check' }, all, h('span', null, 'Mark all of them Lost/Stolen')),
      h('div', { class: 'st-finish-list', dataset: { finishList: true } }, boxes),
      field('Note (kept in each missing asset’s history)', h('textarea', { name: 'note', rows: 2 })),
    ]
    : [h('p', { class: 'dialog-note' }, 'Everything expected was seen.')];
  return openDialog({
    name: 'finish-stocktake',
    title: `Finish ${st.name}`,
    body,
    confirmLabel: 'Finish stocktake',
    onConfirm: async (form) => {
      const lostAll = all.checked && unseen.length > 0;
      const lost = lostAll ? [] : [...form.querySelectorAll('[name="lost"]:checked')].map((b) => Number(b.value));
      const done = await api.finishStocktake(st.id, { lost_all: lostAll, lost, note: formValue(form, 'note') || null });
      toast(`${done.name} finished: ${plural(done.counts.missing, 'asset')} missing`);
      return done;
    },
  });
}
