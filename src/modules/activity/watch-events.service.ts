import { createHash } from 'node:crypto';
import type { Db, DbOrTx } from '../../data/db.ts';
import type { ActivityRepository, WatchEventType } from '../../data/repositories/activity.repository.ts';
import type { EpisodeRef } from '../../data/schema.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { activityErrors } from './activity.errors.ts';
import { watchEventView, type WatchEventView } from './activity.views.ts';
import { decodeCursor, isUuid, paginate } from './cursor.ts';
import type { EventTarget, TitleSnapshots } from './title-snapshots.ts';
import { MAX_FUTURE_MS, parseInstant } from './watched-at.ts';

export interface NewWatchEventInput {
  type: WatchEventType;
  tmdbId: number;
  seasonNumber?: number | undefined;
  episodeNumber?: number | undefined;
  watchedAt?: string | undefined;
}

export interface SeriesProgress {
  tmdbId: number;
  airedEpisodes: number;
  watchedEpisodes: number;
  completed: boolean;
  seasons: { seasonNumber: number; airedEpisodes: number; watchedEpisodes: number; watchedEpisodeNumbers: number[] }[];
  nextEpisode: { seasonNumber: number; episodeNumber: number } | null;
}

export interface WatchEventsService {
  /**
   * Log a watch. With an idempotency key, a retry returns the first response
   * (`replayed`) and creates nothing; the same key with another body is a 422.
   */
  create(userId: string, input: NewWatchEventInput, idempotencyKey?: string): Promise<{ status: number; event: WatchEventView; replayed: boolean }>;
  list(
    userId: string,
    q: { type?: WatchEventType | undefined; tmdbId?: number | undefined; from?: string | undefined; to?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ items: WatchEventView[]; nextCursor: string | null }>;
  get(userId: string, id: string): Promise<WatchEventView>;
  updateWatchedAt(userId: string, id: string, watchedAt: string): Promise<WatchEventView>;
  remove(userId: string, id: string): Promise<void>;
  titleState(userId: string, mediaType: 'movie' | 'series', tmdbId: number): Promise<{ watchlistStatus: 'want_to_watch' | 'watched' | null; watchCount: number; lastWatchedAt: string | null }>;
  progress(userId: string, tmdbId: number): Promise<SeriesProgress>;
}

export interface WatchEventsDeps {
  db: Db;
  repo: ActivityRepository;
  snapshots: TitleSnapshots;
  clock: Clock;
  logger: Logger;
  /** Called after a change to the history committed (queues the achievements job). Never throws into the request. */
  onHistoryChanged: (userId: string) => Promise<unknown>;
}

const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** Watch events, idempotent logging, per-title state and series progress. */
export function createWatchEventsService(deps: WatchEventsDeps): WatchEventsService {
  const { db, repo, snapshots, clock, logger } = deps;

  function parseWatchedAt(value: string): Date {
    const at = parseInstant(value);
    if (!at) throw activityErrors.invalidWatchedAt();
    if (at.getTime() > clock.now().getTime() + MAX_FUTURE_MS) throw activityErrors.watchedAtInFuture();
    return at;
  }

  function targetOf(input: NewWatchEventInput): EventTarget {
    const { type, tmdbId, seasonNumber, episodeNumber } = input;
    switch (type) {
      case 'movie':
      case 'series':
        if (seasonNumber !== undefined || episodeNumber !== undefined) throw activityErrors.invalidWatchEvent(`A ${type} event takes no seasonNumber or episodeNumber`);
        return { type, tmdbId };
      case 'season':
        if (seasonNumber === undefined || episodeNumber !== undefined) throw activityErrors.invalidWatchEvent('A season event takes seasonNumber and no episodeNumber');
        return { type, tmdbId, seasonNumber };
      case 'episode':
        if (seasonNumber === undefined || episodeNumber === undefined) throw activityErrors.invalidWatchEvent('An episode event takes seasonNumber and episodeNumber');
        return { type, tmdbId, seasonNumber, episodeNumber };
    }
  }

  function notify(userId: string): void {
    deps.onHistoryChanged(userId).catch((err: unknown) => logger.warn({ err, userId }, 'could not queue the achievements job'));
  }

  async function replay(userId: string, key: string, hash: string): Promise<{ status: number; event: WatchEventView; replayed: true } | undefined> {
    const stored = await repo.findIdempotencyKey(userId, key, clock.now());
    if (!stored) return undefined;
    if (stored.requestHash !== hash) throw activityErrors.idempotencyKeyReused();
    if (stored.statusCode === null) throw activityErrors.idempotencyKeyInProgress();
    return { status: stored.statusCode, event: stored.response as WatchEventView, replayed: true };
  }

  async function ownEvent(userId: string, id: string) {
    // A non-uuid id cannot name an event: the same 404 as someone else's id.
    if (!isUuid(id)) throw activityErrors.watchEventNotFound();
    const event = await repo.findEvent(userId, id);
    if (!event) throw activityErrors.watchEventNotFound();
    return event;
  }

  return {
    async create(userId, input, idempotencyKey) {
      if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) throw activityErrors.invalidIdempotencyKey();
      const target = targetOf(input);
      const watchedAt = input.watchedAt === undefined ? undefined : parseWatchedAt(input.watchedAt);
      // The body as the server understood it: equal instants with different spellings are the same request.
      const hash = createHash('sha256')
        .update(JSON.stringify([target.type, target.tmdbId, input.seasonNumber ?? null, input.episodeNumber ?? null, watchedAt?.getTime() ?? null]))
        .digest('base64url');
      if (idempotencyKey !== undefined) {
        const earlier = await replay(userId, idempotencyKey, hash);
        if (earlier) return earlier;
      }
      // TMDB is asked outside the transaction: no connection is held while waiting on the network.
      const snap = await snapshots.event(target);
      const now = clock.now();
      const result = await db.transaction(async (tx: DbOrTx) => {
        if (idempotencyKey !== undefined) {
          const claimed = await repo.claimIdempotencyKey({ userId, key: idempotencyKey, requestHash: hash, now, expiresAt: new Date(now.getTime() + IDEMPOTENCY_TTL_MS) }, tx);
          // A concurrent request with this key committed first (the primary key made us wait for it).
          if (!claimed) return undefined;
        }
        const record = await repo.insertEvent(
          {
            userId,
            type: target.type,
            tmdbId: target.tmdbId,
            seasonNumber: input.seasonNumber ?? null,
            episodeNumber: input.episodeNumber ?? null,
            watchedAt: watchedAt ?? now,
            createdAt: now,
            ...snap,
          },
          tx,
        );
        if (target.type === 'movie') await repo.setWatchlistStatus(userId, 'movie', target.tmdbId, 'watched', now, tx);
        const event = watchEventView(record);
        if (idempotencyKey !== undefined) await repo.completeIdempotencyKey(userId, idempotencyKey, 201, event, tx);
        return event;
      });
      if (!result) {
        const earlier = idempotencyKey === undefined ? undefined : await replay(userId, idempotencyKey, hash);
        if (!earlier) throw activityErrors.idempotencyKeyInProgress();
        return earlier;
      }
      notify(userId);
      return { status: 201, event: result, replayed: false };
    },

    async list(userId, q) {
      const after = decodeCursor(q.cursor);
      const from = q.from === undefined ? undefined : parseInstant(q.from);
      const to = q.to === undefined ? undefined : parseInstant(q.to);
      if ((q.from !== undefined && !from) || (q.to !== undefined && !to)) {
        throw new AppError(400, 'INVALID_DATE_RANGE', '`from` and `to` must be ISO 8601 date-times with an offset');
      }
      const rows = await repo.listEvents(userId, { type: q.type, tmdbId: q.tmdbId, from, to }, q.limit + 1, after);
      const page = paginate(rows, q.limit, (r) => ({ at: r.watchedAt, id: r.id }));
      return { items: page.items.map(watchEventView), nextCursor: page.nextCursor };
    },

    async get(userId, id) {
      return watchEventView(await ownEvent(userId, id));
    },

    async updateWatchedAt(userId, id, value) {
      await ownEvent(userId, id);
      const updated = await repo.updateEventWatchedAt(userId, id, parseWatchedAt(value));
      if (!updated) throw activityErrors.watchEventNotFound();
      notify(userId);
      return watchEventView(updated);
    },

    async remove(userId, id) {
      if (!isUuid(id) || !(await db.transaction((tx: DbOrTx) => repo.deleteEvent(userId, id, tx)))) throw activityErrors.watchEventNotFound();
      notify(userId);
    },

    async titleState(userId, mediaType, tmdbId) {
      const [item, state] = await Promise.all([repo.findWatchlistItem(userId, mediaType, tmdbId), repo.titleState(userId, mediaType, tmdbId)]);
      return { watchlistStatus: item?.status ?? null, watchCount: state.watchCount, lastWatchedAt: state.lastWatchedAt?.toISOString() ?? null };
    },

    async progress(userId, tmdbId) {
      const snapshot = await repo.seriesSnapshot(userId, tmdbId);
      let aired: EpisodeRef[];
      if (snapshot) {
        aired = snapshot.aired;
      } else {
        try {
          aired = await snapshots.seriesAired(tmdbId);
        } catch (err) {
          if (err instanceof AppError && err.code === 'TITLE_NOT_FOUND') throw notFound('TITLE_NOT_FOUND', `TMDB has no series with id ${tmdbId}`);
          throw err;
        }
      }
      return buildProgress(tmdbId, aired, snapshot?.watched ?? []);
    },
  };
}

