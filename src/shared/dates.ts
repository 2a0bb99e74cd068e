const DAY_MS = 86_400_000;

/** Add days to a `YYYY-MM-DD` date (UTC calendar). */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `a` to `b` (`YYYY-MM-DD`). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS);
}

/**
 * Split an inclusive date range into windows of at most `maxDays` days, the
 * way TMDB's change endpoints accept them. Consecutive windows share no day.
 */
export function dateWindows(start: string, end: string, maxDays: number): { start: string; end: string }[] {
  const out: { start: string; end: string }[] = [];
  let from = start;
  while (daysBetween(from, end) >= 0) {
    const to = daysBetween(addDays(from, maxDays - 1), end) < 0 ? end : addDays(from, maxDays - 1);
    out.push({ start: from, end: to });
    from = addDays(to, 1);
  }
  return out;
}
