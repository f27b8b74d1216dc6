import { sql } from 'kysely';
import { openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

/** On a PostgreSQL server, start from an empty schema and migrate once before the workers start. */
export default async function setup() {
  if (!process.env.DATABASE_URL) return;
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolSize: 1 });
  try {
    await sql`DROP SCHEMA IF EXISTS public CASCADE`.execute(database.db);
    await sql`CREATE SCHEMA public`.execute(database.db);
    await migrateToLatest(database.db);
  } finally {
    await database.close();
  }
}
