// The import benchmark's server side, in processes of its own so the peak RSS is the import's alone:
//   init <dir>                         migrate the database (DATABASE_URL, or PGlite in <dir>/pg) and add a company
//                                      and community; PGlite's first creation of a data directory takes ~900 MB
//                                      for a moment, which is why it happens here and not in the measured process;
//   import <dir> <code> <rooms.xlsx> <residents.xlsx>
//                                      open that database as a server would, run the application on 127.0.0.1, then
//                                      upload + apply the rooms workbook and the residents workbook over HTTP.
// Each prints one JSON line. Started by bench/estate.ts; not meant to be run by hand.
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.ts';
import { openDatabase } from '../src/db/index.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { buildApp } from '../src/app.ts';
import { provisionCompany } from '../src/modules/platform/service.ts';
import { login, request, round } from './lib.ts';

const PASSWORD = 'bench-import-1';
const [mode, dir, code, roomsFile, residentsFile] = process.argv.slice(2);

async function init() {
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: path.join(dir, 'pg') });
  try {
    await migrateToLatest(database.db);
    const code = `bench-import-${Date.now().toString(36)}`;
    await database.db.transaction().execute(async (trx) => {
      const { companyId } = await provisionCompany(trx, null, { name: `导入压测 ${code}`, code, admin: { username: code, displayName: '导入压测', password: PASSWORD } });
      await trx.insertInto('communities').values({ company_id: companyId, code: 'BENCH', name: '导入压测小区' }).execute();
    });
    process.stdout.write(`${JSON.stringify({ code })}\n`);
  } finally {
    await database.close();
  }
}

async function main() {
  const rssAtStart = process.memoryUsage().rss;
  const database = await openDatabase({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: path.join(dir, 'pg') });
  try {
    const rssOpen = process.memoryUsage().rss;
    const { id: communityId } = await database.db
      .selectFrom('communities')
      .innerJoin('companies', 'companies.id', 'communities.company_id')
      .select('communities.id')
      .where('companies.code', '=', code)
      .executeTakeFirstOrThrow();
    const config = loadConfig({ ...process.env, ANJU_STORAGE: 'local' }, { dataDir: dir, filesDir: path.join(dir, 'files'), logLevel: 'silent', schedulerEnabled: false, maxUploadBytes: 20 * 1024 * 1024 });
    const app = await buildApp({ config, database, logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const port = (app.server.address() as { port: number }).port;
      const { cookie, me } = await login(port, code, PASSWORD);
      const headers = { cookie, 'x-csrf-token': me.csrfToken };
      const steps: Record<string, { validateS: number; applyS: number; created: number; errors: number }> = {};
      const t0 = performance.now();
      for (const [kind, file] of [['rooms', roomsFile], ['residents', residentsFile]] as const) {
        const form = new FormData();
        form.append('file', new Blob([fs.readFileSync(file)]), path.basename(file));
        const tv = performance.now();
        const v = await request(port, `/api/imports/${kind}?communityId=${communityId}`, { method: 'POST', body: form, headers, timeoutMs: 300_000 });
        const job = (await v.json()) as { id: string; counts: { error: number }; errors: unknown[] };
        if (v.status !== 201) throw new Error(`${kind} upload answered ${v.status}: ${JSON.stringify(job).slice(0, 500)}`);
        if (job.counts.error) throw new Error(`${kind} workbook has ${job.counts.error} bad rows: ${JSON.stringify(job.errors.slice(0, 3))}`);
        const ta = performance.now();
        const a = await request(port, `/api/imports/${job.id}/apply`, { method: 'POST', headers, timeoutMs: 300_000 });
        const applied = (await a.json()) as { status: string; result: { create: number } };
        if (a.status !== 200 || applied.status !== 'applied') throw new Error(`${kind} apply answered ${a.status}: ${JSON.stringify(applied).slice(0, 500)}`);
        steps[kind] = { validateS: round((ta - tv) / 1000, 2), applyS: round((performance.now() - ta) / 1000, 2), created: applied.result.create, errors: job.counts.error };
      }
      const totalS = round((performance.now() - t0) / 1000, 2);
      const rooms = await database.db.selectFrom('rooms').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow();
      const residents = await database.db.selectFrom('residents').select((eb) => eb.fn.countAll<number>().as('n')).where('community_id', '=', communityId).executeTakeFirstOrThrow();
      const usage = process.resourceUsage();
      process.stdout.write(
        `${JSON.stringify({ database: database.kind, steps, totalS, rooms: Number(rooms.n), residents: Number(residents.n), peakRssMb: Math.round(usage.maxRSS / 1024), rssAtStartMb: Math.round(rssAtStart / 2 ** 20), rssDatabaseOpenMb: Math.round(rssOpen / 2 ** 20), cpuS: round((usage.userCPUTime + usage.systemCPUTime) / 1e6, 1) })}\n`,
      );
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

(mode === 'init' ? init() : main()).catch((err) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
