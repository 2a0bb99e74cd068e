import type { CliCommand } from './commands.ts';

export const migrateCommand: CliCommand = {
  name: 'migrate',
  summary: 'Apply pending database migrations (safe to run again)',
  description:
    'Uses DATABASE_URL when set, else the embedded database in DATA_DIR. Also installs or upgrades\nthe job queue schema (pg-boss), so deployments with MIGRATE_ON_START=false can migrate once up front.',
  async run({ config }) {
    const { openDatabase, runMigrations } = await import('../data/db.ts');
    const { installJobSchema } = await import('../jobs/job.queue.ts');
    const handle = await openDatabase({ url: config.database.url, dataDir: config.database.dataDir });
    try {
      const { applied } = await runMigrations(handle);
      await installJobSchema(handle);
      const where = config.database.url ? 'the PostgreSQL server' : `the embedded database in ${config.database.dataDir}`;
      console.log(applied === 0 ? `Database is up to date (${where}).` : `Applied ${applied} migration${applied === 1 ? '' : 's'} to ${where}.`);
      return 0;
    } finally {
      await handle.close();
    }
  },
};
