import type { Queue } from 'pg-boss';

/**
 * The payload of every job, by queue name. A new job adds its queue here,
 * its queue settings to `JOB_QUEUES` and its handler to `createJobHandlers`;
 * the compiler points at whichever of the three is missing.
 */
export interface JobPayloads {
  cleanup: Record<string, never>;
  /** Revoke one queued Apple refresh token, or (without an id, hourly) every queued one that is due. */
  'apple-revoke': { revocationId?: string };
  /** Fetch one person's dates that a page could not fetch within its per-request limit. */
  'people-warmup': { id: number; name: string };
  /** The daily TMDB person-change sync. */
  'person-sync': Record<string, never>;
  /** Evaluate one user's achievements after their watch history changed. */
  achievements: { userId: string };
}

export type JobName = keyof JobPayloads;

/** How pg-boss treats each queue (policy, retries, expiry). The policy is fixed once the queue exists. */
export type QueueSettings = Omit<Queue, 'name' | 'partition' | 'deadLetter'>;

export const JOB_QUEUES: { readonly [N in JobName]: QueueSettings } = {
  // `exclusive`: at most one cleanup queued or running, so a manual send during a scheduled run is dropped, not stacked.
  cleanup: { policy: 'exclusive', retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 15 * 60 },
  // Apple may be down for a while: back off from a minute to hours; the hourly sweep takes over after the last retry.
  'apple-revoke': { policy: 'standard', retryLimit: 8, retryDelay: 60, retryBackoff: true, expireInSeconds: 5 * 60 },
  // `stately` with the person id as singleton key: a person is queued at most once and never fetched by two workers at the same time.
  'people-warmup': { policy: 'stately', retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 2 * 60, deleteAfterSeconds: 24 * 60 * 60 },
  // `exclusive`: one sync queued or running; the advisory lock in the service also keeps `minimovie sync` out of its way.
  'person-sync': { policy: 'exclusive', retryLimit: 2, retryDelay: 300, retryBackoff: true, expireInSeconds: 60 * 60 },
  // `stately` with the user id as singleton key: changes that arrive while one evaluation is queued share it.
  achievements: { policy: 'stately', retryLimit: 3, retryDelay: 30, retryBackoff: true, expireInSeconds: 5 * 60, deleteAfterSeconds: 24 * 60 * 60 },
};

export const JOB_NAMES = Object.keys(JOB_QUEUES) as readonly JobName[];
