import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/index.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { backupTo, restoreFrom, tablesInDependencyOrder } from '../../src/db/backup.ts';
import { testApp, type TestApp } from '../helpers/app.ts';
import { createCompany, createOwnerUser, createStaffUser, login } from '../helpers/factories.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'anju-backup-'));

/** A fresh, migrated, empty database to restore into: a new database on the server, or a new PGlite. */
async function freshDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!process.env.DATABASE_URL) {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrateToLatest(database.db);
    return { database, drop: () => database.close() };
  }
  const name = `anju_restore_${Date.now().toString(36)}`;
  const admin = await openDatabase({ databaseUrl: process.env.DATABASE_URL, poolSize: 1 });
  await sql`CREATE DATABASE ${sql.id(name)}`.execute(admin.db);
  const url = new URL(process.env.DATABASE_URL);
  url.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 2 });
  await migrateToLatest(database.db);
  return {
    database,
    drop: async () => {
      await database.close();
      await sql`DROP DATABASE ${sql.id(name)}`.execute(admin.db);
      await admin.close();
    },
  };
}

async function snapshot(db: Database['db']) {
  const out: Record<string, unknown[]> = {};
  for (const table of await tablesInDependencyOrder(db)) {
    out[table] = (await sql<{ r: unknown }>`SELECT to_jsonb(t) AS r FROM ${sql.table(table)} t ORDER BY 1`.execute(db)).rows
      .map((r) => JSON.stringify(r.r))
      .sort();
  }
  return out;
}

describe('backup and restore', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
    const company = await createCompany(t.db);
    await createStaffUser(t.db, company, { phone: '13700001111' });
    await createOwnerUser(t.db, company);
    const admin = await login(t.app, company.admin.username);
    await admin.post('/api/communities', { name: '备份测试小区', code: 'BK1' });
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('orders tables so referenced tables come first', async () => {
    const order = await tablesInDependencyOrder(t.db);
    expect(order.indexOf('companies')).toBeLessThan(order.indexOf('communities'));
    expect(order.indexOf('users')).toBeLessThan(order.indexOf('sessions'));
    expect(order.indexOf('roles')).toBeLessThan(order.indexOf('user_roles'));
    expect(order).not.toContain('kysely_migration');
  });

  it('restores every row of every table into a fresh database, and sequences continue', async () => {
    const file = path.join(tmp, 'full.jsonl.gz');
    const { tables } = await backupTo(t.db, file);
    expect(tables.companies).toBeGreaterThan(0);
    const target = await freshDatabase();
    try {
      const restored = await restoreFrom(target.database.db, file);
      expect(restored.tables).toEqual(tables);
      // Compare with a snapshot of the backup file itself (the source keeps changing under other tests).
      const source = await snapshot(target.database.db);
      expect(source.users.length).toBe(tables.users);
      const audit = await target.database.db.selectFrom('audit_log').select((eb) => eb.fn.max('id').as('max')).executeTakeFirstOrThrow();
      const next = await target.database.db
        .insertInto('audit_log')
        .values({ action: 'test', entity_type: 'test', before: 'null', after: 'null' })
        .returning('id')
        .executeTakeFirstOrThrow();
      expect(next.id).toBeGreaterThan(Number(audit.max ?? 0));

      // Restoring the same file again replaces everything and yields the same rows.
      await restoreFrom(target.database.db, file);
      const again = await snapshot(target.database.db);
      const { audit_log: _a, ...restA } = again;
      const { audit_log: _b, ...restB } = source;
      expect(restA).toEqual(restB);
      expect(again.audit_log.length).toBe(tables.audit_log);
    } finally {
      await target.drop();
    }
  });

  it('refuses a file that is not a backup and leaves the data alone', async () => {
    const file = path.join(tmp, 'bogus.gz');
    execFileSync('sh', ['-c', `echo '{"hello":1}' | gzip > ${file}`]);
    const target = await freshDatabase();
    try {
      await target.database.db.insertInto('companies').values({ name: '留下', code: 'keep-me' }).execute();
      await expect(restoreFrom(target.database.db, file)).rejects.toThrow(/not an Anju backup/);
      const rows = await target.database.db.selectFrom('companies').select('code').execute();
      expect(rows.map((r) => r.code)).toEqual(['keep-me']);
    } finally {
      await target.drop();
    }
  });
});

describe('the anju command line (embedded database)', () => {
  const bin = path.resolve('bin/anju.mjs');
  const run = (dataDir: string, ...args: string[]) =>
    execFileSync(process.execPath, [bin, ...args], { env: { ...process.env, DATABASE_URL: '', ANJU_DATA_DIR: dataDir, LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 60_000 });

  it('migrates, seeds, creates an admin, backs up and restores into another data directory', async () => {
    const a = path.join(tmp, 'cli-a');
    const b = path.join(tmp, 'cli-b');
    // Each command is a process that opens the embedded database, so the list is kept short: migrate runs inside
    // every command, and seeding twice is covered by seed.test.ts.
    expect(run(a, 'seed-demo')).toContain('demo data loaded');
    expect(run(a, 'create-admin', '--company', 'demo-a', '--username', 'second-admin', '--password', 'second-pass-1')).toContain('created');
    expect(run(a, 'create-admin', '--company', 'new-co', '--company-name', '新物业公司', '--username', 'new-admin', '--password', 'new-pass-123')).toContain('created');
    expect(() => run(a, 'create-admin', '--company', 'demo-a', '--username', 'weak', '--password', 'short')).toThrow();
    const file = path.join(tmp, 'cli.jsonl.gz');
    expect(run(a, 'backup', file)).toMatch(/backup written/);
    expect(run(b, 'migrate')).toContain('up to date');
    expect(run(b, 'restore', file)).toMatch(/restored \d+ rows/);
    const db = await openDatabase({ dataDir: path.join(b, 'pg') });
    try {
      const users = await db.db.selectFrom('users').select('username').where('username', 'in', ['admin', 'admin-b', 'operator', 'second-admin', 'new-admin']).execute();
      expect(users.map((u) => u.username).sort()).toEqual(['admin', 'admin-b', 'new-admin', 'operator', 'second-admin']);
      const newCo = await db.db.selectFrom('roles').innerJoin('companies', 'companies.id', 'roles.company_id').select('roles.name').where('companies.code', '=', 'new-co').execute();
      expect(newCo).toHaveLength(11);
    } finally {
      await db.close();
    }
  }, 180_000);
});
