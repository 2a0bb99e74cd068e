import type { DbOrTx } from '../../data/db.ts';

export const PROVIDERS = ['google', 'apple'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** A user as every auth response shows it. */
export interface UserView {
  id: string;
  email: string | null;
  displayName: string | null;
  timezone: string;
  createdAt: Date;
}

/** What `/auth/token` and the native routes return. */
export interface SessionGrant {
  accessToken: string;
  tokenType: 'Bearer';
  expiresAt: Date;
  user: UserView;
}

/** Run `fn` in one database transaction (committed when it resolves, rolled back when it throws). */
export type Transact = <T>(fn: (tx: DbOrTx) => Promise<T>) => Promise<T>;
