import type { AchievementsService } from '../modules/activity/achievements.service.ts';
import type { JobHandler } from './job.queue.ts';

/** Evaluate one user's achievements; idempotent (earned rows are only added), a deleted user is a no-op. */
export function createAchievementsJob(deps: { activity: { achievements: AchievementsService } }): JobHandler<'achievements'> {
  return {
    async run(data) {
      await deps.activity.achievements.evaluate(data.userId);
    },
  };
}
