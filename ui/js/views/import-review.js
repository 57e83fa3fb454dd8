// The Review step of the import wizard (import.js): what every row will do — counts, errors
// with line and column, duplicates with skip / update / fail for all or per row, unknown status
// words, the day/month order of ambiguous dates — re-checked by the core after each answer.

import { api } from '../api.js';
import { h, icon } from '../dom.js';
import { DASH, formatCount, plural } from '../format.js';
import { STATUSES } from '../statuses.js';

/**
 * The Review step of the wizard `wiz` (see import.js): `facts` is the file's line, `options()`
 * the options as the core takes them; `onBack()` returns to Columns, `onCommit()` imports.
 */
export function renderReviewStep(wiz, { facts, options, signal, onBack, onCommit }) {
  const body = h('div', { class: 'import-body', dataset: { step: 'review' } }, facts);
  const content = h('div', { class: 'review', dataset: { reviewState: 'loading' } }, h('p', { class: 'muted' }, h('span', { class: 'spinner', 'aria-hidden': 'true' }), ' Checking every row…'));
  body.append(content);
  refreshPlan(content, { wiz, options, signal, onBack, onCommit });
  return body;
}

let planSeq = 0;

async function refreshPlan(content, step) {
  const { wiz, options, signal } = step;
  const my = ++planSeq;
  content.dataset.reviewState = 'loading';
  content.setAttribute('aria-busy', 'true');
  try {
    const plan = await api.previewImport(wiz.file.file_id, options());
    if (my !== planSeq || signal.aborted) return;
    wiz.plan = plan;
    wiz.planError = null;
  } catch (e) {
    if (my !== planSeq || signal.aborted) return;
    wiz.plan = null;
    wiz.planError = e;
  }
  content.removeAttribute('aria-busy');
  renderReview(content, step);
}

