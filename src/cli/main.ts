import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { openDatabase } from '../db/index.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { backupTo, restoreFrom } from '../db/backup.ts';
import { seedDemo } from '../seed/demo.ts';
import { seedScale } from '../seed/scale.ts';
import { hashPassword } from '../core/password.ts';
import { isAcceptablePassword } from '../core/validation.ts';
import { provisionCompany } from '../modules/platform/service.ts';
import { usernameTaken } from '../modules/staff/repo.ts';

const HELP = `anju — Anju (安居) property-management platform

Usage: npx anju <command> [options]

  start [--no-demo]        migrate, load demo data on a fresh database, serve on PORT (default 3000)
  migrate                  apply database migrations
  seed-demo                load the demo companies (skipped if already there)
  seed-demo --scale N      add a benchmark company with N rooms, residents and vehicles (admin scale<k>-admin,
                           password as for the demo)
  create-admin --username U --password P [--name N]
               (--operator | --company CODE [--company-name NAME])
                           create a platform operator, or a company administrator (creating the company if named)
  backup <file>            write a backup (gzip'd JSON lines) of all data
  restore <file>           replace all data with a backup (the database is migrated first)

Database: DATABASE_URL=postgres://… for a PostgreSQL server, otherwise embedded PGlite in ANJU_DATA_DIR (./data).`;

async function withDb<T>(fn: (db: Awaited<ReturnType<typeof openDatabase>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: path.join(config.dataDir, 'pg'), poolSize: 2 });
  try {
    await migrateToLatest(database.db);
    return await fn(database);
  } finally {
    await database.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      username: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
      company: { type: 'string' },
      'company-name': { type: 'string' },
      operator: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
      dev: { type: 'boolean' },
      scale: { type: 'string' },
    },
  });
  switch (command) {
    case 'start': {
      const config = loadConfig();
      const { startServer } = await import('../server.ts'); // the web server's weight only when serving
      await startServer(config, { seed: !values['no-demo'] && process.env.ANJU_DEMO !== 'off' });
      return -1; // keep running
    }
    case 'migrate':
      await withDb(async () => console.log('database is up to date'));
      return 0;
    case 'seed-demo':
      await withDb(async ({ db }) => {
        if (values.scale !== undefined) {
          const r = await seedScale(db, { rooms: Number(values.scale), password: loadConfig().demoPassword });
          const c = r.counts;
          console.log(`company ${r.code} (administrator ${r.adminUsername}): ${c.rooms} rooms in ${r.communities.length} communities, ${c.residents} residents, ${c.vehicles} vehicles, ${c.parkingSpaces} parking spaces in ${r.seconds.toFixed(1)} s`);
          return;
        }
        const { created } = await seedDemo(db, loadConfig().demoPassword);
        console.log(created ? 'demo data loaded' : 'demo data already present');
      });
      return 0;
    case 'create-admin': {
      const { username, password } = values;
      if (!username || !password) throw new Error('--username and --password are required');
      if (!isAcceptablePassword(password)) throw new Error('--password needs at least 8 characters with letters and digits');
      await withDb(async ({ db }) => {
        await db.transaction().execute(async (trx) => {
          if (await usernameTaken(trx, username)) throw new Error(`username ${username} is already taken`);
          if (values.operator) {
            await trx.insertInto('users').values({ kind: 'operator', company_id: null, username, display_name: values.name ?? username, password_hash: await hashPassword(password) }).execute();
            return;
          }
          if (!values.company) throw new Error('--operator or --company CODE is required');
          const company = await trx.selectFrom('companies').select('id').where('code', '=', values.company).executeTakeFirst();
          if (!company) {
            if (!values['company-name']) throw new Error(`company ${values.company} does not exist; add --company-name to create it`);
            await provisionCompany(trx, null, { name: values['company-name'], code: values.company, admin: { username, displayName: values.name ?? username, password } });
            return;
          }
          const role = await trx.selectFrom('roles').select('id').where('company_id', '=', company.id).where('builtin_key', '=', 'admin').executeTakeFirstOrThrow();
          const user = await trx
            .insertInto('users')
            .values({ kind: 'staff', company_id: company.id, username, display_name: values.name ?? username, password_hash: await hashPassword(password), all_communities: true })
            .returning('id')
            .executeTakeFirstOrThrow();
          await trx.insertInto('user_roles').values({ user_id: user.id, role_id: role.id }).execute();
        });
        console.log(`administrator ${username} created`);
      });
      return 0;
    }
    case 'backup': {
      const file = positionals[0];
      if (!file) throw new Error('usage: anju backup <file>');
      const { tables } = await withDb(({ db }) => backupTo(db, path.resolve(file)));
      console.log(`backup written to ${file}: ${Object.values(tables).reduce((a, b) => a + b, 0)} rows in ${Object.keys(tables).length} tables`);
      return 0;
    }
    case 'restore': {
      const file = positionals[0];
      if (!file) throw new Error('usage: anju restore <file>');
      const { tables } = await withDb(({ db }) => restoreFrom(db, path.resolve(file)));
      console.log(`restored ${Object.values(tables).reduce((a, b) => a + b, 0)} rows from ${file}`);
      return 0;
    }
    default:
      console.log(HELP);
      return command && command !== 'help' && command !== '--help' ? 1 : 0;
  }
}
