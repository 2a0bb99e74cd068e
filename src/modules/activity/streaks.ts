/** Day number of a `YYYY-MM-DD` calendar date (days since 1970-01-01); the date is read as a plain calendar date, no time zone. */
export function dayNumber(date: string): number {
  const [y = 0, m = 1, d = 1] = date.split('-').map(Number);
  return Math.round(Date.UTC(y, m - 1, d) / 86_400_000);
}

/**
 * Streaks from the sorted distinct local dates with at least one watch.
 * `longest` is the longest run of consecutive dates. `current` is the run that
 * ends on the last date, and only while that date is `today` or the day
 * before (local time): a streak stays alive until a whole local day passes
 * without a watch. Dates after `today` (a clock skew) count as today.
 */
export function computeStreaks(sortedDates: readonly string[], today: string): { current: number; longest: number } {
  let longest = 0;
  let run = 0;
  let previous: number | undefined;
  for (const date of sortedDates) {
    const day = dayNumber(date);
    if (previous !== undefined && day === previous) continue;
    run = previous !== undefined && day === previous + 1 ? run + 1 : 1;
    longest = Math.max(longest, run);
    previous = day;
  }
  if (previous === undefined) return { current: 0, longest: 0 };
  const gap = dayNumber(today) - previous;
  return { current: gap <= 1 ? run : 0, longest };
}

/** The local calendar date of an instant in an IANA time zone, `YYYY-MM-DD`. */
export function localDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}
