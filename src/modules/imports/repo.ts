import { sql } from 'kysely';
import type { Actor, Db } from '../../core/context.ts';
import { canSeeCommunity } from '../../core/context.ts';
import type { ImportKind, ImportStatus } from '../../db/schema.ts';
import type { Counts } from './plan.ts';
import type { Reason } from './messages.ts';
import type { RowError } from './rules.ts';

/** Import jobs: the only SQL on import_jobs. Every query is scoped to the caller's company. */

/** A job still 'applying' with no progress for this long was left by a process that died; it may be resumed. */
export const STALE_AFTER_MS = 2 * 60_000;
/** Errors kept in a report; the count of bad rows is always exact. */
export const MAX_REPORTED_ERRORS = 2000;

export interface JobReport {
  errors: RowError[];
  notes: Reason[];
  /** Per-kind details the apply step needs besides the rows (e.g. buildings to create). */
  extra?: unknown;
}

/** The caller's visible communities of their company, by code. */
export async function visibleCommunities(db: Db, actor: Actor, companyId: string) {
  const rows = await db.selectFrom('communities').select(['id', 'code', 'name']).where('company_id', '=', companyId).execute();
  return rows.filter((r) => canSeeCommunity(actor, r.id));
}

export async function insertJob(
  db: Db,
  input: { companyId: string; communityId: string; kind: ImportKind; fileName: string; sheetRows: number; counts: Counts; report: JobReport; rows: unknown[]; userId: string },
) {
  return db
    .insertInto('import_jobs')
    .values({
      company_id: input.companyId,
      community_id: input.communityId,
      kind: input.kind,
      file_name: input.fileName,
      sheet_rows: input.sheetRows,
      to_create: input.counts.create,
      to_update: input.counts.update,
      unchanged: input.counts.unchanged,
      error_rows: input.counts.error,
      total: input.rows.length,
      report: JSON.stringify({ ...input.report, errors: input.report.errors.slice(0, MAX_REPORTED_ERRORS) }),
      rows: JSON.stringify(input.rows),
      created_by: input.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

const JOB_COLUMNS = [
  'j.id',
  'j.company_id',
  'j.community_id',
  'c.code as community_code',
  'c.name as community_name',
  'j.kind',
  'j.file_name',
  'j.status',
  'j.sheet_rows',
  'j.to_create',
  'j.to_update',
  'j.unchanged',
  'j.error_rows',
  'j.processed',
  'j.total',
  'j.skip_errors',
  'j.report',
  'j.result',
  'j.error',
  'j.created_at',
  'j.updated_at',
  'j.started_at',
  'j.finished_at',
] as const;

/** A job of the company (without its rows), or undefined. */
export function findJob(db: Db, companyId: string, id: string) {
  return db.selectFrom('import_jobs as j').innerJoin('communities as c', 'c.id', 'j.community_id').select(JOB_COLUMNS).where('j.id', '=', id).where('j.company_id', '=', companyId).executeTakeFirst();
}
export type JobRow = NonNullable<Awaited<ReturnType<typeof findJob>>>;

export function listJobs(db: Db, companyId: string, q: { communityIds: string[] | null; communityId?: string; kinds: ImportKind[]; limit: number; offset: number }) {
  const base = db
    .selectFrom('import_jobs as j')
    .innerJoin('communities as c', 'c.id', 'j.community_id')
    .where('j.company_id', '=', companyId)
    .$if(q.communityIds !== null, (qb) => qb.where('j.community_id', 'in', q.communityIds!))
    .$if(Boolean(q.communityId), (qb) => qb.where('j.community_id', '=', q.communityId!))
    .where('j.kind', 'in', q.kinds);
  return Promise.all([
    base.select(JOB_COLUMNS).orderBy('j.created_at', 'desc').orderBy('j.id').limit(q.limit).offset(q.offset).execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
}

/**
 * Takes the job for applying: from 'validated' or 'failed', or from an 'applying' job whose process died (no
 * progress for STALE_AFTER_MS). Returns the rows still to write, or null when someone else holds or finished it.
 */
export async function claimJob(db: Db, companyId: string, id: string, userId: string, skipErrors: boolean) {
  const staleBefore = new Date(Date.now() - STALE_AFTER_MS);
  const claimed = await db
    .updateTable('import_jobs')
    .set({ status: 'applying', applied_by: userId, skip_errors: skipErrors, started_at: sql`COALESCE(started_at, now())`, updated_at: new Date(), error: null })
    .where('id', '=', id)
    .where('company_id', '=', companyId)
    .where((eb) => eb.or([eb('status', 'in', ['validated', 'failed']), eb.and([eb('status', '=', 'applying'), eb('updated_at', '<', staleBefore)])]))
    .returning(['processed', 'total', 'result'])
    .executeTakeFirst();
  if (!claimed) return null;
  const rows = await db.selectFrom('import_jobs').select('rows').where('id', '=', id).executeTakeFirstOrThrow();
  return { processed: claimed.processed, total: claimed.total, result: claimed.result as Counts | null, rows: rows.rows as unknown[] };
}

/** Records a batch as written, in the batch's own transaction so progress and data commit together. */
export async function recordProgress(db: Db, id: string, processed: number, result: Counts) {
  await db.updateTable('import_jobs').set({ processed, result: JSON.stringify(result), updated_at: new Date() }).where('id', '=', id).execute();
}

export async function finishJob(db: Db, id: string, status: Extract<ImportStatus, 'applied' | 'failed'>, error: string | null = null) {
  await db
    .updateTable('import_jobs')
    .set({ status, error, updated_at: new Date(), finished_at: new Date(), ...(status === 'applied' && { rows: '[]' }) })
    .where('id', '=', id)
    .execute();
}
