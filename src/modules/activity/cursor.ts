import type { Keyset } from '../../data/repositories/activity.repository.ts';
import { activityErrors } from './activity.errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True for a canonical uuid; ids of other shapes never name a row. */
export const isUuid = (s: string) => UUID.test(s);

/** An opaque page cursor: base64url of `[epochMillis, id]` of the last item. */
export function encodeCursor(k: Keyset): string {
  return Buffer.from(JSON.stringify([k.at.getTime(), k.id])).toString('base64url');
}

/** Decode a cursor; anything malformed is a 400 `INVALID_CURSOR`. */
export function decodeCursor(cursor: string | undefined): Keyset | undefined {
  if (cursor === undefined) return undefined;
  if (cursor.length === 0 || cursor.length > 200 || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw activityErrors.invalidCursor();
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string' && isUuid(value[1])) {
      const at = new Date(value[0] as number);
      if (!Number.isNaN(at.getTime())) return { at, id: value[1].toLowerCase() };
    }
  } catch {
    // fall through
  }
  throw activityErrors.invalidCursor();
}

/** The page and the cursor of the next one (when a further row exists). */
export function paginate<T>(rows: T[], limit: number, keyOf: (row: T) => Keyset): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(keyOf(last)) : null };
}
