import os from 'node:os';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import type { DB } from '../../src/db/schema.ts';
import { buildApp } from '../../src/app.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<DB>;
  database: Database;
  config: Config;
}

let shared: Promise<TestApp> | null = null;

/** A test database: a PostgreSQL server when DATABASE_URL is set, otherwise an in-memory PGlite. Migrated. */
export async function openTestDatabase(): Promise<Database> {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://', poolSize: 5 });
  await migrateToLatest(database.db);
  return database;
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-test-'));
  return loadConfig({ ...process.env, ANJU_STORAGE: 'local' }, { dataDir, filesDir: path.join(dataDir, 'files'), webDist: path.join(dataDir, 'no-web'), logLevel: process.env.TEST_LOG ?? 'silent', schedulerEnabled: false, ...overrides });
}

/** One app per test worker, shared by the test files that worker runs. */
export function testApp(): Promise<TestApp> {
  shared ??= (async () => {
    const database = await openTestDatabase();
    const config = testConfig();
    const app = await buildApp({ config, database, logger: process.env.TEST_LOG ? undefined : false });
    await app.ready();
    return { app, db: database.db, database, config };
  })();
  return shared;
}

export type Method = NonNullable<InjectOptions['method']>;