function renderReview(content, step) {
  const { wiz, onBack, onCommit } = step;
  const replan = () => refreshPlan(content, step);
  const back = h('button', { type: 'button', class: 'btn', dataset: { action: 'import-back' } }, icon('back'), 'Columns');
  back.addEventListener('click', onBack);
  if (wiz.planError) {
    content.dataset.reviewState = 'error';
    content.replaceChildren(h('p', { class: 'banner banner-error', role: 'alert' }, wiz.planError.message), h('div', { class: 'import-foot' }, back));
    return;
  }
  const { plan, options } = wiz;
  const c = plan.counts;
  const errorRows = plan.rows.filter((r) => r.action === 'error');
  const dupRows = plan.rows.filter((r) => r.action === 'duplicate' || r.conflict);
  const warnRows = plan.rows.filter((r) => r.warnings.length && r.action !== 'error');
  const toWrite = c.new + c.update;
  const blocked = plan.problems.length > 0 || (c.error > 0 && !options.skip_invalid) || toWrite === 0;

  const stat = (key, label, n, sub) => h('div', { class: ['stat', 'import-stat', n > 0 && `import-stat-${key}`], dataset: { count: key } },
    h('span', { class: 'stat-label' }, label), h('span', { class: 'stat-count num' }, formatCount(n)), h('span', { class: 'stat-value' }, sub));
  const stats = h('div', { class: 'stats import-stats' },
    stat('new', 'New', c.new, 'assets to create'),
    stat('update', 'Update', c.update, 'existing assets to change'),
    stat('duplicate', 'Duplicate', c.duplicate + c.skip, c.skip ? `${formatCount(c.duplicate)} identical, ${formatCount(c.skip)} skipped` : 'identical rows, left out'),
    stat('error', 'Error', c.error, c.error ? 'rows that cannot be imported' : 'no problems'));

  const sections = [];
  if (plan.generated_tags) {
    sections.push(h('p', { class: 'banner', dataset: { generatedTags: true } }, `New tags: ${plan.generated_tags}, in the order of the rows.`));
  }

  // Columns no field takes: named with what they hold, and kept in the notes in one click.
  const ignored = plan.ignored_columns ?? [];
  if (ignored.length) {
    const setKept = (headers, keep) => {
      const set = new Set(options.keep_in_notes);
      for (const hd of headers) { if (keep) set.add(hd); else set.delete(hd); }
      options.keep_in_notes = [...set];
      replan();
    };
    const open = ignored.filter((c) => !c.kept_in_notes);
    const all = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: 'keep-all-in-notes' } }, 'Keep all in notes');
    all.addEventListener('click', () => setKept(open.map((c) => c.header), true));
    all.hidden = open.length < 2;
    sections.push(h('section', { class: 'card import-question', dataset: { ignoredColumns: ignored.length } },
      h('header', { class: 'card-head' },
        h('h2', { class: 'card-title' }, open.length ? `${plural(open.length, 'column')} with values will not be imported` : 'Columns kept in the notes'),
        all),
      h('p', { class: 'card-intro muted' }, 'No field takes these columns. Keep them in each asset’s notes (as “Column: value”), or map them to a field in Columns.'),
      h('ul', { class: 'ignored-columns' }, ignored.map((c) => {
        const toggle = h('button', { type: 'button', class: 'btn btn-small', dataset: { action: c.kept_in_notes ? 'drop-from-notes' : 'keep-in-notes' } },
          c.kept_in_notes ? 'Don’t keep' : 'Keep in notes');
        toggle.addEventListener('click', () => setKept([c.header], !c.kept_in_notes));
        return h('li', { class: 'ignored-column', dataset: { ignoredColumn: c.header, kept: c.kept_in_notes ? 'yes' : 'no' } },
          h('span', { class: 'strong' }, c.header),
          h('span', { class: 'muted' }, ` ${plural(c.rows, 'row')}`, c.kept_in_notes ? ', kept in the notes' : ''),
          h('span', { class: 'import-samples' }, c.samples.map((v) => h('span', { class: 'sample', title: v }, h('span', null, v)))),
          toggle);
      }))));
  }

  // Whole-file questions: the order of ambiguous dates, unknown status words. An answered
  // question stays, showing its answer, so it can be changed without starting over (once the
  // order is given the core no longer finds the dates ambiguous: the columns asked about are
  // remembered).
  if (plan.ambiguous_date_columns.length) wiz.askedDates = plan.ambiguous_date_columns;
  const askedDates = plan.ambiguous_date_columns.length ? plan.ambiguous_date_columns
    : options.date_order ? wiz.askedDates ?? [] : [];
  if (askedDates.length) {
    const name = 'date-order';
    const radio = (value, label) => h('label', { class: 'check' },
      h('input', { type: 'radio', name, value, checked: options.date_order === value, dataset: { dateOrder: value } }), label);
    const group = h('div', { class: 'radio-row', role: 'radiogroup', 'aria-label': 'Date order' },
      radio('dmy', 'Day first (03/04/2024 is 3 April)'), radio('mdy', 'Month first (03/04/2024 is 4 March)'));
    group.addEventListener('change', (e) => { options.date_order = e.target.value; replan(); });
    const answered = { dmy: 'The dates read day first', mdy: 'The dates read month first' }[options.date_order];
    sections.push(h('section', { class: 'card import-question', dataset: { question: 'dates', answered: Boolean(answered) } },
      h('h2', { class: 'card-title' }, answered ?? 'Which way round are the dates?'),
      askedDates.map((a) => h('p', { class: 'card-intro' },
        `“${a.column}” has dates such as `, a.examples.slice(0, 3).map((x, i) => [i ? ', ' : '', h('code', null, x)]), ' that read either way.')),
      group));
  }
  const unknownWords = plan.unknown_statuses;
  const chosenWords = Object.entries(options.status_overrides).filter(([, s]) => s);
  if (unknownWords.length || chosenWords.length) {
    const wordRows = [...unknownWords.map((u) => [u.word, u.rows, u.first_line]), ...chosenWords.filter(([w]) => !unknownWords.some((u) => u.word === w)).map(([w]) => [w, null, null])];
    sections.push(h('section', { class: 'card import-question', dataset: { question: 'statuses' } },
      h('h2', { class: 'card-title' }, 'Status words this import does not know'),
      h('p', { class: 'card-intro muted' }, 'Choose the status each word means.'),
      h('div', { class: 'status-words' }, wordRows.map(([word, n, line]) => {
        const sel = h('select', { dataset: { statusWord: word }, 'aria-label': `Status for “${word}”` },
          h('option', { value: '' }, 'Choose…'), STATUSES.map((s) => h('option', { value: s.value }, s.label)));
        sel.value = options.status_overrides[word] ?? '';
        sel.addEventListener('change', () => { options.status_overrides[word] = sel.value; replan(); });
        return h('div', { class: 'status-word' },
          h('span', { class: 'status-word-text' }, h('code', null, word), n ? h('span', { class: 'muted' }, ` ${plural(n, 'row')}, first on line ${line}`) : null),
          sel);
      }))));
  }
  // The problems asked about above are not repeated in the banner.
  const asked = new Set(plan.ambiguous_date_columns.map((a) => a.message));
  const otherProblems = plan.problems.filter((p) => !asked.has(p) && !unknownWords.some((u) => p.startsWith(`The status "${u.word}"`)));
  if (otherProblems.length) sections.push(h('p', { class: 'banner banner-error', role: 'alert', dataset: { importProblems: true } }, otherProblems.join(' ')));

  // Spreadsheet-mangled serials get their own explanation.
  const mangled = errorRows.filter((r) => r.errors.some((e) => e.field === 'serial_number' && /scientific notation/.test(e.message)));
  if (mangled.length) {
    sections.push(h('p', { class: 'banner banner-warn', dataset: { mangledSerials: mangled.length } },
      `${plural(mangled.length, 'serial number')} ${mangled.length === 1 ? 'was' : 'were'} turned into a number like 6.37702E+15 by a spreadsheet, so the real serial is lost. Correct ${mangled.length === 1 ? 'it' : 'them'} in the file (format the column as Text) and choose it again, or leave ${mangled.length === 1 ? 'that row' : 'those rows'} out.`));
  }

  // Errors. Until the date order is chosen, the dates it concerns are asked about above
  // rather than listed row by row.
  const unsettled = new Set(options.date_order ? [] : plan.ambiguous_date_columns.map((a) => a.column));
  const allIssues = errorRows.flatMap((r) => r.errors.map((e) => ({ ...e, tag: r.asset_tag })));
  const issues = allIssues.filter((i) => !(i.column && unsettled.has(i.column) && /day first or month first/.test(i.message)));
  const waiting = allIssues.length - issues.length;
  if (c.error) {
    const skip = h('input', { type: 'checkbox', checked: options.skip_invalid, dataset: { skipInvalid: true } });
    skip.addEventListener('change', () => { options.skip_invalid = skip.checked; renderReview(content, step); });
    sections.push(h('section', { class: 'import-section', dataset: { section: 'errors' } },
      h('div', { class: 'import-section-head' },
        h('h2', { class: 'import-section-title' }, `${plural(c.error, 'row')} with errors`),
        h('label', { class: 'check' }, skip, `Leave ${c.error === 1 ? 'it' : 'them'} out and import the rest`)),
      issueTable(issues, 'error'),
      waiting ? h('p', { class: 'muted small', dataset: { waitingForDates: waiting } }, `${plural(waiting, 'more date')} cannot be read until you choose the date order above.`) : null,
      more(errorRows.length, c.error)));
  }

  // Duplicates and conflicts, with the choice for all and per row.
  if (dupRows.length || c.duplicate + c.skip) {
    const all = h('select', { dataset: { onDuplicate: true }, 'aria-label': 'For every conflicting row' },
      h('option', { value: 'skip' }, 'Skip the row'), h('option', { value: 'update' }, 'Update the existing asset'), h('option', { value: 'fail' }, 'Count it as an error'));
    all.value = options.on_duplicate;
    all.addEventListener('change', () => { options.on_duplicate = all.value; options.row_decisions = {}; replan(); });
    const rows = dupRows.map((r) => {
      let choice = h('span', { class: 'muted' }, 'Identical: left out');
      if (r.conflict) {
        choice = h('select', { dataset: { rowDecision: r.line }, 'aria-label': `Line ${r.line}` },
          h('option', { value: '' }, `As for all (${{ skip: 'skip', update: 'update', fail: 'error' }[options.on_duplicate]})`),
          h('option', { value: 'skip' }, 'Skip'), h('option', { value: 'update' }, 'Update existing'), h('option', { value: 'fail' }, 'Error'));
        choice.value = options.row_decisions[r.line] ?? '';
        choice.addEventListener('change', () => { options.row_decisions[r.line] = choice.value; replan(); });
      }
      const reason = r.reason ?? r.errors.map((e) => e.message).join('; ');
      return h('tr', { dataset: { line: r.line, action: r.action } },
        h('td', { class: 'num' }, String(r.line)),
        h('td', { class: 'mono clip', title: r.asset_tag }, h('span', null, r.asset_tag || DASH)),
        h('td', null, actionPill(r.action)),
        h('td', { class: 'clip', title: reason }, h('span', null, reason || DASH)),
        h('td', null, choice));
    });
    sections.push(h('section', { class: 'import-section', dataset: { section: 'duplicates' } },
      h('div', { class: 'import-section-head' },
        h('h2', { class: 'import-section-title' }, 'Duplicates'),
        h('label', { class: 'check' }, 'When a tag or serial number is already taken:', all)),
      h('div', { class: 'table-wrap' },
        h('table', { class: 'data-table import-table' },
          h('colgroup', null, h('col', { class: 'col-line' }), h('col', { class: 'col-tag' }), h('col', { class: 'col-action' }), h('col'), h('col', { class: 'col-choice' })),
          h('thead', null, h('tr', null, h('th', { class: 'num' }, 'Line'), h('th', null, 'Tag'), h('th', null, 'Will'), h('th', null, 'Why'), h('th', null, 'This row'))),
          h('tbody', null, rows))),
      more(dupRows.length, c.duplicate + c.skip)));
  }

  if (warnRows.length) {
    sections.push(h('details', { class: 'import-section', dataset: { section: 'warnings' } },
      h('summary', { class: 'import-section-title' }, `${plural(warnRows.length, 'note')} on rows that will import`),
      issueTable(warnRows.flatMap((r) => r.warnings.map((e) => ({ ...e, tag: r.asset_tag }))), 'warning')));
  }

  const go = h('button', { type: 'button', class: 'btn btn-primary', disabled: blocked, dataset: { action: 'import-commit' } },
    toWrite ? `Import ${plural(toWrite, 'asset')}` : 'Nothing to import');
  go.addEventListener('click', onCommit);
  const why = blocked
    ? h('span', { class: 'muted small', dataset: { blockedBecause: true } },
      plan.problems.length ? 'Answer the questions above first.'
        : c.error && !options.skip_invalid ? 'Fix the file, or leave the rows with errors out.'
          : 'Every row is a duplicate or left out.')
    : h('span', { class: 'muted small' }, 'One step: everything is imported, or nothing.');
  content.dataset.reviewState = 'ready';
  content.replaceChildren(stats, ...sections, h('div', { class: 'import-foot' }, back, h('span', { class: 'spacer' }), why, go));
}