/** Per regular season: aired and watched counts; `nextEpisode` is the first aired episode not watched, in season and episode order. */
export function buildProgress(tmdbId: number, aired: readonly EpisodeRef[], watched: readonly (readonly [number, number])[]): SeriesProgress {
  const watchedSet = new Set(watched.map(([s, e]) => `${s}:${e}`));
  const seasons = new Map<number, { aired: number[]; watched: Set<number> }>();
  const season = (n: number) => {
    let s = seasons.get(n);
    if (!s) seasons.set(n, (s = { aired: [], watched: new Set() }));
    return s;
  };
  for (const [s, e] of aired) if (s >= 1) season(s).aired.push(e);
  for (const [s, e] of watched) if (s >= 1) season(s).watched.add(e);
  const sortedAired = aired.filter(([s]) => s >= 1).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const next = sortedAired.find(([s, e]) => !watchedSet.has(`${s}:${e}`));
  const airedWatched = sortedAired.filter(([s, e]) => watchedSet.has(`${s}:${e}`)).length;
  return {
    tmdbId,
    airedEpisodes: sortedAired.length,
    watchedEpisodes: airedWatched,
    completed: sortedAired.length > 0 && next === undefined,
    seasons: [...seasons.entries()]
      .sort(([a], [b]) => a - b)
      .map(([n, s]) => ({
        seasonNumber: n,
        airedEpisodes: s.aired.length,
        watchedEpisodes: s.watched.size,
        watchedEpisodeNumbers: [...s.watched].sort((a, b) => a - b),
      })),
    nextEpisode: next ? { seasonNumber: next[0], episodeNumber: next[1] } : null,
  };
}
