import { AppError, badRequest, notFound, unprocessable } from '../../shared/errors.ts';

/** Stable error codes of the personal layer (`/me/*`). */
export const activityErrors = {
  titleNotFound: (kind: string, id: number) => unprocessable('TITLE_NOT_FOUND', `TMDB has no ${kind} with id ${id}`),
  seasonNotFound: (season: number) => unprocessable('SEASON_NOT_FOUND', `The series has no season ${season}`),
  episodeNotFound: (season: number, episode: number) => unprocessable('EPISODE_NOT_FOUND', `Season ${season} has no episode ${episode}`),
  invalidWatchEvent: (message: string) => badRequest('INVALID_WATCH_EVENT', message),
  invalidWatchedAt: () => badRequest('INVALID_WATCHED_AT', '`watchedAt` must be an ISO 8601 date-time with an offset, e.g. 2026-01-31T21:30:00-08:00'),
  watchedAtInFuture: () => badRequest('WATCHED_AT_IN_FUTURE', '`watchedAt` is more than a day in the future'),
  invalidTimezone: (name: string) => badRequest('INVALID_TIMEZONE', `Unknown IANA time zone: ${JSON.stringify(name.slice(0, 64))}`),
  invalidCursor: () => badRequest('INVALID_CURSOR', 'The cursor is malformed; use the nextCursor of a previous page'),
  invalidIdempotencyKey: () => badRequest('INVALID_IDEMPOTENCY_KEY', 'Idempotency-Key must be 1 to 255 visible ASCII characters'),
  idempotencyKeyReused: () => unprocessable('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used with a different request body'),
  idempotencyKeyInProgress: () => new AppError(409, 'IDEMPOTENCY_KEY_IN_PROGRESS', 'A request with this Idempotency-Key is still being processed; retry shortly'),
  watchEventNotFound: () => notFound('WATCH_EVENT_NOT_FOUND', 'No such watch event'),
  watchlistItemNotFound: () => notFound('WATCHLIST_ITEM_NOT_FOUND', 'This title is not on your watchlist'),
  unknownAchievement: (ids: string[]) => badRequest('UNKNOWN_ACHIEVEMENT', `Unknown achievement id(s): ${ids.slice(0, 5).join(', ')}`),
  userNotFound: () => notFound('USER_NOT_FOUND', 'The account no longer exists'),
};
