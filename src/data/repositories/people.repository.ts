import { inArray, sql } from 'drizzle-orm';
import { rowsOf, type DbOrTx } from '../db.ts';
import { people } from '../schema.ts';

/** A stored person: dates as `YYYY-MM-DD` or null, and whether they are current (`fetched`). */
export interface PersonRow {
  id: number;
  name: string | null;
  dateOfBirth: string | null;
  dateOfDeath: string | null;
  fetched: boolean;
}

export interface PersonWrite {
  id: number;
  name: string | null;
  dateOfBirth: string | null;
  dateOfDeath: string | null;
}

export interface PeopleRepository {
  /** The rows for these ids (stale ones included). */
  findMany(ids: readonly number[], tx?: DbOrTx): Promise<PersonRow[]>;
  /** Insert or refresh people as fetched from TMDB (`fetched = true`, `updated_at = now()`). */
  upsertFetched(rows: readonly PersonWrite[], tx?: DbOrTx): Promise<void>;
  /** Mark these people stale (`fetched = false`) where they are fetched; returns how many rows changed. */
  markStale(ids: readonly number[], tx?: DbOrTx): Promise<number>;
}

const CHUNK = 1000;

/** The `people` table: the durable tier of the age cache. */
export function createPeopleRepository(db: DbOrTx): PeopleRepository {
  return {
    async findMany(ids, tx = db) {
      if (ids.length === 0) return [];
      const out: PersonRow[] = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await tx
          .select({ id: people.id, name: people.name, dateOfBirth: people.dateOfBirth, dateOfDeath: people.dateOfDeath, fetched: people.fetched })
          .from(people)
          .where(inArray(people.id, ids.slice(i, i + CHUNK)));
        out.push(...rows);
      }
      return out;
    },

    async upsertFetched(rows, tx = db) {
      // One row per id: Postgres rejects an upsert that touches the same row twice.
      const unique = [...new Map(rows.map((r) => [r.id, r])).values()];
      for (let i = 0; i < unique.length; i += CHUNK) {
        await tx
          .insert(people)
          .values(unique.slice(i, i + CHUNK).map((r) => ({ ...r, fetched: true })))
          .onConflictDoUpdate({
            target: people.id,
            set: {
              name: sql`excluded.name`,
              dateOfBirth: sql`excluded.date_of_birth`,
              dateOfDeath: sql`excluded.date_of_death`,
              fetched: true,
              updatedAt: sql`now()`,
            },
          });
      }
    },

    async markStale(ids, tx = db) {
      let changed = 0;
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += CHUNK) {
        const chunk = unique.slice(i, i + CHUNK);
        const result = await tx.execute(
          sql`with changed as (update ${people} set fetched = false, updated_at = now() where ${inArray(people.id, chunk)} and fetched = true returning 1) select count(*)::int as n from changed`,
        );
        changed += rowsOf<{ n: number }>(result)[0]?.n ?? 0;
      }
      return changed;
    },
  };
}
