/** IANA names only: letters, digits, `_`, `-`, `+` and `/` separators; no offsets like `+01:00` (PostgreSQL reads those with POSIX's inverted sign). */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * The canonical IANA name of a time zone, or undefined when it is not one.
 * Accepts what the runtime's ICU accepts (`UTC`, aliases such as
 * `Asia/Calcutta`), case-insensitively, and returns ICU's spelling.
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (name.length === 0 || name.length > 64 || !ZONE_NAME.test(name)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}
