import { eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db.ts';
import { users } from '../schema.ts';

/** A MiniMovie user as the modules see it. */
export interface UserRecord {
  id: string;
  email: string | null;
  displayName: string | null;
  timezone: string;
  createdAt: Date;
}

export interface UsersRepository {
  create(user: { email: string | null; displayName: string | null }, tx?: DbOrTx): Promise<UserRecord>;
  findById(id: string, tx?: DbOrTx): Promise<UserRecord | undefined>;
  /** Users whose e-mail equals `email`, ignoring case (the CLI's lookup; sign-in never uses it). */
  findByEmail(email: string, tx?: DbOrTx): Promise<UserRecord[]>;
  /** Fill in the e-mail and display name where they are still empty. */
  fillProfile(id: string, profile: { email?: string | undefined; displayName?: string | undefined }, tx?: DbOrTx): Promise<void>;
  /** Set the display name and/or time zone (undefined leaves a field as it is); resolves with the updated user. */
  updateProfile(id: string, profile: { displayName?: string | null | undefined; timezone?: string | undefined }, now: Date, tx?: DbOrTx): Promise<UserRecord | undefined>;
  /** Delete the user; every owned row goes with it (ON DELETE CASCADE). Resolves with whether a row was deleted. */
  delete(id: string, tx?: DbOrTx): Promise<boolean>;
}

const columns = { id: users.id, email: users.email, displayName: users.displayName, timezone: users.timezone, createdAt: users.createdAt };

/** The `users` table. */
export function createUsersRepository(db: DbOrTx): UsersRepository {
  return {
    async create(user, tx = db) {
      const [row] = await tx.insert(users).values({ email: user.email, displayName: user.displayName }).returning(columns);
      if (!row) throw new Error('users insert returned no row');
      return row;
    },

    async findById(id, tx = db) {
      const [row] = await tx.select(columns).from(users).where(eq(users.id, id));
      return row;
    },

    async findByEmail(email, tx = db) {
      return tx.select(columns).from(users).where(sql`lower(${users.email}) = lower(${email})`).orderBy(users.createdAt);
    },

    async fillProfile(id, profile, tx = db) {
      if (profile.email === undefined && profile.displayName === undefined) return;
      await tx
        .update(users)
        .set({
          email: sql`coalesce(${users.email}, ${profile.email ?? null})`,
          displayName: sql`coalesce(${users.displayName}, ${profile.displayName ?? null})`,
          updatedAt: sql`now()`,
        })
        .where(eq(users.id, id));
    },

    async updateProfile(id, profile, now, tx = db) {
      const [row] = await tx
        .update(users)
        .set({
          ...(profile.displayName !== undefined ? { displayName: profile.displayName } : {}),
          ...(profile.timezone !== undefined ? { timezone: profile.timezone } : {}),
          updatedAt: now,
        })
        .where(eq(users.id, id))
        .returning(columns);
      return row;
    },

    async delete(id, tx = db) {
      const rows = await tx.delete(users).where(eq(users.id, id)).returning({ id: users.id });
      return rows.length > 0;
    },
  };
}
