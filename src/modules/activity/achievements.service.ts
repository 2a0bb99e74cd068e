import type { ActivityRepository } from '../../data/repositories/activity.repository.ts';
import type { UsersRepository } from '../../data/repositories/users.repository.ts';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import { activityErrors } from './activity.errors.ts';
import { ACHIEVEMENTS, evaluateAchievements, type AchievementCategory } from './achievements.ts';
import { computeStreaks } from './streaks.ts';
import { canonicalTimeZone } from './timezones.ts';

export interface AchievementView {
  id: string;
  name: string;
  description: string;
  category: AchievementCategory;
  target: number;
  current: number;
  earned: boolean;
  earnedAt: string | null;
}

export interface AchievementsService {
  /**
   * Evaluate every rule from the history and store the newly earned ones.
   * Idempotent; never removes an earned achievement. The achievements job calls it.
   */
  evaluate(userId: string): Promise<{ newlyEarned: string[] }>;
  list(userId: string): Promise<AchievementView[]>;
  /** Earned achievements not yet marked seen. */
  unseen(userId: string): Promise<AchievementView[]>;
  /** Mark earned achievements seen; unknown ids are a 400, ids not earned are ignored. */
  markSeen(userId: string, ids: string[]): Promise<{ marked: number }>;
}

/** Achievements: definitions in code, earned rows in the database. */
export function createAchievementsService(deps: { repo: ActivityRepository; users: UsersRepository; clock: Clock; logger: Logger }): AchievementsService {
  const { repo, users, clock, logger } = deps;

  async function progress(userId: string, timezone: string) {
    const facts = await repo.achievementFacts(userId, timezone);
    const { longest } = computeStreaks(facts.dates, '9999-12-31');
    return evaluateAchievements({ ...facts, longestStreak: longest });
  }

  async function views(userId: string): Promise<AchievementView[]> {
    const user = await users.findById(userId);
    const timezone = (user && canonicalTimeZone(user.timezone)) ?? 'UTC';
    const [rows, earned] = await Promise.all([progress(userId, timezone), repo.listEarnedAchievements(userId)]);
    const earnedAt = new Map(earned.map((e) => [e.achievementId, e]));
    return ACHIEVEMENTS.map((a, i) => {
      const stored = earnedAt.get(a.id);
      const p = rows[i]!;
      // Once earned, always earned: a deleted event can lower `current` but not take the achievement back.
      return {
        id: a.id,
        name: a.name,
        description: a.description,
        category: a.category,
        target: a.target,
        current: p.current,
        earned: stored !== undefined,
        earnedAt: stored?.earnedAt.toISOString() ?? null,
      };
    });
  }

  return {
    async evaluate(userId) {
      const user = await users.findById(userId);
      if (!user) return { newlyEarned: [] };
      const rows = await progress(userId, canonicalTimeZone(user.timezone) ?? 'UTC');
      const newlyEarned = await repo.addEarnedAchievements(
        userId,
        rows.filter((r) => r.earned).map((r) => r.id),
        clock.now(),
      );
      if (newlyEarned.length > 0) logger.info({ userId, achievements: newlyEarned }, 'achievements earned');
      return { newlyEarned };
    },

    list: views,

    async unseen(userId) {
      const earned = await repo.listEarnedAchievements(userId);
      const unseenIds = new Set(earned.filter((e) => e.seenAt === null).map((e) => e.achievementId));
      if (unseenIds.size === 0) return [];
      return (await views(userId)).filter((v) => unseenIds.has(v.id));
    },

    async markSeen(userId, ids) {
      const known = new Set(ACHIEVEMENTS.map((a) => a.id));
      const unknown = ids.filter((id) => !known.has(id));
      if (unknown.length > 0) throw activityErrors.unknownAchievement(unknown);
      return { marked: await repo.markAchievementsSeen(userId, [...new Set(ids)], clock.now()) };
    },
  };
}
