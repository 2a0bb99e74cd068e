/** All tables, one file per area under ./schema/. Repositories and drizzle-kit read them from here. */
export * from './schema/catalog.schema.ts';
export * from './schema/auth.schema.ts';
export * from './schema/activity.schema.ts';
