import { and, eq, gt, inArray, isNull, lt, lte, or, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db.ts';
import { interestingInfo } from '../schema.ts';

/** The only entity type the API stores today (the column allows more). */
const PERSON = 'person';
const CHUNK = 1000;

export interface InterestingInfoRow {
  entityId: number;
  name: string;
  /** The stored envelope, as written; the module validates it on read. */
  data: unknown;
  fetchedAt: Date;
  expiresAt: Date | null;
}

export interface InterestingInfoEntry {
  entityId: number;
  name: string;
  data: unknown;
  fetchedAt: Date;
  expiresAt: Date;
}

/**
 * Rows written by the Go service have no `expires_at`; they count as expired
 * `legacyTtlMs` after `fetched_at`, both when read and when purged.
 */
export interface ExpiryRule {
  now: Date;
  legacyTtlMs: number;
}

export interface InterestingInfoRepository {
  /** A person's stored facts, unless they expired by `now`. */
  findPerson(entityId: number, rule: ExpiryRule, tx?: DbOrTx): Promise<InterestingInfoRow | undefined>;
  /** Store a person's facts, replacing any earlier row (§8.3). */
  upsertPerson(entry: InterestingInfoEntry, tx?: DbOrTx): Promise<void>;
  /** Make these people's facts expire at `now` (the person changed on TMDB); resolves with how many rows changed. */
  expirePeople(entityIds: readonly number[], now: Date, tx?: DbOrTx): Promise<number>;
  /** Delete the rows that expired by `now`; resolves with how many went. */
  deleteExpired(rule: ExpiryRule, tx?: DbOrTx): Promise<number>;
}

function legacyCutoff(rule: ExpiryRule): Date {
  return new Date(rule.now.getTime() - rule.legacyTtlMs);
}

/** The `interesting_info` table: LLM facts about people, with an expiry. */
export function createInterestingInfoRepository(db: DbOrTx): InterestingInfoRepository {
  const t = interestingInfo;
  return {
    async findPerson(entityId, rule, tx = db) {
      const rows = await tx
        .select({ entityId: t.entityId, name: t.name, data: t.data, fetchedAt: t.fetchedAt, expiresAt: t.expiresAt })
        .from(t)
        .where(
          and(
            eq(t.entityType, PERSON),
            eq(t.entityId, entityId),
            or(gt(t.expiresAt, rule.now), and(isNull(t.expiresAt), gt(t.fetchedAt, legacyCutoff(rule)))),
          ),
        );
      return rows[0];
    },

    async upsertPerson(entry, tx = db) {
      const values = { name: entry.name, data: entry.data, fetchedAt: entry.fetchedAt, expiresAt: entry.expiresAt, updatedAt: entry.fetchedAt };
      await tx
        .insert(t)
        .values({ entityType: PERSON, entityId: entry.entityId, ...values, createdAt: entry.fetchedAt })
        .onConflictDoUpdate({ target: [t.entityType, t.entityId], set: values });
    },

    async expirePeople(entityIds, now, tx = db) {
      let changed = 0;
      const unique = [...new Set(entityIds)];
      const at = sql`${now.toISOString()}::timestamptz`;
      for (let i = 0; i < unique.length; i += CHUNK) {
        const chunk = unique.slice(i, i + CHUNK);
        const result = await tx.execute(
          sql`with changed as (update ${t} set expires_at = ${at}, updated_at = ${at} where ${and(eq(t.entityType, PERSON), inArray(t.entityId, chunk), or(isNull(t.expiresAt), gt(t.expiresAt, now)))} returning 1) select count(*)::int as n from changed`,
        );
        changed += rowsOf<{ n: number }>(result)[0]?.n ?? 0;
      }
      return changed;
    },

    async deleteExpired(rule, tx = db) {
      // Counted in SQL because the drivers report affected rows under different names (rowCount vs affectedRows).
      const result = await tx.execute(
        sql`with gone as (delete from ${t} where ${or(lte(t.expiresAt, rule.now), and(isNull(t.expiresAt), lt(t.fetchedAt, legacyCutoff(rule))))} returning 1) select count(*)::int as n from gone`,
      );
      return rowsOf<{ n: number }>(result)[0]?.n ?? 0;
    },
  };
}