function more(shown, total) {
  return total > shown ? h('p', { class: 'muted small' }, `Showing the first ${formatCount(shown)} of ${formatCount(total)}.`) : null;
}

function actionPill(action) {
  const label = { new: 'New', update: 'Update', duplicate: 'Identical', skip: 'Skip', error: 'Error' }[action] ?? action;
  return h('span', { class: ['action-pill', `action-${action}`] }, label);
}

/** "2–41" for a run of lines, else the first few and how many more. */
function lineList(lines) {
  if (lines.every((l, i) => i === 0 || l === lines[i - 1] + 1)) return `${lines[0]}–${lines.at(-1)}`;
  const shown = lines.slice(0, 3).join(', ');
  return lines.length > 3 ? `${shown} and ${formatCount(lines.length - 3)} more` : shown;
}

/**
 * The issues as a table, one row each; the same issue (column and words) on several rows is
 * one row saying how many and which lines, so a mistake on every row reads once.
 */
function issueTable(issues, kind) {
  const groups = new Map();
  for (const i of issues) {
    const key = JSON.stringify([i.column ?? null, i.message]);
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(i);
  }
  const rows = [...groups.values()].map((same) => {
    const [i] = same;
    if (same.length === 1) {
      return h('tr', { dataset: { line: i.line } },
        h('td', { class: 'num' }, String(i.line)),
        h('td', { class: 'mono clip', title: i.tag }, h('span', null, i.tag || DASH)),
        h('td', { class: 'clip', title: i.column ?? '' }, h('span', null, i.column ?? DASH)),
        h('td', { class: 'wrap' }, i.message));
    }
    const lines = same.map((x) => x.line);
    return h('tr', { dataset: { line: i.line, rows: same.length } },
      h('td', { class: 'num clip', title: lines.join(', ') }, h('span', null, lineList(lines))),
      h('td', { class: 'strong' }, plural(same.length, 'row')),
      h('td', { class: 'clip', title: i.column ?? '' }, h('span', null, i.column ?? DASH)),
      h('td', { class: 'wrap' }, i.message));
  });
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'data-table import-table', dataset: { issues: kind } },
      h('colgroup', null, h('col', { class: 'col-line' }), h('col', { class: 'col-tag' }), h('col', { class: 'col-colname' }), h('col')),
      h('thead', null, h('tr', null, h('th', { class: 'num' }, 'Line'), h('th', null, 'Tag'), h('th', null, 'Column'), h('th', null, 'Reason'))),
      h('tbody', null, rows)));
}
