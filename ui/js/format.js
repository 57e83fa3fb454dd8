// Values in words for the window: dates, times, money, counts, sizes, paths. Pure functions of
// their input (and the user's locale); no DOM. Empty values become an en dash.

/** En dash shown for an empty value. */
export const DASH = '\u2013';

/** Text or an en dash. */
export function text(value) {
  return value === null || value === undefined || value === '' ? DASH : String(value);
}

/**
 * The user's locale. A bare POSIX/C environment gives WebKit a locale that formats money as
 * "£ 1234.00"; fall back to en-GB there so figures stay grouped and readable.
 */
export const LOCALE = (() => {
  const resolved = new Intl.NumberFormat().resolvedOptions().locale || '';
  const langs = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ''])
    .filter((l) => l && !/^(c|posix)$/i.test(l) && !/posix/i.test(l));
  if (/posix/i.test(resolved) || !langs.length) return 'en-GB';
  return undefined;
})();

// ---------------------------------------------------------------------------------------------
// Dates

function parseIsoDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
}

/** A local date as ISO 8601 ("2024-01-15"); today when no date is given. */
export function isoDate(d = new Date()) {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

const dateFmt = new Intl.DateTimeFormat(LOCALE, { day: 'numeric', month: 'short', year: 'numeric' });
const dateTimeFmt = new Intl.DateTimeFormat(LOCALE, { dateStyle: 'medium', timeStyle: 'short' });

/** "2024-01-15" → the user's locale ("15 Jan 2024"); empty → en dash. */
export function formatDate(iso) {
  if (!iso) return DASH;
  const d = parseIsoDate(iso);
  return d ? dateFmt.format(d) : String(iso);
}

const weekdayDateFmt = new Intl.DateTimeFormat(LOCALE, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' });

/** "2026-03-15" → the day with its weekday, in the user's locale ("Sun, 15 Mar 2026"); '' when not a date. */
export function formatDateWithWeekday(iso) {
  const d = parseIsoDate(iso);
  return d ? weekdayDateFmt.format(d) : '';
}

/** The order of day, month and year in `fmt`'s output, as "day month year". */
const partsOrder = (fmt) => fmt.formatToParts(new Date(2026, 2, 15))
  .map((p) => p.type).filter((t) => ['day', 'month', 'year'].includes(t)).join(' ');

/**
 * Whether the web view's date fields read month-first while this window writes dates
 * day-first. The fields follow the process's locale (WebKitGTK under Linux, the OS's on
 * Windows and macOS), as the default `Intl` locale does; the window writes with `LOCALE`,
 * which is en-GB when the process's locale is C/POSIX. So under C.UTF-8 a field shows
 * 03/15/2026 beside "15 Mar 2026" everywhere else, and 02/12/2026 could be read either way:
 * then each date field shows its day in words too (components/date-echo.js).
 */
export const DATE_FIELDS_MONTH_FIRST = partsOrder(new Intl.DateTimeFormat(undefined, { day: '2-digit', month: '2-digit', year: 'numeric' })) === 'month day year'
  && !partsOrder(dateFmt).startsWith('month');

/** An RFC 3339 timestamp in the user's locale and time zone. */
export function formatDateTime(ts) {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? text(ts) : dateTimeFmt.format(d);
}

/** The day of an RFC 3339 timestamp, in the user's locale and time zone ("3 Mar 2026"). */
export function formatDay(ts) {
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? text(ts) : dateFmt.format(d);
}

const rtf = new Intl.RelativeTimeFormat(LOCALE, { numeric: 'auto' });

/** "3 minutes ago", "yesterday", "2 months ago". */
export function relativeTime(ts, now = Date.now()) {
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return text(ts);
  const secs = Math.round((d.getTime() - now) / 1000);
  const abs = Math.abs(secs);
  if (abs < 45) return 'just now';
  const units = [
    ['minute', 60, 3600],
    ['hour', 3600, 86400],
    ['day', 86400, 86400 * 30],
    ['month', 86400 * 30, 86400 * 365],
    ['year', 86400 * 365, Infinity],
  ];
  for (const [unit, size, limit] of units) {
    if (abs < limit) return rtf.format(Math.round(secs / size), unit);
  }
  return dateTimeFmt.format(d);
}

/** Days from today to an ISO date (negative when past). */
export function daysUntil(iso) {
  const d = parseIsoDate(iso);
  if (!d) return null;
  const today = new Date();
  today.setHours(0, 0, 0, 0);
  return Math.round((d.getTime() - today.getTime()) / 86400000);
}

// ---------------------------------------------------------------------------------------------
// Money and counts

const moneyFormats = new Map();

/** A decimal string ("1249.99") with the register's currency symbol; empty → en dash. */
export function formatMoney(value, currency = 'GBP') {
  if (value === null || value === undefined || value === '') return DASH;
  const n = Number(value);
  if (!Number.isFinite(n)) return String(value);
  let fmt = moneyFormats.get(currency);
  if (!fmt) {
    try {
      fmt = new Intl.NumberFormat(LOCALE, { style: 'currency', currency: currency || 'GBP' });
    } catch {
      fmt = new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    }
    moneyFormats.set(currency, fmt);
  }
  return fmt.format(n);
}

/** The symbol of a currency in the user's locale ("£" for GBP); the code when it has none. */
export function currencySymbol(currency) {
  try {
    const parts = new Intl.NumberFormat(LOCALE, { style: 'currency', currency }).formatToParts(0);
    return parts.find((p) => p.type === 'currency')?.value ?? currency;
  } catch {
    return currency;
  }
}

const countFmt = new Intl.NumberFormat(LOCALE);

/** 12345 → "12,345" in the user's locale. */
export function formatCount(n) {
  return countFmt.format(n);
}

/** "1 asset", "3 assets". */
export function plural(n, one, many = `${one}s`) {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

// ---------------------------------------------------------------------------------------------
// Files and records

/** Bytes in words, as the PDF and the CLI write them: "512 bytes", "12.3 KB", "4.0 MB". */
export function formatSize(n) {
  const b = Number(n);
  if (!Number.isFinite(b)) return DASH;
  if (b < 1024) return `${b} ${b === 1 ? 'byte' : 'bytes'}`;
  if (b < 1024 * 1024) return `${(b / 1024).toFixed(1)} KB`;
  return `${(b / (1024 * 1024)).toFixed(1)} MB`;
}

/** The last part of a path, whichever separator the OS uses. */
export function baseName(path) {
  return String(path ?? '').split(/[\\/]/).pop();
}

/** An asset in a sentence: "IT-0042 Dell Latitude 5440". */
export const assetLabel = (a) => `${a.asset_tag} ${a.name}`;
