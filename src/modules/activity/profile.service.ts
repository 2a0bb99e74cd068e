import type { ActivityRepository, Keyset } from '../../data/repositories/activity.repository.ts';
import type { IdentitiesRepository } from '../../data/repositories/identities.repository.ts';
import type { UserRecord, UsersRepository } from '../../data/repositories/users.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import { activityErrors } from './activity.errors.ts';
import { watchEventView, watchlistView } from './activity.views.ts';
import { ACHIEVEMENTS } from './achievements.ts';
import { canonicalTimeZone } from './timezones.ts';

export interface ProfileView {
  id: string;
  email: string | null;
  displayName: string | null;
  timezone: string;
  createdAt: string;
}

export interface ProfileService {
  get(userId: string): Promise<ProfileView>;
  /** Change the display name and/or the IANA time zone (validated, stored in canonical spelling). */
  update(userId: string, patch: { displayName?: string | null | undefined; timezone?: string | undefined }): Promise<ProfileView>;
  /**
   * Delete the account through `deleteUser` (every row goes in one transaction,
   * sessions included; Apple revocation queued), then drop the user's queued
   * achievement evaluations. Resolves false when the user was already gone.
   */
  deleteAccount(userId: string): Promise<boolean>;
  /** Everything held about the user, as chunks of one JSON document (streamed page by page). */
  exportJson(userId: string): AsyncGenerator<string>;
  /** The watch history as CSV (RFC 4180), chunk by chunk. */
  exportCsv(userId: string): AsyncGenerator<string>;
}

const PAGE = 500;

const profileView = (u: UserRecord): ProfileView => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  timezone: u.timezone,
  createdAt: u.createdAt.toISOString(),
});

/** One CSV cell. Cells that a spreadsheet would run as a formula get a leading apostrophe (OWASP CSV injection). */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_COLUMNS = ['id', 'type', 'tmdbId', 'seasonNumber', 'episodeNumber', 'watchedAt', 'title', 'episodeTitle', 'runtimeMinutes', 'episodeCount', 'genres', 'createdAt'] as const;

/** The profile and the data export. */
export function createProfileService(deps: {
  repo: ActivityRepository;
  users: UsersRepository;
  identities: IdentitiesRepository;
  clock: Clock;
  deleteUser: (userId: string) => Promise<boolean>;
  /** Best effort: the job is a no-op for a deleted user anyway. */
  dropQueuedJobs: (userId: string) => Promise<unknown>;
}): ProfileService {
  const { repo, users, identities, clock } = deps;

  async function user(userId: string): Promise<UserRecord> {
    const u = await users.findById(userId);
    if (!u) throw activityErrors.userNotFound();
    return u;
  }

  async function* events(userId: string) {
    let after: Keyset | undefined;
    for (;;) {
      const rows = await repo.listEventsAscending(userId, PAGE, after);
      for (const r of rows) yield watchEventView(r);
      const last = rows[rows.length - 1];
      if (rows.length < PAGE || !last) return;
      after = { at: last.watchedAt, id: last.id };
    }
  }

  return {
    async get(userId) {
      return profileView(await user(userId));
    },

    async update(userId, patch) {
      let timezone: string | undefined;
      if (patch.timezone !== undefined) {
        timezone = canonicalTimeZone(patch.timezone);
        if (!timezone) throw activityErrors.invalidTimezone(patch.timezone);
      }
      const updated = await users.updateProfile(userId, { displayName: patch.displayName, timezone }, clock.now());
      if (!updated) throw activityErrors.userNotFound();
      return profileView(updated);
    },

    async deleteAccount(userId) {
      const deleted = await deps.deleteUser(userId);
      await deps.dropQueuedJobs(userId).catch(() => undefined);
      return deleted;
    },

    async *exportJson(userId) {
      const profile = profileView(await user(userId));
      const linked = (await identities.listByUser(userId)).map((i) => ({
        provider: i.provider,
        email: i.email,
        emailVerified: i.emailVerified,
        isPrivateEmail: i.isPrivateEmail,
        linkedAt: i.createdAt.toISOString(),
        lastSignInAt: i.lastSignInAt.toISOString(),
      }));
      yield `{"exportedAt":${JSON.stringify(clock.now().toISOString())},"profile":${JSON.stringify(profile)},"identities":${JSON.stringify(linked)},"watchlist":[`;
      let after: Keyset | undefined;
      let first = true;
      for (;;) {
        const rows = await repo.listWatchlist(userId, {}, PAGE, after);
        if (rows.length > 0) {
          yield (first ? '' : ',') + rows.map((r) => JSON.stringify(watchlistView(r))).join(',');
          first = false;
        }
        const last = rows[rows.length - 1];
        if (rows.length < PAGE || !last) break;
        after = { at: last.updatedAt, id: last.id };
      }
      yield '],"watchEvents":[';
      first = true;
      let batch: string[] = [];
      for await (const e of events(userId)) {
        batch.push(JSON.stringify(e));
        if (batch.length >= PAGE) {
          yield (first ? '' : ',') + batch.join(',');
          first = false;
          batch = [];
        }
      }
      if (batch.length > 0) yield (first ? '' : ',') + batch.join(',');
      const names = new Map(ACHIEVEMENTS.map((a) => [a.id, a.name]));
      const earned = (await repo.listEarnedAchievements(userId)).map((a) => ({
        id: a.achievementId,
        name: names.get(a.achievementId) ?? a.achievementId,
        earnedAt: a.earnedAt.toISOString(),
        seenAt: a.seenAt?.toISOString() ?? null,
      }));
      yield `],"achievements":${JSON.stringify(earned)}}`;
    },

    async *exportCsv(userId) {
      await user(userId);
      yield `${CSV_COLUMNS.join(',')}\r\n`;
      let lines: string[] = [];
      for await (const e of events(userId)) {
        lines.push(
          [e.id, e.type, e.tmdbId, e.seasonNumber, e.episodeNumber, e.watchedAt, e.title, e.episodeTitle, e.runtimeMinutes, e.episodeCount, e.genres.join('|'), e.createdAt].map(csvCell).join(','),
        );
        if (lines.length >= PAGE) {
          yield `${lines.join('\r\n')}\r\n`;
          lines = [];
        }
      }
      if (lines.length > 0) yield `${lines.join('\r\n')}\r\n`;
    },
  };
}
