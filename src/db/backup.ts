import fs from 'node:fs';
import readline from 'node:readline';
import { createGzip, createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { type Kysely, sql } from 'kysely';

/**
 * Logical backups that work the same on PGlite and a PostgreSQL server: gzip'd JSON lines, one row per line as
 * `to_jsonb(row)`, restored with `jsonb_populate_recordset` so PostgreSQL itself converts every column back.
 * Restore replaces all data in one transaction on a database migrated to the same schema.
 */
const FORMAT = 'anju-backup';
const BATCH = 1000;
const MIGRATION_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

interface Header {
  format: typeof FORMAT;
  version: 1;
  createdAt: string;
  migrations: string[];
  tables: string[];
}

/** Application tables ordered so that every table comes after the tables it references. */
export async function tablesInDependencyOrder(db: Kysely<any>): Promise<string[]> {
  const tables = (await sql<{ name: string }>`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`.execute(db)).rows
    .map((r) => r.name)
    .filter((t) => !MIGRATION_TABLES.has(t));
  const edges = (
    await sql<{ child: string; parent: string }>`
      SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
        FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
       WHERE c.contype = 'f' AND n.nspname = 'public'`.execute(db)
  ).rows;
  const ordered: string[] = [];
  const visiting = new Set<string>();
  const visit = (t: string) => {
    if (ordered.includes(t) || visiting.has(t)) return;
    visiting.add(t);
    for (const e of edges) if (e.child === t && e.parent !== t) visit(e.parent);
    visiting.delete(t);
    ordered.push(t);
  };
  tables.forEach(visit);
  return ordered;
}

async function appliedMigrations(db: Kysely<any>): Promise<string[]> {
  return (await sql<{ name: string }>`SELECT name FROM kysely_migration ORDER BY name`.execute(db)).rows.map((r) => r.name);
}

async function primaryKey(db: Kysely<any>, table: string): Promise<string[]> {
  const rows = await sql<{ col: string }>`
    SELECT a.attname AS col FROM pg_index i
      JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
     WHERE i.indrelid = ${table}::regclass AND i.indisprimary ORDER BY a.attnum`.execute(db);
  return rows.rows.map((r) => r.col);
}

export async function backupTo(db: Kysely<any>, file: string): Promise<{ tables: Record<string, number> }> {
  // A repeatable-read snapshot so the backup is consistent even while the server keeps writing.
  return db.transaction().setIsolationLevel('repeatable read').execute(async (trx) => {
    const tables = await tablesInDependencyOrder(trx);
    const header: Header = { format: FORMAT, version: 1, createdAt: new Date().toISOString(), migrations: await appliedMigrations(trx), tables };
    const counts: Record<string, number> = {};
    async function* lines() {
      yield `${JSON.stringify(header)}\n`;
      for (const table of tables) {
        const pk = await primaryKey(trx, table);
        const order = sql.join(pk.map((c) => sql.ref(c)));
        counts[table] = 0;
        for (let offset = 0; ; offset += BATCH) {
          const rows = (await sql<{ r: unknown }>`SELECT to_jsonb(t) AS r FROM ${sql.table(table)} t ORDER BY ${order} LIMIT ${BATCH} OFFSET ${offset}`.execute(trx)).rows;
          for (const row of rows) yield `${JSON.stringify({ t: table, r: row.r })}\n`;
          counts[table] += rows.length;
          if (rows.length < BATCH) break;
        }
      }
    }
    await pipeline(Readable.from(lines()), createGzip(), fs.createWriteStream(file));
    return { tables: counts };
  });
}

export async function restoreFrom(db: Kysely<any>, file: string): Promise<{ tables: Record<string, number> }> {
  const rl = readline.createInterface({ input: fs.createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const it = rl[Symbol.asyncIterator]();
  const first = await it.next();
  const header = first.done ? null : (JSON.parse(first.value) as Header);
  if (!header || header.format !== FORMAT) throw new Error(`${file} is not an Anju backup`);
  const current = await appliedMigrations(db);
  const missing = header.migrations.filter((m) => !current.includes(m));
  if (missing.length) throw new Error(`the database lacks migrations the backup needs: ${missing.join(', ')} (run "anju migrate" first)`);
  const tables = await tablesInDependencyOrder(db);
  const unknown = header.tables.filter((t) => !tables.includes(t));
  if (unknown.length) throw new Error(`the backup has tables this database does not: ${unknown.join(', ')}`);

  return db.transaction().execute(async (trx) => {
    // Foreign keys that form a cycle (declared DEFERRABLE) are checked at commit, when both sides are in.
    await sql`SET CONSTRAINTS ALL DEFERRED`.execute(trx);
    await sql`TRUNCATE ${sql.join(tables.map((t) => sql.table(t)))} RESTART IDENTITY CASCADE`.execute(trx);
    const counts: Record<string, number> = Object.fromEntries(tables.map((t) => [t, 0]));
    // Generated columns are computed again on insert; every other column is restored as it was.
    const columns = await sql<{ tbl: string; col: string }>`
      SELECT table_name AS tbl, column_name AS col FROM information_schema.columns
       WHERE table_schema = 'public' AND is_generated = 'NEVER' ORDER BY table_name, ordinal_position`.execute(trx);
    const writable = new Map<string, string[]>();
    for (const c of columns.rows) writable.set(c.tbl, [...(writable.get(c.tbl) ?? []), c.col]);
    let batch: unknown[] = [];
    let batchTable = '';
    const flush = async () => {
      if (!batch.length) return;
      const cols = sql.join((writable.get(batchTable) ?? []).map((c) => sql.ref(c)));
      await sql`INSERT INTO ${sql.table(batchTable)} (${cols}) SELECT ${cols} FROM jsonb_populate_recordset(NULL::${sql.table(batchTable)}, ${JSON.stringify(batch)}::jsonb)`.execute(trx);
      counts[batchTable] += batch.length;
      batch = [];
    };
    for (let next = await it.next(); !next.done; next = await it.next()) {
      if (!next.value) continue;
      const { t, r } = JSON.parse(next.value) as { t: string; r: unknown };
      if (t !== batchTable || batch.length >= BATCH) {
        await flush();
        batchTable = t;
      }
      batch.push(r);
    }
    await flush();
    // Sequences continue after the restored ids.
    const serials = await sql<{ tbl: string; col: string; seq: string }>`
      SELECT c.table_name AS tbl, c.column_name AS col, pg_get_serial_sequence(c.table_name, c.column_name) AS seq
        FROM information_schema.columns c
       WHERE c.table_schema = 'public' AND c.column_default LIKE 'nextval(%'`.execute(trx);
    for (const s of serials.rows) {
      if (!s.seq || !tables.includes(s.tbl)) continue;
      await sql`SELECT setval(${s.seq}, COALESCE((SELECT max(${sql.ref(s.col)}) FROM ${sql.table(s.tbl)}), 0) + 1, false)`.execute(trx);
    }
    return { tables: counts };
  });
}
