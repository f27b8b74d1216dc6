import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedDemo } from '../../src/seed/demo.ts';

export const DEMO_PASSWORD = 'anju-demo';

export interface RunningServer {
  url: string;
  /** The server's database, for a journey to run what the scheduler would (a sweep at a given minute). */
  db: import('kysely').Kysely<import('../../src/db/schema.ts').DB>;
  close(): Promise<void>;
}

/**
 * The real server, in this process, on a random port: the built web app, the whole API and the demo data
 * (in-memory PGlite, or the PostgreSQL in DATABASE_URL where the demo data may already be; seeding is idempotent).
 */
export async function startServer(): Promise<RunningServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-e2e-'));
  const webDist = path.resolve('web/dist');
  if (!fs.existsSync(path.join(webDist, 'index.html'))) throw new Error('web/dist is missing: run `npx vite build` (the e2e global setup does)');
  const config = loadConfig(process.env, { port: 0, dataDir, filesDir: path.join(dataDir, 'files'), webDist, logLevel: 'warn', schedulerEnabled: false });
  // The global setup seeded the demo once into a snapshot; each journey starts from its own copy of it.
  const snapshot = !process.env.DATABASE_URL && process.env.ANJU_E2E_SNAPSHOT && fs.existsSync(process.env.ANJU_E2E_SNAPSHOT) ? process.env.ANJU_E2E_SNAPSHOT : null;
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL, dataDir: 'memory://', ...(snapshot && { loadDataDir: new Blob([fs.readFileSync(snapshot)]) }) });
  if (!snapshot) {
    await migrateToLatest(database.db);
    await seedDemo(database.db, DEMO_PASSWORD);
  }
  const app = await buildApp({ config, database });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    db: database.db,
    async close() {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
