import path from 'node:path';
import pino from 'pino';
import type { Config } from './config.ts';
import { openDatabase } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { buildApp } from './app.ts';
import { DEMO_ACCOUNTS, DEMO_OWNERS, isEmpty, seedDemo } from './seed/demo.ts';

/** Opens the database, migrates, seeds the demo on a fresh install, listens and starts the scheduler. */
export async function startServer(config: Config, opts: { seed: boolean }) {
  const t0 = performance.now();
  const log = pino({ level: config.logLevel });
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: path.join(config.dataDir, 'pg') });
  const applied = await migrateToLatest(database.db);
  if (applied.length) log.info({ applied }, 'migrations applied');
  let seeded = false;
  if (opts.seed && (await isEmpty(database.db))) {
    await seedDemo(database.db, config.demoPassword);
    seeded = true;
    log.info('demo data loaded');
  }
  const app = await buildApp({ config, database, logger: log });
  await app.listen({ port: config.port, host: config.host });
  if (config.schedulerEnabled) app.scheduler.start();
  const seconds = ((performance.now() - t0) / 1000).toFixed(2);

  const url = `http://localhost:${config.port}`;
  const lines = [
    '',
    `  安居 Anju is running (${database.kind === 'pglite' ? `embedded PostgreSQL in ${path.join(config.dataDir, 'pg')}` : 'PostgreSQL server'}), ready in ${seconds} s`,
    `  Staff console:  ${url}/`,
    `  Owner site:     ${url}/m/`,
    `  API docs:       ${url}/api/docs`,
  ];
  if (opts.seed) {
    lines.push(`  Demo logins (password "${config.demoPassword === 'anju-demo' ? 'anju-demo' : '<ANJU_DEMO_PASSWORD>'}")${seeded ? ' — demo data just loaded' : ''}:`);
    for (const a of DEMO_ACCOUNTS) lines.push(`    ${a.username.padEnd(10)} ${a.role}`);
    lines.push(`  Owner site logins by SMS code (read the code in the console: 系统管理 → 短信发件箱): ${DEMO_OWNERS.map((o) => o.phone).join(', ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);
  // Machine-readable marker for scripts and benchmarks.
  log.info({ url, startupSeconds: Number(seconds) }, 'listening');

  const shutdown = async (signal: string) => {
    log.info({ signal }, 'shutting down');
    await app.scheduler.stop();
    await app.close();
    await database.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void shutdown('SIGINT'));
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  return { app, database };
}
