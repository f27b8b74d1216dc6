import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import type { DB } from './schema.ts';

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  close(): Promise<void>;
  /** PGlite only: the whole data directory as a tarball (a snapshot another PGlite can open with `loadDataDir`). */
  dump?(): Promise<Blob>;
}

// One set of parsers for both back ends: counts and integer money (分) as numbers (we stay inside 2^53),
// business dates as 'YYYY-MM-DD' strings so no time zone can shift them, numerics as strings.
const INT8 = 20;
const DATE = 1082;
const typeParsers = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (v: string) => Number(v);
    if (oid === DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

export interface OpenOptions {
  databaseUrl?: string;
  /** PGlite data directory; `memory://` keeps everything in memory (tests). */
  dataDir?: string;
  poolSize?: number;
  /** PGlite only: start from this snapshot (a `dump()` tarball) instead of an empty or existing directory. */
  loadDataDir?: Blob;
}

/**
 * Opens PostgreSQL: a server through DATABASE_URL, or the embedded PGlite in a data directory.
 * PGlite is reached through its node-postgres adapter, so Kysely, the parsers and every query
 * run the same code path on both.
 */
export async function openDatabase(opts: OpenOptions): Promise<Database> {
  if (opts.databaseUrl) {
    // JIT compilation costs hundreds of milliseconds on short OLTP queries and never pays back here.
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: opts.poolSize ?? 10, types: typeParsers, options: '-c jit=off' });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgres', close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const dataDir = opts.dataDir ?? 'memory://';
  if (!dataDir.startsWith('memory://')) fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  // PGlite's default 128 MB of shared buffers doubles the server's memory for no gain at a community's scale;
  // 16 MB halves the resident size and the open time.
  const lite = new PGlite(dataDir, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'], ...(opts.loadDataDir && { loadDataDir: opts.loadDataDir }) });
  await lite.waitReady;
  // PGlite is a single connection: a pool of one serialises queries and keeps each transaction whole.
  const pool = new pg.Pool({ ...createPgConfig(lite), max: 1, types: typeParsers });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    kind: 'pglite',
    dump: () => lite.dumpDataDir('none'),
    close: async () => {
      await db.destroy();
      await lite.close();
    },
  };
}
