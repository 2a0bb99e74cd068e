/**
 * Age arithmetic (§6.5). Dates are strict `YYYY-MM-DD` calendar dates; anything
 * else counts as unknown. "Today" is a UTC date supplied by the caller.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** Parse a real calendar date (`2023-02-30` is rejected). */
export function parseDate(text: string | null | undefined): CalendarDate | undefined {
  if (!text) return undefined;
  const m = DATE.exec(text);
  if (!m) return undefined;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return undefined;
  return { year, month, day };
}

function compareDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/**
 * Whole years between birth and date. A Feb-29 birthday ticks over on Mar-1
 * in non-leap years. Unknown input, or a birth after the date → undefined.
 */
export function age(birth: string | null | undefined, on: string | null | undefined): number | undefined {
  const b = parseDate(birth);
  const d = parseDate(on);
  if (!b || !d) return undefined;
  let years = d.year - b.year;
  if (d.month < b.month || (d.month === b.month && d.day < b.day)) years -= 1;
  return years >= 0 ? years : undefined;
}

/**
 * Age at an event, capped at death and at today: a person who died before the
 * release gets their age at death, and an unreleased title gets today's age.
 */
export function ageAtEvent(
  birth: string | null | undefined,
  death: string | null | undefined,
  event: string | null | undefined,
  today: string,
): number | undefined {
  const cap = parseDate(death) ? death : today;
  const e = parseDate(event);
  const c = parseDate(cap);
  if (e && c && compareDates(e, c) > 0) return age(birth, cap);
  return age(birth, event);
}

/** Age today, or at death for a deceased person (the Go credits quirk is fixed). */
export function currentAge(birth: string | null | undefined, death: string | null | undefined, today: string): number | undefined {
  return ageAtEvent(birth, death, today, today);
}

/** Age range over a series run: `"38-41"`, `"40"`, `"?-41"`, `"38-"`, or `""` when unknown. */
export function ageRange(birth: string | null | undefined, start: string | null | undefined, end: string | null | undefined): string {
  const a = age(birth, start);
  const b = age(birth, end);
  if (a === undefined && b === undefined) return '';
  if (a === undefined) return `?-${b}`;
  if (b === undefined) return `${a}-`;
  return a === b ? String(a) : `${a}-${b}`;
}
